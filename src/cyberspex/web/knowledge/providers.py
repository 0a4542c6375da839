"""The provider and registrar policy inventory (/providers/, ``GET /api/v1/providers``).

Two kinds of entries, shown side by side and never blended: what the reference data records
about a provider (``providers.yaml``: every value with its source, as-of date and verification
state; a policy not recorded stays "not recorded") and the policy profile a provider or
registrar on this platform keeps itself (``exchange.PolicyProfile``, with its last update)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from cyberspex.law.model import PolicyFact, ProviderRecord
from cyberspex.refdata.schema import PROVIDER_POLICY_FIELDS
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import directory
from cyberspex.web.knowledge.cache import per_data_version
from cyberspex.web.knowledge.reference import current_reference

FEATURES = PROVIDER_POLICY_FIELDS  # the policies one can search for ("has a recorded ...")
KINDS = ("provider", "registrar", "registrar_service")
MAX_QUERY = 100
_STATE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class ProviderSearch:
    """The search form: a name (part of it), a State (where the provider or its EU
    establishment is) and a policy that must be recorded."""

    query: str = ""
    state: str = ""
    feature: str = ""


def parse_search(params: Any) -> ProviderSearch:
    """The search from a query string; a clear 400 naming the parameter otherwise."""
    query = str(params.get("q") or "").strip()
    if len(query) > MAX_QUERY:
        raise ApplicationError(f"q is longer than {MAX_QUERY} characters", field="q")
    state = str(params.get("state") or "").strip().upper()
    if state and not _STATE.match(state):
        raise ApplicationError("state must be a two-letter ISO 3166-1 code, e.g. IE", field="state")
    feature = str(params.get("feature") or "").strip()
    if feature and feature not in FEATURES:
        raise ApplicationError(f"feature must be one of: {', '.join(FEATURES)}", field="feature")
    return ProviderSearch(query, state, feature)


def _fact(fact: PolicyFact | None) -> dict[str, Any] | None:
    if fact is None:
        return None
    p = fact.provenance
    return {
        "value": fact.value,
        "source": p.source,
        "source_url": p.url,
        "as_of": p.as_of.isoformat(),
        "verified": p.verified,
        "secondary": p.secondary,
        "note": p.note,
    }


def _recorded(record: ProviderRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "kind": record.kind,
        "state": record.state,
        "services": record.services,
        "policies": {name: _fact(record.policies.get(name)) for name in FEATURES},
        "notes": [_fact(note) for note in record.notes],
    }


@per_data_version(maxsize=4)
def recorded_providers() -> tuple[dict[str, Any], ...]:
    """The reference data's inventory, as plain values (cached per data version)."""
    providers = current_reference().providers
    return tuple(_recorded(providers[key]) for key in sorted(providers, key=lambda k: providers[k].name.lower()))


def _kept(found: Any) -> dict[str, Any]:
    """A policy profile kept on this platform by the organisation itself (exchange.PolicyProfile)."""
    policy = directory.policy_of(found) or {}
    establishment = ""
    if policy.get("eu_establishment_name") or policy.get("eu_establishment_state"):
        parts = [policy.get("eu_establishment_name", ""), policy.get("eu_establishment_kind", "").replace("_", " ")]
        establishment = ", ".join(p for p in parts if p)
        if policy.get("eu_establishment_state"):
            establishment += f" ({policy['eu_establishment_state']})"
    values = {
        "languages": ", ".join(policy.get("languages") or []),
        "electronic_submission": "yes" if policy.get("electronic_submission") else "no",
        "user_notification": policy.get("user_notification", ""),
        "confidentiality": policy.get("confidentiality", ""),
        "emergency_disclosure": policy.get("emergency_disclosure", ""),
        "rdap_access": policy.get("rdap_access", ""),
        "eu_establishment": establishment,
    }
    return {
        "organisation_id": found.pk,
        "name": found.name,
        "state": found.country,
        "functions": [f for f in found.functions if f in directory.PUBLISHING],
        "policies": {name: (values[name] or None) for name in FEATURES},
        "source": policy.get("source", ""),
        "updated_at": policy.get("updated_at"),
        "eu_establishment_state": policy.get("eu_establishment_state", ""),
    }


def kept_profiles() -> list[dict[str, Any]]:
    """The policy profiles providers and registrars keep on this instance (read live: they are
    the organisations' own, not reference data)."""
    found = directory.organisations().filter(policy__isnull=False)
    return [_kept(o) for o in found if directory.publishes_policy(o)]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _same(recorded: dict[str, Any], kept: dict[str, Any]) -> bool:
    a, b = _key(recorded["name"]), _key(kept["name"])
    return bool(a) and (a == b or b.startswith(a))


def inventory(search: ProviderSearch) -> list[dict[str, Any]]:
    """One row per provider: its recorded policies, the profile it keeps on this platform, or
    both when the names match (an organisation named like a recorded provider, e.g. "Meta" and
    "Meta Platforms Ireland"). Filtered by the search; ordered by name."""
    kept = kept_profiles()
    rows: list[dict[str, Any]] = []
    used: set[int] = set()
    for recorded in recorded_providers():
        matches = [k for k in kept if _same(recorded, k)]
        used.update(k["organisation_id"] for k in matches)
        rows.append({"name": recorded["name"], "recorded": recorded, "kept": matches})
    rows += [{"name": k["name"], "recorded": None, "kept": [k]} for k in kept if k["organisation_id"] not in used]
    return sorted((row for row in rows if _matches(row, search)), key=lambda row: row["name"].lower())


def _matches(row: dict[str, Any], search: ProviderSearch) -> bool:
    parts = ([row["recorded"]] if row["recorded"] else []) + row["kept"]
    if search.query and not any(search.query.lower() in part["name"].lower() for part in parts):
        return False
    if search.state and not any(search.state in (part.get("state"), part.get("eu_establishment_state")) for part in parts):
        return False
    return not (search.feature and not any(part["policies"].get(search.feature) for part in parts))


CSV_HEADER = ("provider", "entry", "policy", "value", "source", "source_url", "as_of", "verified", "secondary")


def _cell(value: object) -> str:
    """A CSV cell; a text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(rows: list[dict[str, Any]]) -> str:
    """One line per provider, entry (recorded / kept on this platform) and policy, including
    those not recorded (empty value), RFC 4180 with CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        if (recorded := row["recorded"]) is not None:
            for name in FEATURES:
                fact = recorded["policies"][name] or {}
                writer.writerow(
                    [
                        _cell(v)
                        for v in (
                            row["name"],
                            "recorded",
                            name,
                            fact.get("value"),
                            fact.get("source"),
                            fact.get("source_url"),
                            fact.get("as_of"),
                            fact.get("verified", ""),
                            fact.get("secondary", ""),
                        )
                    ]
                )
        for kept in row["kept"]:
            for name in FEATURES:
                writer.writerow(
                    [
                        _cell(v)
                        for v in (
                            kept["name"],
                            "kept by the provider on this platform",
                            name,
                            kept["policies"][name],
                            kept["source"],
                            "",
                            kept["updated_at"],
                            "",
                            "",
                        )
                    ]
                )
    return out.getvalue()
