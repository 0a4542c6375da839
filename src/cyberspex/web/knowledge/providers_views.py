"""The public provider and registrar policy inventory ``/providers/`` and its CSV export
(``?format=csv``): thin views over ``knowledge.providers``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge import providers


def feature_labels() -> dict[str, str]:
    return {
        "languages": _("Languages accepted for orders"),
        "electronic_submission": _("Electronic submission"),
        "user_notification": _("User notification"),
        "confidentiality": _("Confidentiality"),
        "emergency_disclosure": _("Emergency disclosure"),
        "rdap_access": _("WHOIS / RDAP access (registrars)"),
        "eu_establishment": _("EU designated establishment or legal representative (Directive (EU) 2023/1544)"),
    }


def kind_labels() -> dict[str, str]:
    return {
        "provider": _("Service provider"),
        "registrar": _("Registrar"),
        "registrar_service": _("Service for requests to registrars"),
    }


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    labels = feature_labels()
    context: dict[str, Any] = {
        "params": {key: str(request.GET.get(key, ""))[:100] for key in ("q", "state", "feature")},
        "features": list(labels.items()),
    }
    try:
        search = providers.parse_search(request.GET)
    except ApplicationError as error:
        if request.GET.get("format") == "csv":
            return HttpResponse(f"{error.message}\r\n", status=error.status, content_type="text/plain; charset=utf-8")
        context["error"] = error
        return render(request, "knowledge/providers/list.html", context, status=error.status)
    rows = providers.inventory(search)
    if request.GET.get("format") == "csv":
        response = HttpResponse(providers.csv_text(rows).encode("utf-8"), content_type="text/csv; charset=utf-8; header=present")
        name = "cyberspex-provider-policies.csv"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
        return response
    kinds = kind_labels()
    shown = []
    for row in rows:
        recorded = row["recorded"]
        shown.append(
            {
                "name": row["name"],
                "recorded": recorded,
                "kind": kinds.get(recorded["kind"], recorded["kind"]) if recorded else "",
                "recorded_policies": [(labels[n], recorded["policies"][n]) for n in providers.FEATURES] if recorded else [],
                "kept": [
                    kept | {"shown": [(labels[n], kept["policies"][n]) for n in providers.FEATURES]} for kept in row["kept"]
                ],
            }
        )
    query = {k: v for k, v in (("q", search.query), ("state", search.state), ("feature", search.feature)) if v}
    context.update(rows=shown, csv_query=urlencode(query | {"format": "csv"}))
    return render(request, "knowledge/providers/list.html", context)
