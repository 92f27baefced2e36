"""Sales reports, computed by the database (aggregates and window functions; no Python loop over orders).

A report covers a `ReportScope`: one or more locations sharing a currency and a range of business days
(each location's own day, cut at its cutoff hour). Sales are the orders of those days that were not
cancelled, open ones included. Money comes back as Decimal; the API turns it into minor units.

Definitions: gross = line totals of lines not voided (what `Order.subtotal` holds); discounts = order
discounts; net = gross − discounts; tax = the orders' tax (inside net when prices include tax, on top
otherwise); tips; refunds = money given back on the orders of those days; voids = voided lines. Tax by rate
and the per-item figures spread each order discount over its lines exactly as `orders.services` does
(largest remainder), so every figure matches the orders to the cent.
"""

import datetime
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections, transaction
from django.db.models import Count, ExpressionWrapper, F, FloatField, Func, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractHour

from accounts.models import BACK_OFFICE_ROLES, Location
from accounts.selectors import locations_where
from cafepos.exceptions import ApplicationError
from cafepos.money import currency_places, from_minor_units, quantize_money
from orders.models import Order, OrderLine, OrderStatus, Payment, Refund, Shift, Ticket

from .routers import replica_reads, reports_database

ZERO = Decimal("0")
MAX_DAYS = 366
GROUPS = ("day", "hour", "item", "category", "staff", "payment_method", "type", "source")
PERCENTILES = (0.5, 0.9)


@dataclass(frozen=True)
class ReportScope:
    locations: tuple[Location, ...]
    date_from: datetime.date
    date_to: datetime.date

    @property
    def currency(self) -> str:
        return self.locations[0].currency

    @property
    def location_ids(self) -> list[int]:
        return [location.pk for location in self.locations]

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


def _invalid(field: str, message: str, code: str = "reports.invalid_range") -> ApplicationError:
    return ApplicationError(code, message, {field: [message]})


def report_scope(
    *,
    locations,
    date_from: datetime.date,
    date_to: datetime.date,
    max_days: int | None = MAX_DAYS,
) -> ReportScope:
    """Check a range and locations (already limited to the caller's) and build the scope of a report."""
    locations = tuple(sorted(locations, key=lambda location: location.pk))
    if not locations:
        raise _invalid("location", "Choose at least one location.", "reports.no_location")
    if date_to < date_from:
        raise _invalid("to", "The end of the range comes before its start.")
    if max_days is not None and (date_to - date_from).days + 1 > max_days:
        raise _invalid("to", f"A report covers at most {max_days} days; use a CSV export for longer ranges.")
    if len({location.currency for location in locations}) > 1:
        raise _invalid(
            "location",
            "These locations use different currencies: report them one at a time.",
            "reports.mixed_currencies",
        )
    return ReportScope(locations=locations, date_from=date_from, date_to=date_to)


def report_locations(user, location_ids: list[int] | None = None) -> list[Location]:
    """The locations a back-office user may report on (owners: all of theirs), or those of them asked for."""
    allowed = locations_where(user, BACK_OFFICE_ROLES).order_by("name", "pk")
    if not location_ids:
        return list(allowed)
    chosen = list(allowed.filter(pk__in=location_ids))
    if len(chosen) != len(set(location_ids)):
        raise ApplicationError("location.not_found", "No such location of yours.", status=404)
    return chosen


def _sales(scope: ReportScope) -> QuerySet[Order]:
    return Order.objects.using(reports_database()).filter(
        location_id__in=scope.location_ids, business_day__range=(scope.date_from, scope.date_to)
    )


def _money_sums(**fields) -> dict:
    return {name: Coalesce(Sum(field), ZERO) for name, field in fields.items()}


ORDER_SUMS = {"gross": "subtotal", "discounts": "discount_total", "tax": "tax_total", "tips": "tip_total"}


def _with_net(row: dict, currency: str) -> dict:
    row = {**row, "net": row["gross"] - row["discounts"]}
    return {key: quantize_money(value, currency) if isinstance(value, Decimal) else value for key, value in row.items()}


def sales_summary(scope: ReportScope) -> dict:
    """Gross, discounts, net, tax (and by rate), tips, refunds, voids, order count and average ticket."""
    sold = ~Q(status=OrderStatus.CANCELLED)
    sums = {name: Coalesce(Sum(field, filter=sold), ZERO) for name, field in {**ORDER_SUMS, "total": "total"}.items()}
    with replica_reads():
        totals = _sales(scope).aggregate(orders=Count("pk", filter=sold), cancelled=Count("pk", filter=~sold), **sums)
        sales = _sales(scope).exclude(status=OrderStatus.CANCELLED)
        refunds = (
            Refund.objects.using(reports_database())
            .filter(payment__order__in=_sales(scope))
            .aggregate(count=Count("pk"), amount=Coalesce(Sum("amount"), ZERO))
        )
        voids = (
            OrderLine.objects.using(reports_database())
            .filter(order__in=sales, voided=True)
            .aggregate(count=Count("pk"), amount=Coalesce(Sum("line_total"), ZERO))
        )
        lines = _priced_lines(scope)
    currency = scope.currency
    cancelled = totals.pop("cancelled")
    summary = _with_net(totals, currency)
    count = summary["orders"]
    summary.update(
        cancelled_orders=cancelled,
        refunds=quantize_money(refunds["amount"], currency),
        refund_count=refunds["count"],
        voids=quantize_money(voids["amount"], currency),
        void_count=voids["count"],
        average_ticket=quantize_money(summary["net"] / count, currency) if count else quantize_money(ZERO, currency),
        tax_by_rate=_tax_by_rate(lines, currency),
    )
    return summary


# The order discount spread over its lines exactly as orders.services.pricing.allocate does (in minor units,
# largest remainder, ties to the lower line id), then tax per line as line_tax does, rounded half up.
# Integer division is meant for the shares (sums cast back to BIGINT: PostgreSQL sums them as numeric), and
# `* 1.0` keeps SQLite from dividing integers in the tax (it stores 10.00 as 10).
PRICED_LINES_SQL = """
WITH plain_lines AS (
    -- Orders without a discount: a line's tax depends only on its total, so equal lines are priced once.
    SELECT o.location_id, l.menu_item_id, l.name, l.tax_rate, l.line_total, COUNT(*) AS lines,
           SUM(l.quantity) AS quantity
    FROM orders_orderline l
    JOIN orders_order o ON o.id = l.order_id
    WHERE o.location_id IN ({locations}) AND o.business_day BETWEEN %(date_from)s AND %(date_to)s
      AND o.status <> 'CANCELLED' AND NOT l.voided AND o.discount_total = 0
    GROUP BY 1, 2, 3, 4, 5
),
plain AS (
    SELECT loc.tax_mode, p.menu_item_id, p.name, p.tax_rate, CAST(ROUND(p.line_total * %(scale)s) AS BIGINT) AS w,
           p.lines, p.quantity
    FROM plain_lines p JOIN accounts_location loc ON loc.id = p.location_id
),
weighted AS (
    SELECT l.id AS line_id, l.order_id, l.name, l.quantity, l.tax_rate, l.menu_item_id, loc.tax_mode,
           CAST(ROUND(l.line_total * %(scale)s) AS BIGINT) AS w,
           CAST(ROUND(o.discount_total * %(scale)s) AS BIGINT) AS d
    FROM orders_orderline l
    JOIN orders_order o ON o.id = l.order_id
    JOIN accounts_location loc ON loc.id = o.location_id
    WHERE o.location_id IN ({locations}) AND o.business_day BETWEEN %(date_from)s AND %(date_to)s
      AND o.status <> 'CANCELLED' AND NOT l.voided AND o.discount_total > 0
),
totalled AS (
    SELECT *, CAST(SUM(w) OVER (PARTITION BY order_id) AS BIGINT) AS wsum,
           CAST(COUNT(*) OVER (PARTITION BY order_id) AS BIGINT) AS n
    FROM weighted
),
discounted AS (
    SELECT *, CASE WHEN wsum = 0 THEN 1 ELSE w END AS ew, CASE WHEN wsum = 0 THEN n ELSE wsum END AS ewsum
    FROM totalled
),
shared AS (
    SELECT *, (d * ew) / ewsum AS base, (d * ew) %% ewsum AS rem FROM discounted
),
ranked AS (
    SELECT *, d - CAST(SUM(base) OVER (PARTITION BY order_id) AS BIGINT) AS leftover,
           ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY rem DESC, line_id) AS rnk
    FROM shared
),
priced AS (
    SELECT tax_mode, menu_item_id, name, tax_rate, quantity,
           w - base - CASE WHEN rnk <= leftover THEN 1 ELSE 0 END AS net,
           base + CASE WHEN rnk <= leftover THEN 1 ELSE 0 END AS share, 1 AS lines
    FROM ranked
    UNION ALL
    SELECT tax_mode, menu_item_id, name, tax_rate, quantity, w, 0, lines FROM plain
),
taxed AS (
    SELECT menu_item_id, name, tax_rate, quantity, (net + share) * lines AS gross, share * lines AS share,
           lines * CASE WHEN tax_mode = 'INCLUSIVE' THEN ROUND(net * 1.0 * tax_rate / (100.0 + tax_rate))
                         ELSE ROUND(net * 1.0 * tax_rate / 100.0) END AS tax
    FROM priced
),
items AS (
    SELECT menu_item_id, name, tax_rate, SUM(quantity) AS quantity, SUM(gross) AS gross, SUM(share) AS share,
           SUM(tax) AS tax
    FROM taxed GROUP BY menu_item_id, name, tax_rate
)
SELECT i.name, COALESCE(c.name, '(removed items)'), i.tax_rate,
       SUM(i.quantity), SUM(i.gross), SUM(i.share), SUM(i.tax)
FROM items i
LEFT JOIN menu_menuitem m ON m.id = i.menu_item_id
LEFT JOIN menu_category c ON c.id = m.category_id
GROUP BY i.name, COALESCE(c.name, '(removed items)'), i.tax_rate
"""


@contextmanager
def _analytic_cursor():
    """A cursor for one large aggregate: on PostgreSQL without JIT (its compile time dwarfs the gain here) and
    with room to hash a year of lines in memory, for this transaction only."""
    alias = reports_database()
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        yield cursor


@dataclass(frozen=True)
class PricedGroup:
    """Lines of one item name, category and tax rate: quantities and money in minor units."""

    item: str
    category: str
    tax_rate: Decimal
    quantity: int
    gross: int
    discounts: int
    tax: int


_batch: ContextVar[dict | None] = ContextVar("report_batch", default=None)


@contextmanager
def report_batch():
    """Within the block, reports of one scope share the line aggregate (the dashboard shows it three ways)."""
    token = _batch.set({})
    try:
        yield
    finally:
        _batch.reset(token)


def _priced_lines(scope: ReportScope) -> list[PricedGroup]:
    batch = _batch.get()
    if batch is not None and scope in batch:
        return batch[scope]
    lines = _priced_lines_query(scope)
    if batch is not None:
        batch[scope] = lines
    return lines


def _priced_lines_query(scope: ReportScope) -> list[PricedGroup]:
    placeholders = ", ".join(str(int(pk)) for pk in scope.location_ids)
    params = {"scale": 10 ** currency_places(scope.currency), "date_from": scope.date_from, "date_to": scope.date_to}
    with _analytic_cursor() as cursor:
        cursor.execute(PRICED_LINES_SQL.format(locations=placeholders), params)
        rows = cursor.fetchall()
    return [
        PricedGroup(
            item=name,
            category=category,
            tax_rate=Decimal(str(rate)).quantize(Decimal("0.01")),
            quantity=int(quantity),
            gross=int(gross),
            discounts=int(discounts),
            tax=int(tax),
        )
        for name, category, rate, quantity, gross, discounts, tax in rows
    ]


def _tax_by_rate(lines: list[PricedGroup], currency: str) -> list[dict]:
    by_rate: dict[Decimal, list[int]] = defaultdict(lambda: [0, 0])
    for group in lines:
        by_rate[group.tax_rate][0] += group.gross - group.discounts
        by_rate[group.tax_rate][1] += group.tax
    return [
        {"rate": rate, "taxable": from_minor_units(net, currency), "tax": from_minor_units(tax, currency)}
        for rate, (net, tax) in sorted(by_rate.items())
    ]


def _lines_by(lines: list[PricedGroup], attribute: str, currency: str) -> list[dict]:
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for group in lines:
        sums = groups[getattr(group, attribute)]
        for i, value in enumerate((group.quantity, group.gross, group.discounts, group.tax)):
            sums[i] += value
    rows = [
        {
            "key": key,
            "label": key,
            "quantity": quantity,
            "gross": from_minor_units(gross, currency),
            "discounts": from_minor_units(discounts, currency),
            "net": from_minor_units(gross - discounts, currency),
            "tax": from_minor_units(tax, currency),
        }
        for key, (quantity, gross, discounts, tax) in groups.items()
    ]
    return sorted(rows, key=lambda row: (-row["net"], row["label"]))


def _orders_by(scope: ReportScope, key, label=None) -> list[dict]:
    """Order totals grouped by `key` (a field name or an expression)."""
    key = F(key) if isinstance(key, str) else key
    sales = _sales(scope).exclude(status=OrderStatus.CANCELLED)
    rows = (
        sales.values(key=key)
        .annotate(orders=Count("pk"), total=Coalesce(Sum("total"), ZERO), **_money_sums(**ORDER_SUMS))
        .order_by("key")
    )
    return [{**_with_net(row, scope.currency), "label": label(row["key"]) if label else row["key"]} for row in rows]


def _by_hour(scope: ReportScope) -> list[dict]:
    """Local hour of day of each order; locations in other time zones are grouped each in its own."""
    by_zone: dict[str, list[Location]] = defaultdict(list)
    for location in scope.locations:
        by_zone[location.time_zone].append(location)
    hours: dict[int, dict] = {}
    for locations in by_zone.values():
        part = ReportScope(locations=tuple(locations), date_from=scope.date_from, date_to=scope.date_to)
        for row in _orders_by(part, ExtractHour("created_at", tzinfo=part.locations[0].zone)):
            if row["key"] in hours:
                merged = hours[row["key"]]
                for name, value in row.items():
                    if name not in ("key", "label"):
                        merged[name] += value
            else:
                hours[row["key"]] = row
    return [{**hours[hour], "label": f"{hour:02d}:00"} for hour in sorted(hours)]


def _staff_names(rows: list[dict]) -> dict:
    from accounts.models import User

    ids = [row["key"] for row in rows if row["key"] is not None]
    return {user.pk: str(user) for user in User.objects.using(reports_database()).filter(pk__in=ids)}


def _by_staff(scope: ReportScope) -> list[dict]:
    rows = _orders_by(scope, "staff_id")
    names = _staff_names(rows)
    return [{**row, "label": names.get(row["key"], "(integration)")} for row in rows]


def _by_payment_method(scope: ReportScope) -> list[dict]:
    currency = scope.currency
    rows = (
        Payment.objects.using(reports_database())
        .filter(order__in=_sales(scope))
        .values(key=F("tender"))
        .annotate(
            count=Count("pk"),
            amount=Coalesce(Sum("amount"), ZERO),
            tips=Coalesce(Sum("tip"), ZERO),
            refunds=Coalesce(Sum("refunded_amount"), ZERO),
        )
        .order_by("key")
    )
    return [
        {
            **row,
            "label": row["key"].title(),
            "amount": quantize_money(row["amount"], currency),
            "tips": quantize_money(row["tips"], currency),
            "refunds": quantize_money(row["refunds"], currency),
            "net": quantize_money(row["amount"] + row["tips"] - row["refunds"], currency),
        }
        for row in rows
    ]


def sales_by(scope: ReportScope, group_by: str) -> list[dict]:
    """Sales grouped by one of GROUPS, each row with `key` and a readable `label`."""
    if group_by not in GROUPS:
        raise _invalid("group_by", f"Group by one of {', '.join(GROUPS)}.", "reports.invalid_group")
    with replica_reads():
        if group_by == "day":
            return _orders_by(scope, "business_day", label=lambda day: day.isoformat())
        if group_by == "hour":
            return _by_hour(scope)
        if group_by in ("item", "category"):
            return _lines_by(_priced_lines(scope), group_by, scope.currency)
        if group_by == "staff":
            return _by_staff(scope)
        if group_by == "payment_method":
            return _by_payment_method(scope)
        return _orders_by(scope, group_by, label=lambda value: str(value).replace("_", " ").title())


def kitchen_speed(scope: ReportScope) -> list[dict]:
    """Seconds from ticket created to done, per station: count, average, p50 and p90 (tickets done)."""
    with replica_reads():
        if connections[reports_database()].vendor == "postgresql":
            return _kitchen_speed_postgres(scope)
        tickets = Ticket.objects.using(reports_database()).filter(
            order__in=_sales(scope).exclude(status=OrderStatus.CANCELLED), done_at__isnull=False
        )
        return _kitchen_speed_fallback(tickets)


KITCHEN_SPEED_SQL = """
SELECT t.station, COUNT(*), AVG(s.seconds),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.seconds),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY s.seconds)
FROM orders_ticket t
JOIN orders_order o ON o.id = t.order_id
CROSS JOIN LATERAL (SELECT EXTRACT(EPOCH FROM t.done_at - t.created_at) AS seconds) s
WHERE o.location_id IN ({locations}) AND o.business_day BETWEEN %(date_from)s AND %(date_to)s
  AND o.status <> 'CANCELLED' AND t.done_at IS NOT NULL
GROUP BY t.station ORDER BY t.station
"""


def _kitchen_speed_postgres(scope: ReportScope) -> list[dict]:
    locations = ", ".join(str(int(pk)) for pk in scope.location_ids)
    with _analytic_cursor() as cursor:
        cursor.execute(
            KITCHEN_SPEED_SQL.format(locations=locations), {"date_from": scope.date_from, "date_to": scope.date_to}
        )
        rows = cursor.fetchall()
    return [
        {"station": station, "tickets": count, "average": float(avg), "p50": float(p50), "p90": float(p90)}
        for station, count, avg, p50, p90 in rows
    ]


class _JulianDay(Func):
    function = "julianday"
    output_field = FloatField()


def _kitchen_speed_fallback(tickets: QuerySet[Ticket]) -> list[dict]:
    """SQLite: the same interpolated percentiles, read as two ordered rows per percentile."""
    duration = ExpressionWrapper(
        (_JulianDay(F("done_at")) - _JulianDay(F("created_at"))) * 86400.0, output_field=FloatField()
    )
    result = []
    stations = tickets.values_list("station", flat=True).distinct().order_by("station")
    for station in stations:
        ordered = tickets.filter(station=station).annotate(seconds=duration).order_by("seconds")
        stats = ordered.aggregate(count=Count("pk"), total=Sum("seconds"))
        count = stats["count"]
        row = {"station": station, "tickets": count, "average": stats["total"] / count}
        for p in PERCENTILES:
            position = p * (count - 1)
            low = int(position)
            values = list(ordered.values_list("seconds", flat=True)[low : low + 2])
            high_value = values[1] if len(values) > 1 else values[0]
            row[f"p{int(p * 100)}"] = values[0] + (high_value - values[0]) * (position - low)
        result.append(row)
    return result


def z_reports(scope: ReportScope) -> list[dict]:
    """Closed shifts whose close falls in the range of business days, with their frozen Z reports."""
    window = Q(pk__in=[])
    for location in scope.locations:
        cutoff = datetime.time(location.business_day_cutoff_hour, tzinfo=location.zone)
        start = datetime.datetime.combine(scope.date_from, cutoff)
        end = datetime.datetime.combine(scope.date_to + datetime.timedelta(days=1), cutoff)
        window |= Q(location=location, closed_at__gte=start, closed_at__lt=end)
    with replica_reads():
        shifts = (
            Shift.objects.using(reports_database())
            .filter(window)
            .select_related("location", "terminal", "closed_by")
            .order_by("closed_at")
        )
        return [
            {
                "shift_id": shift.pk,
                "location": shift.location.name,
                "terminal": shift.terminal.name,
                "opened_at": shift.opened_at.astimezone(shift.location.zone),
                "closed_at": shift.closed_at.astimezone(shift.location.zone),
                "closed_by": str(shift.closed_by),
                "z_report": shift.z_report,
            }
            for shift in shifts
        ]
