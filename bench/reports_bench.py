"""Reports on a year of a busy two-location cafe: 1,000,000 orders, timed for a day, a month and a year.

    .venv/bin/python bench/reports_bench.py                 # seed (once) and measure
    .venv/bin/python bench/reports_bench.py --reseed        # drop the bench database and seed again

--database-url or BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cafepos_reports_bench) names a
database of its own,
created and migrated here. Rows are generated inside PostgreSQL (INSERT ... SELECT generate_series), not through
the services: 2 locations × 365 days × ~1,370 orders, business-hour peaks, 1–6 lines each, 6 % discounted,
1 % of lines voided, 1 % cancelled, 0.5 % refunded, one kitchen or bar ticket per order. Then every report the
dashboard shows is timed through `reports.selectors`, best of three runs, after timing the one-off build of the
daily roll-ups (dropped first, so the first read after seeding builds a year of them).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cafepos_reports_bench"
ORDERS_PER_LOCATION_DAY = 1370  # × 2 locations × 365 days ≈ 1,000,000 orders
DAYS = 365

SEED_SQL = """
INSERT INTO accounts_organization (name, customer_data_retention_days) VALUES ('Bench Coffee', 365);
INSERT INTO accounts_location (organization_id, name, time_zone, currency, tax_mode, business_day_cutoff_hour,
                               discount_approval_percent, kitchen_amber_minutes, kitchen_red_minutes)
SELECT o.id, 'Bench ' || n, 'Europe/Paris', 'EUR', 'INCLUSIVE', 4, 10, 5, 10
FROM accounts_organization o CROSS JOIN generate_series(1, 2) n;
INSERT INTO accounts_user (email, full_name, password, pin_hash, is_active, is_staff, is_superuser, date_joined)
SELECT 'bench' || n || '@example.com', 'Bench staff ' || n, '!', '', true, false, false, now()
FROM generate_series(1, 8) n;
INSERT INTO menu_category (location_id, name, sort_order, is_active)
SELECT l.id, c, 0, true FROM accounts_location l CROSS JOIN unnest(ARRAY['Coffee', 'Tea', 'Pastries', 'Food']) c;
INSERT INTO menu_menuitem (location_id, category_id, name, description, price, tax_rate, sku, image, sort_order,
                           is_active, is_sold_out, station)
SELECT l.id, c.id, 'Item ' || n, '', 2 + (n % 9) * 0.6, CASE WHEN n % 4 = 2 THEN 5.50 ELSE 10.00 END, 'B' || n, '', n,
       true, false, CASE WHEN n % 4 = 3 THEN 'KITCHEN' WHEN n % 4 = 2 THEN 'NONE' ELSE 'BAR' END
FROM accounts_location l CROSS JOIN generate_series(1, 40) n
CROSS JOIN LATERAL (SELECT id FROM menu_category WHERE location_id = l.id ORDER BY id OFFSET n % 4 LIMIT 1) c;
CREATE TEMP TABLE bench_items AS
SELECT location_id, sort_order AS idx, id AS item_id, name, price, tax_rate, station FROM menu_menuitem;
CREATE INDEX ON bench_items (location_id, idx);

-- Orders: hours weighted to a breakfast and a lunch peak.
INSERT INTO orders_order (location_id, type, source, note, staff_id, business_day, number, status, payment_status,
    version, discount_reason, subtotal, discount_total, tax_total, tip_total, total, paid_total, refunded_total,
    receipt_number, created_at, updated_at, discount_percent)
SELECT location_id,
       CASE WHEN r1 < 0.7 THEN 'TAKEAWAY' WHEN r1 < 0.95 THEN 'DINE_IN' ELSE 'DELIVERY' END,
       CASE WHEN r2 < 0.85 THEN 'POS' ELSE 'API' END, '',
       (SELECT min(id) FROM accounts_user) + (i % 8),
       date '2025-01-01' + d, i,
       CASE WHEN r2 < 0.01 THEN 'CANCELLED' ELSE 'COMPLETED' END, 'PAID', 1, '',
       0, 0, 0, 0, 0, 0, 0,
       d * 2000 + i,
       ((date '2025-01-01' + d) + make_interval(
            hours => (ARRAY[7,8,8,8,9,9,9,10,10,11,11,12,12,12,12,13,13,13,14,15,16,17,18])[1 + floor(r3 * 23)::int],
            mins => i % 60)) AT TIME ZONE 'Europe/Paris',
       now(),
       CASE WHEN r4 < 0.06 THEN 10 END
FROM (SELECT l.id AS location_id, d, i, random() AS r1, random() AS r2, random() AS r3, random() AS r4
      FROM accounts_location l CROSS JOIN generate_series(0, %(days)s - 1) d
      CROSS JOIN generate_series(1, %(per_day)s) i) s;

INSERT INTO orders_orderline (order_id, menu_item_id, name, unit_price, tax_rate, station, quantity, line_total,
                              note, voided, void_reason, created_at)
SELECT p.order_id, b.item_id, b.name, b.price, b.tax_rate, b.station, p.q, b.price * p.q, '', p.v < 0.01, '',
       p.created_at
FROM (SELECT o.id AS order_id, o.location_id, o.created_at, 1 + floor(random() * 40)::int AS pick,
             1 + floor(random() * 1.3)::int AS q, random() AS v
      FROM orders_order o CROSS JOIN LATERAL generate_series(1, 1 + floor(random() * 6 + o.id * 0)::int) n) p
JOIN bench_items b ON b.location_id = p.location_id AND b.idx = p.pick;

UPDATE orders_order o SET subtotal = s.subtotal,
       discount_total = CASE WHEN o.discount_percent IS NOT NULL THEN round(s.subtotal * 0.10, 2) ELSE 0 END,
       tax_total = s.tax
FROM (SELECT order_id, sum(line_total) AS subtotal, sum(round(line_total * tax_rate / (100 + tax_rate), 2)) AS tax
      FROM orders_orderline WHERE NOT voided GROUP BY order_id) s
WHERE s.order_id = o.id;
UPDATE orders_order SET tip_total = CASE WHEN id % 7 = 0 THEN 1 ELSE 0 END;
UPDATE orders_order
SET total = subtotal - discount_total + tip_total, paid_total = subtotal - discount_total + tip_total;

INSERT INTO orders_payment (order_id, tender, amount, tip, change_due, card_last4, terminal_reference, reference,
                            refunded_amount, staff_id, created_at)
SELECT id, CASE WHEN id % 10 < 6 THEN 'CARD' WHEN id % 10 < 9 THEN 'CASH' ELSE 'OTHER' END,
       total - tip_total, tip_total, 0, '', '', '', 0, staff_id, created_at + interval '20 minutes'
FROM orders_order WHERE status <> 'CANCELLED';
INSERT INTO orders_refund (payment_id, amount, reason, staff_id, terminal_reference, created_at)
SELECT id, round(amount / 2, 2), 'Bench', staff_id, '', created_at + interval '1 hour'
FROM orders_payment WHERE id % 200 = 0;
UPDATE orders_payment p SET refunded_amount = r.amount FROM orders_refund r WHERE r.payment_id = p.id;
UPDATE orders_order o SET refunded_total = p.refunded_amount, paid_total = o.paid_total - p.refunded_amount,
       payment_status = 'PARTIALLY_REFUNDED'
FROM orders_payment p WHERE p.order_id = o.id AND p.refunded_amount > 0;

INSERT INTO orders_ticket (order_id, station, status, started_at, done_at, created_at, updated_at)
SELECT id, CASE WHEN id % 3 = 0 THEN 'KITCHEN' ELSE 'BAR' END, 'DONE',
       created_at + interval '1 minute', created_at + make_interval(secs => 90 + (id * 7919 % 780)),
       created_at, created_at
FROM orders_order WHERE status <> 'CANCELLED';
"""


def _admin(url: str, sql: str) -> None:
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    subprocess.run(["psql", admin_url, "-q", "-c", sql], check=False, capture_output=True)  # noqa: S603, S607


def seed(url: str, *, reseed: bool) -> None:
    name = urlsplit(url).path.lstrip("/")
    if reseed:
        _admin(url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin(url, f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cafepos.settings", "DATABASE_POOL_MAX": "0"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        if connection.execute("SELECT count(*) FROM orders_order").fetchone()[0]:
            return
        started = time.monotonic()
        sql = SEED_SQL.replace("%(days)s", str(DAYS)).replace("%(per_day)s", str(ORDERS_PER_LOCATION_DAY))
        with connection.transaction():
            connection.execute("SET LOCAL synchronous_commit = off")
            connection.execute(sql)
        connection.execute("VACUUM ANALYZE")
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("orders_order", "orders_orderline", "orders_payment", "orders_ticket", "orders_refund")
        }
        print(f"seeded in {time.monotonic() - started:.0f} s: {counts}")


def measure(url: str) -> None:
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cafepos.settings", "DATABASE_POOL_MAX": "0"})
    os.environ.setdefault("DATABASE_QUERY_TIMEOUT", "60000")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime

    from accounts.models import Location
    from reports import rollups, selectors
    from reports.models import RollupState

    location = Location.objects.order_by("pk").first()
    last = datetime.date(2025, 1, 1) + datetime.timedelta(days=DAYS - 1)
    ranges = {
        "day": last,
        "month": last - datetime.timedelta(days=29),
        "year": last - datetime.timedelta(days=DAYS - 1),
    }
    reports = {
        "summary": selectors.sales_summary,
        **{f"by {group}": (lambda scope, group=group: selectors.sales_by(scope, group)) for group in selectors.GROUPS},
        "kitchen speed": selectors.kitchen_speed,
        "z reports": selectors.z_reports,
    }
    scopes = {
        label: selectors.report_scope(locations=[location], date_from=start, date_to=last)
        for label, start in ranges.items()
    }

    for model in (*rollups.ROLLUPS, RollupState):  # as right after seeding: nothing built yet
        model.objects.all().delete()
    both = Location.objects.filter(organization_id=location.organization_id)
    year = scopes["year"]
    builds = []
    for scope in (year, selectors.report_scope(locations=list(both), date_from=year.date_from, date_to=year.date_to)):
        began = time.perf_counter()
        selectors.sales_summary(scope)
        builds.append(time.perf_counter() - began)
    print(
        f"first read of a year (builds its roll-ups): one location {builds[0]:.1f} s, then the other {builds[1]:.1f} s"
    )
    print()

    def best_of_three(run) -> float:
        timings = []
        for _ in range(3):
            began = time.perf_counter()
            run()
            timings.append(time.perf_counter() - began)
        return min(timings)

    def dashboard(scope) -> None:
        with selectors.report_batch():  # as the dashboard view: the line aggregate is shared
            for report in reports.values():
                report(scope)

    print(f"| report | {' | '.join(ranges)} |")
    print(f"|---|{'---|' * len(ranges)}")
    for name, report in reports.items():
        cells = [f"{best_of_three(lambda s=scope, r=report: r(s)) * 1000:.0f} ms" for scope in scopes.values()]
        print(f"| {name} | {' | '.join(cells)} |")
    cells = []
    for start in ranges.values():
        scope = selectors.report_scope(locations=list(both), date_from=start, date_to=last)
        cells.append(f"{best_of_three(lambda s=scope: selectors.sales_summary(s)) * 1000:.0f} ms")
    print(f"| summary, both locations (2 × the orders) | {' | '.join(cells)} |")
    cells = [f"{best_of_three(lambda s=scope: dashboard(s)):.2f} s" for scope in scopes.values()]
    print(f"| **whole dashboard** (all of the above, line aggregate shared) | {' | '.join(cells)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="drop the bench database and seed it again")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    url = args.database_url
    seed(url, reseed=args.reseed)
    measure(url)


if __name__ == "__main__":
    main()
