"""The discount approval rule holds at every moment, not only when the discount is set. A
void that lifts an unapproved discount above the threshold is refused unless a manager approves it (PIN on the
terminal, as for a discount), and every approval is recorded."""

import uuid
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from cafepos.exceptions import ApplicationError
from menu.tests.factories import MenuItemFactory
from orders.models import DiscountApproval, Order, OrderLine
from orders.services import order_discount_set, order_line_void, order_lines_add
from orders.services.inputs import Discount, discount_resolve
from orders.tests.assertions import refused
from orders.tests.factories import OrderFactory, line

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafe():
    location = LocationFactory(currency="EUR", discount_approval_percent=Decimal("10.00"))
    manager = staff(location, Role.MANAGER, pin="2222")
    return {
        "location": location,
        "terminal": TerminalFactory(location=location),
        "item": MenuItemFactory(location=location, price=Decimal("10.00")),
        "cashier": staff(location, Role.CASHIER, pin="1111"),
        "manager": manager,
    }


def post(client, url, body):
    return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def the_issues_order(cafe) -> dict:
    """Taken as a cashier with a password token: 1 + 9 items at 10.00, a 9.50 discount (exactly 10 %, allowed)."""
    item = cafe["item"].pk
    body = {
        "type": "TAKEAWAY",
        "items": [{"menu_item_id": item, "quantity": 1}, {"menu_item_id": item, "quantity": 9}],
        "discount": {"amount": 950, "reason": "loyalty"},
    }
    response = post(api_as(cafe["cashier"]), "/api/v1/orders/", body)
    assert response.status_code == 201, response.content
    return response.json()


def void_url(order: dict, quantity: int) -> str:
    line_id = next(line["id"] for line in order["items"] if line["quantity"] == quantity)
    return f"/api/v1/orders/{order['id']}/items/{line_id}/void/"


def test_voiding_lines_under_an_unapproved_discount_is_refused_and_changes_nothing(cafe):
    order = the_issues_order(cafe)

    response = post(api_as(cafe["cashier"]), void_url(order, 9), {"reason": "mistake", "version": order["version"]})

    assert (response.status_code, response.json()["error"]["code"]) == (403, "discount.approval_required")
    assert "approval" in response.json()["error"]["fields"]
    saved = Order.objects.get(pk=order["id"])
    assert (saved.version, saved.subtotal, saved.total, saved.payment_status, saved.receipt_number) == (
        order["version"],
        Decimal("100.00"),
        Decimal("90.50"),
        "UNPAID",
        None,
    )
    assert not OrderLine.objects.filter(order_id=order["id"], voided=True).exists()
    assert not DiscountApproval.objects.exists()


def test_a_managers_pin_approves_the_void_and_is_recorded(cafe):
    order = the_issues_order(cafe)
    client = api_as(cafe["cashier"], terminal=cafe["terminal"])  # the cashier on the till, the manager beside her
    approval = {"manager_id": cafe["manager"].pk, "pin": "2222"}

    response = post(
        client, void_url(order, 9), {"reason": "mistake", "version": order["version"], "approval": approval}
    )

    assert response.status_code == 200, response.content
    assert (response.json()["subtotal"], response.json()["discount_total"], response.json()["total"]) == (1000, 950, 50)
    [record] = DiscountApproval.objects.all()
    assert (record.order_id, record.approved_by, record.share, record.amount, record.cause) == (
        order["id"],
        cafe["manager"],
        Decimal("95.0000"),
        Decimal("9.50"),
        DiscountApproval.Cause.VOID,
    )
    saved = Order.objects.get(pk=order["id"])
    assert (saved.discount_approved_by, saved.discount_approved_share) == (cafe["manager"], Decimal("95.0000"))


def test_a_wrong_pin_approves_no_void(cafe):
    order = the_issues_order(cafe)
    client = api_as(cafe["cashier"], terminal=cafe["terminal"])
    body = {
        "reason": "mistake",
        "version": order["version"],
        "approval": {"manager_id": cafe["manager"].pk, "pin": "9"},
    }

    response = post(client, void_url(order, 9), body)

    assert response.status_code in (400, 401)
    assert not OrderLine.objects.filter(order_id=order["id"], voided=True).exists()


def test_an_amount_discount_never_exceeds_the_subtotal(cafe):
    order = the_issues_order(cafe)
    client = api_as(cafe["manager"])
    first = post(client, void_url(order, 9), {"reason": "mistake", "version": order["version"]})
    assert first.status_code == 200, first.content  # the manager approves a 95 % share herself

    response = post(client, void_url(order, 1), {"reason": "mistake", "version": first.json()["version"]})

    assert (response.status_code, response.json()["error"]["code"]) == (409, "discount.exceeds_subtotal")


def test_a_change_within_the_approved_share_needs_no_new_approval(cafe):
    # given 20 % approved by a manager on 3 × 10.00 + 2 × 10.00
    item = cafe["item"]
    order = OrderFactory(location=cafe["location"], staff=cafe["cashier"], lines=[line(item, 3), line(item, 2)])
    order = order_discount_set(
        order=order, staff=cafe["cashier"], amount=Decimal("10"), reason="x", approved_by=cafe["manager"], version=1
    )
    assert order.discount_approved_share == Decimal("20.0000")
    # when lines are added (the share falls) and one voided (back to 20 % at most), the cashier needs nobody
    order = order_lines_add(order=order, staff=cafe["cashier"], lines=[line(item)], version=order.version)
    added = order.lines.order_by("-pk").first()
    order = order_line_void(order=order, line=added, staff=cafe["cashier"], reason="x", version=order.version)
    # then: one record, from when the discount was set
    assert list(DiscountApproval.objects.values_list("cause", flat=True)) == [DiscountApproval.Cause.DISCOUNT]
    # but going above the approved share needs a manager again
    three = order.lines.get(quantity=3)
    with pytest.raises(Exception, match="manager") as refused:
        order_line_void(order=order, line=three, staff=cafe["cashier"], reason="x", version=order.version)
    assert refused.value.code == "discount.approval_required"


def test_setting_a_new_discount_drops_the_old_approval(cafe):
    item = cafe["item"]
    order = OrderFactory(location=cafe["location"], staff=cafe["cashier"], lines=[line(item, 3), line(item, 2)])
    kwargs = {"order": order, "staff": cafe["cashier"], "reason": "x"}
    order = order_discount_set(amount=Decimal("10"), approved_by=cafe["manager"], version=1, **kwargs)
    order = order_discount_set(**{**kwargs, "order": order}, amount=Decimal("5"), version=order.version)
    assert (order.discount_approved_share, order.discount_approved_by) == (None, None)
    three = order.lines.get(quantity=3)
    with pytest.raises(Exception, match="manager"):
        order_line_void(order=order, line=three, staff=cafe["cashier"], reason="x", version=order.version)


def test_an_approval_records_the_discount_the_subtotal_and_the_share_rounded_up(cafe):
    # given an order of three 1.00 items
    one = MenuItemFactory(location=cafe["location"], price=Decimal("1.00"))
    order = OrderFactory(location=cafe["location"], staff=cafe["cashier"], lines=[line(one, 3)])

    # when a manager approves 1.00 off (33.3333… % of 3.00) and then 12.5 % of it
    order = order_discount_set(
        order=order, staff=cafe["cashier"], amount=Decimal("1.00"), reason="regular",
        approved_by=cafe["manager"], version=order.version,
    )  # fmt: skip
    order = order_discount_set(
        order=order, staff=cafe["manager"], percent=Decimal("12.5"), reason="staff", version=order.version
    )

    # then each approval holds what was approved, its share rounded up to the stored four places
    rows = DiscountApproval.objects.filter(order=order).order_by("pk")
    assert [(a.amount, a.percent, a.subtotal, a.share, a.approved_by) for a in rows] == [
        (Decimal("1.00"), None, Decimal("3.00"), Decimal("33.3334"), cafe["manager"]),
        (None, Decimal("12.50"), Decimal("3.00"), Decimal("12.5000"), cafe["manager"]),
    ]
    assert rows.last().approved_at == order.updated_at
    assert order.discount_approved_share == Decimal("12.5000")


def test_a_void_may_bring_the_subtotal_down_to_an_amount_discount_but_not_below(cafe):
    # given 10.00 + 5.00 with 5.00 off, approved by a manager
    five = MenuItemFactory(location=cafe["location"], price=Decimal("5.00"))
    order = OrderFactory(location=cafe["location"], staff=cafe["cashier"], lines=[line(cafe["item"]), line(five)])
    order = order_discount_set(
        order=order, staff=cafe["manager"], amount=Decimal("5.00"), reason="regular", version=order.version
    )
    ten, fives = order.lines.get(menu_item=cafe["item"]), order.lines.get(menu_item=five)

    # when the manager voids the 10.00 item, the 5.00 left is all taken off (and she approves 100 %)
    order = order_line_void(order=order, line=ten, staff=cafe["manager"], reason="x", version=order.version)
    assert (order.subtotal, order.total, order.discount_approved_share) == (
        Decimal("5.00"),
        Decimal("0.00"),
        Decimal("100.0000"),
    )

    # then voiding the last item is refused on the discount's amount, and says what to do
    with pytest.raises(ApplicationError) as error:
        order_line_void(order=order, line=fives, staff=cafe["manager"], reason="x", version=order.version)
    message = "The discount would be more than the subtotal: lower or remove it first."
    assert (error.value.code, error.value.status, error.value.message, error.value.fields) == (
        "discount.exceeds_subtotal",
        409,
        message,
        {"discount.amount": [message]},
    )


def test_a_percentage_discount_needs_a_manager_after_a_void_once_the_threshold_was_lowered(cafe):
    # given two 10.00 items at 10 % off, within the 10 % a cashier may give
    item, cashier = cafe["item"], cafe["cashier"]
    order = OrderFactory(location=cafe["location"], staff=cashier, lines=[line(item), line(item)])
    order = order_discount_set(order=order, staff=cashier, percent=Decimal("10"), reason="x", version=order.version)
    # and the owner lowering the threshold to 5 %
    cafe["location"].discount_approval_percent = Decimal("5.00")
    cafe["location"].save(update_fields=["discount_approval_percent"])
    order = Order.objects.select_related("location").get(pk=order.pk)
    first = order.lines.order_by("pk").first()

    # when the cashier voids an item, then the discount needs a manager
    with pytest.raises(ApplicationError) as error:
        order_line_void(order=order, line=first, staff=cashier, reason="x", version=order.version)
    assert error.value.code == "discount.approval_required"
    # and with the manager's approval the void is recorded with the 10 % she approved
    order_line_void(
        order=order, line=first, staff=cashier, reason="x", version=order.version, approved_by=cafe["manager"]
    )
    assert list(DiscountApproval.objects.values_list("cause", "share", "approved_by")) == [
        (DiscountApproval.Cause.VOID, Decimal("10.0000"), cafe["manager"].pk)
    ]


def test_a_refused_discount_says_it_needs_a_manager_on_the_approver(cafe):
    # given an order of one 10.00 item
    order = OrderFactory(location=cafe["location"], staff=cafe["cashier"], lines=[line(cafe["item"])])

    # when the cashier gives 20 % off alone, then it is refused and the approver field says who may approve
    with pytest.raises(ApplicationError) as error:
        order_discount_set(order=order, staff=cafe["cashier"], percent=Decimal("20"), reason="x", version=order.version)
    assert (error.value.code, error.value.status, error.value.message, error.value.fields) == (
        "discount.approval_required",
        403,
        "A discount above 10.00% of the subtotal needs a manager's approval.",
        {"discount.approved_by": ["A MANAGER or OWNER of this location must approve."]},
    )


def test_a_small_amount_off_an_order_under_one_euro_needs_no_manager(cafe):
    # given an order of one 0.80 item
    cheap = MenuItemFactory(location=cafe["location"], price=Decimal("0.80"))
    order = OrderFactory(location=cafe["location"], staff=cafe["cashier"], lines=[line(cheap)])

    # when the cashier takes 0.05 off (6.25 %, within the 10 % threshold)
    order = order_discount_set(
        order=order, staff=cafe["cashier"], amount=Decimal("0.05"), reason="x", version=order.version
    )

    # then it is given with no approval
    assert (order.total, order.discount_approved_by, order.discount_approved_share) == (Decimal("0.75"), None, None)


SHAPE = "A discount has an amount or a percent, and a reason."
PERCENTAGE = "A percentage above 0 and at most 100."


@pytest.mark.parametrize(
    ("discount", "code", "field", "message"),
    [
        (["amount", "5.00"], "discount.invalid", "discount", SHAPE),
        ({"amount": "5.00", "reason": "x", "coupon": "FREE"}, "discount.invalid", "discount", SHAPE),
        (
            {"amount": "5", "percent": "5", "reason": "x"},
            "discount.invalid",
            "discount",
            "Give an amount or a percent, not both.",
        ),
        (
            {"percent": "ten", "reason": "x"},
            "validation.invalid_amount",
            "discount.percent",
            "A decimal number is required.",
        ),
        (
            {"percent": "12.345", "reason": "x"},
            "validation.invalid_amount",
            "discount.percent",
            "At most 2 decimal places.",
        ),
        ({"percent": "0", "reason": "x"}, "discount.invalid", "discount.percent", PERCENTAGE),
        ({"percent": "100.01", "reason": "x"}, "discount.invalid", "discount.percent", PERCENTAGE),
        (
            {"amount": "0", "reason": "x"},
            "validation.invalid_amount",
            "discount.amount",
            "The amount must be more than zero.",
        ),
        (
            {"amount": "5.005", "reason": "x"},
            "validation.invalid_amount",
            "discount.amount",
            "At most 2 decimal places.",
        ),
        (
            {"amount": "10.01", "reason": "x"},
            "discount.exceeds_subtotal",
            "discount.amount",
            "The discount is more than the subtotal.",
        ),
        ({"amount": "5.00"}, "validation.required", "discount.reason", "This is required."),
        (
            {"amount": "5.00", "reason": "r" * 201},
            "validation.invalid_text",
            "discount.reason",
            "Text of at most 200 characters.",
        ),
    ],
)
def test_a_refused_discount_names_its_field_and_says_why(cafe, discount, code, field, message):
    # given a 10.00 EUR subtotal, when a manager gives it `discount`, then the refusal names the field and says why
    error = refused(
        code, discount_resolve, location=cafe["location"], subtotal=Decimal("10.00"), discount=discount,
        staff=cafe["manager"],
    )  # fmt: skip
    assert (error.status, error.message, error.fields) == (400, message, {field: [message]})


@pytest.mark.parametrize(
    ("discount", "amount", "percent"),
    [
        ({"percent": "100", "reason": "staff"}, None, Decimal("100")),
        ({"amount": "10.00", "reason": "staff"}, Decimal("10.00"), None),
        ({"amount": 5, "percent": None, "reason": "staff"}, Decimal("5.00"), None),
    ],
)
def test_a_discount_up_to_the_whole_subtotal_is_kept_as_given_with_the_managers_approval(
    cafe, discount, amount, percent
):
    # given a 10.00 EUR subtotal, when a manager gives `discount` and says who approves (themself)
    kept = discount_resolve(
        location=cafe["location"], subtotal=Decimal("10.00"), discount=discount, staff=cafe["manager"]
    )

    # then it is kept as given, with the manager's approval of its share of the subtotal
    share = percent if percent is not None else amount * 10
    assert (kept.amount, kept.percent, kept.reason, kept.approved_by, kept.approved_share) == (
        amount,
        percent,
        "staff",
        cafe["manager"],
        share,
    )


def test_a_discount_without_amount_or_percent_is_no_discount(cafe):
    kept = discount_resolve(
        location=cafe["location"], subtotal=Decimal("10.00"), discount={"reason": "x"}, staff=cafe["cashier"]
    )

    assert kept == Discount()


@pytest.mark.parametrize(
    ("discount", "amount", "percent"),
    [({"amount": "0.50"}, Decimal("0.50"), None), ({"percent": "0.01"}, None, Decimal("0.01"))],
)
def test_a_small_discount_needs_no_approval_and_keeps_its_reason_of_200_characters_stripped(
    cafe, discount, amount, percent
):
    # given a 10.00 EUR subtotal, when a cashier gives a discount under the location's 10 % with a reason of 200
    # characters, blanks around it
    kept = discount_resolve(
        location=cafe["location"],
        subtotal=Decimal("10.00"),
        discount={**discount, "reason": f" {'r' * 198}\n"},
        staff=cafe["cashier"],
    )

    # then it is kept with its reason stripped, and no manager approved it
    assert (kept.amount, kept.percent, kept.reason, kept.approved_by, kept.approved_share) == (
        amount,
        percent,
        "r" * 198,
        None,
        None,
    )


def test_a_discount_that_needs_no_approval_keeps_the_approver_given(cafe):
    # given a discount re-checked where approval is not asked again (`approval_needed=False`)
    given = {"percent": "50", "reason": "x", "approved_by": cafe["manager"]}
    kept = discount_resolve(
        location=cafe["location"], subtotal=Decimal("10.00"), discount=given, staff=cafe["cashier"],
        approval_needed=False,
    )  # fmt: skip

    # then it keeps who was named, and records no approved share
    assert (kept.percent, kept.approved_by, kept.approved_share) == (Decimal("50"), cafe["manager"], None)


def test_an_amount_off_in_yen_has_no_decimals():
    # given a location in yen (no minor unit)
    location = LocationFactory(currency="JPY")

    # when a discount of 5.5 yen is given, then it is refused on its amount
    error = refused(
        "validation.invalid_amount", discount_resolve, location=location, subtotal=Decimal("1000"),
        discount={"amount": "5.5", "reason": "x"}, approval_needed=False,
    )  # fmt: skip
    assert (error.message, error.fields) == (
        "At most 0 decimal places.",
        {"discount.amount": ["At most 0 decimal places."]},
    )
