"""Emails as delivery rows: write one (once per `dedupe_key`) and make one attempt at sending it.

Nothing here queues a task: `services.email_enqueue` writes the row and queues the send after commit, and the task
(`tasks.email_send`) makes the attempt through Django's email backend (console by default, SMTP when configured)
and queues the retry the attempt asks for; the sweeper re-queues what is due.
"""

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Location

from .models import Attempt, DeliveryStatus, EmailDelivery


def email_write(
    *, kind: str, to: str, subject: str, body: str, location: Location | None = None, dedupe_key: str | None = None
) -> tuple[EmailDelivery, bool]:
    """Write an email to send, and whether it is new: with `dedupe_key`, a second call returns the first row."""
    with transaction.atomic():
        if dedupe_key and (existing := EmailDelivery.objects.filter(dedupe_key=dedupe_key).first()):
            return existing, False
        try:
            with transaction.atomic():
                email = EmailDelivery.objects.create(
                    kind=kind,
                    to=to,
                    subject=subject[:200],
                    body=body,
                    location=location,
                    dedupe_key=dedupe_key,
                    enqueued_at=timezone.now(),
                )
        except IntegrityError:  # the same key written concurrently
            return EmailDelivery.objects.get(dedupe_key=dedupe_key), False
    return email, True


def email_attempt(*, email_id: int) -> Attempt:
    """Send one email if it is due. A failed send asks to be tried again after a backoff (`Attempt.retry_in`)."""
    now = timezone.now()
    delay = None
    with transaction.atomic():
        email = EmailDelivery.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None:
            return Attempt("busy")
        if email.status != DeliveryStatus.PENDING:
            return Attempt("done")
        if email.next_attempt_at > now:
            return Attempt("not_due")
        email.attempts += 1
        try:
            EmailMessage(subject=email.subject, body=email.body, to=[email.to]).send()
        except Exception as error:  # any backend failure (SMTP down, refused) is retried
            delay = email.retry_later(now=timezone.now(), error=f"{type(error).__name__}: {error}")
            outcome = "failed" if email.status == DeliveryStatus.FAILED else "retry"
        else:
            email.status, email.delivered_at, email.last_error = DeliveryStatus.DELIVERED, timezone.now(), ""
            outcome = "sent"
        email.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at", "last_error"])
    return Attempt(outcome, retry_in=delay)
