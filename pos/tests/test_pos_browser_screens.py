"""The POS screens in Chromium against a live uvicorn: totals computed in the page agree with the server's
quote, layouts at 1024×768 and phone landscape with 44 px targets, names shown as text, the floor plan's live
colours, the drawer's Z report, adding to an open order, and switching staff in one tap."""

import random
from decimal import Decimal

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.models import Location
from cafepos.money import from_minor_units, to_minor_units
from menu.tests.factories import MenuItemFactory, ModifierFactory, ModifierGroupFactory
from orders.models import Order, OrderType, Shift, Tender
from orders.representations import quote_representation
from orders.services import order_quote, payment_add, ticket_bump, ticket_start
from orders.tests.factories import OrderFactory, ShiftFactory, line
from testing.layout import describe, layout_problems

from .pos_browser import WAIT_MS, add_item, expect_confirmed_total, in_a_thread, open_register

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

MODES = Location.TaxMode.values
VIEWPORTS = [{"width": 1024, "height": 768}, {"width": 844, "height": 390}]  # a tablet; a phone held sideways


def minor(amount: Decimal) -> int:
    return to_minor_units(amount, "EUR")


def random_cart(rng: random.Random, items, modifiers) -> dict:
    """A cart of 1–6 lines, a discount (a percent, or an amount up to the subtotal) or none, a tip or none."""
    lines = []
    for _ in range(rng.randint(1, 6)):
        chosen = rng.sample(modifiers, rng.randint(0, 2))
        lines.append({"item": rng.choice(items), "quantity": rng.randint(1, 12), "modifiers": chosen})
    unit_prices = [entry["item"].price + sum(m.price_delta for m in entry["modifiers"]) for entry in lines]
    subtotal = sum(minor(price) * entry["quantity"] for price, entry in zip(unit_prices, lines, strict=True))
    hundredths = rng.randint(1, 10000)
    discount = rng.choice(
        [None, {"percent": f"{hundredths // 100}.{hundredths % 100:02d}"}, {"amount": rng.randint(1, subtotal)}]
    )
    return {"lines": lines, "discount": discount, "tip": rng.choice([0, 0, 50, 137]), "mode": rng.choice(MODES)}


def server_totals(location, cart: dict) -> dict:
    location.tax_mode = cart["mode"]
    discount = cart["discount"] and {"reason": "x", **cart["discount"]}
    if discount and "amount" in discount:
        discount["amount"] = from_minor_units(discount["amount"], "EUR")
    lines = [line(entry["item"], entry["quantity"], entry["modifiers"]) for entry in cart["lines"]]
    tip = from_minor_units(cart["tip"], "EUR")
    return quote_representation(
        order_quote(location=location, type="TAKEAWAY", lines=lines, discount=discount, tip=tip)
    )


def test_totals_in_the_page_match_the_servers_quote_for_any_cart(pos, asgi_server, pos_cafe):
    # Given items at several prices and tax rates, and modifiers that add or take off money
    location = pos_cafe.location
    group = ModifierGroupFactory(location=location, min_selections=0, max_selections=3)
    modifiers = [ModifierFactory(group=group, price_delta=Decimal(delta)) for delta in ("-0.35", "0.15", "1.05")]
    prices_and_rates = [("0.99", "10.00"), ("3.33", "5.50"), ("12.49", "20.00"), ("7.05", "7.70"), ("0.40", "2.10")]
    items = [
        MenuItemFactory(location=location, price=Decimal(price), tax_rate=Decimal(rate), modifier_groups=[group])
        for price, rate in prices_and_rates
    ]
    rng = random.Random(7)
    carts = [random_cart(rng, items, modifiers) for _ in range(150)]
    open_register(pos, asgi_server, pos_cafe)

    # When the page prices each cart
    in_page = pos.evaluate(
        "carts => carts.map(c => CafePOS.pricing.totals(c.lines, c.discount, c.tip, c.mode))",
        [
            {
                **cart,
                "lines": [
                    {
                        "unit_price": minor(entry["item"].price),
                        "tax_rate": str(entry["item"].tax_rate),
                        "quantity": entry["quantity"],
                        "modifiers": [{"price_delta": minor(m.price_delta)} for m in entry["modifiers"]],
                    }
                    for entry in cart["lines"]
                ],
            }
            for cart in carts
        ],
    )

    # Then every total, and the tax of every rate, is the server's quote to the cent
    fields = ("subtotal", "discount_total", "tax_total", "taxes", "tip_total", "total")
    for cart, totals in zip(carts, in_page, strict=True):
        quote = server_totals(location, cart)
        assert {name: totals[name] for name in fields} == {name: quote[name] for name in fields}, cart


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["tablet-1024x768", "phone-landscape-844x390"])
def test_the_register_fits_the_screen_with_touch_targets_of_44_px(pos, asgi_server, pos_cafe, viewport):
    pos.set_viewport_size(viewport)
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Croissant")
    add_item(pos, "Food", "Toast")

    layout = pos.evaluate(
        """() => {
          const visible = el => el.offsetParent !== null && getComputedStyle(el).visibility !== "hidden";
          const small = [...document.querySelectorAll("button, a, [role=tab]")].filter(visible).filter(el => {
            const box = el.getBoundingClientRect();
            return box.width < 44 || box.height < 44;
          }).map(el => el.textContent.trim() || el.getAttribute("aria-label"));
          const send = document.querySelector("[data-send]").getBoundingClientRect();
          return {small, sendBottom: send.bottom, overflowX: document.documentElement.scrollWidth - innerWidth};
        }"""
    )

    assert layout["small"] == []
    assert layout["overflowX"] <= 0
    assert layout["sendBottom"] <= viewport["height"]


def test_names_and_notes_are_shown_as_text_never_run(pos, asgi_server, pos_cafe):
    MenuItemFactory(
        location=pos_cafe.location, category=pos_cafe.croissant.category, name='<img src=x onerror="alert(1)">'
    )
    pos.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    open_register(pos, asgi_server, pos_cafe)

    add_item(pos, "Food", '<img src=x onerror="alert(1)">')
    pos.locator(".line-main").click()
    pos.locator("[data-line-note]").fill("<b>no onions</b>")
    pos.locator("[data-line-save]").click()

    expect(pos.locator(".line-name")).to_have_text('<img src=x onerror="alert(1)">')
    expect(pos.locator(".line-note")).to_have_text("<b>no onions</b>")
    assert pos.locator(".cart-pane img, .cart-pane b, .items img").count() == 0


def test_the_floor_plan_colours_tables_live_and_a_free_table_starts_its_order(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe, path="/pos/floor/")
    table = pos.locator(f'[data-table="{pos_cafe.table.pk}"]')
    expect(table).to_have_attribute("data-status", "FREE")

    order = in_a_thread(
        lambda: OrderFactory(
            location=pos_cafe.location,
            staff=pos_cafe.cashier,
            type=OrderType.DINE_IN,
            table=pos_cafe.table,
            lines=[line(pos_cafe.toast)],
        )  # fmt: skip
    )
    expect(table).to_have_attribute("data-status", "OCCUPIED", timeout=WAIT_MS)

    def ready():
        ticket = order.tickets.get()
        ticket_bump(ticket=ticket_start(ticket=ticket, staff=pos_cafe.cashier), staff=pos_cafe.cashier)

    in_a_thread(ready)
    expect(table).to_have_attribute("data-status", "NEEDS_ATTENTION", timeout=WAIT_MS)

    table.click()
    expect(pos).to_have_url(f"{asgi_server.url}/pos/orders/?order={order.pk}")


def test_a_table_needing_attention_says_so_on_one_line_inside_its_tile(pos, asgi_server, pos_cafe):
    pos.set_viewport_size({"width": 1024, "height": 768})
    pos_cafe.table.grid_x = 9  # the area's tenth column: ten tiles wide, wider than the screen
    pos_cafe.table.save(update_fields=["grid_x"])

    def ready_order():
        order = OrderFactory(location=pos_cafe.location, staff=pos_cafe.cashier, type=OrderType.DINE_IN,
            table=pos_cafe.table, lines=[line(pos_cafe.toast)])  # fmt: skip
        ticket = order.tickets.get()
        ticket_bump(ticket=ticket_start(ticket=ticket, staff=pos_cafe.cashier), staff=pos_cafe.cashier)

    in_a_thread(ready_order)
    open_register(pos, asgi_server, pos_cafe, path="/pos/floor/")
    table = pos.locator(f'[data-table="{pos_cafe.table.pk}"]')
    expect(table).to_have_attribute("data-status", "NEEDS_ATTENTION")
    status = table.locator(".floor-status")
    expect(status).to_have_text("Needs attention")

    lines = status.evaluate("(node) => node.getClientRects().length")
    height = status.evaluate("(node) => node.offsetHeight / parseFloat(getComputedStyle(node).lineHeight)")
    tile, label = table.bounding_box(), status.bounding_box()
    assert lines == 1 and height < 1.5, (lines, height)
    assert tile["x"] <= label["x"] and label["x"] + label["width"] <= tile["x"] + tile["width"], (tile, label)
    problems = layout_problems(pos)
    assert problems["scrollWidth"] <= problems["innerWidth"], describe(problems)


def test_a_free_table_on_the_floor_starts_a_dine_in_order_for_it(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe, path="/pos/floor/")

    pos.locator(f'[data-table="{pos_cafe.table.pk}"]').click()
    add_item(pos, "Food", "Toast")
    pos.locator("[data-send]").click()

    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent · Dine in · Table 7", timeout=WAIT_MS)
    assert Order.objects.get().table == pos_cafe.table


def test_the_drawer_opens_keeps_its_cash_moves_and_closes_after_a_confirmation_with_a_z_report(
    pos, asgi_server, pos_cafe
):
    open_register(pos, asgi_server, pos_cafe, path="/pos/shift/")
    pos.get_by_label("Opening float (EUR)").fill("100")
    pos.get_by_role("button", name="Open drawer").click()
    expect(pos.locator("[data-shift-open]")).to_be_visible()
    for direction, amount, reason in [("Cash in", "20.00", "Change from the bank"), ("Cash out", "5.00", "Milk")]:
        pos.get_by_role("button", name=direction, exact=True).click()
        pos.get_by_label("Amount (EUR)").fill(amount)
        pos.get_by_label("Reason").fill(reason)
        pos.get_by_role("button", name="Record").click()
        expect(pos.locator("[data-movements]")).to_contain_text(f"€{amount} · {reason}", timeout=WAIT_MS)

    # A reload lists the cash moved so far, as the server keeps it
    pos.reload()
    expect(pos.locator("html")).to_have_attribute("data-live", "yes", timeout=WAIT_MS)
    expect(pos.locator("[data-movements] li")).to_have_text(["In €20.00 · Change from the bank", "Out €5.00 · Milk"])

    def cash_sale():
        order = OrderFactory(location=pos_cafe.location, staff=pos_cafe.cashier, terminal=pos_cafe.terminal,
            lines=[line(pos_cafe.toast)])  # fmt: skip
        payment_add(order=order, staff=pos_cafe.cashier, tender=Tender.CASH, amount=Decimal("8.00"))

    in_a_thread(cash_sale)
    pos.reload()  # the drawer's expected cash is read with the page
    expect(pos.locator("html")).to_have_attribute("data-live", "yes", timeout=WAIT_MS)

    # Closing asks first, with the expected cash, the count and the difference; Cancel keeps the shift open
    pos.get_by_label("Counted cash (EUR)").fill("122.13")
    pos.locator("[data-close-form]").get_by_role("button", name="Close shift").click()
    dialog = pos.get_by_role("dialog", name="Close the shift?")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-close-expected]")).to_have_text("€123.00")
    expect(dialog.locator("[data-close-counted]")).to_have_text("€122.13")
    expect(dialog.locator("[data-close-variance]")).to_have_text("\u2212€0.87 short")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(pos.locator("[data-shift-open]")).to_be_visible()
    assert Shift.objects.get().closed_at is None

    pos.locator("[data-close-form]").get_by_role("button", name="Close shift").click()
    dialog.get_by_role("button", name="Close shift").click()

    # The Z report: deductions with a true minus sign, none on a zero, the variance in words and in colour
    report = pos.locator("[data-z-report]")
    expect(report).to_be_visible(timeout=WAIT_MS)
    for name, amount in [("expected_cash", "€123.00"), ("counted_cash", "€122.13"), ("variance", "\u2212€0.87 short"),
                         ("cash_in", "€20.00"), ("cash_out", "\u2212€5.00"), ("refunds_total", "€0.00"),
                         ("tender-CASH", "€8.00"), ("sales_total", "€8.00")]:  # fmt: skip
        expect(report.locator(f'[data-z="{name}"]')).to_have_text(amount)
    variance = report.locator('[data-z="variance"]')
    expect(variance).to_have_attribute("data-variance", "short")
    expect(variance).to_have_css("color", "rgb(179, 38, 30)")  # --danger
    expect(report.locator('[data-z="counted_cash"]')).not_to_have_css("color", "rgb(179, 38, 30)")
    expect(pos.locator("[data-shift-closed]")).to_be_visible()
    assert Shift.objects.get().closed_at is not None


def test_items_are_added_to_an_open_order_from_the_orders_page(pos, asgi_server, pos_cafe):
    order = in_a_thread(
        lambda: OrderFactory(location=pos_cafe.location, staff=pos_cafe.cashier, lines=[line(pos_cafe.toast)])
    )
    open_register(pos, asgi_server, pos_cafe, path=f"/pos/orders/?order={order.pk}")
    pos.get_by_role("button", name="Add items").click()
    expect(pos.locator("[data-adding-text]")).to_have_text("Adding to #0001 · Takeaway")

    add_item(pos, "Food", "Croissant")
    expect_confirmed_total(pos, "€2.00")
    pos.get_by_role("button", name="Add to order").click()

    expect(pos).to_have_url(f"{asgi_server.url}/pos/orders/?order={order.pk}", timeout=WAIT_MS)
    expect(pos.locator('[data-order-detail] [data-total="total"]')).to_have_text("€10.00")
    assert [line.name for line in order.lines.order_by("pk")] == ["Toast", "Croissant"]


def test_switching_staff_is_one_tap_back_to_the_tiles_and_leaves_no_register_offline(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    expect(pos.locator("html")).to_have_attribute("data-offline-ready", "yes", timeout=WAIT_MS)

    pos.get_by_role("button", name="Switch staff").click()

    expect(pos).to_have_url(f"{asgi_server.url}/terminal/login/")
    expect(pos.locator(".tile", has_text="Max Manager")).to_be_visible()
    asgi_server.stop()
    with pytest.raises(PlaywrightError):
        pos.goto(f"{asgi_server.url}/pos/")  # the signed-out cashier's register is not served from the cache


def test_a_delivery_takes_the_customers_details_and_the_cart_survives_a_reload(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Toast")
    pos.get_by_role("button", name="Delivery").click()
    customer = pos.locator("[data-customer-dialog]")
    customer.get_by_label("Name").fill("Ada <Lovelace>")
    customer.get_by_label("Phone").fill("+33 1 23 45 67 89")
    customer.get_by_label("Address").fill("1 rue de la Paix, Paris")
    customer.locator("[data-customer-save]").click()
    expect(pos.locator("[data-customer-button]")).to_have_text("Customer: Ada <Lovelace>")

    pos.reload()
    expect(pos.locator(".line-name")).to_have_text("Toast")
    pos.locator("[data-send]").click()

    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent · Delivery", timeout=WAIT_MS)
    order = Order.objects.get()
    assert (order.type, order.customer_name, order.customer_address) == (
        OrderType.DELIVERY, "Ada <Lovelace>", "1 rue de la Paix, Paris"
    )  # fmt: skip


def test_a_dine_in_order_needs_a_table_chosen_on_the_picker(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Croissant")

    pos.get_by_role("button", name="Dine in").click()
    pos.locator("[data-table-dialog] [data-dialog-close]").click()
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-toast]")).to_have_text("Choose a table for a dine-in order.")
    pos.get_by_role("button", name="Choose a table").click()
    pos.locator(f'[data-table-dialog] [data-table="{pos_cafe.table.pk}"]').click()
    pos.locator("[data-send]").click()

    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent · Dine in · Table 7", timeout=WAIT_MS)
    assert Order.objects.get().table == pos_cafe.table


def test_a_german_till_prints_german_amounts_and_takes_4_comma_50_typed(pos, asgi_server, pos_cafe):
    """Amounts as a German cafe writes them, the very string the server's Babel prints, in German words (the till
    speaks its location's language), and "4,50" typed."""
    in_a_thread(lambda: Location.objects.filter(pk=pos_cafe.location.pk).update(country="DE", language="de"))
    in_a_thread(lambda: ShiftFactory(terminal=pos_cafe.terminal, staff=pos_cafe.cashier))
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Toast")
    add_item(pos, "Food", "Croissant")
    expect_confirmed_total(pos, "10,00\xa0€")
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 gesendet · Außer Haus · 10,00\xa0€", timeout=WAIT_MS)

    pos.locator("[data-last-pay]").click()
    pay = pos.locator("[data-pay-dialog]")
    expect(pay.locator("[data-pay-amount]")).to_have_value("10,00")
    expect(pay.locator("[data-pay-tip]")).to_have_attribute("placeholder", "0,00")
    pay.locator("[data-pay-amount]").fill("5.50")  # a point is read as the decimal point too
    pay.locator("[data-pay-tendered]").fill("20,5")
    expect(pay.locator("[data-change]")).to_have_text("15,00\xa0€")
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator("[data-pay-due]")).to_have_text("4,50\xa0€", timeout=WAIT_MS)
    pay.locator("[data-pay-amount]").fill("4,50")
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator("[data-pay-done]")).to_be_visible(timeout=WAIT_MS)

    order = Order.objects.get()
    assert [(p.amount, p.tendered) for p in order.payments.order_by("pk")] == [
        (Decimal("5.50"), Decimal("20.50")), (Decimal("4.50"), Decimal("4.50")),
    ]  # fmt: skip


def test_a_long_staff_name_gives_way_in_the_top_bar_instead_of_widening_the_page(pos, asgi_server, pos_cafe):
    """Faker's names vary in length: one long enough once pushed the floor page wider than a 1024 px screen."""
    pos_cafe.cashier.full_name = "Maximiliane Alexandra von Hohenberg-Schwarzenfels"
    pos_cafe.cashier.save(update_fields=["full_name"])
    pos.set_viewport_size({"width": 1024, "height": 768})

    for path in ("/pos/", "/pos/floor/", "/pos/orders/", "/pos/shift/", "/pos/status/"):
        open_register(pos, asgi_server, pos_cafe, path=path)
        expect(pos.locator("[data-staff-name]")).to_contain_text("Maximiliane")
        problems = layout_problems(pos)
        assert problems["scrollWidth"] <= problems["innerWidth"], describe(problems)
