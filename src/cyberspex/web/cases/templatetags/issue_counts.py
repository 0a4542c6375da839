"""Problems and warnings counted apart: a warning does not stop a draft from going on."""

from __future__ import annotations

from typing import Any

from django import template

from cyberspex.forms.issues import Severity

register = template.Library()


@register.filter
def errors_of(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in issues if i.get("severity") == Severity.ERROR]


@register.filter
def warnings_of(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in issues if i.get("severity") == Severity.WARNING]
