"""Order and receipt numbers: gap-free per location (and day, for orders), issued under the location lock."""

from django.db import connection

from ..models import Order


def _highest(orders, field: str) -> int:
    """The highest `field` among `orders` (0 if none), read backwards along the unique index that numbers them (an
    index-only scan: MAX() through the ORM cost more to build than to run)."""
    numbers = orders.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values_list(field, flat=True)
    return numbers.first() or 0


def order_number_assign(order: Order) -> None:
    """Number a new order, inserted unnumbered: its day's highest number at its location + 1, in one statement. Only
    call under `location_lock`, which makes the numbers gap-free."""
    table = connection.ops.quote_name(Order._meta.db_table)
    # nosec B608 (the table name is the model's own, quoted; the values are parameters)
    sql = (
        f"UPDATE {table} SET number = (SELECT COALESCE(MAX(number), 0) + 1 FROM {table} "  # noqa: S608 (see above)
        "WHERE location_id = %s AND business_day = %s) WHERE id = %s RETURNING number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [order.location_id, order.business_day, order.pk])
        [order.number] = cursor.fetchone()


def next_receipt_number(location_id: int) -> int:
    """Receipts count up per location forever; orders are never deleted, so a number is never reused."""
    return _highest(Order.objects.filter(location_id=location_id), "receipt_number") + 1
