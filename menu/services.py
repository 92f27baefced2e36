"""Writes and rules for the menu: categories, items, modifier groups and modifiers.

Every write runs in one transaction, records who made it (django-simple-history: `by`, or the request's
user) and announces itself through `_menu_changed` (an outbox event). The cached menu is invalidated after
commit by `menu.signals`, whatever path the change took. The `*_validate` functions are the rules; admin
forms call them too, so a rule lives in one place.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from accounts.models import Location, User
from cafepos.exceptions import ApplicationError
from cafepos.money import currency_places, money_in_bounds, quantize_money
from cafepos.outbox import event_emit
from cafepos.writes import FieldErrors, author_set, fields_apply, instance_delete, instance_save

from .models import MAX_TAX_RATE, Category, MenuItem, Modifier, ModifierGroup, Station
from .translations import translations_clean

TAX_RATE_PLACES = Decimal("0.01")
GENERATED_SKU_PREFIX = "ITEM-"

CATEGORY_FIELDS = {"name", "sort_order", "is_active", "translations"}
ITEM_FIELDS = {
    "category",
    "name",
    "description",
    "price",
    "tax_rate",
    "sku",
    "image",
    "sort_order",
    "is_active",
    "is_sold_out",
    "station",
    "translations",
}
GROUP_FIELDS = {"name", "min_selections", "max_selections", "is_required", "sort_order", "translations"}
MODIFIER_FIELDS = {"name", "price_delta", "is_sold_out", "sort_order", "translations"}


# Rules ------------------------------------------------------------------------------------------------


def _check_name(errors: FieldErrors, instance: Model) -> None:
    name, max_length = instance.name or "", instance._meta.get_field("name").max_length
    if not name.strip():
        errors.add("name", _("Give it a name."))
    elif len(name) > max_length:
        errors.add("name", _("Use at most %(max_length)s characters.") % {"max_length": max_length})


def _check_translations(errors: FieldErrors, instance: Model) -> None:
    """Keep the translations as they will be read (visible text, empty ones dropped), or say what is wrong."""
    cleaned, problems = translations_clean(type(instance), instance.translations)
    for problem in problems:
        errors.add("translations", problem)
    if not problems:
        instance.translations = cleaned


def _check_money(errors: FieldErrors, field: str, amount, currency: str, *, allow_negative: bool) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        errors.add(field, _("Enter an amount, such as 3.50."))
        return
    if not money_in_bounds(amount):
        errors.add(field, _("This amount is too large."))
        return
    if amount < 0 and not allow_negative:
        errors.add(field, _("A price cannot be negative."))
    if amount != quantize_money(amount, currency):
        places = currency_places(currency)
        allowed = "whole amounts" if places == 0 else f"at most {places} decimal places"
        errors.add(field, _("Use %(allowed)s for %(currency)s.") % {"allowed": allowed, "currency": currency})


MAX_SORT_ORDER = 2**31 - 1  # PositiveIntegerField's column (PostgreSQL integer): a larger one is a database error


def _check_sort_order(errors: FieldErrors, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SORT_ORDER:
        errors.add(
            "sort_order", _("Use a whole number from 0 to %(max_sort_order)s.") % {"max_sort_order": MAX_SORT_ORDER}
        )


def category_validate(category: Category) -> None:
    errors = FieldErrors()
    _check_name(errors, category)
    _check_translations(errors, category)
    _check_sort_order(errors, category.sort_order)
    taken = Category.objects.filter(location_id=category.location_id, name=category.name).exclude(pk=category.pk)
    if "name" not in errors and taken.exists():
        errors.add(
            "name", _("A category named %(category_name)r exists at this location.") % {"category_name": category.name}
        )
    errors.raise_if_any("category.invalid")


def menu_item_validate(item: MenuItem, *, modifier_groups: Iterable[ModifierGroup] | None = None) -> None:
    """An item's rules; `modifier_groups` are the groups it will have (None: unchanged)."""
    errors = FieldErrors()
    location = item.location
    _check_name(errors, item)
    _check_translations(errors, item)
    _check_sort_order(errors, item.sort_order)
    _check_money(errors, "price", item.price, location.currency, allow_negative=False)
    tax_rate = item.tax_rate
    if not isinstance(tax_rate, Decimal) or not Decimal(0) <= tax_rate <= MAX_TAX_RATE:
        errors.add(
            "tax_rate", _("A tax rate is a percentage from 0 to %(max_tax_rate)s.") % {"max_tax_rate": MAX_TAX_RATE}
        )
    elif tax_rate != tax_rate.quantize(TAX_RATE_PLACES):
        errors.add("tax_rate", _("Use at most 2 decimal places for a tax rate."))
    if item.station not in Station.values:
        errors.add("station", _("Choose a station: %(choices)s.") % {"choices": ", ".join(Station.values)})
    sku = item.sku or ""
    if not sku.strip():
        if item.pk is not None:  # a new item is given one by menu_item_create
            errors.add("sku", _("Give the item a SKU."))
    elif sku != sku.strip() or len(sku) > MenuItem._meta.get_field("sku").max_length:
        errors.add("sku", _("A SKU has up to 64 characters, without leading or trailing spaces."))
    elif MenuItem.objects.filter(location_id=item.location_id, sku=sku).exclude(pk=item.pk).exists():
        errors.add("sku", _("SKU %(sku)s is already used by another item at this location.") % {"sku": sku})
    category = getattr(item, "category", None)
    if category is None:
        errors.add("category", _("Choose a category."))
    elif category.location_id != item.location_id:
        errors.add("category", _("This category belongs to another location."))
    if modifier_groups is not None and any(group.location_id != item.location_id for group in modifier_groups):
        errors.add("modifier_groups", _("A modifier group of another location cannot be used here."))
    errors.raise_if_any("menu_item.invalid")


def modifier_group_validate(group: ModifierGroup) -> None:
    """A group's own fields; `modifier_group_validate_modifiers` checks it against its modifiers."""
    errors = FieldErrors()
    _check_name(errors, group)
    _check_translations(errors, group)
    _check_sort_order(errors, group.sort_order)
    low, high = group.min_selections, group.max_selections
    if high < 1:
        errors.add("max_selections", _("Allow at least one selection."))
    if low > high:
        errors.add("min_selections", _("The minimum cannot be above the maximum."))
    if group.is_required and low < 1:
        errors.add("min_selections", _("A required group needs a minimum of at least 1."))
    if not group.is_required and low >= 1:
        errors.add("is_required", _("A group with a minimum of 1 or more must be marked required."))
    taken = ModifierGroup.objects.filter(location_id=group.location_id, name=group.name).exclude(pk=group.pk)
    if "name" not in errors and taken.exists():
        errors.add(
            "name", _("A modifier group named %(group_name)r exists at this location.") % {"group_name": group.name}
        )
    errors.raise_if_any("modifier_group.invalid")


def modifier_group_validate_modifiers(group: ModifierGroup, *, modifier_count: int) -> None:
    """A required group must offer at least as many modifiers as it asks for (and at least one)."""
    if not group.is_required or modifier_count >= max(group.min_selections, 1):
        return
    if modifier_count == 0:
        message = _("A required group needs at least one modifier.")
    else:
        message = _("This group asks for %(min_selections)s choices but offers only %(modifier_count)s modifiers.") % {
            "min_selections": group.min_selections,
            "modifier_count": modifier_count,
        }
    raise ApplicationError("modifier_group.not_enough_modifiers", message, {"modifiers": [message]})


def modifier_validate(modifier: Modifier) -> None:
    errors = FieldErrors()
    _check_name(errors, modifier)
    _check_translations(errors, modifier)
    _check_sort_order(errors, modifier.sort_order)
    currency = modifier.group.location.currency
    _check_money(errors, "price_delta", modifier.price_delta, currency, allow_negative=True)
    errors.raise_if_any("modifier.invalid")


# Shared steps -----------------------------------------------------------------------------------------


def _menu_changed(location_id: int, event_type: str, data: dict) -> None:
    """The one place the menu announces a change: an outbox event written in the caller's transaction."""
    event_emit(location_id=location_id, type=event_type, data=data)


def _announce_update(location_id: int, changed: list[str], identity: dict, row: MenuItem | Modifier) -> None:
    """A sold-out flip is its own event (named, for the POS and kitchen banners); any other change is menu.updated."""
    if "is_sold_out" in changed:
        _menu_changed(location_id, "menu.item_sold_out" if row.is_sold_out else "menu.item_back_in_stock", identity)
    if set(changed) - {"is_sold_out"}:
        _menu_changed(location_id, "menu.updated", {"entity": identity["entity"], "id": identity["id"]})


def _locked(model: type[Model], pk: int) -> Model:
    return model.objects.select_for_update().get(pk=pk)


# Categories -------------------------------------------------------------------------------------------


@transaction.atomic
def category_create(
    *,
    location: Location,
    name: str,
    sort_order: int = 0,
    is_active: bool = True,
    translations: dict | None = None,
    by: User | None = None,
) -> Category:
    category = Category(
        location=location, name=name, sort_order=sort_order, is_active=is_active, translations=translations or {}
    )
    category_validate(category)
    instance_save(category, by=by)
    _menu_changed(location.id, "menu.updated", {"entity": "category", "id": category.id})
    return category


@transaction.atomic
def category_update(*, category: Category, data: dict, by: User | None = None) -> Category:
    category = _locked(Category, category.pk)
    changed = fields_apply(category, data, CATEGORY_FIELDS)
    if changed:
        category_validate(category)
        instance_save(category, by=by, update_fields=changed)
        _menu_changed(category.location_id, "menu.updated", {"entity": "category", "id": category.id})
    return category


@transaction.atomic
def category_delete(*, category: Category, by: User | None = None) -> None:
    location_id, category_id = category.location_id, category.id
    message = _("%(category_name)s still has items: move or delete them first.") % {"category_name": category.name}
    instance_delete(category, by=by, refusal=ApplicationError("category.not_empty", message, status=409))
    _menu_changed(location_id, "menu.updated", {"entity": "category", "id": category_id, "deleted": True})


# Items ------------------------------------------------------------------------------------------------


@transaction.atomic
def menu_item_create(
    *,
    location: Location,
    category: Category,
    name: str,
    price: Decimal,
    sku: str = "",
    tax_rate: Decimal = Decimal("10.00"),
    description: str = "",
    station: str = Station.KITCHEN,
    sort_order: int = 0,
    is_active: bool = True,
    is_sold_out: bool = False,
    image="",
    modifier_groups: Iterable[ModifierGroup] = (),
    translations: dict | None = None,
    by: User | None = None,
) -> MenuItem:
    modifier_groups = list(modifier_groups)
    if not sku.strip():
        sku = _generated_sku(location)
    item = MenuItem(
        location=location,
        category=category,
        name=name,
        description=description,
        price=price,
        tax_rate=tax_rate,
        sku=sku,
        image=image,
        sort_order=sort_order,
        is_active=is_active,
        is_sold_out=is_sold_out,
        station=station,
        translations=translations or {},
    )
    menu_item_validate(item, modifier_groups=modifier_groups)
    instance_save(item, by=by)
    if modifier_groups:
        item.modifier_groups.set(modifier_groups)
    _menu_changed(location.id, "menu.updated", {"entity": "menu_item", "id": item.id})
    return item


def _generated_sku(location: Location) -> str:
    """The first free ITEM-nnnn of the location, for an item added without a SKU (a SKU keys the CSV import).

    The location row is locked until commit, so two items added at once do not draw the same number."""
    list(Location.objects.select_for_update().filter(pk=location.pk).values_list("pk"))
    items = MenuItem.objects.filter(location=location)
    taken = set(items.filter(sku__startswith=GENERATED_SKU_PREFIX).values_list("sku", flat=True))
    number = items.count() + 1
    while f"{GENERATED_SKU_PREFIX}{number:04d}" in taken:
        number += 1
    return f"{GENERATED_SKU_PREFIX}{number:04d}"


@transaction.atomic
def menu_item_update(*, item: MenuItem, data: dict, by: User | None = None) -> MenuItem:
    """Change an item's fields (and `modifier_groups`, the full new list); nothing changed, nothing written.

    A change of `is_sold_out` is announced as menu.item_sold_out / menu.item_back_in_stock, any other
    change as menu.updated.
    """
    data = dict(data)
    groups = data.pop("modifier_groups", None)
    item = _locked(MenuItem, item.pk)
    changed = fields_apply(item, data, ITEM_FIELDS)
    groups_changed = groups is not None and {group.pk for group in groups} != set(
        item.modifier_groups.values_list("pk", flat=True)
    )
    if not changed and not groups_changed:
        return item
    menu_item_validate(item, modifier_groups=groups if groups_changed else None)
    author_set(item, by)  # the many-to-many change is recorded too
    if changed:
        instance_save(item, by=by, update_fields=changed)
    if groups_changed:
        item.modifier_groups.set(groups)
        changed.append("modifier_groups")
    identity = {"entity": "menu_item", "id": item.id, "name": item.name}
    _announce_update(item.location_id, changed, identity, item)
    return item


def menu_item_mark_sold_out(*, item: MenuItem, by: User | None) -> MenuItem:
    """86 an item: still shown, greyed out, cannot be ordered. Marking a sold-out item again changes nothing."""
    return menu_item_update(item=item, data={"is_sold_out": True}, by=by)


def menu_item_back_in_stock(*, item: MenuItem, by: User | None) -> MenuItem:
    return menu_item_update(item=item, data={"is_sold_out": False}, by=by)


@transaction.atomic
def menu_item_delete(*, item: MenuItem, by: User | None = None) -> None:
    location_id, item_id = item.location_id, item.id
    instance_delete(
        item,
        by=by,
        refusal=ApplicationError(
            "menu_item.in_use",
            _("%(item_name)s is on orders: deactivate it instead.") % {"item_name": item.name},
            status=409,
        ),
    )
    _menu_changed(location_id, "menu.updated", {"entity": "menu_item", "id": item_id, "deleted": True})


# Modifier groups and modifiers ------------------------------------------------------------------------


def _modifier_create(group: ModifierGroup, by: User | None, **fields) -> Modifier:
    modifier = Modifier(group=group, **fields)
    modifier_validate(modifier)
    instance_save(modifier, by=by)
    return modifier


@transaction.atomic
def modifier_group_create(
    *,
    location: Location,
    name: str,
    min_selections: int = 0,
    max_selections: int = 1,
    is_required: bool = False,
    sort_order: int = 0,
    modifiers: Iterable[dict] = (),
    translations: dict | None = None,
    by: User | None = None,
) -> ModifierGroup:
    """Create a group with its modifiers (dicts of `name`, `price_delta`, `is_sold_out`, `sort_order`,
    `translations`)."""
    modifiers = list(modifiers)
    group = ModifierGroup(
        location=location,
        name=name,
        min_selections=min_selections,
        max_selections=max_selections,
        is_required=is_required,
        sort_order=sort_order,
        translations=translations or {},
    )
    modifier_group_validate(group)
    modifier_group_validate_modifiers(group, modifier_count=len(modifiers))
    instance_save(group, by=by)
    for fields in modifiers:
        _modifier_create(group, by, **fields)
    _menu_changed(location.id, "menu.updated", {"entity": "modifier_group", "id": group.id})
    return group


@transaction.atomic
def modifier_group_update(*, group: ModifierGroup, data: dict, by: User | None = None) -> ModifierGroup:
    group = _locked(ModifierGroup, group.pk)
    changed = fields_apply(group, data, GROUP_FIELDS)
    if changed:
        modifier_group_validate(group)
        modifier_group_validate_modifiers(group, modifier_count=group.modifiers.count())
        instance_save(group, by=by, update_fields=changed)
        _menu_changed(group.location_id, "menu.updated", {"entity": "modifier_group", "id": group.id})
    return group


@transaction.atomic
def modifier_group_delete(*, group: ModifierGroup, by: User | None = None) -> None:
    """Delete a group and its modifiers; items that offered it no longer do."""
    location_id, group_id = group.location_id, group.id
    instance_delete(
        group,
        by=by,
        refusal=ApplicationError(
            "modifier_group.in_use",
            _("%(group_name)s is in use and cannot be deleted.") % {"group_name": group.name},
            status=409,
        ),
    )
    _menu_changed(location_id, "menu.updated", {"entity": "modifier_group", "id": group_id, "deleted": True})


@transaction.atomic
def modifier_create(
    *,
    group: ModifierGroup,
    name: str,
    price_delta: Decimal = Decimal("0"),
    is_sold_out: bool = False,
    sort_order: int = 0,
    translations: dict | None = None,
    by: User | None = None,
) -> Modifier:
    modifier = _modifier_create(
        group,
        by,
        name=name,
        price_delta=price_delta,
        is_sold_out=is_sold_out,
        sort_order=sort_order,
        translations=translations or {},
    )
    _menu_changed(group.location_id, "menu.updated", {"entity": "modifier", "id": modifier.id})
    return modifier


@transaction.atomic
def modifier_update(*, modifier: Modifier, data: dict, by: User | None = None) -> Modifier:
    """Change a modifier; a change of `is_sold_out` is announced as menu.item_sold_out / _back_in_stock."""
    modifier = Modifier.objects.select_for_update().select_related("group__location").get(pk=modifier.pk)
    changed = fields_apply(modifier, data, MODIFIER_FIELDS)
    if not changed:
        return modifier
    modifier_validate(modifier)
    instance_save(modifier, by=by, update_fields=changed)
    identity = {"entity": "modifier", "id": modifier.id, "name": modifier.name, "group_id": modifier.group_id}
    _announce_update(modifier.group.location_id, changed, identity, modifier)
    return modifier


def modifier_mark_sold_out(*, modifier: Modifier, by: User | None) -> Modifier:
    return modifier_update(modifier=modifier, data={"is_sold_out": True}, by=by)


def modifier_back_in_stock(*, modifier: Modifier, by: User | None) -> Modifier:
    return modifier_update(modifier=modifier, data={"is_sold_out": False}, by=by)


@transaction.atomic
def modifier_delete(*, modifier: Modifier, by: User | None = None) -> None:
    """Delete a modifier, unless its required group would then offer too few."""
    group = _locked(ModifierGroup, modifier.group_id)
    modifier_group_validate_modifiers(group, modifier_count=group.modifiers.exclude(pk=modifier.pk).count())
    modifier_id = modifier.id
    instance_delete(
        modifier,
        by=by,
        refusal=ApplicationError(
            "modifier.in_use",
            _("%(modifier_name)s is in use and cannot be deleted.") % {"modifier_name": modifier.name},
            status=409,
        ),
    )
    _menu_changed(group.location_id, "menu.updated", {"entity": "modifier", "id": modifier_id, "deleted": True})
