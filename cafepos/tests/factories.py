import factory
from django.utils import timezone

from cafepos.models import Event, IdempotencyKey


class EventFactory(factory.django.DjangoModelFactory):
    """An unpublished outbox row written directly, as a process that died right after its commit leaves it."""

    class Meta:
        model = Event

    location_id = 1
    seq = factory.Sequence(lambda n: n + 1)
    type = "test.happened"
    data = factory.LazyAttribute(lambda event: {"seq": event.seq})


class IdempotencyKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdempotencyKey

    scope = "user:1"
    key = factory.Sequence(lambda n: f"key-{n}")
    fingerprint = "0" * 64
    claimed_at = factory.LazyFunction(timezone.now)
