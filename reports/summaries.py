"""The owners' daily summary email: each location's figures of the business day that closed, sent once."""

import datetime
from datetime import timedelta

from django.utils import timezone

from accounts.models import Location
from cafepos.formatting import format_date, format_money, locale_for
from delivery.models import EmailDelivery
from delivery.selectors import owner_emails
from delivery.services import email_enqueue

from .selectors import report_scope, sales_summary


def _money(location: Location, amount) -> str:
    return format_money(amount, location.currency, locale_for(location))


def _summary_text(location: Location, day: datetime.date, summary: dict) -> str:
    def money(key: str, row: dict = summary) -> str:
        return _money(location, row[key])

    rows = [
        f"{location.name} — business day {format_date(day, location, locale_for(location))}",
        "",
        f"Orders:            {summary['orders']}",
        f"Gross sales:       {money('gross')}",
        f"Discounts:         {money('discounts')}",
        f"Net sales:         {money('net')}",
        f"Tax:               {money('tax')}",
        f"Tips:              {money('tips')}",
        f"Refunds:           {money('refunds')} ({summary['refund_count']})",
        f"Voided items:      {money('voids')} ({summary['void_count']})",
        f"Average ticket:    {money('average_ticket')}",
    ]
    rows += [f"Tax {row['rate']}%:        {money('tax', row)}" for row in summary["tax_by_rate"]]
    return "\n".join(rows)


def daily_summaries_send(*, now: datetime.datetime | None = None) -> int:
    """Email each location's owners the summary of the business day that ended at its last cutoff (once)."""
    now = now or timezone.now()
    queued = 0
    for location in Location.objects.select_related("organization"):
        day = location.business_day(now) - timedelta(days=1)
        keys = {to: f"daily-summary:{location.pk}:{day.isoformat()}:{to}" for to in owner_emails(location)}
        if EmailDelivery.objects.filter(dedupe_key__in=keys.values()).count() == len(keys):
            continue  # sent already (or nobody to send it to)
        summary = sales_summary(report_scope(locations=[location], date_from=day, date_to=day))
        body = _summary_text(location, day, summary)
        for to, key in keys.items():
            email_enqueue(
                kind="DAILY_SUMMARY",
                to=to,
                location=location,
                subject=f"{location.name}: {_money(location, summary['net'])} net on {day.isoformat()}",
                body=body,
                dedupe_key=key,
            )
            queued += 1
    return queued
