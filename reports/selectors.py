"""Sales reports, computed by the database (aggregates and window functions; no Python loop over orders).

Every summable figure is read from the daily roll-ups (reports/rollups.py: where each figure is defined, and
why a report never shows a stale one), brought up to date and then added up over the range on the primary.
Kitchen speed percentiles and Z reports are read live, from the replica when one is configured.

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
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections, transaction
from django.db.models import Count, ExpressionWrapper, F, FloatField, Func, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import Location
from accounts.roles import MANAGERS
from accounts.selectors import locations_where
from cafepos.exceptions import ApplicationError
from cafepos.money import from_minor_units, quantize_money
from orders.figures import ORDER_SUMS
from orders.models import Order, OrderStatus, Shift, Ticket

from .models import RollupDay, RollupGroup, RollupLine, RollupTender
from .rollups import analytic_settings, rollups_refresh
from .routers import PRIMARY, replica_reads, reports_database

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
        raise _invalid("location", _("Choose at least one location."), "reports.no_location")
    if date_to < date_from:
        raise _invalid("to", _("The end of the range comes before its start."))
    if max_days is not None and (date_to - date_from).days + 1 > max_days:
        raise _invalid(
            "to",
            _("A report covers at most %(max_days)s days; use a CSV export for longer ranges.")
            % {
                "max_days": max_days,
            },
        )
    if len({location.currency for location in locations}) > 1:
        raise _invalid(
            "location",
            _("These locations use different currencies: report them one at a time."),
            "reports.mixed_currencies",
        )
    return ReportScope(locations=locations, date_from=date_from, date_to=date_to)


def report_locations(user, location_ids: list[int] | None = None) -> list[Location]:
    """The locations a back-office user may report on (owners: all of theirs), or those of them asked for."""
    allowed = locations_where(user, MANAGERS).order_by("name", "pk")
    if not location_ids:
        return list(allowed)
    chosen = list(allowed.filter(pk__in=location_ids))
    if len(chosen) != len(set(location_ids)):
        raise ApplicationError("location.not_found", _("No such location of yours."), status=404)
    return chosen


def _sales(scope: ReportScope) -> QuerySet[Order]:
    return Order.objects.using(reports_database()).filter(
        location_id__in=scope.location_ids, business_day__range=(scope.date_from, scope.date_to)
    )


def _with_net(row: dict, currency: str) -> dict:
    row = {**row, "net": row["gross"] - row["discounts"]}
    return {key: quantize_money(value, currency) if isinstance(value, Decimal) else value for key, value in row.items()}


_batch: ContextVar[set | None] = ContextVar("report_batch", default=None)


@contextmanager
def report_batch():
    """Within the block, reports of one scope bring the roll-ups up to date once (the dashboard shows many)."""
    if _batch.get() is not None:  # already in one
        yield
        return
    token = _batch.set(set())
    try:
        yield
    finally:
        _batch.reset(token)


def _rolled_up(model, scope: ReportScope) -> QuerySet:
    """The scope's days of a roll-up, first brought up to date (on the primary: see reports/rollups.py)."""
    batch = _batch.get()
    if batch is None or scope not in batch:
        rollups_refresh(locations=scope.locations, date_from=scope.date_from, date_to=scope.date_to)
        if batch is not None:
            batch.add(scope)
    return model.objects.using(PRIMARY).filter(
        location_id__in=scope.location_ids, business_day__range=(scope.date_from, scope.date_to)
    )


def _summed(rows: QuerySet, fields, **key) -> list[dict]:
    """`fields` added up over `rows`, grouped by `key` (one expression named `key`) or over all of them."""
    sums = {f"{name}_sum": Sum(name) for name in fields}
    found = list(rows.values(**key).annotate(**sums).order_by()) if key else [rows.aggregate(**sums)]
    return [
        {name.removesuffix("_sum"): ZERO if value is None and name != "key" else value for name, value in row.items()}
        for row in found
    ]


ORDER_FIGURES = ("orders", *ORDER_SUMS, "total")


def sales_summary(scope: ReportScope) -> dict:
    """Gross, discounts, net, tax (and by rate), tips, refunds, voids, order count and average ticket."""
    currency = scope.currency
    fields = (*ORDER_FIGURES, "cancelled", "refunds", "refund_count", "voids", "void_count")
    with report_batch():
        [totals] = _summed(_rolled_up(RollupDay, scope), fields)
        tax_by_rate = _tax_by_rate(scope)
    counts = {name: int(totals.pop(name)) for name in ("orders", "cancelled", "refund_count", "void_count")}
    summary = _with_net(totals, currency)
    count = counts["orders"]
    summary.update(
        orders=count,
        cancelled_orders=counts["cancelled"],
        refund_count=counts["refund_count"],
        void_count=counts["void_count"],
        average_ticket=quantize_money(summary["net"] / count, currency) if count else quantize_money(ZERO, currency),
        tax_by_rate=tax_by_rate,
    )
    return summary


def _tax_by_rate(scope: ReportScope) -> list[dict]:
    currency = scope.currency
    rows = _summed(_rolled_up(RollupLine, scope), ("gross", "discounts", "tax"), key=F("tax_rate"))
    return [
        {
            "rate": row["key"],
            "taxable": from_minor_units(int(row["gross"] - row["discounts"]), currency),
            "tax": from_minor_units(int(row["tax"]), currency),
        }
        for row in sorted(rows, key=lambda row: row["key"])
    ]


def _lines_by(scope: ReportScope, key) -> list[dict]:
    currency = scope.currency
    rows = [
        {
            "key": row["key"],
            "label": row["key"],
            "quantity": int(row["quantity"]),
            "gross": from_minor_units(int(row["gross"]), currency),
            "discounts": from_minor_units(int(row["discounts"]), currency),
            "net": from_minor_units(int(row["gross"] - row["discounts"]), currency),
            "tax": from_minor_units(int(row["tax"]), currency),
        }
        for row in _summed(_rolled_up(RollupLine, scope), ("quantity", "gross", "discounts", "tax"), key=key)
    ]
    return sorted(rows, key=lambda row: (-row["net"], row["label"]))


def _orders_by(scope: ReportScope, rows: QuerySet, key, label, read=None) -> list[dict]:
    """Order figures of roll-up rows added up by `key` (turned back into its value by `read`), in key order."""
    found = []
    for row in _summed(rows, ORDER_FIGURES, key=key):
        value = read(row["key"]) if read else row["key"]
        found.append(
            {**_with_net(row, scope.currency), "key": value, "orders": int(row["orders"]), "label": label(value)}
        )
    return sorted(found, key=lambda row: (row["key"] is None, row["key"]))


def _staff_names(ids) -> dict:
    from accounts.models import User

    return {user.pk: str(user) for user in User.objects.using(reports_database()).filter(pk__in=ids)}


def _by_group(scope: ReportScope, group: str) -> list[dict]:
    """By local hour of day (each location's own zone), staff, type or source: keys stored as text."""
    rows = _rolled_up(RollupGroup, scope).filter(dimension=group)
    if group == "hour":
        return _orders_by(scope, rows, F("value"), label=lambda hour: f"{hour:02d}:00", read=int)
    if group == "staff":
        found = _orders_by(scope, rows, F("value"), label=str, read=lambda key: int(key) if key else None)
        names = _staff_names([row["key"] for row in found if row["key"] is not None])
        return [{**row, "label": names.get(row["key"], "(integration)")} for row in found]
    return _orders_by(scope, rows, F("value"), label=lambda value: value.replace("_", " ").title())


def _by_payment_method(scope: ReportScope) -> list[dict]:
    currency = scope.currency
    rows = _summed(_rolled_up(RollupTender, scope), ("payments", "amount", "tips", "refunds"), key=F("tender"))
    return [
        {
            "key": row["key"],
            "count": int(row["payments"]),
            "label": row["key"].title(),
            "amount": quantize_money(row["amount"], currency),
            "tips": quantize_money(row["tips"], currency),
            "refunds": quantize_money(row["refunds"], currency),
            "net": quantize_money(row["amount"] + row["tips"] - row["refunds"], currency),
        }
        for row in sorted(rows, key=lambda row: row["key"])
    ]


def sales_by(scope: ReportScope, group_by: str) -> list[dict]:
    """Sales grouped by one of GROUPS, each row with `key` and a readable `label`."""
    if group_by not in GROUPS:
        raise _invalid(
            "group_by",
            _("Group by one of %(choices)s.")
            % {
                "choices": ", ".join(GROUPS),
            },
            "reports.invalid_group",
        )
    with replica_reads():
        if group_by == "day":
            days = _rolled_up(RollupDay, scope).filter(orders__gt=0)
            return _orders_by(scope, days, F("business_day"), label=datetime.date.isoformat)
        if group_by == "item":
            return _lines_by(scope, F("name"))
        if group_by == "category":
            return _lines_by(scope, Coalesce(F("menu_item__category__name"), Value("(removed items)")))
        if group_by == "payment_method":
            return _by_payment_method(scope)
        return _by_group(scope, group_by)


@contextmanager
def _analytic_cursor():
    alias = reports_database()
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        analytic_settings(cursor)
        yield cursor


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
