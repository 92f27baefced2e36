"""The webhook and email models now belong to the delivery app (its 0001, which this one follows): they leave
realtime's state only. Their tables stay, under the same names, as the delivery models' tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("realtime", "0003_visible_text_fields"),
        ("delivery", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WebhookAttempt"),
                migrations.DeleteModel(name="WebhookDelivery"),
                migrations.DeleteModel(name="WebhookEndpoint"),
                migrations.DeleteModel(name="EmailDelivery"),
            ],
            database_operations=[],
        ),
    ]
