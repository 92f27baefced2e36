"""Seed the bench database: the demo cafe (staff, menu, floor) and 100,000 past orders at its first location.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://.../cafepos_bench .venv/bin/python bench/seed.py

The demo data goes through the services (as `seed_demo` does, without its sales history); the past orders are
generated inside PostgreSQL in one statement per table (INSERT ... SELECT generate_series): 400 a day over the
250 days before today, three lines each (the first with a modifier), one ticket and one card payment each,
COMPLETED and PAID with receipt numbers 1 to 100,000. Eight spare locations (no staff) give pgbench's
contention-free run a location per client. Prints the ids as JSON.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from accounts.demo import seed_accounts  # noqa: E402
from accounts.models import User  # noqa: E402
from menu import demo as menu_demo  # noqa: E402
from tables import demo as tables_demo  # noqa: E402

ORDERS_PER_DAY = 400
DAYS = 250  # 100,000 orders
SPARE_LOCATIONS = 8

SPARE_SQL = """
INSERT INTO accounts_location (organization_id, name, time_zone, currency, tax_mode, business_day_cutoff_hour,
                               discount_approval_percent, kitchen_amber_minutes, kitchen_red_minutes)
SELECT organization_id, 'Bench spare ' || n, time_zone, currency, tax_mode, business_day_cutoff_hour,
       discount_approval_percent, kitchen_amber_minutes, kitchen_red_minutes
FROM accounts_location CROSS JOIN generate_series(1, %(spares)s) n WHERE id = %(location)s;

INSERT INTO cafepos_locationsequence (location_id, last_seq) SELECT id, 0 FROM accounts_location
ON CONFLICT DO NOTHING;
"""

ORDERS_SQL = """
CREATE TEMP TABLE bench_items AS
SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id, name, price, tax_rate, station
FROM menu_menuitem WHERE location_id = %(location)s AND is_active;

INSERT INTO orders_order (location_id, type, source, note, staff_id, business_day, number, status, payment_status,
    version, discount_reason, subtotal, discount_total, tax_total, tip_total, total, paid_total, refunded_total,
    receipt_number, created_at, updated_at)
SELECT %(location)s, CASE WHEN n %% 4 = 0 THEN 'DINE_IN' ELSE 'TAKEAWAY' END, 'POS', '', %(staff)s,
       current_date - d, n, 'COMPLETED', 'PAID', 3, '', 0, 0, 0, 0, 0, 0, 0,
       (%(days)s - d) * %(per_day)s + n,
       (current_date - d) + time '07:00' + make_interval(secs => n * 108),
       (current_date - d) + time '07:00' + make_interval(secs => n * 108 + 900)
FROM generate_series(1, %(days)s) d CROSS JOIN generate_series(1, %(per_day)s) n;

INSERT INTO orders_orderline (order_id, menu_item_id, name, unit_price, tax_rate, station, quantity, line_total,
                              note, voided, void_reason, created_at)
SELECT o.id, i.id, i.name, i.price, i.tax_rate, i.station, 1 + (o.id + k) %% 2, i.price * (1 + (o.id + k) %% 2),
       '', false, '', o.created_at
FROM orders_order o CROSS JOIN generate_series(1, 3) k
JOIN bench_items i ON i.idx = (o.id * 7 + k * 13) %% (SELECT count(*) FROM bench_items)
WHERE o.location_id = %(location)s;

INSERT INTO orders_orderlinemodifier (line_id, modifier_id, name, price_delta)
SELECT l.id, m.id, m.name, m.price_delta
FROM (SELECT min(id) AS id FROM orders_orderline GROUP BY order_id) l
CROSS JOIN LATERAL (SELECT id, name, price_delta FROM menu_modifier ORDER BY id LIMIT 1) m;

UPDATE orders_order o SET subtotal = s.subtotal, total = s.subtotal, paid_total = s.subtotal,
       tax_total = s.tax
FROM (SELECT order_id, sum(line_total) AS subtotal, sum(round(line_total * tax_rate / (100 + tax_rate), 2)) AS tax
      FROM orders_orderline GROUP BY order_id) s
WHERE s.order_id = o.id;

INSERT INTO orders_ticket (order_id, station, status, started_at, done_at, created_at, updated_at)
SELECT id, 'BAR', 'DONE', created_at + interval '1 minute', created_at + interval '4 minutes', created_at, created_at
FROM orders_order WHERE location_id = %(location)s;

INSERT INTO orders_payment (order_id, tender, amount, tip, change_due, card_last4, terminal_reference, reference,
                            refunded_amount, staff_id, created_at)
SELECT id, 'CARD', total, 0, 0, '', '', '', 0, staff_id, updated_at
FROM orders_order WHERE location_id = %(location)s;
"""


def seed() -> dict:
    with transaction.atomic():
        location = seed_accounts()[0]
        menu_demo.seed(location)
        tables_demo.seed(location)
    staff = User.objects.get(email="cashier@example.com")
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SELECT count(*) FROM orders_order WHERE location_id = %s", [location.pk])
        if cursor.fetchone()[0] == 0:
            params = {"location": location.pk, "staff": staff.pk, "days": DAYS, "per_day": ORDERS_PER_DAY}
            params["spares"] = SPARE_LOCATIONS
            for statement in (ORDERS_SQL + SPARE_SQL).split(";\n"):
                if statement.strip():
                    cursor.execute(statement, params)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM orders_order WHERE location_id = %s", [location.pk])
        orders = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM accounts_location WHERE name LIKE %s", ["Bench spare %"])
        spare = cursor.fetchone()[0]
    return {
        "location_id": location.pk,
        "staff_id": staff.pk,
        "spare_location_id": spare,
        "spare_locations": SPARE_LOCATIONS,
        "orders": orders,
        "seconds": round(time.monotonic() - started, 1),
    }


if __name__ == "__main__":
    print(json.dumps(seed()))
