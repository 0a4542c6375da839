"""Load and validate the reference data shipped inside the package."""

from __future__ import annotations

import contextvars
import functools
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cyberspex.law import model
from cyberspex.law.record import Record
from cyberspex.refdata import cache

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from pydantic import BaseModel

    from cyberspex.refdata import schema
    from cyberspex.refdata.overlay import Patch

# pydantic, YAML, pycountry, the schema and the curated changes (overlay) are imported by the
# functions that read, patch and validate the files, not here: a command served from the cache
# (load_reference_data) never needs them.
M = TypeVar("M", bound="BaseModel")


class Problem(Record):
    """One problem in the data: file, key path and what is wrong."""

    file: str
    key: str
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}"


class ReferenceDataError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class RawData(Record, frozen=False):
    """The validated files before conversion, kept for ``data check``."""

    sources: dict[str, schema.Source]
    instruments: dict[str, schema.Instrument]
    eu: schema.EuFile
    register: list[schema.RegisterRow]
    ranking: schema.RankingFile
    states: dict[str, schema.StateFile]  # keyed by file name (without .yaml)
    providers: schema.ProvidersFile | None = None  # providers.yaml
    implementation: schema.ImplementationFile | None = None  # implementation.yaml


def data_root() -> Traversable:
    """The folder of the shipped data: a plain folder next to this package's modules when it is
    installed as files (found without importing importlib.resources, which costs start-up time);
    otherwise (e.g. inside a zip file) what importlib.resources finds."""
    folder = Path(__file__).parent.parent / "data"
    if folder.is_dir():
        return folder
    from importlib import resources  # noqa: PLC0415  # see the docstring

    return resources.files("cyberspex") / "data"


UNREADABLE = object()  # returned by _read after it recorded why the file could not be read
# The curated changes read_raw applies to every document it reads through _read (refdata/overlay.py).
_PATCHES: contextvars.ContextVar[tuple[Patch, ...]] = contextvars.ContextVar("refdata_patches", default=())
_READ: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("refdata_read", default=None)


def _read(root: Traversable, name: str, problems: list[Problem]) -> Any:
    """The raw content of document ``name``, with the curated changes being loaded applied to it."""
    import yaml  # noqa: PLC0415  # only when files are read (see the imports above)

    from cyberspex.refdata.yamlio import load as load_yaml  # noqa: PLC0415

    if (read := _READ.get()) is not None:
        read.add(name)
    try:
        document = load_yaml(_resolve(root, name).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        problems.append(Problem(name, "-", f"not valid YAML: {error}"))
        return UNREADABLE
    except FileNotFoundError:
        problems.append(Problem(name, "-", "file is missing"))
        return UNREADABLE
    patches = _PATCHES.get()
    if not patches:
        return document
    from cyberspex.refdata.overlay import PatchError, apply_all  # noqa: PLC0415  # only with curated changes

    try:
        return apply_all(name, document, patches)
    except PatchError as error:
        problems.append(Problem(name, "-", f"a curated change cannot be applied: {error}"))
        return UNREADABLE


def _resolve(root: Traversable, name: str) -> Traversable:
    path = root
    for part in name.split("/"):
        path = path / part
    return path


def _validate(model_type: type[M], raw: Any, name: str, problems: list[Problem], prefix: str = "") -> M | None:
    from pydantic import ValidationError  # noqa: PLC0415  # only when files are validated

    if raw is UNREADABLE:
        return None
    try:
        return model_type.model_validate(raw)
    except ValidationError as error:
        for item in error.errors():
            key = ".".join(str(part) for part in (prefix, *item["loc"]) if part != "")
            problems.append(Problem(name, key or "-", item["msg"]))
    return None


def _validate_map(model_type: type[M], raw: Any, name: str, problems: list[Problem]) -> dict[str, M]:
    if raw is UNREADABLE:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(name, "-", "expected a mapping at the top level"))
        return {}
    out = {}
    for key, value in raw.items():
        if (item := _validate(model_type, value, name, problems, prefix=str(key))) is not None:
            out[str(key)] = item
    return out


def read_raw(root: Traversable | None = None, patches: Sequence[Patch] = ()) -> tuple[RawData | None, list[Problem]]:
    """Parse and schema-validate every file; return problems instead of raising.

    ``patches``: published curated changes, applied in order to the raw documents before they
    are validated (refdata/overlay.py)."""
    token, read_token = _PATCHES.set(tuple(patches)), _READ.set(set())
    try:
        raw, problems = _read_raw(root or data_root())
        read = _READ.get() or set()
    finally:
        _PATCHES.reset(token)
        _READ.reset(read_token)
    for patch in patches:
        if patch.file not in read:
            problems.append(Problem(patch.file, patch.path, "a curated change names a document the data does not have"))
    return raw, problems


def _read_raw(root: Traversable) -> tuple[RawData | None, list[Problem]]:
    from cyberspex.refdata import schema  # noqa: PLC0415  # the pydantic models: only when files are validated

    problems: list[Problem] = []
    sources = _validate_map(schema.Source, _read(root, "sources.yaml", problems), "sources.yaml", problems)
    instruments = _validate_map(schema.Instrument, _read(root, "instruments.yaml", problems), "instruments.yaml", problems)
    eu = _validate(schema.EuFile, _read(root, "eu.yaml", problems), "eu.yaml", problems)
    register_raw = _read(root, "cets224-register.yaml", problems)
    if not isinstance(register_raw, list):
        if register_raw is not UNREADABLE:
            problems.append(Problem("cets224-register.yaml", "-", "expected a list of rows"))
        register_raw = []
    register = [
        r
        for i, row in enumerate(register_raw)
        if (r := _validate(schema.RegisterRow, row, "cets224-register.yaml", problems, prefix=str(i)))
    ]
    ranking = _validate(schema.RankingFile, _read(root, "ranking.yaml", problems), "ranking.yaml", problems)
    states = {}
    for entry in sorted((root / "states").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        name = f"states/{entry.name}"
        if (state := _validate(schema.StateFile, _read(root, name, problems), name, problems)) is not None:
            states[entry.name.removesuffix(".yaml")] = state
    providers = _validate(schema.ProvidersFile, _read(root, "providers.yaml", problems), "providers.yaml", problems)
    implementation = _validate(
        schema.ImplementationFile, _read(root, "implementation.yaml", problems), "implementation.yaml", problems
    )
    if eu is None or ranking is None:
        return None, problems
    return RawData(sources, instruments, eu, register, ranking, states, providers, implementation), problems


class _Builder:
    def __init__(self, raw: RawData) -> None:
        self.raw = raw

    def provenance(self, value: schema.Provenance) -> model.Provenance:
        source = self.raw.sources[value.source]
        url = source.url or f"document: {source.document}"
        return model.Provenance(value.source, url, value.as_of, value.verified, value.secondary, value.derived, value.note)

    def dated(self, value: schema.Dated | None) -> model.DatedFact | None:
        if value is None:
            return None
        return model.DatedFact(value.date, self.provenance(value), value.known_by)

    def position(self, value: schema.Position, layer: str = "state") -> model.Position:
        from cyberspex.refdata import schema  # noqa: PLC0415  # see the imports at the top

        obligation = value.obligation if isinstance(value, schema.EuPosition) else None
        return model.Position(value.code, self.provenance(value), value.summary, value.scope, layer, obligation)

    def membership(self, value: schema.Membership) -> model.EuMembership:
        accessions: dict[str, model.DatedFact] = {}
        for accession in value.accessions:
            fact = model.DatedFact(accession.date, self.provenance(accession), accession.known_by)
            accessions |= dict.fromkeys(accession.states, fact)
        withdrawals = {}
        for iso, withdrawal in value.withdrawals.items():
            left = model.DatedFact(withdrawal.left.date, self.provenance(withdrawal.left), withdrawal.left.known_by)
            withdrawals[iso] = model.Withdrawal(left, self.dated(withdrawal.union_law_until))
        return model.EuMembership(accessions, self.provenance(value.provenance), withdrawals, value.aliases)

    def treaty(self, value: schema.Treaty) -> model.TreatyParticipation:
        return model.TreatyParticipation(
            relation=model.Relation(value.status.value),
            relation_provenance=self.provenance(value.status),
            signature=self.dated(value.signature),
            consent=self.dated(value.consent),
            consent_kind=value.consent.kind if value.consent else None,
            entry_into_force=self.dated(value.entry_into_force),
            positions={p.code: self.position(p) for p in value.positions},
            positions_complete=value.positions_complete,
            positions_note=value.positions_note,
            authorities=tuple(model.Authority(a.provision, a.name, self.provenance(a), a.contact_url) for a in value.authorities),
        )

    def state(self, value: schema.StateFile) -> model.StateRecord:
        treaties = {}
        if value.ets185:
            treaties[model.Treaty.ETS_185] = self.treaty(value.ets185)
        if value.cets224:
            treaties[model.Treaty.CETS_224] = self.treaty(value.cets224)
        return model.StateRecord(value.iso, value.name, treaties)

    def instrument(self, key: str, value: schema.Instrument) -> model.InstrumentRecord:
        dates = {k: d for k, v in value.dates.items() if (d := self.dated(v)) is not None}
        count = value.consents_for_entry_into_force
        delay = value.entry_into_force_delay_months
        return model.InstrumentRecord(
            id=key,
            title=value.title,
            short=value.short,
            url=value.url,
            dates=dates,
            not_bound={k: self.provenance(v) for k, v in value.not_bound.items()},
            participation_notes={k: self.provenance(v) for k, v in value.participation_notes.items()},
            consents_for_entry_into_force=count.value if count else None,
            third_state=value.third_state,
            consents_provenance=self.provenance(count) if count else None,
            entry_into_force_delay_months=delay.value if delay else None,
            delay_provenance=self.provenance(delay) if delay else None,
        )

    def status_date(self) -> date:
        """The latest dated treaty event recorded (signature or consent)."""
        events = [
            d.date
            for s in self.raw.states.values()
            for t in (s.ets185, s.cets224)
            if t is not None
            for d in (t.signature, t.consent)
            if d is not None and d.date is not None
        ]
        return max(events, default=date.min)

    def provider(self, key: str, value: schema.ProviderEntry) -> model.ProviderRecord:
        from cyberspex.refdata import schema  # noqa: PLC0415  # see the imports at the top

        policies = {
            name: model.PolicyFact(fact.value, self.provenance(fact))
            for name in schema.PROVIDER_POLICY_FIELDS
            if (fact := getattr(value, name)) is not None
        }
        notes = tuple(model.PolicyFact(n.value, self.provenance(n)) for n in value.notes)
        return model.ProviderRecord(key, value.name, value.kind, value.state, value.services, policies, notes)

    def implementation(self) -> model.Implementation:
        raw = self.raw.implementation
        if raw is None:
            return model.Implementation()
        provisions = tuple(
            model.ImplementationProvision(p.id, p.instrument, p.title, p.citation, p.register_code, p.due, self.provenance(p))
            for p in raw.provisions
        )
        events = tuple(
            model.ImplementationEvent(
                e.state,
                e.provision,
                e.stage,
                e.date,
                tuple(model.ImplementationDocument(d.title, d.url, d.date) for d in e.documents),
                self.provenance(e),
            )
            for e in raw.events
        )
        return model.Implementation(provisions, events)

    def build(self) -> model.ReferenceData:
        import pycountry  # noqa: PLC0415  # see the imports at the top

        raw = self.raw
        states = {s.iso: self.state(s) for s in raw.states.values()}
        other = {c.alpha_2: c.name for c in pycountry.countries if c.alpha_2 not in states}
        ranking = model.Ranking(
            normal=tuple(model.RankingEntry(r.route, r.reason) for r in raw.ranking.normal),
            emergency=tuple(model.RankingEntry(r.route, r.reason, bool(r.emergency_procedure)) for r in raw.ranking.emergency),
        )
        return model.ReferenceData(
            states=states,
            instruments={k: self.instrument(k, v) for k, v in raw.instruments.items()},
            eu=self.membership(raw.eu.membership),
            eu_positions={p.code: self.position(p, "eu") for p in raw.eu.cets224_positions},
            register={
                r.code: model.RegisterEntry(r.code, r.provision, r.type, r.mandatory, r.effect, r.verified) for r in raw.register
            },
            ranking=ranking,
            sources={
                k: model.Source(k, v.title, v.url or f"document: {v.document}", v.as_of, v.as_of_note)
                for k, v in raw.sources.items()
            },
            other_states=other,
            status_date=self.status_date(),
            providers={k: self.provider(k, v) for k, v in raw.providers.providers.items()} if raw.providers else {},
            implementation=self.implementation(),
        )


def build(raw: RawData) -> model.ReferenceData:
    return _Builder(raw).build()


def raw_document(name: str, patches: Sequence[Patch] = (), root: Traversable | None = None) -> Any:
    """The raw content of document ``name`` (e.g. ``states/FR.yaml``) with ``patches`` applied,
    before validation; ReferenceDataError if it cannot be read or patched."""
    problems: list[Problem] = []
    token = _PATCHES.set(tuple(patches))
    try:
        document = _read(root or data_root(), name, problems)
    finally:
        _PATCHES.reset(token)
    if document is UNREADABLE:
        raise ReferenceDataError(problems)
    return document


def checked_raw(patches: Sequence[Patch] = ()) -> tuple[RawData | None, list[Problem]]:
    """The shipped data with ``patches`` applied, parsed, schema-validated and cross-checked:
    the raw data (None if a file could not be read) and every error found."""
    from cyberspex.refdata.check import cross_check  # noqa: PLC0415  # check imports this module

    raw, problems = read_raw(patches=patches)
    if raw is not None:
        problems += cross_check(raw)
    return raw, [p for p in problems if p.severity == "error"]


@functools.cache
def load_reference_data() -> model.ReferenceData:
    """Load, validate and cross-check the shipped data; raise on any error.

    The data built from the shipped files is kept in a cache file (refdata/cache.py) keyed by
    a fingerprint of those files and of the code that builds it, so only the first run after a
    change reads and validates the files. Only the shipped data is kept there: data with
    curated changes (``load_reference_data_with``) is always built from the files and patches."""
    root = data_root()
    key = cache.key(root)
    if key is not None and (cached := cache.read(REFERENCE_CACHE, key, model.ReferenceData)) is not None:
        return cached
    raw, errors = checked_raw()
    if errors or raw is None:
        raise ReferenceDataError(errors)
    built = build(raw)
    if key is not None:
        cache.write(REFERENCE_CACHE, key, built)
    return built


REFERENCE_CACHE = "reference-data"


_WITH_PATCHES: dict[str, model.ReferenceData] = {}
_WITH_PATCHES_LOCK = threading.Lock()
_WITH_PATCHES_SIZE = 8


def load_reference_data_with(patches: Sequence[Patch]) -> model.ReferenceData:
    """The shipped data with the published curated changes applied in order, validated and
    cross-checked like the shipped data (ReferenceDataError on any error). Kept per fingerprint
    of the patches; without patches, exactly ``load_reference_data()``."""
    if not patches:
        return load_reference_data()
    from cyberspex.refdata.overlay import fingerprint  # noqa: PLC0415  # only with curated changes

    key = fingerprint(patches)
    with _WITH_PATCHES_LOCK:
        if key in _WITH_PATCHES:
            return _WITH_PATCHES[key]
    raw, errors = checked_raw(patches)
    if errors or raw is None:
        raise ReferenceDataError(errors)
    built = build(raw)
    with _WITH_PATCHES_LOCK:
        _WITH_PATCHES[key] = built
        while len(_WITH_PATCHES) > _WITH_PATCHES_SIZE:
            del _WITH_PATCHES[next(iter(_WITH_PATCHES))]
    return built
