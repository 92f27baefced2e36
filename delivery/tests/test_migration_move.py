"""Moving the webhook and email models from realtime to delivery keeps every row and every permission granted.

The database starts as the previous layout left it (realtime owning the models), with rows in each table and a
permission granted on a model, and is migrated forward: the delivery models read the same rows, write new ones,
and the grant holds under the new app label.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import User
from delivery.models import EmailDelivery, WebhookAttempt, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_MOVE = ("realtime", "0003_visible_text_fields")


def migrate_to_the_previous_layout():
    """Unapply delivery (and realtime's migration that follows it); the state of every other app as it is now."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_MOVE, ("delivery", None)])
    executor.loader.build_graph()
    nodes = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in ("delivery", "realtime")]
    return executor.loader.project_state([*nodes, BEFORE_MOVE]).apps


def migrate_to_the_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def test_rows_and_permissions_of_the_previous_layout_are_the_delivery_models_after_the_move():
    old = migrate_to_the_previous_layout()
    try:
        # Given the tables as realtime left them, with a row in each and a permission granted on an endpoint
        Organization, Location = old.get_model("accounts", "Organization"), old.get_model("accounts", "Location")
        OldUser, Permission = old.get_model("accounts", "User"), old.get_model("auth", "Permission")
        location = Location.objects.create(organization=Organization.objects.create(name="O"), name="L")
        owner = OldUser.objects.create(email="owner@example.com")
        owner.user_permissions.add(
            Permission.objects.get(content_type__app_label="realtime", codename="change_webhookendpoint")
        )
        at = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)
        endpoint = old.get_model("realtime", "WebhookEndpoint").objects.create(
            location=location, url="https://hooks.example.com/in", event_types=["order.paid"], secret="whsec_old",
            created_by=owner, created_at=at,
        )  # fmt: skip
        delivery = old.get_model("realtime", "WebhookDelivery").objects.create(
            endpoint=endpoint, event_id=f"evt_{location.pk}_7", event_type="order.paid", location_id=location.pk,
            body='{"id":"evt"}', attempts=1, retry_until=at + datetime.timedelta(days=1), created_at=at,
        )  # fmt: skip
        old.get_model("realtime", "WebhookAttempt").objects.create(
            delivery=delivery, number=1, started_at=at, duration_ms=120, status_code=500, succeeded=False
        )
        email = old.get_model("realtime", "EmailDelivery").objects.create(
            kind="RECEIPT", location=location, to="guest@example.com", subject="Your receipt", body="Thanks",
            dedupe_key="receipt:1", retry_until=at + datetime.timedelta(days=1), created_at=at,
        )  # fmt: skip

        # When the database is migrated to the delivery app
        migrate_to_the_latest()

        # Then the delivery models read the same rows
        moved = WebhookEndpoint.objects.get()
        assert (moved.pk, moved.url, moved.event_types, moved.secret) == (
            endpoint.pk,
            "https://hooks.example.com/in",
            ["order.paid"],
            "whsec_old",
        )
        assert (moved.location_id, moved.created_by_id, moved.created_at) == (location.pk, owner.pk, at)
        [moved_delivery] = moved.deliveries.all()
        assert (moved_delivery.pk, moved_delivery.event_id, moved_delivery.attempts) == (
            delivery.pk,
            f"evt_{location.pk}_7",
            1,
        )
        assert [(a.number, a.status_code) for a in moved_delivery.attempt_log.all()] == [(1, 500)]
        moved_email = EmailDelivery.objects.get()
        assert (moved_email.pk, moved_email.to, moved_email.dedupe_key) == (email.pk, "guest@example.com", "receipt:1")
        # and write new ones into the same tables
        WebhookAttempt.objects.create(
            delivery=moved_delivery, number=2, started_at=timezone.now(), duration_ms=80, succeeded=True
        )
        assert WebhookDelivery.objects.get().attempt_log.count() == 2
        assert WebhookDelivery._meta.db_table == "realtime_webhookdelivery"
        # and the permission granted on the realtime model holds on the delivery one (its content type relabelled)
        assert User.objects.get(pk=owner.pk).has_perm("delivery.change_webhookendpoint")
        assert not ContentType.objects.filter(app_label="realtime").exists()
    finally:  # back to the latest schema for the tests that follow
        migrate_to_the_latest()
