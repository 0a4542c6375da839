"""The issuing side's view of an answer on its request page (templates/exchange/_issuer_deliveries.html)."""

from __future__ import annotations

from typing import Any

from django import template

from cyberspex.web.cases.forms import PACKAGE_LABELS
from cyberspex.web.exchange import answers
from cyberspex.web.exchange.models import Answer, Delivery, DeliveryRole

register = template.Library()


@register.simple_tag
def issuer_answer(delivery: Delivery) -> dict[str, Any] | None:
    """The answer to ``delivery`` as the issuing side sees it, with its files, their SHA-256 and
    whether each still matches. A provider served by the requested Party is shown with what the
    requested Party passed back (IssuerView.passed_back), not here."""
    found = Answer.objects.filter(delivery=delivery).first()
    if found is None or delivery.role == DeliveryRole.SERVED:
        return None
    reason = answers.REASONS.get(found.reason_code)
    return {
        "answer": found,
        "reason_label": reason.label if reason else "",
        "files": answers.file_rows(found),
    }


@register.filter
def package_label(package: str) -> str:
    """``{{ delivery.package|package_label }}``: the name of a delivered package in the page's language."""
    return str(PACKAGE_LABELS.get(package, package))
