"""A realistic data set for benchmarks: ``cyberspex bench-data --requests N``.

Many organisations (issuing authorities and providers), each with one member; cases and their
requests in every state, each request with a deadline (open while the request is in progress,
done once it is final) and an audit record of its creation, sealed into the chain exactly as
``audit/chain.py`` seals one (``cyberspex audit verify`` passes afterwards).

One organisation is measured: ``MEASURED_ORGANISATION``, whose prosecutor ``MEASURED_USER`` and
auditor ``MEASURED_AUDITOR`` log in with ``password`` and the TOTP key ``MEASURED_TOTP_KEY``.
It holds a fixed share of the requests, ``MEASURED_SHARE`` (10%) by default: so "a list at 1,000
and at 1,000,000 requests" means the table and the organisation's own rows grow while the
measured person's page shows the same number of rows. Rows are inserted in bulk, one transaction per batch.
"""

from __future__ import annotations

import binascii
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.models import ApiToken, Membership, Organisation, OrganisationKind, Role
from cyberspex.web.api.auth import digest
from cyberspex.web.audit.chain import GENESIS, current_key, entry_hash, key_id
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.models import Case, Deadline, Request, State
from cyberspex.web.errors import ApplicationError

MEASURED_ORGANISATION = "Bench measured prosecution office"
MEASURED_USER = "bench-prosecutor"
MEASURED_AUDITOR = "bench-auditor"
MEASURED_TOTP_KEY = binascii.hexlify(b"cyberspex-bench-totp").decode()  # 20 bytes; benchmarks only
MEASURED_SHARE = 0.1  # the measured organisation's share of the requests
REQUESTS_PER_CASE = 4
BATCH = 5_000  # requests per transaction
FINAL = frozenset({State.ANSWERED, State.REFUSED, State.CLOSED, State.WITHDRAWN, State.LAPSED})
STATES = list(State)
ROUTES = ("eu-epoc", "2ap-7", "2ap-6", "mla")
RECIPIENTS = ("DE", "IE", "NL", "US", "FR", "BE", "LU")


@dataclass(frozen=True)
class Seeded:
    organisations: int
    requests: int
    audit_records: int


@dataclass
class _Owner:
    organisation: Organisation
    user: User
    requests: int  # how many requests it gets


def _organisations(count: int, prefix: str, password: str) -> list[_Owner]:
    """``count`` issuing authorities (the first one measured when ``prefix`` is empty) and a
    provider for every ten, each with one member."""
    hashed = make_password(password)
    names = [(f"{prefix}Bench issuing authority {n:05d}", OrganisationKind.ISSUING_AUTHORITY) for n in range(count)]
    names += [(f"{prefix}Bench provider {n:05d}", OrganisationKind.PROVIDER) for n in range(max(1, count // 10))]
    orgs = Organisation.objects.bulk_create(
        Organisation(name=name, kind=kind, country=RECIPIENTS[n % len(RECIPIENTS)]) for n, (name, kind) in enumerate(names)
    )
    users = User.objects.bulk_create(User(username=f"{prefix}bench-{o.pk}", password=hashed, is_active=True) for o in orgs)
    Membership.objects.bulk_create(
        Membership(
            user=u,
            organisation=o,
            role=Role.PROSECUTOR if o.kind == OrganisationKind.ISSUING_AUTHORITY else Role.RESPONDER,
        )
        for o, u in zip(orgs, users, strict=True)
    )
    return [_Owner(o, u, 0) for o, u in zip(orgs, users, strict=True) if o.kind == OrganisationKind.ISSUING_AUTHORITY]


def _measured(password: str, api_token: str, now: datetime) -> _Owner:
    """The measured organisation, its prosecutor and auditor (password, TOTP device, API token)."""
    org = Organisation.objects.create(name=MEASURED_ORGANISATION, kind=OrganisationKind.ISSUING_AUTHORITY, country="FR")
    people = {}
    for username, role in ((MEASURED_USER, Role.PROSECUTOR), (MEASURED_AUDITOR, Role.AUDITOR)):
        user = User.objects.create_user(username=username, password=password)
        Membership.objects.create(user=user, organisation=org, role=role)
        TOTPDevice.objects.create(user=user, name="bench", key=MEASURED_TOTP_KEY, confirmed=True)
        if api_token:
            ApiToken.objects.create(
                user=user,
                name="bench",
                digest=digest(f"{api_token}-{role}"),
                created_at=now,
                expires_at=now + timedelta(days=30),
            )
        people[role] = user
    return _Owner(org, people[Role.PROSECUTOR], 0)


def _spread(owners: list[_Owner], total: int) -> None:
    for n in range(total):
        owners[n % len(owners)].requests += 1


def _rows(count: int, start: int, now: datetime, shift: int) -> Iterator[tuple[int, datetime, State]]:
    """Request number, creation time and state: every state in turn, times spread over two years."""
    for n in range(start, start + count):
        yield n, now - timedelta(days=(n * 37 + shift) % 720, minutes=(n + shift) % 1440), STATES[(n + shift) % len(STATES)]


class _Chain:
    """Appends audit records in bulk, sealed as chain.append seals them (current key, or SHA-256)."""

    def __init__(self) -> None:
        last = AuditEntry.objects.only("seq", "hash").order_by("-seq").first()
        self.seq = last.seq if last else 0
        self.previous = last.hash if last else GENESIS
        self.key = current_key()
        self.key_id = key_id(self.key) if self.key else None

    def entry(self, *, at: datetime, actor: str, organisation: str, object_id: int, details: dict[str, Any]) -> AuditEntry:
        self.seq += 1
        fields = {
            "seq": self.seq,
            "at": at.isoformat(),
            "actor": actor,
            "organisation": organisation,
            "event": Event.CREATE.value,
            "object_type": "request",
            "object_id": str(object_id),
            "justification": "",
            "details": details,
        }
        sealed = entry_hash(self.previous, fields, self.key)
        record = AuditEntry(
            seq=self.seq,
            at=at,
            actor=actor,
            organisation=organisation,
            event=Event.CREATE,
            object_type="request",
            object_id=str(object_id),
            justification="",
            details=details,
            previous_hash=self.previous,
            hash=sealed,
            key_id=self.key_id,
        )
        self.previous = sealed
        return record


def _seed_owner(  # noqa: PLR0917  # one owner's rows, counted into the whole run's progress
    owner: _Owner, chain: _Chain, now: datetime, shift: int, counter: list[int], progress: Callable[[int], None]
) -> None:
    """The owner's cases and requests (with deadlines and audit records), a batch per transaction."""
    done = 0
    first_case = Case.objects.filter(organisation=owner.organisation).count()  # references stay unique
    while done < owner.requests:
        size = min(BATCH, owner.requests - done)
        with transaction.atomic():
            cases = Case.objects.bulk_create(
                Case(
                    organisation=owner.organisation,
                    reference=f"BENCH-{owner.organisation.pk}-{first_case + (done + n) // REQUESTS_PER_CASE:06d}",
                    title=f"Bench case {(done + n) // REQUESTS_PER_CASE}",
                    offences=[{"description": "fraud", "provisions": "Art 313-1", "max_penalty_years": 5}],
                    summary_of_facts="A bench case.",
                    identifiers=[{"kind": "email", "value": f"person{done + n}@example.org"}],
                    retention_review_date=(now + timedelta(days=365 + n % 400)).date(),
                    created_by=owner.user,
                    created_at=now - timedelta(days=(done + n) % 720),
                )
                for n in range(0, size, REQUESTS_PER_CASE)
            )
            requests = Request.objects.bulk_create(
                Request(
                    case=cases[(n - done) // REQUESTS_PER_CASE],
                    organisation=owner.organisation,
                    form_id="eu-epoc",
                    route_id=ROUTES[n % len(ROUTES)],
                    recipient_state=RECIPIENTS[n % len(RECIPIENTS)],
                    data={"addressee": {"name": "Example provider"}, "summary_of_facts": "bench " * 20},
                    route_advice={"route": ROUTES[n % len(ROUTES)], "findings": ["bench"] * 10},
                    state=state,
                    created_by=owner.user,
                    created_at=at,
                    issued_at=None if state in (State.DRAFT, State.AWAITING_APPROVAL, State.VALIDATED) else at,
                )
                for n, at, state in _rows(size, done, now, shift)
            )
            Deadline.objects.bulk_create(
                Deadline(
                    request=r,
                    organisation=owner.organisation,
                    event="Provider to produce the data",
                    due_at=r.created_at + timedelta(days=10 + r.pk % 30),
                    citation="Reg 2023/1543 Art 10(2)",
                    rule="production-10-days",
                    done_at=r.created_at + timedelta(days=5) if r.state in FINAL else None,
                )
                for r in requests
            )
            AuditEntry.objects.bulk_create(
                chain.entry(
                    at=r.created_at,
                    actor=owner.user.username,
                    organisation=owner.organisation.name,
                    object_id=r.pk,
                    details={"state": r.state, "form_id": r.form_id},
                )
                for r in requests
            )
        done += size
        counter[0] += size
        progress(counter[0])


def seed(
    *,
    requests: int,
    organisations: int,
    seed: int,
    password: str,
    api_token: str = "",
    append: bool = False,
    share: float = MEASURED_SHARE,
    now: datetime,
    progress: Callable[[int], None] = lambda _done: None,
) -> Seeded:
    """Seed the database with ``requests`` requests over ``organisations`` issuing authorities.

    ApplicationError (status 422) for a count below 1, (409) for a database that already holds
    cases unless ``append``; with ``append``, the new rows go to new organisations and the
    measured organisation, if there already is one, keeps its share."""
    if requests < 1:
        raise ApplicationError(f"--requests must be at least 1, not {requests}", field="requests", status=422)
    if not 0 < share < 1:
        raise ApplicationError(f"--measured-share must be between 0 and 1, not {share}", field="share", status=422)
    if organisations < 1:
        raise ApplicationError(f"--organisations must be at least 1, not {organisations}", field="organisations", status=422)
    existing = Case.objects.exists() or AuditEntry.objects.filter(object_type="request").exists()
    if existing and not append:
        raise ApplicationError("the database already holds cases: use an empty database, or --append to add to it", status=409)
    now = now.astimezone(UTC).replace(microsecond=0)
    first = not Organisation.objects.filter(name=MEASURED_ORGANISATION).exists()
    prefix = "" if first else f"s{seed}-{secrets.token_hex(3)}-"
    with transaction.atomic():
        owners = _organisations(organisations, prefix, password)
        measured = _measured(password, api_token, now) if first else None
    own = max(1, round(requests * share)) if measured is not None else 0
    if measured is not None:
        measured.requests = own
    _spread(owners, requests - own)
    chain = _Chain()
    counter = [0]
    for owner in ([measured] if measured is not None else []) + owners:
        if owner.requests:
            _seed_owner(owner, chain, now, seed, counter, progress)
    # The planner's statistics, as a database in service has them (autovacuum would gather them
    # later; measured right after a bulk load, PostgreSQL chose scans several times slower).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Seeded(organisations=len(owners) + (1 if measured else 0), requests=counter[0], audit_records=counter[0])


def add_requests(*, organisation: Organisation, user: User, count: int, now: datetime, seed: int = 0) -> None:
    """``count`` more requests (cases, deadlines, audit records) of ``organisation``, made by ``user``."""
    _seed_owner(
        _Owner(organisation, user, count), _Chain(), now.astimezone(UTC).replace(microsecond=0), seed, [0], lambda _: None
    )
