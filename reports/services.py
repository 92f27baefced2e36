"""Writes of the reports app that other code calls: queueing a CSV export (the work: `exports.py`)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Location
from cafepos.exceptions import ApplicationError

from .models import ExportJob
from .selectors import report_scope
from .tasks import export_job_run

MAX_EXPORT_DAYS = 3660


def export_job_create(*, user, locations: list[Location], kind: str, date_from, date_to) -> ExportJob:
    """Queue a CSV export of the orders (or lines) of `locations` over a range of business days."""
    if kind not in ExportJob.Kind.values:
        message = _("The export is one of %(choices)s.") % {"choices": ", ".join(ExportJob.Kind.values)}
        raise ApplicationError("reports.invalid_export", message, {"kind": [message]})
    scope = report_scope(locations=locations, date_from=date_from, date_to=date_to, max_days=MAX_EXPORT_DAYS)
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=user, kind=kind, date_from=date_from, date_to=date_to, days_total=scope.days
        )
        job.locations.set(scope.locations)
        export_job_run.delay_on_commit(job.pk)
    return job
