"""What other code asks of delivery: emails to send (receipts, other apps' notices), the outbox handlers that turn
events into webhook deliveries and "your order is ready" emails, and resending a webhook from the back office.

Each writes its rows in the caller's transaction and queues their tasks with `delay_on_commit`, so a rolled-back
change queues nothing; a row whose task is lost is queued again by the sweeper (`tasks.deliveries_sweep`).
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Location
from cafepos.exceptions import ApplicationError
from cafepos.formatting import format_datetime, format_money, format_rate, locale_for
from cafepos.models import Event
from orders.models import Order, OrderStatus
from orders.services.pricing import order_totals

from .emails import email_write
from .models import DeliveryStatus, EmailDelivery, WebhookDelivery, retry_deadline
from .tasks import email_send, webhook_deliver
from .webhooks import webhook_deliveries_write

WEBHOOKS_HANDLER = "delivery.webhooks"
EMAILS_HANDLER = "delivery.emails"


def email_enqueue(
    *, kind: str, to: str, subject: str, body: str, location: Location | None = None, dedupe_key: str | None = None
) -> EmailDelivery:
    """Write an email to send, sent after commit; with `dedupe_key`, a second call returns the first row and sends
    nothing more."""
    email, created = email_write(kind=kind, to=to, subject=subject, body=body, location=location, dedupe_key=dedupe_key)
    if created:
        email_send.delay_on_commit(email.pk)
    return email


def _address(to: str) -> str:
    to = (to or "").strip() if isinstance(to, str) else ""
    try:
        validate_email(to)
    except ValidationError:
        raise ApplicationError(
            "email.invalid", _("Enter a valid email address."), {"to": [_("Enter a valid email address.")]}
        ) from None
    return to


def _receipt_text(order: Order) -> str:
    location = order.location
    locale = locale_for(location, language=location.language)  # a guest's paper: the location's language

    def money(amount) -> str:
        return format_money(amount, location.currency, locale)

    lines = [line for line in order.lines.all() if not line.voided]
    totals = order_totals(order, lines)
    if order.receipt_number:
        receipt = _("receipt %(number)s") % {"number": order.receipt_number}
    else:
        receipt = _("order (not fully paid yet)")
    when = format_datetime(order.created_at, location, locale)  # the location's wall clock
    heading = _("Order %(number)s, %(when)s") % {"number": order.display_number, "when": when}
    rows = [f"{location.name} — {receipt}", *_seller_rows(location), heading, ""]
    for line in lines:
        rows.append(f"{line.quantity} × {line.name:<30} {money(line.line_total):>14}")
        rows += [f"    + {modifier.name}" for modifier in line.modifiers.all()]
    rows += ["", f"{_('Subtotal'):<34} {money(order.subtotal):>14}"]
    if order.discount_total:
        rows.append(f"{_('Discount'):<34} {'-' + money(order.discount_total):>14}")
    inclusive = location.tax_mode == Location.TaxMode.INCLUSIVE
    tax_label = _("Tax %(rate)s%% (included)") if inclusive else _("Tax %(rate)s%%")
    for rate, tax in totals.taxes_by_rate.items():
        rows.append(f"{tax_label % {'rate': format_rate(rate, locale)}:<34} {money(tax):>14}")
    if order.tip_total:
        rows.append(f"{_('Tip'):<34} {money(order.tip_total):>14}")
    rows += [f"{_('Total'):<34} {money(order.total):>14}", ""]
    for payment in order.payments.all():
        rows.append(f"{payment.get_tender_display():<34} {money(payment.amount + payment.tip):>14}")
    if order.refunded_total:
        rows.append(f"{_('Refunded'):<34} {money(order.refunded_total):>14}")
    rows += ["", location.receipt_footer or _("Thank you!")]
    return "\n".join(rows)


def _seller_rows(location: Location) -> list[str]:
    """Who sold, as the law asks a receipt to say: legal name, address, tax number (those the owner filled in)."""
    rows = [location.legal_name, *location.address.splitlines()]
    if location.tax_number:
        rows.append(_("VAT/tax no. %(number)s") % {"number": location.tax_number})
    return [row for row in rows if row.strip()]


def receipt_email_send(*, order: Order, to: str) -> EmailDelivery:
    """Email the order's receipt to `to` (asked for at the POS or through the API); each request sends one."""
    to = _address(to)
    order = Order.objects.select_related("location").prefetch_related("lines__modifiers", "payments").get(pk=order.pk)
    if order.status == OrderStatus.CANCELLED:
        raise ApplicationError("receipt.cancelled", _("A cancelled order has no receipt."), status=409)
    with translation.override(order.location.language):  # the guest reads the location's language
        subject = _("Your receipt from %(location)s (%(number)s)") % {
            "location": order.location.name,
            "number": order.display_number,
        }
        body = _receipt_text(order)
    return email_enqueue(kind="RECEIPT", to=to, subject=subject, body=body, location=order.location)


def webhook_events_handle(events: list[Event]) -> None:
    """Outbox handler (one location's events): a delivery row per event and active endpoint that wants its type,
    each POSTed by a task once the relay commits."""
    for delivery_id in webhook_deliveries_write(events):
        webhook_deliver.delay_on_commit(delivery_id)


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
        with translation.override(location.language):  # the guest reads the location's language
            subject = f"Your order {order['number']} is ready"
            body = f"Your order {order['number']} at {location.name} is ready. Enjoy!"
        email_enqueue(
            kind="ORDER_READY",
            to=to,
            location=location,
            subject=subject,
            body=body,
            dedupe_key=f"order-ready:{order['id']}",
        )


def webhook_delivery_resend(*, delivery: WebhookDelivery) -> None:
    """Try a delivery again now (from admin), with a fresh 24-hour retry window; its id stays the same."""
    now = timezone.now()
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, next_attempt_at=now, retry_until=retry_deadline(), enqueued_at=now
        )
        webhook_deliver.delay_on_commit(delivery.pk)
