"""Cross-file checks on the reference data, and the staleness / verification report."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pycountry
from pydantic import BaseModel

from cyberspex.law.citations import Citation, Instrument, cite
from cyberspex.law.routes import ROUTE_IDS, ROUTES
from cyberspex.law.status import ETS_POSITION_CODES
from cyberspex.law.treaty_dates import first_day_after_three_months, is_edge_case
from cyberspex.refdata import schema
from cyberspex.refdata.loader import Problem, RawData

REQUIRED_DATES = {
    "ets-185": "entry_into_force",
    "reg-2023-1543": "applicable_from",
    "dir-2014-41": "applicable_from",
}


def walk(value: object, path: str = "") -> Iterator[tuple[str, schema.Provenance]]:
    """Yield (key path, provenance) for every sourced value inside a parsed file."""
    if isinstance(value, schema.Provenance):
        yield path, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from walk(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            code = getattr(item, "code", None) or getattr(item, "route", None)
            yield from walk(item, f"{path}[{code or index}]")


def files(raw: RawData) -> Iterator[tuple[str, object]]:
    yield "sources.yaml", raw.sources
    yield "instruments.yaml", raw.instruments
    yield "eu.yaml", raw.eu
    yield "cets224-register.yaml", raw.register
    yield "ranking.yaml", raw.ranking
    for name, state in raw.states.items():
        yield f"states/{name}.yaml", state
    if raw.providers is not None:
        yield "providers.yaml", raw.providers
    if raw.implementation is not None:
        yield "implementation.yaml", raw.implementation


def _sources(raw: RawData) -> Iterator[Problem]:
    for file, content in files(raw):
        for key, prov in walk(content):
            if prov.source not in raw.sources:
                yield Problem(file, f"{key}.source", f"unknown source id {prov.source!r} (not in sources.yaml)")


def _source_kinds(raw: RawData) -> Iterator[Problem]:
    """A value's tags must agree with the kind of its source (sources.yaml ``kind``)."""
    for file, content in files(raw):
        if file == "sources.yaml":
            continue
        for key, prov in walk(content):
            source = raw.sources.get(prov.source)
            if source is None:
                continue  # reported by _sources
            if source.kind == "secondary" and prov.verified:
                yield Problem(
                    file,
                    f"{key}.verified",
                    f"marked verified but its source {prov.source} is secondary: only an official record or text verifies",
                )
            elif source.kind == "secondary" and not prov.secondary:
                yield Problem(file, f"{key}.secondary", f"its source {prov.source} is secondary: mark it secondary: true")
            elif source.kind != "secondary" and prov.secondary:
                yield Problem(
                    file,
                    f"{key}.secondary",
                    f"marked secondary but its source {prov.source} is {source.kind}: cite the secondary source instead",
                )


def _states(raw: RawData) -> Iterator[Problem]:
    register = {row.code for row in raw.register}
    for name, state in raw.states.items():
        file = f"states/{name}.yaml"
        if name != state.iso:
            yield Problem(file, "iso", f"file name says {name} but iso is {state.iso}")
        if pycountry.countries.get(alpha_2=state.iso) is None:
            yield Problem(file, "iso", f"{state.iso} is not an ISO 3166-1 alpha-2 code")
        if state.cets224 and state.cets224.consent and (state.ets185 is None or state.ets185.status.value != "party"):
            yield Problem(file, "cets224.consent", "only Parties to ETS 185 may consent to CETS 224 (Art 16(1))")
        ets_start = _ets185_start(raw)
        for treaty, allowed in (("ets185", set(ETS_POSITION_CODES)), ("cets224", register)):
            part = getattr(state, treaty)
            if part is None:
                continue
            yield from _dates(file, treaty, part, ets_start)
            for position in part.positions:
                if position.code not in allowed:
                    yield Problem(file, f"{treaty}.positions[{position.code}]", f"unknown position code {position.code!r}")


def _ets185_start(raw: RawData) -> date:
    instrument = raw.instruments.get("ets-185")
    dated = instrument.dates.get("entry_into_force") if instrument else None
    return dated.date if dated and dated.date else date.min  # a missing date is reported by _instruments


def _dates(file: str, treaty: str, part: schema.Treaty, ets_start: date) -> Iterator[Problem]:
    for key in ("signature", "consent"):
        value = getattr(part, key)
        if value is not None and value.date is not None and value.date > value.as_of:
            yield Problem(
                file, f"{treaty}.{key}", f"date {value.date} is later than the as_of date of its source ({value.as_of})"
            )
    if part.consent and part.consent.date and part.status.value == "party" and part.consent.date > part.status.as_of:
        yield Problem(
            file,
            f"{treaty}.status",
            f"party status as of {part.status.as_of} predates the consent of {part.consent.date}",
        )
    if part.signature and part.consent and part.signature.date and part.consent.date and part.signature.date > part.consent.date:
        yield Problem(file, f"{treaty}.signature", "signature is later than the consent to be bound")
    consent, eif = part.consent, part.entry_into_force
    if consent and eif and consent.date and eif.date:
        expected = max(first_day_after_three_months(consent.date), ets_start)
        if treaty == "ets185" and eif.date != expected:
            yield Problem(
                file,
                f"{treaty}.entry_into_force",
                f"{eif.date} does not follow from the consent of {consent.date} ({_eif_article(part)}: expected {expected})",
            )
    if treaty == "cets224" and eif is not None:
        yield Problem(
            file, "cets224.entry_into_force", "CETS 224 entry into force is computed from Art 16(3)-(4), never typed in"
        )
    if treaty == "cets224" and consent is not None and consent.date is None:
        yield Problem(
            file, "cets224.consent.date", "a CETS 224 consent needs its exact date: entry into force is computed from it"
        )


def _eu(raw: RawData) -> Iterator[Problem]:
    membership = raw.eu.membership
    joined = {iso for accession in membership.accessions for iso in accession.states}
    for iso in sorted(joined - {s.iso for s in raw.states.values()}):
        yield Problem("eu.yaml", f"membership.accessions[{iso}]", "Member State has no file in states/")
    for iso, withdrawal in membership.withdrawals.items():
        if iso not in joined:
            yield Problem("eu.yaml", f"membership.withdrawals.{iso}", f"{iso} never joined (no accession recorded)")
        accession = next((a for a in membership.accessions if iso in a.states), None)
        start = accession.date or accession.known_by if accession else None
        if start is not None and withdrawal.left.date is not None and withdrawal.left.date <= start:
            yield Problem("eu.yaml", f"membership.withdrawals.{iso}.left", "withdrawal is not after the accession")
    members = joined - set(membership.withdrawals)
    for alias, target in membership.aliases.items():
        if target not in members:
            yield Problem("eu.yaml", f"membership.aliases.{alias}", f"{target} is not a Member State")
    register = {row.code for row in raw.register}
    for position in raw.eu.cets224_positions:
        if position.code not in register:
            yield Problem("eu.yaml", f"cets224_positions[{position.code}]", "unknown position code")
    for key, instrument in raw.instruments.items():
        for field in ("not_bound", "participation_notes"):
            for iso in getattr(instrument, field):
                if iso not in joined:
                    yield Problem("instruments.yaml", f"{key}.{field}.{iso}", "only a (former) Member State can be named here")


def _instruments(raw: RawData) -> Iterator[Problem]:
    for key, which in REQUIRED_DATES.items():
        instrument = raw.instruments.get(key)
        if instrument is None or which not in instrument.dates or instrument.dates[which].date is None:
            yield Problem("instruments.yaml", f"{key}.dates.{which}", "required date is missing")
    cets = raw.instruments.get("cets-224")
    if cets is None or cets.consents_for_entry_into_force is None:
        yield Problem("instruments.yaml", "cets-224.consents_for_entry_into_force", "required value is missing")
    if cets is None or cets.entry_into_force_delay_months is None:
        yield Problem("instruments.yaml", "cets-224.entry_into_force_delay_months", "required value is missing")


def _ranking(raw: RawData) -> Iterator[Problem]:
    for order in ("normal", "emergency"):
        listed = [row.route for row in getattr(raw.ranking, order)]
        if sorted(listed) != sorted(ROUTE_IDS):
            missing = sorted(set(ROUTE_IDS) - set(listed))
            extra = sorted(set(listed) - set(ROUTE_IDS)) + sorted({r for r in listed if listed.count(r) > 1})
            yield Problem("ranking.yaml", order, f"must list every route once; missing {missing}, unknown or repeated {extra}")


_REGISTER_PROVISION = re.compile(r"^Art (\d+[a-z]?(?:\([0-9a-z]+\))*)$")


def _register(raw: RawData) -> Iterator[Problem]:
    """A register row may say ``verified: true`` only for a provision the table of checked provisions records."""
    for row in raw.register:
        match = _REGISTER_PROVISION.match(row.provision)
        if row.verified and (match is None or not cite(Instrument.CETS_224, match[1]).verified):
            yield Problem(
                "cets224-register.yaml",
                f"[{row.code}].verified",
                f"CETS 224 {row.provision} is not in the table of provisions checked against the official text "
                "(cyberspex/law/provisions.py)",
            )


def _implementation(raw: RawData) -> Iterator[Problem]:
    """The tracker's provisions name known register codes once each; its events name a provision
    of the file and a State of the data."""
    if raw.implementation is None:
        return
    codes = {row.code for row in raw.register}
    ids = [p.id for p in raw.implementation.provisions]
    for provision in raw.implementation.provisions:
        if ids.count(provision.id) > 1:
            yield Problem("implementation.yaml", f"provisions[{provision.id}]", "provision id listed twice")
        if provision.register_code is not None and provision.register_code not in codes:
            yield Problem(
                "implementation.yaml",
                f"provisions[{provision.id}].register_code",
                f"unknown register code {provision.register_code!r}",
            )
    states = {s.iso for s in raw.states.values()}
    for index, event in enumerate(raw.implementation.events):
        if event.provision not in ids:
            yield Problem("implementation.yaml", f"events[{index}].provision", f"unknown provision {event.provision!r}")
        if event.state not in states:
            yield Problem("implementation.yaml", f"events[{index}].state", f"no file states/{event.state}.yaml")


def cross_check(raw: RawData) -> list[Problem]:
    return [
        *_sources(raw),
        *_source_kinds(raw),
        *_states(raw),
        *_eu(raw),
        *_instruments(raw),
        *_ranking(raw),
        *_register(raw),
        *_implementation(raw),
    ]


def review(raw: RawData, *, today: date, max_age_days: int) -> list[Problem]:
    """Warnings for curators: unverified values, and values older than the policy window."""
    out = []
    limit = today - timedelta(days=max_age_days)
    for file, content in files(raw):
        if file == "sources.yaml":
            continue
        for key, prov in walk(content):
            if not prov.verified:
                label = "secondary source" if prov.secondary else ("derived" if prov.derived else "unverified")
                out.append(Problem(file, key, f"not verified ({label}; source {prov.source})", "warning"))
            if prov.as_of < limit and _is_status(key):
                out.append(Problem(file, key, f"stale: as of {prov.as_of}, older than {max_age_days} days", "warning"))
            if prov.as_of > today:
                out.append(Problem(file, key, f"as_of {prov.as_of} is in the future", "error"))
            if key.endswith("consent") and isinstance(prov, schema.Dated) and prov.date and is_edge_case(prov.date):
                out.append(
                    Problem(
                        file,
                        key,
                        "deposited on the 1st of a month: entry into force counted from the day after, so the 1st of the "
                        "fourth month (ADR 0006); compare with the depositary's record",
                        "warning",
                    )
                )
    return out


def _is_status(key: str) -> bool:
    """Only statements about current status go stale; historical dates do not."""
    return key.endswith("status") or ".not_bound." in key or key == "membership.provenance"


@dataclass
class Tally:
    """How many sourced values there are, and in which verification state."""

    total: int = 0
    verified: int = 0
    secondary: int = 0
    derived: int = 0

    def add(self, prov: schema.Provenance) -> None:
        self.total += 1
        self.verified += prov.verified
        self.secondary += prov.secondary
        self.derived += prov.derived

    def as_dict(self) -> dict[str, int | float]:
        share = round(100 * self.verified / self.total, 1) if self.total else 0.0
        return {
            "total": self.total,
            "verified": self.verified,
            "secondary": self.secondary,
            "derived": self.derived,
            "unverified": self.total - self.verified,
            "verified_percent": share,
        }


def value_summary(raw: RawData) -> dict[str, Any]:
    """Count every sourced value of every data file (sources.yaml names sources, it states no value)."""
    overall = Tally()
    by_file: defaultdict[str, Tally] = defaultdict(Tally)
    for file, content in files(raw):
        if file == "sources.yaml":
            continue
        group = "states/" if file.startswith("states/") else file
        for _key, prov in walk(content):
            overall.add(prov)
            by_file[group].add(prov)
    return {**overall.as_dict(), "by_file": {name: by_file[name].as_dict() for name in sorted(by_file)}}


def rule_citations() -> Iterator[Citation]:
    """The citation of every rule of every route, once per rule of each route."""
    for route in ROUTES:
        for rule in route.rules:
            yield rule.citation


def citation_summary(citations: Iterator[Citation] | None = None) -> dict[str, dict[str, Any]]:
    """Per instrument: citations in the rules and distinct provisions cited, with how many are verified.

    ``unverified_provisions`` lists the distinct provisions still to check against the official text.
    """
    rules: dict[str, list[Citation]] = defaultdict(list)
    for citation in rule_citations() if citations is None else citations:
        rules[str(citation.instrument)].append(citation)
    out: dict[str, dict[str, Any]] = {}
    for instrument in Instrument:
        cited = rules.get(str(instrument), [])
        if not cited:
            continue
        distinct = {str(c): c.verified for c in cited}
        verified = sum(c.verified for c in cited)
        out[str(instrument)] = {
            "total": len(cited),
            "verified": verified,
            "verified_percent": round(100 * verified / len(cited), 1),
            "provisions": len(distinct),
            "provisions_verified": sum(distinct.values()),
            "unverified_provisions": sorted((p for p, ok in distinct.items() if not ok), key=_provision_order),
        }
    return out


def _provision_order(provision: str) -> tuple[int, str]:
    """'CETS 224 Art 8(6)(a)' sorts by article number, then by the rest; 'Recitals' and annexes last."""
    match = re.search(r"Art (\d+)", provision)
    return (int(match[1]) if match else 10_000, provision)


def summary(raw: RawData) -> dict[str, Any]:
    """Values total / verified / secondary, and per instrument the citations in the rules."""
    return {"values": value_summary(raw), "citations": citation_summary()}


def _eif_article(part: schema.Treaty) -> str:
    """ETS 185 Art 36(4) for a State that ratified, Art 37(2) for a State that acceded."""
    return "ETS 185 Art 37(2)" if part.consent and part.consent.kind == "accession" else "ETS 185 Art 36(4)"
