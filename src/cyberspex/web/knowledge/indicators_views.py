"""The public project indicators ``/indicators/`` and their PDF report
``/indicators/report.pdf?from=&to=``: thin views over ``knowledge.indicators_report``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge import indicators_report


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"params": {key: str(request.GET.get(key, ""))[:10] for key in ("from", "to")}}
    try:
        period = indicators_report.parse_period(request.GET, timezone.localdate())
    except ApplicationError as error:
        context["error"] = error
        return render(request, "knowledge/indicators/page.html", context, status=error.status)
    context.update(
        period=period,
        sections=indicators_report.sections(period),
        pdf_query=f"from={period.start.isoformat()}&to={period.end.isoformat()}",
    )
    return render(request, "knowledge/indicators/page.html", context)


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    try:
        period = indicators_report.parse_period(request.GET, timezone.localdate())
    except ApplicationError as error:
        return HttpResponse(f"{error.message}\r\n", status=error.status, content_type="text/plain; charset=utf-8")
    response = HttpResponse(indicators_report.report_pdf(period), content_type="application/pdf")
    name = f"cyberspex-indicators-{period.start.isoformat()}-{period.end.isoformat()}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=name) or "inline"
    return response
