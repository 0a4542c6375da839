"""The public registers of designated authorities (/registers/, GET /api/v1/registers).

Each register lists, per State, the authorities the reference data records under one provision
(``authorities`` in the State files), every row with its source, as-of date and verification
state. The Art 7(5)(e) register also says whether, and since when, a Party requires notification
of Art 7 orders (its Art 7(5)(a) notification, or the EU-mandated layer). Nothing here is
invented: a register with no recorded designation is empty and says so.

Organisations on this platform with the matching function (the exchange directory) are listed
separately, as a second source ("on this platform"); they are not the treaty registers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from cyberspex.law.model import Provenance, ReferenceData, Treaty
from cyberspex.law.status import eu_layer_applies, eu_member_on
from cyberspex.web.accounts.models import Organisation
from cyberspex.web.exchange import directory
from cyberspex.web.knowledge.cache import per_data_version
from cyberspex.web.knowledge.reference import current_reference


@dataclass(frozen=True)
class Register:
    """One register: the provision it lists, its legal basis, and the exchange function that
    matches it on this platform (None when no function does)."""

    id: str
    treaty: Treaty
    provision: str  # the key of ``authorities[].provision`` in the State files
    title: object  # lazy translatable text
    legal_basis: object
    function: str | None
    informal: bool = False


REGISTERS: tuple[Register, ...] = (
    Register(
        "cets224-6-6",
        Treaty.CETS_224,
        "6(6)",
        _("Authorities for consultation on domain name registration requests"),
        _("CETS 224 Art 6(6) (designation); register kept by the Secretary General of the Council of Europe, Art 6(7)"),
        None,
    ),
    Register(
        "cets224-7-5-e",
        Treaty.CETS_224,
        "7(5)(e)",
        _("Authorities notified of orders for subscriber information"),
        _(
            "CETS 224 Art 7(5)(e) (single authority, designated with a notification under Art 7(5)(a)); "
            "register kept by the Secretary General, Art 7(5)(f), showing whether and in which circumstances "
            "each Party requires notification"
        ),
        "notified_authority",
    ),
    Register(
        "cets224-8-10-a",
        Treaty.CETS_224,
        "8(10)(a)",
        _("Authorities that submit Article 8 orders"),
        _("CETS 224 Art 8(10)(a); register kept by the Secretary General, Art 8(12)"),
        None,
    ),
    Register(
        "cets224-8-10-b",
        Treaty.CETS_224,
        "8(10)(b)",
        _("Authorities that receive Article 8 orders"),
        _("CETS 224 Art 8(10)(b); register kept by the Secretary General, Art 8(12)"),
        "requested_party",
    ),
    Register(
        "cets224-14-7-c",
        Treaty.CETS_224,
        "14(7)(c)",
        _("Authorities to notify of security incidents (data received under Articles 6 and 7)"),
        _("CETS 224 Art 14(7)(c)"),
        None,
    ),
    Register(
        "cets224-14-10-b",
        Treaty.CETS_224,
        "14(10)(b)",
        _("Authorities that authorise onward transfers (data received under Articles 6 and 7)"),
        _("CETS 224 Art 14(10)(b)"),
        None,
    ),
    Register(
        "ets185-27",
        Treaty.ETS_185,
        "27(2)",
        _("Central authorities for mutual assistance (Budapest Convention)"),
        _("ETS 185 Art 27(2)(a); register kept by the Secretary General, Art 27(2)(d)"),
        "central_authority",
    ),
    Register(
        "ets185-35",
        Treaty.ETS_185,
        "35",
        _("24/7 points of contact (Budapest Convention)"),
        _("ETS 185 Art 35(1); also the channel of CETS 224 Art 9"),
        "contact_247",
    ),
    Register(
        "cets224-10-5",
        Treaty.CETS_224,
        "10(5)",
        _("Informal directory of authorities available 24/7 for emergency mutual assistance"),
        _(
            "CETS 224 Art 10(5) requires each Party to have its central authority or other mutual assistance "
            "authorities available 24 hours a day, 7 days a week; the Protocol sets up no Secretary General "
            "register for them, so this directory is informal"
        ),
        "central_authority",
        informal=True,
    ),
)
BY_ID = {register.id: register for register in REGISTERS}

NOTIFICATION_CODE = "N-7-5-a"


@dataclass(frozen=True)
class Row:
    """One row of a register: a State, the authority (or the notification requirement), and
    where the value comes from."""

    state: str
    state_name: str
    authority: str  # "" when the row records a notification requirement but no authority
    provenance: Provenance
    source_title: str
    contact_url: str | None = None
    notification: str = ""  # Art 7(5)(e) register: whether and in which circumstances notification is required
    since: date | None = None  # Art 7(5)(e) register: the date of the instrument carrying the notification
    layer: str = "state"  # "state": recorded for the State; "eu": the EU-mandated positions layer


@dataclass(frozen=True)
class RegisterTable:
    register: Register
    rows: tuple[Row, ...]

    @property
    def verified(self) -> int:
        return sum(row.provenance.verified for row in self.rows)

    @property
    def verified_percent(self) -> float:
        return round(100 * self.verified / len(self.rows), 1) if self.rows else 0.0


def _source_title(data: ReferenceData, provenance: Provenance) -> str:
    source = data.sources.get(provenance.source)
    return source.title if source else provenance.source


def _scope_text(scope: str | None) -> str:
    if scope == "every_case":
        return str(_("Yes, in every case"))
    if scope == "identified_circumstances":
        return str(_("Yes, in identified circumstances"))
    return str(_("Yes (circumstances not recorded)"))


def _notification_rows(data: ReferenceData, as_of: date) -> list[Row]:
    """Parties that require notification of Art 7 orders: their own Art 7(5)(a) notification,
    or, for an EU Member State bound by Decision (EU) 2023/436 without its own, the EU layer."""
    rows = []
    eu_position = data.eu_positions.get(NOTIFICATION_CODE)
    for iso, record in sorted(data.states.items()):
        part = record.participation(Treaty.CETS_224)
        if part is None or part.consent is None:
            continue
        since = part.consent.when
        own = part.positions.get(NOTIFICATION_CODE)
        if own is not None:
            rows.append(
                Row(
                    iso,
                    record.name,
                    "",
                    own.provenance,
                    _source_title(data, own.provenance),
                    notification=_scope_text(own.scope),
                    since=since,
                )
            )
        elif (
            eu_position is not None
            and eu_position.obligation == "must"
            and eu_layer_applies(data, iso, eu_member_on(data, iso, as_of)) is True
        ):
            rows.append(
                Row(
                    iso,
                    record.name,
                    "",
                    eu_position.provenance,
                    _source_title(data, eu_position.provenance),
                    notification=_scope_text(eu_position.scope),
                    since=since,
                    layer="eu",
                )
            )
    return rows


@per_data_version(maxsize=64)
def register_table(register_id: str, as_of: date) -> RegisterTable:
    """Every recorded row of one register (KeyError for an unknown id)."""
    register = BY_ID[register_id]
    data = current_reference()
    rows: list[Row] = []
    for iso, record in sorted(data.states.items()):
        part = record.participation(register.treaty)
        for authority in part.authorities if part else ():
            if authority.provision == register.provision:
                rows.append(
                    Row(
                        iso,
                        record.name,
                        authority.name,
                        authority.provenance,
                        _source_title(data, authority.provenance),
                        contact_url=authority.contact_url,
                    )
                )
    if register.provision == "7(5)(e)":
        notified = {row.state for row in rows}
        for row in _notification_rows(data, as_of):
            if row.state in notified:
                rows = [
                    r if r.state != row.state else _with_notification(r, row)  # the authority row says it
                    for r in rows
                ]
            else:
                rows.append(row)
        rows.sort(key=lambda r: (r.state_name, r.authority))
    return RegisterTable(register, tuple(rows))


def _with_notification(authority_row: Row, notification_row: Row) -> Row:
    return Row(
        authority_row.state,
        authority_row.state_name,
        authority_row.authority,
        authority_row.provenance,
        authority_row.source_title,
        authority_row.contact_url,
        notification_row.notification,
        notification_row.since,
        authority_row.layer,
    )


def filter_rows(table: RegisterTable, *, state: str = "", query: str = "") -> tuple[Row, ...]:
    """The rows of a State (ISO code) whose State name, authority or notification contains ``query``."""
    needle = query.strip().casefold()
    return tuple(
        row
        for row in table.rows
        if (not state or row.state == state)
        and (not needle or any(needle in text.casefold() for text in (row.state_name, row.authority, row.notification)))
    )


def row_json(row: Row) -> dict[str, object]:
    return {
        "state": row.state,
        "state_name": row.state_name,
        "authority": row.authority or None,
        "contact_url": row.contact_url,
        "notification": row.notification or None,
        "since": row.since.isoformat() if row.since else None,
        "layer": row.layer,
        "source": row.provenance.source,
        "source_url": row.provenance.url,
        "as_of": row.provenance.as_of.isoformat(),
        "verified": row.provenance.verified,
        "secondary": row.provenance.secondary,
        "note": row.provenance.note,
    }


def summary_json(table: RegisterTable) -> dict[str, object]:
    register = table.register
    return {
        "id": register.id,
        "treaty": register.treaty.value,
        "provision": register.provision,
        "title": str(register.title),
        "legal_basis": str(register.legal_basis),
        "informal": register.informal,
        "row_count": len(table.rows),
        "verified": table.verified,
        "verified_percent": table.verified_percent,
    }


CSV_COLUMNS = (
    "state",
    "state_name",
    "authority",
    "contact_url",
    "notification",
    "since",
    "layer",
    "source",
    "source_url",
    "as_of",
    "verified",
    "secondary",
    "note",
)


def as_csv(rows: tuple[Row, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_value(value) for key, value in row_json(row).items()})
    return out.getvalue()


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def authorities_of(iso: str, as_of: date) -> tuple[tuple[Register, Row], ...]:
    """Every designated authority (and notification requirement) recorded for one State, by register."""
    return tuple((register, row) for register in REGISTERS for row in register_table(register.id, as_of).rows if row.state == iso)


def on_platform(register: Register, *, state: str = "", query: str = "") -> list[Organisation]:
    """Organisations on this instance with the function matching the register (none when no
    function matches): a second source, not the treaty register."""
    if register.function is None:
        return []
    return list(directory.organisations(function=register.function, state=state, query=query))
