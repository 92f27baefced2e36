"""OpenAPI links: how one operation's answer feeds the next (order a menu item, add to the order, pay it, refund
the payment; open a shift, move cash, close it).

drf-spectacular has no link support, so a postprocessing hook adds them to every success response whose body
is one of the components in LINKS. Each link passes the ids, the `location` and the order's current `version`
from the answer, so a client (and schemathesis' stateful phase) follows it with real values instead of guesses.
Links that place an order or take a payment send a whole valid body (`x-schemathesis: merge_body: false`);
the others send only what they carry, and the rest of the body is the caller's.
"""

BODY = "$response.body#"
WHOLE_BODY = {"x-schemathesis": {"merge_body": False}}


def _link(operation_id: str, parameters: dict, body: dict | None = None, **extensions) -> dict:
    link = {"operationId": operation_id, "parameters": parameters}
    if body:
        link["requestBody"] = body
    return {**link, **extensions}


def _order_links(at: str) -> dict:
    """Links from an order found at JSON pointer `at` of the response body."""
    order = {"id": f"{BODY}{at}/id", "location": f"{BODY}{at}/location_id"}
    version = {"version": f"{BODY}{at}/version"}
    return {
        "GetOrder": _link("orders_retrieve", order),
        "AddItems": _link("orders_items_add", order, version),
        "VoidFirstItem": _link("orders_item_void", {**order, "line_id": f"{BODY}{at}/items/0/id"}, version),
        "SetStatus": _link("orders_status_set", order, version),
        "SetDiscount": _link("orders_discount_set", order, version),
        "PayBalanceByCard": _link(
            "orders_payment_add", order, {"tender": "CARD", "amount": f"{BODY}{at}/balance_due"}, **WHOLE_BODY
        ),
        "EmailReceipt": _link("orders_receipt_email", order),
    }


def _shift_links(shift_id: str, location_id: str | None = None) -> dict:
    shift = {"id": f"{BODY}{shift_id}"}
    if location_id:
        shift["location"] = f"{BODY}{location_id}"
    return {
        "GetShift": _link("shifts_retrieve", shift),
        "MoveCash": _link("shifts_cash_movement", shift),
        "CloseShift": _link("shifts_close", shift),
    }


def _menu_item_links(item_id: str, location_id: str | None = None) -> dict:
    item = {"item_id": f"{BODY}{item_id}"}
    location = {"location": f"{BODY}{location_id}"} if location_id else {}
    order = {"type": "TAKEAWAY", "items": [{"menu_item_id": f"{BODY}{item_id}", "quantity": 1}]}
    return {
        "GetMenuItem": _link("menu_item", {**item, **location}),
        "MarkSoldOut": _link("menu_item_sold_out", {**item, **location}),
        "MarkBackInStock": _link("menu_item_back_in_stock", {**item, **location}),
        "OrderMenuItem": _link("orders_create", location, order, **WHOLE_BODY),
    }


# Response component: the links from a success response with that body.
LINKS = {
    "Order": _order_links(""),
    "PaginatedOrderList": _order_links("/results/0"),
    "PaymentResult": {
        **_order_links("/order"),
        "RefundPayment": _link(
            "orders_refund",
            {"id": f"{BODY}/order/id", "location": f"{BODY}/order/location_id"},
            {"payment_id": f"{BODY}/payment/id", "amount": f"{BODY}/payment/amount", "reason": "Returned"},
            **WHOLE_BODY,
        ),
    },
    "RefundResult": _order_links("/order"),
    "Shift": _shift_links("/id", "/location_id"),
    "PaginatedShiftList": _shift_links("/results/0/id", "/results/0/location_id"),
    "CashMovementResult": _shift_links("/shift_id"),
    "Menu": _menu_item_links("/categories/0/items/0/id", "/location_id"),
    "MenuItemDetail": _menu_item_links("/id"),
}


def add_links(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: `links` on each 2xx response whose body is a component of LINKS."""
    for operations in result["paths"].values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                body = response.get("content", {}).get("application/json", {}).get("schema", {})
                component = body.get("$ref", "").rpartition("/")[2]
                if status.startswith("2") and component in LINKS:
                    response["links"] = LINKS[component]
    return result
