"""Daily roll-ups: every summable report figure of one location's business day, computed once from the raw rows
by the definitions in orders/figures.py (shared with the Z report), kept fresh from the outbox's `order.*` events
by `rollups_refresh()`. Why a row never outlives a change, and where it is read: docs/ARCHITECTURE.md, "Reports:
daily roll-ups read the outbox".
"""

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractHour

from accounts.models import Location
from cafepos.models import Event, LocationSequence
from cafepos.money import currency_places
from orders.figures import ORDER_SUMS, REFUND_SUMS, SOLD, VOID_SUMS, order_sums, takings_by_tender, voided_lines
from orders.models import Order, Payment, Refund

from .models import RollupDay, RollupGroup, RollupLine, RollupState, RollupTender
from .routers import primary_reads

ZERO = Decimal("0")
ROLLUPS = (RollupDay, RollupGroup, RollupTender, RollupLine)
GROUPED = ("hour", "staff", "type", "source")
BUILD_STATEMENT_TIMEOUT_MS = 230_000  # under reports.tasks.rollups_refresh's soft time limit (240 s)


def _group_key(dimension: str, location: Location):
    if dimension == "hour":  # the local hour of day
        return ExtractHour("created_at", tzinfo=location.zone)
    return F(dimension)  # the staff foreign key reads as the user's id


# The order discount spread over its lines exactly as orders.services.pricing.allocate does (in minor units,
# largest remainder, ties to the lower line id), then tax per line as line_tax does, rounded half up.
# Integer division is meant for the shares (sums cast back to BIGINT: PostgreSQL sums them as numeric), and
# `* 1.0` keeps SQLite from dividing integers in the tax (it stores 10.00 as 10).
PRICED_LINES_SQL = """
WITH plain_lines AS (
    -- Orders without a discount: a line's tax depends only on its total, so equal lines are priced once.
    SELECT o.business_day, l.menu_item_id, l.name, l.tax_rate, l.line_total, COUNT(*) AS lines,
           SUM(l.quantity) AS quantity
    FROM orders_orderline l
    JOIN orders_order o ON o.id = l.order_id
    WHERE o.location_id = %(location)s AND o.business_day IN ({days})
      AND o.status <> 'CANCELLED' AND NOT l.voided AND o.discount_total = 0
    GROUP BY 1, 2, 3, 4, 5
),
plain AS (
    SELECT business_day, menu_item_id, name, tax_rate, CAST(ROUND(line_total * %(scale)s) AS BIGINT) AS w,
           lines, quantity
    FROM plain_lines
),
weighted AS (
    SELECT l.id AS line_id, l.order_id, o.business_day, l.name, l.quantity, l.tax_rate, l.menu_item_id,
           CAST(ROUND(l.line_total * %(scale)s) AS BIGINT) AS w,
           CAST(ROUND(o.discount_total * %(scale)s) AS BIGINT) AS d
    FROM orders_orderline l
    JOIN orders_order o ON o.id = l.order_id
    WHERE o.location_id = %(location)s AND o.business_day IN ({days})
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
    SELECT business_day, menu_item_id, name, tax_rate, quantity,
           w - base - CASE WHEN rnk <= leftover THEN 1 ELSE 0 END AS net,
           base + CASE WHEN rnk <= leftover THEN 1 ELSE 0 END AS share, 1 AS lines
    FROM ranked
    UNION ALL
    SELECT business_day, menu_item_id, name, tax_rate, quantity, w, 0, lines FROM plain
)
SELECT business_day, menu_item_id, name, tax_rate, SUM(quantity), SUM((net + share) * lines), SUM(share * lines),
       SUM(lines * CASE WHEN %(tax_mode)s = 'INCLUSIVE' THEN ROUND(net * 1.0 * tax_rate / (100.0 + tax_rate))
                        ELSE ROUND(net * 1.0 * tax_rate / 100.0) END)
FROM priced
GROUP BY business_day, menu_item_id, name, tax_rate
"""


def analytic_settings(cursor) -> None:
    """For one large aggregate, in a transaction: on PostgreSQL without JIT (its compile time dwarfs the gain
    here) and with room to hash a year of rows in memory, for this transaction only."""
    if cursor.db.vendor == "postgresql":
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")


def _priced_lines(location: Location, days: list[datetime.date]) -> list[RollupLine]:
    placeholders = ", ".join(f"%(day{i})s" for i in range(len(days)))
    params = {
        "location": location.pk,
        "scale": 10 ** currency_places(location.currency),
        "tax_mode": location.tax_mode,
        **{f"day{i}": day for i, day in enumerate(days)},
    }
    with connection.cursor() as cursor:
        cursor.execute(PRICED_LINES_SQL.format(days=placeholders), params)
        rows = cursor.fetchall()
    return [
        RollupLine(
            location=location,
            business_day=day,
            menu_item_id=item_id,
            name=name,
            tax_rate=Decimal(str(rate)).quantize(Decimal("0.01")),
            quantity=int(quantity),
            gross=int(gross),
            discounts=int(discounts),
            tax=int(tax),
        )
        for day, item_id, name, rate, quantity, gross, discounts, tax in rows
    ]


def _days_build(location: Location, days: list[datetime.date]) -> None:
    """Compute and store the roll-ups of these days of the location from the raw rows (about ten queries)."""
    with connection.cursor() as cursor:
        analytic_settings(cursor)
    orders = Order.objects.filter(location=location, business_day__in=days).order_by()
    sold = orders.filter(SOLD)
    refunds = {
        row["day"]: row
        for row in Refund.objects.filter(payment__order__in=orders)
        .values(day=F("payment__order__business_day"))
        .annotate(**REFUND_SUMS)
        .order_by()
    }
    voids = {
        row["day"]: row
        for row in voided_lines(sold).values(day=F("order__business_day")).annotate(**VOID_SUMS).order_by()
    }
    totals = {
        row.pop("business_day"): row
        for row in orders.values("business_day").annotate(
            orders=Count("pk", filter=SOLD), cancelled=Count("pk", filter=~SOLD), **order_sums(SOLD)
        )
    }
    nothing = {"orders": 0, "cancelled": 0, **dict.fromkeys([*ORDER_SUMS, "total"], ZERO)}
    RollupDay.objects.bulk_create(
        RollupDay(
            location=location,
            business_day=day,
            **totals.get(day, nothing),
            refunds=refunds.get(day, {}).get("refunds", ZERO),
            refund_count=refunds.get(day, {}).get("refund_count", 0),
            voids=voids.get(day, {}).get("voids", ZERO),
            void_count=voids.get(day, {}).get("void_count", 0),
        )
        for day in days
    )
    RollupGroup.objects.bulk_create(
        RollupGroup(
            location=location, dimension=dimension, **{**row, "value": "" if row["value"] is None else row["value"]}
        )
        for dimension in GROUPED
        for row in sold.values("business_day", value=_group_key(dimension, location)).annotate(
            orders=Count("pk"), **order_sums()
        )
    )
    RollupTender.objects.bulk_create(
        RollupTender(location=location, business_day=row.pop("day"), **row)
        for row in takings_by_tender(
            Payment.objects.filter(order__in=orders).annotate(day=F("order__business_day")),
            "day",
            refunds=Sum("refunded_amount"),
        )
    )
    RollupLine.objects.bulk_create(_priced_lines(location, days), batch_size=2000)


def _state_locked(location: Location) -> RollupState:
    """The location's roll-up state, locked until the transaction ends (created at the current seq: no row of
    the location is built yet then, so nothing built later can miss an earlier event)."""
    states = RollupState.objects.select_for_update().filter(location=location)
    state = states.first()
    if state is None:
        RollupState.objects.bulk_create(
            [RollupState(location=location, seq=_last_seq(location))], ignore_conflicts=True
        )
        state = states.all().first()
    return state


def _last_seq(location: Location) -> int:
    return LocationSequence.objects.filter(pk=location.pk).values_list("last_seq", flat=True).first() or 0


def _rows_delete(location: Location, days=None) -> None:
    for model in ROLLUPS:
        rows = model.objects.filter(location=location)
        (rows if days is None else rows.filter(business_day__in=days)).delete()


def _events_fold(state: RollupState, location: Location) -> None:
    """Delete the rows of the days changed by events after `state.seq`, and advance it (see the module doc)."""
    built_for = f"{location.currency} {location.tax_mode} {location.time_zone}"
    last_seq = _last_seq(location)  # read before the events: all events up to it are committed and visible
    events = list(
        Event.objects.filter(location_id=location.pk, seq__gt=state.seq)
        .order_by("seq")
        .values_list("seq", "data__order__id")
    )
    seqs = [seq for seq, _ in events]
    in_order = seqs == list(range(state.seq + 1, state.seq + 1 + len(seqs)))
    complete = in_order and (bool(seqs) or last_seq <= state.seq)  # else events were purged before being read
    if not complete or built_for != state.built_for:
        _rows_delete(location)
    else:
        order_ids = {order_id for _, order_id in events if order_id is not None}
        if order_ids:
            days = Order.objects.filter(pk__in=order_ids).values_list("business_day", flat=True).distinct()
            _rows_delete(location, list(days))
    new_seq = max([*seqs, last_seq, state.seq])
    if (new_seq, built_for) != (state.seq, state.built_for):
        state.seq, state.built_for = new_seq, built_for
        state.save(update_fields=["seq", "built_for"])


def rollups_refresh(*, locations, date_from: datetime.date, date_to: datetime.date) -> None:
    """Bring the locations' roll-ups of the range up to date with every committed change (on the primary)."""
    span = [date_from + datetime.timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    with primary_reads(), transaction.atomic():
        for location in sorted(locations, key=lambda location: location.pk):
            _events_fold(_state_locked(location), location)
            built = set(
                RollupDay.objects.filter(location=location, business_day__range=(date_from, date_to)).values_list(
                    "business_day", flat=True
                )
            )
            missing = [day for day in span if day not in built]
            if missing:
                _days_build(location, missing)


def rollups_refresh_all(*, days: int = 366) -> int:
    """Beat: fold in every location's events and build its last `days` days (the longest report, so imported
    history is built before anyone reads it); returns how many locations."""
    locations = list(Location.objects.all())
    for location in locations:
        today = location.business_day()
        with transaction.atomic():
            _long_statements_allowed()
            rollups_refresh(locations=[location], date_from=today - datetime.timedelta(days=days - 1), date_to=today)
    return len(locations)


def _long_statements_allowed() -> None:
    """The first build of a busy location's year aggregates millions of lines in one statement (8 s for the
    bench's 1.75 million): in the beat task, allow it up to the task's soft time limit rather than the
    request-sized DATABASE_QUERY_TIMEOUT, so it completes instead of failing every minute."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {BUILD_STATEMENT_TIMEOUT_MS}")
