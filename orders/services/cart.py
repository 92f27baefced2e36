"""Turn a cart (menu item ids, quantities, modifier ids) into priced line snapshots, or refuse it.

Lines are `CartItem`s, their shape and limits checked where they came in (the API's serializers). Errors name
the field as the API does (`items.2.modifier_ids`). The menu comes from its cache (no query; four while Redis is
unreachable).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import Location
from cafepos.exceptions import ApplicationError
from cafepos.money import MONEY_MAX, from_minor_units, money_in_bounds
from menu.selectors import menu_build, menu_for_location
from menu.translations import translated_value

from .inputs import CartItem


@dataclass(frozen=True)
class CartModifier:
    modifier_id: int
    name: str
    price_delta: Decimal


@dataclass(frozen=True)
class CartLine:
    menu_item_id: int
    name: str
    unit_price: Decimal
    tax_rate: Decimal
    station: str
    quantity: int
    note: str
    modifiers: tuple[CartModifier, ...]
    line_total: Decimal


def _invalid(field: str, message: str, code: str = "order.invalid_items", status: int = 400) -> ApplicationError:
    return ApplicationError(code, message, {field: [message]}, status=status)


def _check_items(lines: Sequence[CartItem]) -> None:
    """An order has at least one item, and a line chooses each modifier once."""
    if not lines:
        raise _invalid("items", _("An order needs at least one item."))
    for i, line in enumerate(lines):
        if len(set(line.modifier_ids)) != len(line.modifier_ids):
            raise _invalid(f"items.{i}.modifier_ids", _("Each modifier can be chosen once."))


def _check_groups(item: dict, chosen_groups: list[int], field: str) -> None:
    for group in item["modifier_groups"]:
        count = chosen_groups.count(group["id"])
        minimum = max(group["min_selections"], 1 if group["is_required"] else 0)
        name, maximum = group["name"], group["max_selections"]
        if count < minimum:
            raise _invalid(
                field,
                _("%(item)s: choose at least %(minimum)s of %(name)s.")
                % {
                    "item": item["name"],
                    "minimum": minimum,
                    "name": name,
                },
                "menu.modifier_selection",
            )
        if maximum and count > maximum:
            raise _invalid(
                field,
                _("%(item)s: choose at most %(maximum)s of %(name)s.")
                % {
                    "item": item["name"],
                    "maximum": maximum,
                    "name": name,
                },
                "menu.modifier_selection",
            )


def _orderable_items(location: Location) -> dict[int, dict]:
    """The location's active items of active categories by id, as `menu_for_location` has them: from the cached
    menu, whose token every committed menu change replaces, so prices and sold-out flags are the committed ones."""
    menu = menu_for_location(location)
    if menu["currency"] != location.currency:  # the currency changed since: prices in its minor units are wrong
        menu = menu_build(location)
    return {item["id"]: item for category in menu["categories"] for item in category["items"]}


def _name_in(node: dict, language: str) -> str:
    """A menu entry's name in `language`, else as stored."""
    return translated_value(node["translations"], "name", language) or node["name"]


def cart_resolve(*, location: Location, lines: Sequence[CartItem]) -> list[CartLine]:
    """Check a cart against the location's menu and snapshot names (in the location's language: the kitchen's
    tickets and the guest's receipt read it), prices, tax rates and stations."""
    _check_items(lines)
    currency = location.currency
    items = _orderable_items(location)
    cart = []
    for i, line in enumerate(lines):
        item = items.get(line.menu_item_id)
        field = f"items.{i}.menu_item_id"
        if item is None:
            raise _invalid(field, _("This item is not on the menu."), "menu.item_unavailable")
        name = _name_in(item, location.language)
        if item["is_sold_out"]:
            raise _invalid(field, _("%(name)s is sold out.") % {"name": name}, "menu.item_sold_out", status=409)
        field = f"items.{i}.modifier_ids"
        offered = {
            modifier["id"]: (group["id"], modifier)
            for group in item["modifier_groups"]
            for modifier in group["modifiers"]
        }
        chosen, chosen_groups = [], []
        for modifier_id in line.modifier_ids:
            if modifier_id not in offered:
                message = _("Modifier %(modifier_id)s is not offered with %(name)s.") % {
                    "modifier_id": modifier_id,
                    "name": name,
                }
                raise _invalid(field, message, "menu.modifier_not_allowed")
            group_id, modifier = offered[modifier_id]
            if modifier["is_sold_out"]:
                raise _invalid(
                    field,
                    _("%(modifier)s is sold out.")
                    % {
                        "modifier": _name_in(modifier, location.language),
                    },
                    "menu.modifier_sold_out",
                    status=409,
                )
            chosen.append(modifier)
            chosen_groups.append(group_id)
        _check_groups(item, chosen_groups, field)
        unit_price = from_minor_units(item["price"], currency)
        snapshots = tuple(
            CartModifier(
                modifier_id=m["id"],
                name=_name_in(m, location.language),
                price_delta=from_minor_units(m["price_delta"], currency),
            )
            for m in chosen
        )
        unit_total = unit_price + sum((m.price_delta for m in snapshots), Decimal("0"))
        if unit_total < 0:
            message = _("%(name)s with these modifiers would cost less than nothing.") % {"name": name}
            raise _invalid(field, message, "menu.modifier_selection")
        line_total = unit_total * line.quantity
        if not money_in_bounds(line_total):
            raise _invalid(
                f"items.{i}.quantity",
                _("One line comes to at most %(max)s.")
                % {
                    "max": f"{MONEY_MAX:,}",
                },
                "order.total_too_large",
            )
        cart.append(
            CartLine(
                menu_item_id=item["id"],
                name=name,
                unit_price=unit_price,
                tax_rate=Decimal(item["tax_rate"]),
                station=item["station"],
                quantity=line.quantity,
                note=line.note,
                modifiers=snapshots,
                line_total=line_total,
            )
        )
    return cart
