"""Turn a cart (menu item ids, quantities, modifier ids) into priced line snapshots, or refuse it.

Lines are `{"menu_item_id", "quantity", "modifier_ids"?, "note"?}`. Errors name the field as the API does
(`items.2.modifier_ids`). The menu comes from its cache (no query; four while Redis is unreachable).
"""

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Location
from cafepos.exceptions import ApplicationError
from cafepos.money import MONEY_MAX, from_minor_units, money_in_bounds
from menu.selectors import menu_build, menu_for_location

MAX_LINES = 100
MAX_QUANTITY = 999
MAX_NOTE = 200


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


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse(lines) -> list[dict]:
    if not isinstance(lines, list) or not lines:
        raise _invalid("items", "An order needs at least one item.")
    if len(lines) > MAX_LINES:
        raise _invalid("items", f"At most {MAX_LINES} items per request.")
    parsed = []
    for i, line in enumerate(lines):
        if not isinstance(line, dict):
            raise _invalid(f"items.{i}", "Each item is an object with menu_item_id and quantity.")
        item_id, quantity = line.get("menu_item_id"), line.get("quantity", 1)
        modifier_ids, note = line.get("modifier_ids") or [], line.get("note") or ""
        if not _is_int(item_id) or item_id < 1:
            raise _invalid(f"items.{i}.menu_item_id", "A menu item id is required.")
        if not _is_int(quantity) or not 1 <= quantity <= MAX_QUANTITY:
            raise _invalid(f"items.{i}.quantity", f"Quantity is a whole number from 1 to {MAX_QUANTITY}.")
        if not isinstance(modifier_ids, list) or not all(_is_int(m) for m in modifier_ids):
            raise _invalid(f"items.{i}.modifier_ids", "Modifier ids are a list of numbers.")
        if len(set(modifier_ids)) != len(modifier_ids):
            raise _invalid(f"items.{i}.modifier_ids", "Each modifier can be chosen once.")
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise _invalid(f"items.{i}.note", f"A note is text of at most {MAX_NOTE} characters.")
        parsed.append({"menu_item_id": item_id, "quantity": quantity, "modifier_ids": modifier_ids, "note": note})
    return parsed


def _check_groups(item: dict, chosen_groups: list[int], field: str) -> None:
    for group in item["modifier_groups"]:
        count = chosen_groups.count(group["id"])
        minimum = max(group["min_selections"], 1 if group["is_required"] else 0)
        name, maximum = group["name"], group["max_selections"]
        if count < minimum:
            raise _invalid(field, f"{item['name']}: choose at least {minimum} of {name}.", "menu.modifier_selection")
        if maximum and count > maximum:
            raise _invalid(field, f"{item['name']}: choose at most {maximum} of {name}.", "menu.modifier_selection")


def _orderable_items(location: Location) -> dict[int, dict]:
    """The location's active items of active categories by id, as `menu_for_location` has them: from the cached
    menu, whose token every committed menu change replaces, so prices and sold-out flags are the committed ones."""
    menu = menu_for_location(location)
    if menu["currency"] != location.currency:  # the currency changed since: prices in its minor units are wrong
        menu = menu_build(location)
    return {item["id"]: item for category in menu["categories"] for item in category["items"]}


def cart_resolve(*, location: Location, lines) -> list[CartLine]:
    """Validate a cart against the location's menu and snapshot names, prices, tax rates and stations."""
    parsed = _parse(lines)
    currency = location.currency
    items = _orderable_items(location)
    cart = []
    for i, line in enumerate(parsed):
        item = items.get(line["menu_item_id"])
        field = f"items.{i}.menu_item_id"
        if item is None:
            raise _invalid(field, "This item is not on the menu.", "menu.item_unavailable")
        name = item["name"]
        if item["is_sold_out"]:
            raise _invalid(field, f"{name} is sold out.", "menu.item_sold_out", status=409)
        field = f"items.{i}.modifier_ids"
        offered = {
            modifier["id"]: (group["id"], modifier)
            for group in item["modifier_groups"]
            for modifier in group["modifiers"]
        }
        chosen, chosen_groups = [], []
        for modifier_id in line["modifier_ids"]:
            if modifier_id not in offered:
                message = f"Modifier {modifier_id} is not offered with {name}."
                raise _invalid(field, message, "menu.modifier_not_allowed")
            group_id, modifier = offered[modifier_id]
            if modifier["is_sold_out"]:
                raise _invalid(field, f"{modifier['name']} is sold out.", "menu.modifier_sold_out", status=409)
            chosen.append(modifier)
            chosen_groups.append(group_id)
        _check_groups(item, chosen_groups, field)
        unit_price = from_minor_units(item["price"], currency)
        snapshots = tuple(
            CartModifier(modifier_id=m["id"], name=m["name"], price_delta=from_minor_units(m["price_delta"], currency))
            for m in chosen
        )
        unit_total = unit_price + sum((m.price_delta for m in snapshots), Decimal("0"))
        if unit_total < 0:
            message = f"{name} with these modifiers would cost less than nothing."
            raise _invalid(field, message, "menu.modifier_selection")
        line_total = unit_total * line["quantity"]
        if not money_in_bounds(line_total):
            raise _invalid(f"items.{i}.quantity", f"One line comes to at most {MONEY_MAX:,}.", "order.total_too_large")
        cart.append(
            CartLine(
                menu_item_id=item["id"],
                name=name,
                unit_price=unit_price,
                tax_rate=Decimal(item["tax_rate"]),
                station=item["station"],
                quantity=line["quantity"],
                note=line["note"],
                modifiers=snapshots,
                line_total=line_total,
            )
        )
    return cart
