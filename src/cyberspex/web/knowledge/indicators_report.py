"""The project indicators for a period: the period's validation, the JSON form of the sections
(``GET /api/v1/indicators``) and the PDF report, rendered by the forms' PDF engine
(``cyberspex.forms.render_pdf``) from a :class:`cyberspex.forms.document.Document`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cyberspex.forms.document import Document, Line
from cyberspex.forms.document import Section as DocumentSection
from cyberspex.forms.render_pdf import render_pdf
from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge import indicators
from cyberspex.web.knowledge.indicators import Section

EARLIEST = dt.date(2001, 11, 23)  # the Budapest Convention opened for signature: nothing to count before


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(params: Any, name: str, default: dt.date) -> dt.date:
    text = str(params.get(name) or "").strip()
    if not text:
        return default
    message = f"{name} must be a date as YYYY-MM-DD, e.g. 2026-01-31"
    if not _ISO_DATE.match(text):
        raise ApplicationError(message, field=name)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApplicationError(message, field=name) from None


def parse_period(params: Any, today: dt.date) -> Period:
    """``from`` and ``to`` (both included) from a query string; by default the current year up to
    ``today``. A clear 400 naming the parameter when a date is malformed, the period ends before it
    starts, starts before 2001-11-23 or ends after today."""
    start = _date(params, "from", today.replace(month=1, day=1))
    end = _date(params, "to", today)
    if start < EARLIEST:
        raise ApplicationError(f"from must be on or after {EARLIEST.isoformat()}", field="from")
    if end > today:
        raise ApplicationError(f"to must not be after today ({today.isoformat()})", field="to")
    if start > end:
        raise ApplicationError("the period ends before it starts: to must be on or after from", field="to")
    return Period(start, end)


def sections(period: Period) -> list[Section]:
    return indicators.sections(period.start, period.end)


def as_json(period: Period) -> dict[str, Any]:
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "figures": [{"label": label, "value": value} for label, value in s.figures],
                "tables": [
                    {"caption": t.caption, "headings": list(t.headings), "rows": [list(row) for row in t.rows]} for t in s.tables
                ],
                "source": s.source,
                "notes": list(s.notes),
            }
            for s in sections(period)
        ],
    }


def _document_sections(section: Section) -> list[DocumentSection]:
    """An indicator section as report sections: its figures (with its source and notes), then one
    report section per table, each row a line (label: the row's first cell; value: the other
    cells as "heading: value")."""
    note = " ".join([*section.notes, _("Source: %(source)s") % {"source": section.source} if section.source else ""]).strip()
    out = [
        DocumentSection(
            title=section.title,
            lines=tuple(
                Line(f"{section.key}.figure.{i}", label, str(value), "") for i, (label, value) in enumerate(section.figures)
            ),
            note=note or None,
        )
    ]
    for t_index, table in enumerate(section.tables):
        lines = tuple(
            Line(
                f"{section.key}.table.{t_index}.{r_index}",
                str(row[0]),
                "; ".join(f"{heading}: {cell}" for heading, cell in zip(table.headings[1:], row[1:], strict=False)),
                "",
            )
            for r_index, row in enumerate(table.rows)
        )
        out.append(DocumentSection(title=table.caption, lines=lines))
    return out


def document(period: Period) -> Document:
    """The report as a forms Document (the forms' layout: one table of label, value and citation
    per section; the citation column stays empty)."""
    title = _("CyberSPEX project indicators")
    return Document(
        form_id="indicators-report",
        package="full",
        language=(get_language() or "en").split("-")[0],
        title=title,
        subtitle=_("Period from %(start)s to %(end)s") % {"start": period.start.isoformat(), "end": period.end.isoformat()},
        statement=_(
            "Indicators of the project outline (Outcomes 1 to 3) for the period, computed from the reference data "
            "and the records of this platform. Values not verified against an official source are marked so in the "
            "data; see the portal pages for each value's source."
        ),
        sections=tuple(part for s in sections(period) for part in _document_sections(s)),
        footer=(
            _("Period: %(start)s to %(end)s (both included).")
            % {"start": period.start.isoformat(), "end": period.end.isoformat()},
            _("Generated by CyberSPEX."),
        ),
        labels={
            "page": _("Page"),
            "of": _("of"),
            "needs_translation": _("needs translation"),
            "signature": _("Signature"),
            "seal": _("Seal"),
        },
    )


def report_pdf(period: Period) -> bytes:
    return render_pdf(document(period))
