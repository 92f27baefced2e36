"""The single catch-all for cached staff access (`selectors.staff_access`): any saved or deleted user, membership
or location makes it stale, at once and again after commit.

At once, so the rest of the writing transaction (and a test that never commits) sees the change; after commit,
so a snapshot another process read from the database before the commit is not used after it. A queryset
`.update()` sends no signal: nothing updates users, memberships or locations that way (keep it so).
"""

from functools import partial

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cafepos.versioned_cache import stale_now_and_after_commit

from .models import Location, Membership, User
from .selectors import staff_access_invalidate, staff_access_invalidate_all


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def user_changed(sender, instance, **kwargs):
    stale_now_and_after_commit(partial(staff_access_invalidate, instance.pk))


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, **kwargs):
    stale_now_and_after_commit(partial(staff_access_invalidate, instance.user_id))


@receiver(post_save, sender=Location)
@receiver(post_delete, sender=Location)
def location_changed(sender, instance, **kwargs):
    stale_now_and_after_commit(staff_access_invalidate_all)
