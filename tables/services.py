"""Writes and rules for areas and tables. Tables know nothing of orders: live status is derived in `orders`.

Every write runs in one transaction and records who made it (django-simple-history: `by`, or the request's
user). The `*_validate` functions are the rules; admin forms call them too.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Location, User
from cafepos.exceptions import ApplicationError
from cafepos.writes import FieldErrors, fields_apply, instance_delete, instance_save

from .models import GRID_SIZE, MAX_SEATS, Area, Table

AREA_FIELDS = {"name", "sort_order"}
TABLE_FIELDS = {"area", "label", "seats", "grid_x", "grid_y", "is_active"}


def _is_count(value, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def area_validate(area: Area) -> None:
    errors = FieldErrors()
    name, max_length = area.name or "", Area._meta.get_field("name").max_length
    if not name.strip() or len(name) > max_length:
        errors.add("name", _("Give the area a name of up to %(max_length)s characters.") % {"max_length": max_length})
    elif Area.objects.filter(location_id=area.location_id, name=name).exclude(pk=area.pk).exists():
        errors.add("name", _("An area named %(name)r exists at this location.") % {"name": name})
    if not _is_count(area.sort_order, 0):
        errors.add("sort_order", _("Use a whole number of 0 or more."))
    errors.raise_if_any("area.invalid")


def table_validate(table: Table) -> None:
    errors = FieldErrors()
    label, max_length = table.label or "", Table._meta.get_field("label").max_length
    if not label.strip() or len(label) > max_length or label != label.strip():
        errors.add(
            "label",
            _("Give the table a label of up to %(max_length)s characters, such as 12 or T4.")
            % {"max_length": max_length},
        )
    elif Table.objects.filter(location_id=table.location_id, label=label).exclude(pk=table.pk).exists():
        errors.add("label", _("Table %(label)s already exists at this location.") % {"label": label})
    if not _is_count(table.seats, 1) or table.seats > MAX_SEATS:
        errors.add("seats", _("A table has from 1 to %(max_seats)s seats.") % {"max_seats": MAX_SEATS})
    for axis in ("grid_x", "grid_y"):
        if not _is_count(getattr(table, axis), 0) or getattr(table, axis) >= GRID_SIZE:
            errors.add(axis, _("Place the table on the grid: 0 to %(max)s.") % {"max": GRID_SIZE - 1})
    area = getattr(table, "area", None)
    if area is None:
        errors.add("area", _("Choose an area."))
    elif area.location_id != table.location_id:
        errors.add("area", _("This area belongs to another location."))
    elif table.is_active and area.pk and not {"grid_x", "grid_y"} & errors.keys():  # a new area has no tables yet
        here = Table.objects.filter(area_id=area.pk, grid_x=table.grid_x, grid_y=table.grid_y, is_active=True)
        other = here.exclude(pk=table.pk).first()
        if other is not None:
            errors.add(
                "grid_x",
                _("Table %(other_label)s is already at this place in %(area_name)s.")
                % {"other_label": other.label, "area_name": area.name},
            )
    errors.raise_if_any("table.invalid")


@transaction.atomic
def area_create(*, location: Location, name: str, sort_order: int = 0, by: User | None = None) -> Area:
    area = Area(location=location, name=name, sort_order=sort_order)
    area_validate(area)
    instance_save(area, by=by)
    return area


@transaction.atomic
def area_update(*, area: Area, data: dict, by: User | None = None) -> Area:
    area = Area.objects.select_for_update().get(pk=area.pk)
    changed = fields_apply(area, data, AREA_FIELDS)
    if changed:
        area_validate(area)
        instance_save(area, by=by, update_fields=changed)
    return area


@transaction.atomic
def area_delete(*, area: Area, by: User | None = None) -> None:
    instance_delete(
        area,
        by=by,
        refusal=ApplicationError(
            "area.not_empty",
            _("%(area_name)s still has tables: move or delete them first.") % {"area_name": area.name},
            status=409,
        ),
    )


@transaction.atomic
def table_create(
    *,
    area: Area,
    label: str,
    seats: int = 2,
    grid_x: int = 0,
    grid_y: int = 0,
    is_active: bool = True,
    by: User | None = None,
) -> Table:
    """A table in an area (and so at the area's location)."""
    table = Table(
        location_id=area.location_id,
        area=area,
        label=label,
        seats=seats,
        grid_x=grid_x,
        grid_y=grid_y,
        is_active=is_active,
    )
    table_validate(table)
    instance_save(table, by=by)
    return table


@transaction.atomic
def table_update(*, table: Table, data: dict, by: User | None = None) -> Table:
    table = Table.objects.select_for_update().get(pk=table.pk)
    changed = fields_apply(table, data, TABLE_FIELDS)
    if changed:
        table_validate(table)
        instance_save(table, by=by, update_fields=changed)
    return table


@transaction.atomic
def table_delete(*, table: Table, by: User | None = None) -> None:
    instance_delete(
        table,
        by=by,
        refusal=ApplicationError(
            "table.in_use",
            _("Table %(table_label)s has orders: deactivate it instead.") % {"table_label": table.label},
            status=409,
        ),
    )
