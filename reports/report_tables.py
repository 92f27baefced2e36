"""Every report as a table (columns and rows) for the dashboard's HTML and its CSV downloads."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from cafepos import csvsafe
from cafepos.money import from_minor_units

from . import selectors
from .selectors import ReportScope

ORDER_COLUMNS = [
    ("orders", "Orders"),
    ("gross", "Gross"),
    ("discounts", "Discounts"),
    ("net", "Net"),
    ("tax", "Tax"),
    ("tips", "Tips"),
    ("total", "Total"),
]
LINE_COLUMNS = [
    ("quantity", "Quantity"),
    ("gross", "Gross"),
    ("discounts", "Discounts"),
    ("net", "Net"),
    ("tax", "Tax"),
]
PAYMENT_COLUMNS = [
    ("count", "Payments"),
    ("amount", "Amount"),
    ("tips", "Tips"),
    ("refunds", "Refunds"),
    ("net", "Net"),
]
GROUP_TITLES = {
    "day": "Sales by day",
    "hour": "Sales by hour of day",
    "item": "Sales by item",
    "category": "Sales by category",
    "staff": "Sales by staff member",
    "payment_method": "Payments by method",
    "type": "Sales by order type",
    "source": "Sales by source",
}
SUMMARY_ROWS = [
    ("orders", "Orders"),
    ("gross", "Gross sales"),
    ("discounts", "Discounts"),
    ("net", "Net sales"),
    ("tax", "Tax"),
    ("tips", "Tips"),
    ("total", "Total (tax on top and tips included)"),
    ("refunds", "Refunds"),
    ("refund_count", "Refund count"),
    ("voids", "Voided items"),
    ("void_count", "Voided item count"),
    ("cancelled_orders", "Cancelled orders"),
    ("average_ticket", "Average ticket (net)"),
]
REPORT_TABLES = ("summary", "tax", *selectors.GROUPS, "kitchen", "shifts")
# The columns that hold amounts in the report's currency (the summary's "value" holds one where it is a Decimal).
MONEY_COLUMNS = {
    *("gross", "discounts", "net", "tax", "tips", "total", "amount", "refunds", "taxable"),
    *("sales_total", "expected_cash", "counted_cash", "variance"),
}
SUMMARY_COUNTS = {"orders", "refund_count", "void_count", "cancelled_orders"}


@dataclass(frozen=True)
class ReportTable:
    """One report as a table: its columns (key, heading) and rows, as the dashboard shows it and CSV exports it."""

    name: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict]
    currency: str

    def cells(self) -> list[list]:
        return [[row[key] for key, _ in self.columns] for row in self.rows]

    def kinded_cells(self) -> list[list[tuple[str, object]]]:
        """Each row's cells as (kind, value) for a page to format: "money" (in `currency`), "datetime" or ""."""
        return [[(_kind(key, row[key]), row[key]) for key, _ in self.columns] for row in self.rows]

    def csv_headings(self) -> list[str]:
        """The headings, an amount's with its currency ("Net (EUR)"): the cells below stay plain decimals."""
        return [f"{heading} ({self.currency})" if key in MONEY_COLUMNS else heading for key, heading in self.columns]


def _kind(key: str, value) -> str:
    if value is None:
        return ""
    if key in MONEY_COLUMNS or (key == "value" and isinstance(value, Decimal)):
        return "money"
    return "datetime" if isinstance(value, datetime.datetime) else ""


def _summary(scope: ReportScope, summary: dict | None = None) -> ReportTable:
    summary = summary or selectors.sales_summary(scope)
    rows = [
        {"metric": title if key in SUMMARY_COUNTS else f"{title} ({scope.currency})", "value": summary[key]}
        for key, title in SUMMARY_ROWS
    ]
    return ReportTable("summary", "Summary", [("metric", "Metric"), ("value", "Value")], rows, scope.currency)


def _tax(scope: ReportScope, summary: dict | None = None) -> ReportTable:
    summary = summary or selectors.sales_summary(scope)
    columns = [("rate", "Rate %"), ("taxable", "Taxable (net)"), ("tax", "Tax")]
    return ReportTable("tax", "Tax by rate", columns, summary["tax_by_rate"], scope.currency)


def _group(scope: ReportScope, name: str) -> ReportTable:
    rows = selectors.sales_by(scope, name)
    if name in ("item", "category"):
        columns = LINE_COLUMNS
    elif name == "payment_method":
        columns = PAYMENT_COLUMNS
    else:
        columns = ORDER_COLUMNS
    heading = {"payment_method": "Method", "hour": "Hour", "day": "Business day"}.get(name, name.title())
    return ReportTable(name, GROUP_TITLES[name], [("label", heading), *columns], rows, scope.currency)


def _kitchen(scope: ReportScope) -> ReportTable:
    rows = [
        {**row, **{key: round(row[key], 1) for key in ("average", "p50", "p90")}}
        for row in selectors.kitchen_speed(scope)
    ]
    columns = [
        ("station", "Station"),
        ("tickets", "Tickets"),
        ("average", "Average (s)"),
        ("p50", "p50 (s)"),
        ("p90", "p90 (s)"),
    ]
    return ReportTable("kitchen", "Kitchen speed (ticket created → done)", columns, rows, scope.currency)


def _shifts(scope: ReportScope) -> ReportTable:
    currency = scope.currency
    rows = []
    for shift in selectors.z_reports(scope):
        report = shift["z_report"] or {}
        sales = report.get("sales", {})

        def money(minor, report=report):
            return from_minor_units(minor, report.get("currency", currency)) if minor is not None else None

        rows.append(
            {
                **shift,
                "orders": sales.get("orders"),
                "sales_total": money(sales.get("total")),
                "tips": money(report.get("tips_total")),
                "refunds": money(report.get("refunds_total")),
                "expected_cash": money(report.get("expected_cash")),
                "counted_cash": money(report.get("counted_cash")),
                "variance": money(report.get("variance")),
            }
        )
    columns = [
        ("shift_id", "Shift"),
        ("location", "Location"),
        ("terminal", "Terminal"),
        ("opened_at", "Opened"),
        ("closed_at", "Closed"),
        ("closed_by", "Closed by"),
        ("orders", "Orders"),
        ("sales_total", "Sales"),
        ("tips", "Tips"),
        ("refunds", "Refunds"),
        ("expected_cash", "Expected cash"),
        ("counted_cash", "Counted cash"),
        ("variance", "Variance"),
    ]
    return ReportTable("shifts", "Shift Z reports", columns, rows, currency)


def report_table(scope: ReportScope, name: str, *, summary: dict | None = None) -> ReportTable:
    """One of REPORT_TABLES; pass a `summary` already computed to save its queries."""
    if name == "summary":
        return _summary(scope, summary)
    if name == "tax":
        return _tax(scope, summary)
    if name == "kitchen":
        return _kitchen(scope)
    if name == "shifts":
        return _shifts(scope)
    return _group(scope, name)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value if isinstance(value, str | int | float | Decimal) else str(value)


def table_csv(table: ReportTable, out) -> None:
    """Write the table as CSV: a header row, then money in major units as plain decimals (12.50)."""
    writer = csvsafe.writer(out)
    writer.writerow(table.csv_headings())
    for cells in table.cells():
        writer.writerow([_cell(value) for value in cells])
