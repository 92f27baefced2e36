"""The delivery app takes over the webhook and email models from realtime, with their tables as they are.

No data moves: the tables keep their `realtime_...` names (`Meta.db_table`), so this migration only adds the models
to delivery's state (realtime's 0004 removes them from its own; it runs after this one, so the models are never
missing from the project's state). A database migrated under the old layout migrates with no SQL beyond the
content types below; a new one gets the tables from realtime's 0001 to 0003 as before.

Content types: the rows for these models are relabelled from `realtime` to `delivery` rather than left for
Django to create new ones. Their ids stay, so the permissions that point at them (`add_webhookendpoint` and the
others, granted to users and groups), the admin's history (LogEntry) and any generic relation keep working; new
rows would leave the grants on stale types. A type already present under `delivery` (created by a run of the new
code before this migration) is kept, and the old one left for `remove_stale_contenttypes`.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import cafepos.netguard
import cafepos.text
import delivery.models

MODELS = ("webhookendpoint", "webhookdelivery", "webhookattempt", "emaildelivery")


def relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=new, model__in=MODELS).values_list("model", flat=True))
    ContentType.objects.filter(app_label=old, model__in=set(MODELS) - taken).update(app_label=new)


def content_types_forward(apps, schema_editor):
    relabel(apps, "realtime", "delivery")


def content_types_backward(apps, schema_editor):
    relabel(apps, "delivery", "realtime")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("realtime", "0003_visible_text_fields"),
        ("accounts", "0004_location_max_tip_percent"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WebhookEndpoint",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("url", models.URLField(help_text="HTTPS in production; receives a POST per event. Public addresses only (WEBHOOK_ALLOWED_NETWORKS).", max_length=500, validators=[cafepos.netguard.AllowedURLValidator("WEBHOOK")])),
                        ("event_types", models.JSONField(default=list, help_text="Event types to send; empty sends every type.")),
                        ("secret", models.CharField(default=delivery.models.webhook_secret, help_text="Signs every request (HMAC-SHA256).", max_length=100)),
                        ("description", cafepos.text.VisibleCharField(blank=True, max_length=200)),
                        ("is_active", models.BooleanField(default=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("failing_since", models.DateTimeField(blank=True, help_text="First failure since the last success.", null=True)),
                        ("disabled_at", models.DateTimeField(blank=True, null=True)),
                        ("disabled_reason", models.CharField(blank=True, max_length=200)),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("location", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="webhook_endpoints", to="accounts.location")),
                    ],
                    options={
                        "db_table": "realtime_webhookendpoint",
                        "ordering": ["location_id", "url"],
                        "indexes": [models.Index(fields=["location", "is_active"], name="realtime_endpoint_location")],
                    },
                ),
                migrations.CreateModel(
                    name="WebhookDelivery",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("status", models.CharField(choices=[("PENDING", "Pending"), ("DELIVERED", "Delivered"), ("FAILED", "Given up")], default="PENDING", max_length=10)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("retry_until", models.DateTimeField(default=delivery.models.retry_deadline, help_text="Given up after this moment.")),
                        ("enqueued_at", models.DateTimeField(blank=True, help_text="When a task was last queued for it.", null=True)),
                        ("delivered_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("endpoint", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="deliveries", to="delivery.webhookendpoint")),
                        ("event_id", models.CharField(max_length=64)),
                        ("event_type", models.CharField(max_length=100)),
                        ("location_id", models.BigIntegerField()),
                        ("body", models.TextField(help_text="The exact JSON sent, the same on every attempt.")),
                    ],
                    options={
                        "db_table": "realtime_webhookdelivery",
                        "verbose_name_plural": "webhook deliveries",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="realtime_delivery_due")],
                        "constraints": [models.UniqueConstraint(fields=("endpoint", "event_id"), name="realtime_delivery_unique_event")],
                    },
                ),
                migrations.CreateModel(
                    name="WebhookAttempt",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("delivery", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="attempt_log", to="delivery.webhookdelivery")),
                        ("number", models.PositiveIntegerField()),
                        ("started_at", models.DateTimeField()),
                        ("duration_ms", models.PositiveIntegerField()),
                        ("status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("succeeded", models.BooleanField()),
                        ("error", models.TextField(blank=True)),
                        ("response_excerpt", models.CharField(blank=True, max_length=500)),
                    ],
                    options={
                        "db_table": "realtime_webhookattempt",
                        "ordering": ["delivery_id", "number"],
                    },
                ),
                migrations.CreateModel(
                    name="EmailDelivery",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("status", models.CharField(choices=[("PENDING", "Pending"), ("DELIVERED", "Delivered"), ("FAILED", "Given up")], default="PENDING", max_length=10)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("retry_until", models.DateTimeField(default=delivery.models.retry_deadline, help_text="Given up after this moment.")),
                        ("enqueued_at", models.DateTimeField(blank=True, help_text="When a task was last queued for it.", null=True)),
                        ("delivered_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("kind", models.CharField(choices=[("RECEIPT", "Receipt"), ("ORDER_READY", "Order ready"), ("DAILY_SUMMARY", "Daily summary"), ("WEBHOOK_DISABLED", "Webhook disabled")], max_length=20)),
                        ("location", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.location")),
                        ("to", models.EmailField(max_length=254)),
                        ("subject", models.CharField(max_length=200)),
                        ("body", models.TextField()),
                        ("dedupe_key", models.CharField(blank=True, max_length=200, null=True, unique=True)),
                    ],
                    options={
                        "db_table": "realtime_emaildelivery",
                        "verbose_name_plural": "email deliveries",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="realtime_email_due")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_forward, content_types_backward, elidable=False),
    ]
