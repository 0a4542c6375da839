"""The indicator sections of the treaty status and of the implementation tracker (project
outline, Outcomes 1 and 2), registered in ``knowledge.indicators``; imported by
``KnowledgeConfig.ready()``. The training sections are registered by the training app."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from cyberspex.law.model import ReferenceData, Treaty
from cyberspex.web.knowledge import implementation
from cyberspex.web.knowledge.cache import per_data_version
from cyberspex.web.knowledge.indicators import Section, Table, register
from cyberspex.web.knowledge.reference import current_reference

TREATY_ORDER = 10
IMPLEMENTATION_ORDER = 20


def members_on(data: ReferenceData, day: date) -> list[str]:
    """The Member States on ``day``: joined by then (date or known-by date) and not yet left."""
    out = []
    for iso, accession in data.eu.accessions.items():
        joined = accession.when or accession.known_by
        left = data.eu.withdrawals.get(iso)
        if joined is not None and joined <= day and (left is None or left.left.when is None or left.left.when > day):
            out.append(iso)
    return sorted((iso for iso in out if iso in data.states), key=data.state_name)


def _on(fact: object, day: date) -> date | None:
    when = getattr(fact, "when", None)
    return when if when is not None and when <= day else None


@per_data_version(maxsize=32)
def treaty_figures(start: date, end: date) -> tuple[int, int, int, int, tuple[tuple[str, str, str, str], ...]]:
    """(Member States, signed by ``end``, signed in the period, ratified by ``end``, rows of
    State, signature, ratification, status) for CETS 224, from the reference data."""
    data = current_reference()
    members = members_on(data, end)
    rows = []
    signed = signed_in_period = ratified = 0
    for iso in members:
        participation = data.states[iso].participation(Treaty.CETS_224)
        signature = _on(participation.signature, end) if participation and participation.signature else None
        consent = _on(participation.consent, end) if participation and participation.consent else None
        signed += signature is not None
        signed_in_period += signature is not None and signature >= start
        ratified += consent is not None
        status = "ratified" if consent else ("signed" if signature else "not_signed")
        rows.append(
            (data.state_name(iso), signature.isoformat() if signature else "—", consent.isoformat() if consent else "—", status)
        )
    return len(members), signed, signed_in_period, ratified, tuple(rows)


@register(TREATY_ORDER)
def treaty_section(start: date, end: date) -> Section:
    members, signed, signed_in_period, ratified, rows = treaty_figures(start, end)
    statuses = {"ratified": _("ratified"), "signed": _("signed"), "not_signed": _("not signed")}
    return Section(
        key="cets224",
        title=_("Second Additional Protocol (CETS 224): EU Member States"),
        figures=(
            (_("EU Member States at the end of the period"), members),
            (_("Member States that have signed CETS 224"), signed),
            (_("Signatures in the period"), signed_in_period),
            (_("Member States that have ratified CETS 224"), ratified),
        ),
        tables=(
            Table(
                caption=_("Signature and ratification of CETS 224 by Member State, as of %(end)s") % {"end": end.isoformat()},
                headings=(_("Member State"), _("Signature"), _("Ratification"), _("Status")),
                rows=tuple((name, signature, consent, str(statuses[status])) for name, signature, consent, status in rows),
            ),
        ),
        source=_(
            "Treaty status from the reference data (each value's source is given on the treaty status page), status date %(date)s"
        )
        % {"date": current_reference().status_date.isoformat()},
        notes=(_("A signature or ratification dated after the end of the period is not counted."),),
    )


@per_data_version(maxsize=32)
def implementation_figures(end: date) -> tuple[int, int, int, int, tuple[tuple[str, str], ...]]:
    """(Member States, undertaking reforms, with drafts, with completed reforms, rows of State
    and furthest stage) as of ``end``, from the implementation tracker."""
    data = current_reference()
    members = implementation.member_states(data)
    rows = []
    undertaking = drafts = completed = 0
    for iso in members:
        stage = implementation.furthest_stage(data, iso, end)
        undertaking += stage in implementation.PROGRESS
        drafts += stage == "draft"
        completed += stage in ("adopted", "in_force")
        rows.append((data.state_name(iso), stage))
    return len(members), undertaking, drafts, completed, tuple(rows)


@register(IMPLEMENTATION_ORDER)
def implementation_section(start: date, end: date) -> Section:  # noqa: ARG001  # stages are as of the period end
    members, undertaking, drafts, completed, rows = implementation_figures(end)
    labels = {
        "unknown": _("unknown"),
        "none": _("none"),
        "draft": _("draft"),
        "adopted": _("adopted"),
        "in_force": _("in force"),
    }
    return Section(
        key="implementation",
        title=_("Implementation by Member States"),
        figures=(
            (_("Member States undertaking reforms (a draft, an adopted or an in-force measure recorded)"), undertaking),
            (_("Member States with drafts (furthest stage: draft)"), drafts),
            (_("Member States with completed reforms (adopted or in force)"), completed),
            (_("Member States with nothing recorded"), sum(1 for _name, stage in rows if stage == "unknown")),
        ),
        tables=(
            Table(
                caption=_("Furthest stage recorded for any provision, as of %(end)s") % {"end": end.isoformat()},
                headings=(_("Member State"), _("Stage")),
                rows=tuple((name, str(labels[stage])) for name, stage in rows),
            ),
        ),
        source=_("Implementation tracker (the recorded legislative steps and the States' recorded CETS 224 positions)"),
        notes=(
            _('"unknown" means that nothing is recorded, not that nothing was done.'),
            _("Out of %(members)s Member States.") % {"members": members},
        ),
    )
