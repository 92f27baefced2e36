"""The back-office reports dashboard (owners and managers), CSV downloads of its tables, and export jobs."""

import datetime
import functools

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cafepos.api.params import DATE_MESSAGE, parse_date, parse_id
from cafepos.exceptions import ApplicationError
from cafepos.formatting import locale_for, money_format_spec
from cafepos.money import to_minor_units

from . import selectors
from .models import ExportJob
from .report_tables import REPORT_TABLES, report_table, table_csv
from .services import export_job_create

DEFAULT_DAYS = 14
DASHBOARD_TABLES = ("day", "hour", "item", "category", "staff", "payment_method", "type", "source", "kitchen", "shifts")


def back_office_required(view):
    """Owners and managers, as for the admin site (a PIN session never gets in)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not admin.site.has_permission(request):
            return HttpResponse(_("Reports are for owners and managers."), status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _date(value: str | None, field: str) -> datetime.date | None:
    if not value:
        return None
    day = parse_date(value)
    if day is None:
        raise ApplicationError("validation_error", DATE_MESSAGE, {field: [DATE_MESSAGE]})
    return day


def _location_ids(data) -> list[int]:
    ids = [parse_id(value) for value in data.getlist("location")]
    if None in ids:
        raise ApplicationError("validation_error", _("Unknown location."), {"location": [_("Unknown location.")]})
    return ids


def _scope(request, data) -> selectors.ReportScope:
    """The scope asked for in `data` (GET or POST): `from`, `to`, and repeated `location` ids."""
    locations = selectors.report_locations(request.user, _location_ids(data))
    date_to = _date(data.get("to"), "to") or (locations[0].business_day() if locations else timezone.localdate())
    date_from = _date(data.get("from"), "from") or date_to - datetime.timedelta(days=DEFAULT_DAYS - 1)
    return selectors.report_scope(locations=locations, date_from=date_from, date_to=date_to)


def _charts(scope, tables: dict, summary: dict) -> dict:
    """Chart series in minor units (integers); the page divides for the axes and labels them with `money`."""
    currency = scope.currency

    def minor(value):
        return to_minor_units(value, currency)

    items = tables["item"].rows[:10]
    return {
        "currency": currency,
        "places": scope.locations[0].currency_places,
        "money": money_format_spec(locale_for(scope.locations[0]), currency),
        "days": {
            "labels": [r["label"] for r in tables["day"].rows],
            "net": [minor(r["net"]) for r in tables["day"].rows],
        },
        "hours": {
            "labels": [r["label"] for r in tables["hour"].rows],
            "net": [minor(r["net"]) for r in tables["hour"].rows],
        },
        "items": {"labels": [r["label"] for r in items], "net": [minor(r["net"]) for r in items]},
        "payments": {
            "labels": [r["label"] for r in tables["payment_method"].rows],
            "net": [minor(r["net"]) for r in tables["payment_method"].rows],
        },
        "kitchen": {
            "labels": [r["station"] for r in tables["kitchen"].rows],
            "p50": [r["p50"] for r in tables["kitchen"].rows],
            "p90": [r["p90"] for r in tables["kitchen"].rows],
        },
    }


@require_GET
@back_office_required
def dashboard(request):
    all_locations = selectors.report_locations(request.user)
    context = {
        **admin.site.each_context(request),
        "title": _("Reports"),
        "all_locations": all_locations,
        "export_kinds": ExportJob.Kind.choices,
        "exports": ExportJob.objects.filter(requested_by=request.user)[:10],
    }
    try:
        scope = _scope(request, request.GET)
    except ApplicationError as error:
        messages.error(request, error.message)
        return render(request, "reports/dashboard.html", context, status=400 if all_locations else 403)
    with selectors.report_batch():
        summary = selectors.sales_summary(scope)
        tables = {name: report_table(scope, name, summary=summary) for name in ("summary", "tax", *DASHBOARD_TABLES)}
    query = request.GET.copy()
    query.setlist("location", [str(pk) for pk in scope.location_ids])
    query["from"], query["to"] = scope.date_from.isoformat(), scope.date_to.isoformat()
    context.update(
        scope=scope,
        selected=set(scope.location_ids),
        summary=summary,
        tables=tables,
        charts=_charts(scope, tables, summary),
        query=query.urlencode(),
    )
    return render(request, "reports/dashboard.html", context)


@require_GET
@back_office_required
def table_download(request, name: str):
    if name not in REPORT_TABLES:
        raise Http404(_("No such report table."))
    try:
        scope = _scope(request, request.GET)
    except ApplicationError as error:
        return HttpResponse(error.message, status=error.status, content_type="text/plain")
    table = report_table(scope, name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"cafepos-{name}-{scope.date_from}-{scope.date_to}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    table_csv(table, response)
    return response


@require_POST
@back_office_required
def export_create(request):
    try:
        scope_locations = selectors.report_locations(request.user, _location_ids(request.POST))
        export_job_create(
            user=request.user,
            locations=scope_locations,
            kind=request.POST.get("kind", ExportJob.Kind.ORDERS),
            date_from=_date(request.POST.get("from"), "from") or timezone.localdate(),
            date_to=_date(request.POST.get("to"), "to") or timezone.localdate(),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Export queued: its progress shows below."))
    return redirect(f"{reverse('reports:dashboard')}?{request.POST.get('query', '')}")


def _own_job(request, pk: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None:
        raise Http404(_("No such export of yours."))
    return job


@require_GET
@back_office_required
def export_status(request, pk: int):
    job = _own_job(request, pk)
    download = reverse("reports:export-download", args=[job.pk]) if job.status == ExportJob.Status.DONE else None
    return JsonResponse(
        {"id": job.pk, "status": job.status, "progress": job.progress, "rows": job.rows_written, "download": download}
    )


@require_GET
@back_office_required
def export_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("This export is not ready."))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])
