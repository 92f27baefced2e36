"""Emails as delivery rows: receipts on request, "your order is ready", and other apps' notices (daily summary).

`email_enqueue` writes the row and queues the send after commit; a task sends it through Django's email
backend (console by default, SMTP when configured), retrying with backoff; the sweeper re-queues what is due.
"""

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Location, Membership, Role
from cafepos.exceptions import ApplicationError
from cafepos.models import Event
from cafepos.money import quantize_money
from orders.models import Order, OrderStatus
from orders.services.pricing import order_totals

from .models import DeliveryStatus, EmailDelivery
from .webhooks import enqueue_on_commit

HANDLER_NAME = "realtime.emails"


def email_enqueue(
    *, kind: str, to: str, subject: str, body: str, location: Location | None = None, dedupe_key: str | None = None
) -> EmailDelivery:
    """Write an email to send; with `dedupe_key`, a second call returns the first row and sends nothing more."""
    from .tasks import email_send

    with transaction.atomic():
        if dedupe_key and (existing := EmailDelivery.objects.filter(dedupe_key=dedupe_key).first()):
            return existing
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
            return EmailDelivery.objects.get(dedupe_key=dedupe_key)
        enqueue_on_commit(email_send, [email.pk])
    return email


def email_deliver(*, email_id: int) -> str:
    """Send one email if it is due; returns what happened. A failed send is retried with backoff."""
    from .tasks import email_send

    now = timezone.now()
    with transaction.atomic():
        email = EmailDelivery.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None:
            return "busy"
        if email.status != DeliveryStatus.PENDING:
            return "done"
        if email.next_attempt_at > now:
            return "not_due"
        email.attempts += 1
        try:
            EmailMessage(subject=email.subject, body=email.body, to=[email.to]).send()
        except Exception as error:  # any backend failure (SMTP down, refused) is retried
            delay = email.retry_later(now=timezone.now(), error=f"{type(error).__name__}: {error}")
            if delay is not None:
                transaction.on_commit(lambda: email_send.apply_async((email.pk,), countdown=delay), robust=True)
            outcome = "failed" if email.status == DeliveryStatus.FAILED else "retry"
        else:
            email.status, email.delivered_at, email.last_error = DeliveryStatus.DELIVERED, timezone.now(), ""
            outcome = "sent"
        email.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at", "last_error"])
    return outcome


def owner_emails(location: Location) -> list[str]:
    """Email addresses of the active owners of the location's organization."""
    return sorted(
        set(
            Membership.objects.filter(
                is_active=True,
                user__is_active=True,
                role=Role.OWNER,
                location__organization_id=location.organization_id,
            ).values_list("user__email", flat=True)
        )
    )


def _address(to: str) -> str:
    to = (to or "").strip() if isinstance(to, str) else ""
    try:
        validate_email(to)
    except ValidationError:
        raise ApplicationError(
            "email.invalid", "Enter a valid email address.", {"to": ["Enter a valid email address."]}
        ) from None
    return to


def _receipt_text(order: Order) -> str:
    location = order.location
    currency = location.currency

    def money(amount) -> str:
        return f"{quantize_money(amount, currency)} {currency}"

    lines = [line for line in order.lines.all() if not line.voided]
    totals = order_totals(order, lines)
    receipt = f"receipt {order.receipt_number}" if order.receipt_number else "order (not fully paid yet)"
    rows = [f"{location.name} — {receipt}", f"Order {order.display_number}, {order.business_day.isoformat()}", ""]
    for line in lines:
        rows.append(f"{line.quantity} × {line.name:<30} {money(line.line_total):>14}")
        rows += [f"    + {modifier.name}" for modifier in line.modifiers.all()]
    rows += ["", f"{'Subtotal':<34} {money(order.subtotal):>14}"]
    if order.discount_total:
        rows.append(f"{'Discount':<34} {'-' + money(order.discount_total):>14}")
    included = " (included)" if location.tax_mode == Location.TaxMode.INCLUSIVE else ""
    for rate, tax in totals.taxes_by_rate.items():
        rows.append(f"{f'Tax {rate}%{included}':<34} {money(tax):>14}")
    if order.tip_total:
        rows.append(f"{'Tip':<34} {money(order.tip_total):>14}")
    rows += [f"{'Total':<34} {money(order.total):>14}", ""]
    for payment in order.payments.all():
        rows.append(f"{payment.get_tender_display():<34} {money(payment.amount + payment.tip):>14}")
    if order.refunded_total:
        rows.append(f"{'Refunded':<34} {money(order.refunded_total):>14}")
    rows += ["", "Thank you!"]
    return "\n".join(rows)


def receipt_email_send(*, order: Order, to: str) -> EmailDelivery:
    """Email the order's receipt to `to` (asked for at the POS or through the API); each request sends one."""
    to = _address(to)
    order = Order.objects.select_related("location").prefetch_related("lines__modifiers", "payments").get(pk=order.pk)
    if order.status == OrderStatus.CANCELLED:
        raise ApplicationError("receipt.cancelled", "A cancelled order has no receipt.", status=409)
    subject = f"Your receipt from {order.location.name} ({order.display_number})"
    return email_enqueue(kind="RECEIPT", to=to, subject=subject, body=_receipt_text(order), location=order.location)


def order_ready_events_handle(events: list[Event]) -> None:
    """Outbox handler (one location's events): "your order is ready" to a customer who left an email, once per
    order."""
    location = None
    for event in events:
        if event.type != "order.status_changed" or event.data.get("to") != OrderStatus.READY:
            continue
        order = event.data.get("order") or {}
        to = (order.get("customer") or {}).get("email")
        if not to:
            continue
        location = location or Location.objects.get(pk=event.location_id)
        email_enqueue(
            kind="ORDER_READY",
            to=to,
            location=location,
            subject=f"Your order {order['number']} is ready",
            body=f"Your order {order['number']} at {location.name} is ready. Enjoy!",
            dedupe_key=f"order-ready:{order['id']}",
        )
