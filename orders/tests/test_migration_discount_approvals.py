"""The migration that starts keeping discount approvals backfills one for every order already approved."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("orders", "0005_visible_text_fields"), ("orders", "0006_discount_approvals")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_orders_approved_before_get_a_backfilled_approval():
    apps = migrate(BEFORE)
    try:
        Organization, Location = apps.get_model("accounts", "Organization"), apps.get_model("accounts", "Location")
        User, Order = apps.get_model("accounts", "User"), apps.get_model("orders", "Order")
        location = Location.objects.create(organization=Organization.objects.create(name="O"), name="L")
        manager = User.objects.create(email="m@example.com")
        day = datetime.date(2026, 12, 1)
        common = {"location": location, "business_day": day, "subtotal": Decimal("9.00")}
        approved = Order.objects.create(
            number=1, discount_amount=Decimal("2.00"), discount_approved_by=manager, **common
        )
        Order.objects.create(number=2, discount_amount=Decimal("0.50"), **common)  # within the threshold: no approver

        apps = migrate(AFTER)

        Approval, Order = apps.get_model("orders", "DiscountApproval"), apps.get_model("orders", "Order")
        [record] = Approval.objects.all()
        assert (record.order_id, record.approved_by_id, record.share, record.cause) == (
            approved.pk,
            manager.pk,
            Decimal("22.2223"),
            "BACKFILL",
        )
        assert Order.objects.get(pk=approved.pk).discount_approved_share == Decimal("22.2223")
    finally:  # back to the latest schema for the tests that follow
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
