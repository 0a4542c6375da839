"""What the guided editor fills in before the user types: the issuing authority from the
organisation's profile, and the ground of Regulation (EU) 2023/1543 Art 5(4) from the maximum
penalties recorded for the case's offences. The route advice and the case's own data are
copied by ``selectors.request_prefill`` (``cyberspex.forms.prefill``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cyberspex.forms.definitions import forms
from cyberspex.web.accounts.models import Organisation, OrganisationProfile

# Reg 2023/1543 Art 5(4)(a): traffic or content data for criminal offences punishable in the
# issuing State by a custodial sentence of a maximum of at least 3 years. The value and its
# label are the form's (data/forms/eu-epoc.yaml, forms/i18n ``enum.max_penalty_3_years``).
THRESHOLD_YEARS = 3
THRESHOLD_GROUND = "max_penalty_3_years"
THRESHOLD_CITATION = "Regulation (EU) 2023/1543 Art 5(4)(a)"
AUTHORITY_FIELDS = ("issuing_authority", "contact_authority")


def authority(organisation: Organisation) -> dict[str, Any]:
    """The organisation as an ``authority`` value of the forms, with what its profile records."""
    profile = OrganisationProfile.objects.filter(organisation=organisation).first()
    out: dict[str, Any] = {"name": organisation.name, "country": organisation.country}
    if profile is None:
        return out
    out["name"] = profile.authority_name or organisation.name
    if profile.address:
        out["address"] = profile.address
    contact = {k: v for k, v in (("person", profile.contact_person), ("email", profile.email), ("phone", profile.phone)) if v}
    if contact:
        out["contact"] = contact
    return out


def offence_threshold(offences: list[dict[str, Any]]) -> bool | None:
    """Whether an offence reaches the Art 5(4)(a) threshold: True if one has a maximum penalty of
    at least 3 years, False if every one has a smaller recorded maximum, None if not known."""
    penalties = [o.get("max_penalty_years") for o in offences if isinstance(o, dict)]
    known = [p for p in penalties if isinstance(p, int) and not isinstance(p, bool)]
    if any(p >= THRESHOLD_YEARS for p in known):
        return True
    if known and len(known) == len(penalties):
        return False
    return None


@dataclass(frozen=True)
class PrefillNote:
    field: str
    source: str  # "organisation profile" or "maximum penalty of the case's offences"
    citation: str


def fill(form_id: str, data: dict[str, Any], *, organisation: Organisation, offences: list[dict[str, Any]]) -> list[PrefillNote]:
    """Fill ``data`` in place where it is empty; return what was filled from where."""
    names = {node.name: node for node in forms()[form_id].fields()}
    notes = []
    signer = authority(organisation)
    for name in AUTHORITY_FIELDS:
        if name in names and not _complete(data.get(name)):
            data[name] = {**(data.get(name) or {}), **signer}  # the profile completes the bare name
            notes.append(PrefillNote(name, "organisation profile", ""))
    category = data.get("data_sought", {}).get("category") if isinstance(data.get("data_sought"), dict) else None
    wants_ground = "art5_4_ground" in names and "art5_4_ground" not in data and category in ("traffic", "content")
    if wants_ground and offence_threshold(offences) is True:
        data["art5_4_ground"] = THRESHOLD_GROUND
        notes.append(PrefillNote("art5_4_ground", "maximum penalty of the case's offences", THRESHOLD_CITATION))
    return notes


def _complete(value: Any) -> bool:
    return isinstance(value, dict) and bool(value.get("address")) and bool(value.get("contact"))
