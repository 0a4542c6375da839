"""Curated changes in a curator's terms: a State, a treaty, what (signature, consent, entry into
force, status, a reservation or declaration) and the value, mapped to a patch of the State's
document (refdata/overlay.py). Used by the propose form, the API and the import of rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cyberspex.law.model import Treaty
from cyberspex.law.status import ETS_POSITION_CODES
from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge.curation import (
    SourceInput,
    Target,
    check_source,
    current_value,
    propose,
    provenance,
    require_curator,
)
from cyberspex.web.knowledge.models import Change, SourceKind
from cyberspex.web.knowledge.reference import current_reference

TREATIES = {"ets185": Treaty.ETS_185, "cets224": Treaty.CETS_224}
INSTRUMENT_IDS = {"ets185": "ets-185", "cets224": "cets-224"}  # their keys in instruments.yaml
TREATY_LABELS = {"ets185": "ETS 185", "cets224": "CETS 224"}
WHAT = {
    "signature": _("Signature (date)"),
    "consent": _("Ratification or other consent to be bound (date and kind): the State becomes a Party"),
    "entry_into_force": _("Entry into force (date; ETS 185 only: for CETS 224 it is computed)"),
    "status": _("Status (party or signatory)"),
    "position": _("A reservation, declaration, notification or communication (its code)"),
}
CONSENT_KINDS = ("ratification", "accession", "acceptance", "approval")
STATUSES = ("party", "signatory")
SCOPES = ("every_case", "identified_circumstances")
# The columns of an import (CSV header or YAML keys of each row).
COLUMNS = (
    "state",
    "treaty",
    "what",
    "date",
    "kind",
    "status",
    "code",
    "summary",
    "scope",
    "note",
    "source_url",
    "source_title",
    "source_kind",
    "as_of",
    "verified_by",
    "reason",
)


@dataclass(frozen=True)
class Fact:
    """One value of a State's record of a treaty, as a curator states it."""

    state: str  # ISO 3166-1 alpha-2, a State with a file in data/states
    treaty: str  # ets185 or cets224
    what: str  # a key of WHAT
    date: date | None = None
    kind: str = ""  # consent: ratification, accession, acceptance or approval
    status: str = ""  # status: party or signatory
    code: str = ""  # position: its code in the register
    summary: str = ""  # position: what it says
    scope: str = ""  # position: every_case or identified_circumstances (optional)
    note: str = ""


def state_codes() -> list[str]:
    return sorted(current_reference().states)


def position_codes(treaty: str) -> list[str]:
    if treaty == "ets185":
        return list(ETS_POSITION_CODES)
    return sorted(current_reference().register)


def parse_date(text: Any, field: str, problems: list[str]) -> date | None:
    if isinstance(text, date):
        return text
    value = str(text or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{field}: {value!r} is not a date (YYYY-MM-DD)")
        return None


def fact_problems(fact: Fact, *, today: date) -> list[str]:
    """What is missing, unknown or impossible in ``fact``, each naming its field."""
    problems = _date_problems(fact, today)
    if fact.state not in current_reference().states:
        problems.append(f"state: {fact.state!r} is not a State the reference data has a record of")
    if fact.treaty not in TREATIES:
        problems.append(f"treaty: {fact.treaty!r} is not ets185 or cets224")
    if fact.what not in WHAT:
        problems.append(f"what: {fact.what!r} is not one of {', '.join(WHAT)}")
    if fact.what in {"signature", "consent", "entry_into_force"} and fact.date is None:
        problems.append(f"date: a {fact.what.replace('_', ' ')} needs its date")
    if fact.what == "consent" and fact.kind not in CONSENT_KINDS:
        problems.append(f"kind: the kind of consent is one of {', '.join(CONSENT_KINDS)}")
    if fact.what == "status" and fact.status not in STATUSES:
        problems.append(f"status: {fact.status!r} is not party or signatory")
    if fact.what == "position":
        if fact.treaty in TREATIES and fact.code not in position_codes(fact.treaty):
            problems.append(f"code: {fact.code!r} is not a known position code of {TREATY_LABELS[fact.treaty]}")
        if not fact.summary.strip():
            problems.append("summary: say what the reservation or declaration provides")
        if fact.scope and fact.scope not in SCOPES:
            problems.append(f"scope: {fact.scope!r} is not one of {', '.join(SCOPES)}")
    return problems


def opened_for_signature(treaty: str) -> date | None:
    """The date the treaty (ets185, cets224) was opened for signature, from instruments.yaml."""
    instrument = current_reference().instruments.get(INSTRUMENT_IDS.get(treaty, ""))
    fact = instrument.dates.get("opened_for_signature") if instrument else None
    return fact.when if fact else None


def _date_problems(fact: Fact, today: date) -> list[str]:
    """A treaty event cannot lie after today, nor before the treaty was opened for signature."""
    if fact.date is None:
        return []
    problems = []
    if fact.date > today:
        problems.append(f"date: {fact.date.isoformat()} is after today ({today.isoformat()})")
    opened = opened_for_signature(fact.treaty) if fact.treaty in TREATIES else None
    if opened is not None and fact.date < opened:
        label = TREATY_LABELS[fact.treaty]
        problems.append(f"date: {fact.date.isoformat()} is before {label} was opened for signature ({opened.isoformat()})")
    return problems


def fact_target(fact: Fact, source: SourceInput, source_id: str) -> Target:
    """The patch of ``states/<State>.yaml`` that records ``fact`` with its source."""
    file = f"states/{fact.state}.yaml"
    prov = provenance(source, source_id, fact.note)
    block = current_value(file, fact.treaty)
    iso_date = fact.date.isoformat() if fact.date else None
    label = f"{current_reference().states[fact.state].name}: {TREATY_LABELS[fact.treaty]}"
    if fact.what == "consent":
        value = dict(block or {})
        value["status"] = {"value": "party", **prov}
        value["consent"] = {"date": iso_date, "kind": fact.kind, **prov}
        return Target(file, fact.treaty, value, f"{label} {fact.kind} of {iso_date}")
    if fact.what == "position":
        item = {"code": fact.code, "summary": fact.summary, **({"scope": fact.scope} if fact.scope else {}), **prov}
        if block is None:
            raise_missing(label)
        return Target(file, f"{fact.treaty}.positions[{fact.code}]", item, f"{label} position {fact.code}")
    if fact.what == "status":
        value_status: dict[str, Any] = {"value": fact.status, **prov}
        if block is None:
            return Target(file, fact.treaty, {"status": value_status}, f"{label} status {fact.status}")
        return Target(file, f"{fact.treaty}.status", value_status, f"{label} status {fact.status}")
    dated = {"date": iso_date, **prov}
    words = fact.what.replace("_", " ")
    if block is None:
        if fact.what != "signature":
            raise_missing(label)
        return Target(
            file, fact.treaty, {"status": {"value": "signatory", **prov}, "signature": dated}, f"{label} {words} {iso_date}"
        )
    return Target(file, f"{fact.treaty}.{fact.what}", dated, f"{label} {words} {iso_date}")


def raise_missing(label: str) -> None:
    raise ApplicationError(
        f"{label}: the data has no record of this treaty for the State yet: record its signature first", status=422
    )


def current_entry(fact_state: str, treaty: str, what: str, code: str = "") -> tuple[Any, str]:
    """The value the data holds now for a fact (or None) and the URL of its source, for the form."""
    if fact_state not in current_reference().states or treaty not in TREATIES:
        return None, ""
    block = current_value(f"states/{fact_state}.yaml", treaty)
    if not isinstance(block, dict):
        return None, ""
    if what == "position":
        value = next((p for p in block.get("positions", []) if p.get("code") == code), None)
    elif what == "consent":  # becoming a Party changes the status too: show both
        value = {key: block[key] for key in ("status", "consent") if block.get(key)}
    else:
        value = block.get(what)
    shown = (value.get("consent") or value.get("status")) if what == "consent" and value else value
    source_id = shown.get("source") if isinstance(shown, dict) else None
    source = current_reference().sources.get(source_id) if source_id else None
    return value, (source.url if source else "")


# -- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of an import: its number (1 = the first data row), the fact and its source."""

    number: int
    fact: Fact
    source: SourceInput


def read_rows(content: str, kind: str) -> list[dict[str, Any]]:
    """The rows of a CSV text (with a header) or a YAML list of mappings; ValueError if unreadable."""
    if kind == "csv":
        reader = csv.DictReader(io.StringIO(content))
        unknown = [c for c in reader.fieldnames or [] if c not in COLUMNS]
        if unknown:
            raise ValueError(f"unknown column(s): {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}")
        return list(reader)
    try:
        loaded = yaml.safe_load(content)
    except yaml.YAMLError as error:
        raise ValueError(f"not valid YAML: {error}") from error
    if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
        raise ValueError("a YAML import is a list of rows, each a mapping of the columns")
    return loaded


def parse_row(number: int, data: dict[str, Any], *, today: date) -> tuple[Row | None, list[str]]:
    """A row of an import checked field by field: the row, or every problem it has."""
    problems: list[str] = []
    text = {k: str(v).strip() if v is not None else "" for k, v in data.items()}
    unknown = [k for k in text if k not in COLUMNS]
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)}")
    fact = Fact(
        state=text.get("state", "").upper(),
        treaty=text.get("treaty", "").lower().replace(" ", ""),
        what=text.get("what", ""),
        date=parse_date(data.get("date"), "date", problems),
        kind=text.get("kind", ""),
        status=text.get("status", ""),
        code=text.get("code", ""),
        summary=text.get("summary", ""),
        scope=text.get("scope", ""),
        note=text.get("note", ""),
    )
    problems += fact_problems(fact, today=today)
    as_of = parse_date(data.get("as_of"), "as_of", problems)
    if not text.get("source_url"):
        problems.append("source_url: every change needs the URL of its source")
    if as_of is None and not any(p.startswith("as_of") for p in problems):
        problems.append("as_of: every change needs the date its source was consulted (YYYY-MM-DD)")
    source = SourceInput(
        url=text.get("source_url", ""),
        title=text.get("source_title", ""),
        kind=text.get("source_kind", "") or SourceKind.OFFICIAL,
        as_of=as_of or date.min,
        verified_by=text.get("verified_by", ""),
        reason=text.get("reason", ""),
    )
    if text.get("source_url"):
        problems += [f"{field}: {message}" for field, message in check_source(source, today=today)]
    return (None if problems else Row(number, fact, source)), problems


def propose_fact(user: User, *, fact: Fact, source: SourceInput, now: datetime) -> Change:
    """Propose the change that records ``fact``; 422 naming every problem of the fact first."""
    require_curator(user)
    if problems := fact_problems(fact, today=now.date()):
        raise ApplicationError("; ".join(problems), field=problems[0].split(":", 1)[0], status=422)
    return propose(user, build=lambda source_id: fact_target(fact, source, source_id), source=source, now=now)


class ImportRefused(ApplicationError):
    """An import with at least one bad row: nothing was stored; ``rows`` says what is wrong with each."""

    def __init__(self, rows: list[dict[str, Any]], message: str = "") -> None:
        bad = len(rows)
        super().__init__(
            message or f"{bad} row(s) of the import have problems; nothing was stored",
            status=400,
            extra={"rows": rows},
        )
        self.rows = rows


def import_changes(user: User, *, content: str, kind: str, now: datetime) -> list[Change]:
    """Propose one change per row of a CSV or YAML import, all or none: a row with any problem
    (unknown State, invalid date, unknown position code, missing source URL or date, or a value
    that would make the data invalid) refuses the whole import with a report of every row's problems."""
    require_curator(user)
    try:
        raw_rows = read_rows(content, kind)
    except ValueError as error:
        raise ImportRefused([{"row": 0, "problems": [str(error)]}], f"the import cannot be read: {error}") from error
    if not raw_rows:
        raise ImportRefused([{"row": 0, "problems": ["the import has no rows"]}], "the import has no rows")
    report: list[dict[str, Any]] = []
    parsed: list[Row] = []
    for number, data in enumerate(raw_rows, start=1):
        row, problems = parse_row(number, data, today=now.date())
        if row is None:
            report.append({"row": number, "problems": problems})
        else:
            parsed.append(row)
    if report:
        raise ImportRefused(report)
    made: list[Change] = []
    with transaction.atomic():
        for row in parsed:
            try:
                made.append(propose_fact(user, fact=row.fact, source=row.source, now=now))
            except ApplicationError as error:
                problems = [f"{p['file']}: {p['key']}: {p['message']}" for p in error.extra.get("problems", [])]  # type: ignore[attr-defined]
                report.append({"row": row.number, "problems": problems or [error.message]})
        if report:
            raise ImportRefused(report)
    return made
