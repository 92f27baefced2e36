"""The single catch-all for the menu cache: any saved or deleted menu row invalidates its location, at once and
again after commit.

At once, so the rest of the writing transaction (and a test that never commits) sees the change; after commit,
so a menu another process built from rows read before the commit is not served after it (orders are priced
from this cache: `orders.services.cart`).

Services, admin, CSV import, history reverts and plain `.save()` calls all end here; a queryset `.update()`
sends no signal, so nothing in the menu app uses one.
"""

from functools import partial

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import Location
from cafepos.versioned_cache import stale_now_and_after_commit

from .models import Category, MenuItem, Modifier, ModifierGroup
from .selectors import menu_cache_invalidate


def _invalidate(location_id: int | None) -> None:
    if location_id is not None:
        stale_now_and_after_commit(partial(menu_cache_invalidate, location_id))


def _location_id(instance) -> int | None:
    if isinstance(instance, Location):
        return instance.id
    if isinstance(instance, Modifier):
        if Modifier.group.is_cached(instance):
            return instance.group.location_id
        # A modifier deleted with its group may outlive the group row; the group's own signal covers that case.
        return ModifierGroup.objects.filter(pk=instance.group_id).values_list("location_id", flat=True).first()
    return instance.location_id


@receiver(post_save, sender=Location)
@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
@receiver(post_save, sender=MenuItem)
@receiver(post_delete, sender=MenuItem)
@receiver(post_save, sender=ModifierGroup)
@receiver(post_delete, sender=ModifierGroup)
@receiver(post_save, sender=Modifier)
@receiver(post_delete, sender=Modifier)
def menu_row_changed(sender, instance, **kwargs):
    _invalidate(_location_id(instance))


@receiver(m2m_changed, sender=MenuItem.modifier_groups.through)
def menu_item_groups_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _invalidate(instance.location_id)  # an item, or a group when changed from its side
