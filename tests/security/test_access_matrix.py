"""The access matrix: every URL of the site and every operation of the API, asked by every role of
the organisation that owns the objects and by every role of another organisation.

The URLs are read from Django's URL resolver and the operations from the OpenAPI document, so
nothing can be left out: a URL or an operation without an entry in ``PAGES`` or ``OPERATIONS``
below fails ``test_every_url_and_every_operation_has_an_entry``, whose message gives the line
to add. Each entry states, explicitly, the status every role gets for its own organisation's
object and for another organisation's, with the helpers:

- ``everyone(200)``: the same status for every role of every organisation;
- ``case_work(200)``: the issuing roles (investigator, judge, prosecutor, other competent
  authority, supervisor) of the owning
  organisation get 200; every other role of that organisation and everyone of another
  organisation get 404 (an object of another organisation does not exist for you);
- ``granted_to({Role.PROSECUTOR}, 200, denied=403)``: those roles of the owning organisation
  get 200, its other roles 403, another organisation 404 (``other=`` changes that);
- ``by_role({Role.AUDITOR}, 200)``: for what acts on the member's own organisation whatever
  the object (open a case, search the audit trail): those roles get 200, the others 403;
- ``cells({...})``: a status per role for the owning organisation (every other role 404), and
  404 for another organisation unless ``other=`` says otherwise.

The objects all belong to the French authority (``fr``); "own" rows are its members, "other"
rows are the German authority's (``de``). Besides the status, no answer to a member who may not
see the case (another organisation, or a role that cannot view cases) contains any of its text.
Every request is made by a member who passed the second factor (pages) and holds an API token
(API).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cyberspex.web.accounts.models import ApiToken, CalendarFeed, Membership, Organisation, OrganisationKind, Role
from cyberspex.web.accounts.services import calendar_feed_create
from cyberspex.web.api.api import api as ninja_api
from cyberspex.web.api.auth import token_create
from cyberspex.web.cases import services
from cyberspex.web.cases.attachments import attachment_add
from cyberspex.web.cases.models import Attachment, Case, Request
from cyberspex.web.exchange import decisions
from cyberspex.web.exchange.answers import Upload, answer_create
from cyberspex.web.exchange.delivery import deliver_to
from cyberspex.web.exchange.models import Delivery, DeliveryRole, Function, OralRequest, ProducedFile
from cyberspex.web.federation.files_models import FileTransfer
from cyberspex.web.knowledge import curation
from cyberspex.web.knowledge.curation_facts import Fact, propose_fact
from cyberspex.web.knowledge.models import Change
from tests.web.conftest import Api, Org
from tests.web.federation.factories import failed_transfer, refused, trusted_peer
from tests.web.helpers import CASE_FIELDS, JUSTIFICATION, NOW, REVIEW, form_data, make_request, move, verified_session

Expect = Callable[[Role, bool], int]
ISSUING = frozenset({Role.INVESTIGATOR, Role.JUDGE, Role.PROSECUTOR, Role.OTHER_AUTHORITY, Role.SUPERVISOR})
# Those who may issue or withdraw a request at all (whether the law lets them issue a given order
# alone is cases/approval.py's question, tested in tests/web/cases/test_approval.py).
# Those who work an inbox (cyberspex/web/exchange): what was delivered to their organisation.
RECEIVING = frozenset({Role.RESPONDER, Role.NOTIFIED_AUTHORITY, Role.CENTRAL_AUTHORITY, Role.CONTACT_247})
ISSUERS = frozenset({Role.JUDGE, Role.PROSECUTOR, Role.OTHER_AUTHORITY, Role.SUPERVISOR})
VALIDATORS = frozenset({Role.JUDGE, Role.PROSECUTOR, Role.SUPERVISOR})
# Those who take a notified, enforcing, requested-Party or 24/7 authority's decisions.
DECIDING = frozenset({Role.NOTIFIED_AUTHORITY, Role.CENTRAL_AUTHORITY, Role.CONTACT_247})


def everyone(status: int) -> Expect:
    return lambda _role, _own: status


def granted_to(roles: frozenset[Role] | set[Role], ok: int, *, denied: int = 404, other: int = 404) -> Expect:
    return lambda role, own: (ok if role in roles else denied) if own else other


def by_role(roles: frozenset[Role] | set[Role], ok: int, *, denied: int = 403) -> Expect:
    """For what a member does in their own organisation whichever object is asked (open a case...)."""
    return lambda role, _own: ok if role in roles else denied


def case_work(ok: int) -> Expect:
    return granted_to(ISSUING, ok)


def cells(own: Mapping[Role, int], *, other: int = 404, rest: int = 404) -> Expect:
    return lambda role, is_own: own.get(role, rest) if is_own else other


@dataclass
class Target:
    """Objects of the French authority: a case, a draft and an issued request, a calendar link."""

    case: Case
    draft: Request
    api_draft: Request
    issued: Request
    feed: CalendarFeed  # revoked by the matrix
    feed_token: str  # of another link, read by the matrix
    api_token: ApiToken  # the prosecutor's, revoked by the matrix
    member: User  # the investigator, whom an administrator acts on
    attachments: list[Attachment]  # downloaded by the page, removed by the page, by the API downloaded, removed
    delivery: Delivery  # the issued request as delivered to the French authority's own inbox
    # The same request delivered to the French organisation as its enforcing authority (Regulation
    # (EU) 2023/1543 Art 8), which has already consulted the issuing side (exchange/decisions.py).
    enforcing: Delivery
    # answers (exchange/answers.py): the same request served on the French organisation (the API
    # answers it), and another issued request it already answered, with a produced file
    to_answer: Delivery
    answered: Delivery
    produced: ProducedFile


def _target(fr: Org) -> Target:
    prosecutor = fr[Role.PROSECUTOR]
    case = services.case_create(user=prosecutor, retention_review_date=REVIEW, now=NOW, **SECRET_CASE)
    draft = make_request(prosecutor, case)
    issued = move(prosecutor, make_request(prosecutor, case), "issued")
    api_draft = make_request(prosecutor, case)
    calendar_feed_create(user=prosecutor, now=NOW)
    feed = CalendarFeed.objects.get(user=prosecutor)
    feed_token = calendar_feed_create(user=prosecutor, now=NOW)
    token_create(user=prosecutor, name="matrix", verified=True, now=NOW)
    api_token = ApiToken.objects.filter(user=prosecutor, name="matrix").get()
    files = [attachment_add(user=prosecutor, case_id=case.pk, name=f"note-{n}.txt", content=b"a note", now=NOW) for n in range(4)]
    # The French organisation also receives (its inbox): the issued request, delivered to it; it is
    # also a 24/7 point of contact (oral requests, exchange/emergency.py).
    fr.organisation.functions = [*fr.organisation.functions, Function.CONTACT_247.value]
    fr.organisation.save(update_fields=["functions"])
    delivered = deliver_to(
        issued,
        organisation=fr.organisation,
        role=DeliveryRole.ADDRESSEE,
        package="provider",
        by=prosecutor,
        now=NOW,
        exercise=False,
        signer=fr.organisation,
        signatories=lambda _language: (),
    )
    enforcing = deliver_to(
        issued,
        organisation=fr.organisation,
        role=DeliveryRole.ENFORCING,
        package="authority",
        by=prosecutor,
        now=NOW,
        exercise=False,
        signer=fr.organisation,
        signatories=lambda _language: (),
    )
    decisions.consult(user=fr[Role.NOTIFIED_AUTHORITY], delivery_id=enforcing.pk, message="a question", now=NOW)
    return Target(
        case,
        draft,
        api_draft,
        issued,
        feed,
        feed_token,
        api_token,
        fr[Role.INVESTIGATOR],
        files,
        delivered,
        enforcing,
        *_answers(fr, issued, case),
    )


def _answers(fr: Org, issued: Request, case: Case) -> tuple[Delivery, Delivery, ProducedFile]:
    prosecutor = fr[Role.PROSECUTOR]

    def deliver(request: Request, role: DeliveryRole) -> Delivery:
        return deliver_to(
            request,
            organisation=fr.organisation,
            role=role,
            package="provider",
            by=prosecutor,
            now=NOW,
            exercise=False,
            signer=fr.organisation,
            signatories=lambda _language: (),
        )

    to_answer = deliver(issued, DeliveryRole.SERVED)
    answered = deliver(move(prosecutor, make_request(prosecutor, case), "issued"), DeliveryRole.ADDRESSEE)
    made = answer_create(
        user=fr[Role.RESPONDER],
        delivery_id=answered.pk,
        outcome="data",
        reason_code="",
        reason="",
        files=[Upload("data.txt", b"produced data")],
        now=NOW,
    )
    return to_answer, answered, made.files.get()


# Every text of the French case carries this mark; no answer to another organisation, nor to a
# role of the French authority that cannot view cases, may contain it.
MARK = "Sentinel7731"
SECRET_CASE: dict[str, Any] = {
    **CASE_FIELDS,
    "reference": f"PAR-{MARK}",
    "title": f"Phishing {MARK}",
    "summary_of_facts": f"Facts {MARK}",
    "identifiers": [{"kind": "email", "value": f"{MARK.lower()}@mail.example.com"}],
    "persons": [{"name": f"Person {MARK}", "role": "suspect"}],
}

Value = Callable[[Target], object]

# Path parameters, by name, unless an entry gives its own.
PARAMETERS: dict[str, Value] = {
    "case_id": lambda t: t.case.pk,
    "request_id": lambda t: t.issued.pk,
    "feed_id": lambda t: t.feed.pk,
    "token": lambda t: t.feed_token,
    "package": lambda _t: "provider",
    "fmt": lambda _t: "html",
    "path": lambda _t: "site.css",
    "token_id": lambda t: t.api_token.pk,
    "user_id": lambda t: t.member.pk,
    "action": lambda _t: "enrolment-link",
    "attachment_id": lambda t: t.attachments[0].pk,
    "delivery_id": lambda t: t.delivery.pk,
    "organisation_id": lambda t: t.case.organisation.pk,
}


@dataclass(frozen=True)
class Entry:
    """How to ask one URL or operation, and the status each role gets."""

    method: str
    expect: Expect
    body: Callable[[Target], dict[str, Any]] | None = None  # form data (pages) or JSON (API)
    query: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, Value] = field(default_factory=dict)
    shows_the_owners_data: bool = False  # True only where a credential other than the member's is the key
    upload: bool = False  # the API takes a file (multipart/form-data) rather than JSON


DRAFT: Mapping[str, Value] = {"request_id": lambda t: t.draft.pk}  # withdrawing needs a draft
API_DRAFT: Mapping[str, Value] = {"request_id": lambda t: t.api_draft.pk}  # another one: the page withdrew the first


def _done_deadline(t: Target) -> int:
    """A deadline of the issued request, already marked done: every try answers the same (409)."""
    deadline = t.issued.deadlines.order_by("pk").first()
    assert deadline is not None
    if deadline.done_at is None:
        services.deadline_mark_done(user=t.issued.created_by, deadline_id=deadline.pk, reason="data received", now=NOW)
    return deadline.pk


# The Article 8 requested Party's steps on the French inbox item (received as an addressee, not as
# the requested Party): the deciding roles reach it (409), a responder may not decide (403).
REQUESTED_PARTY_STEP = {
    Role.RESPONDER: 403,
    **dict.fromkeys((Role.NOTIFIED_AUTHORITY, Role.CENTRAL_AUTHORITY, Role.CONTACT_247), 409),
}
DONE_DEADLINE: Mapping[str, Value] = {"deadline_id": _done_deadline}
ANSWERED: Mapping[str, Value] = {"delivery_id": lambda t: t.answered.pk, "file_id": lambda t: t.produced.pk}
ANSWERED_REQUEST: Mapping[str, Value] = {**ANSWERED, "request_id": lambda t: t.answered.request_id}
TO_ANSWER: Mapping[str, Value] = {"delivery_id": lambda t: t.to_answer.pk}
NO_DATA = {"outcome": "no_data", "reason_code": "identifier_not_found"}
# The French organisation's recipients see what was delivered to it, its issuing roles their own request's answers.
RECIPIENT_OR_ISSUER = RECEIVING | ISSUING
REMOVABLE: Mapping[str, Value] = {"attachment_id": lambda t: t.attachments[1].pk}
API_ATTACHMENT: Mapping[str, Value] = {"attachment_id": lambda t: t.attachments[2].pk}
API_REMOVABLE: Mapping[str, Value] = {"attachment_id": lambda t: t.attachments[3].pk}
ENFORCING: Mapping[str, Value] = {"delivery_id": lambda t: t.enforcing.pk}  # received as the enforcing authority
DECIDING = frozenset({Role.NOTIFIED_AUTHORITY, Role.CENTRAL_AUTHORITY, Role.CONTACT_247})
NOT_AN_EMERGENCY_ITEM = dict.fromkeys(DECIDING, 409) | {Role.RESPONDER: 403}
CONFIRMATION_MISSING = dict.fromkeys(DECIDING, 422) | {Role.RESPONDER: 403}  # neither a delivery nor a note
ORAL_CALL = {
    "caller_name": "Inspector Ana Ruiz",
    "caller_authority": "Guardia Civil",
    "caller_state": "ES",
    "called_at": NOW.isoformat(),
    "asked": "Subscriber data",
    "emergency_facts": "A child's life is at risk.",
}


def _oral_request(t: Target) -> int:
    """An oral request taken by the French authority (a 24/7 point of contact too), made once."""
    found = OralRequest.objects.filter(organisation=t.delivery.organisation).first() or OralRequest.objects.create(
        organisation=t.delivery.organisation,
        taken_by=t.member,
        recorded_at=NOW,
        called_at=NOW,
        **{k: v for k, v in ORAL_CALL.items() if k != "called_at"},
    )
    return found.pk


ORAL: Mapping[str, Value] = {"oral_request_id": _oral_request}
EXERCISE: Mapping[str, Value] = {"exercise_id": lambda _t: "art7-phishing-subscriber-fr-us"}


def _change(purpose: str, state: str) -> Value:
    """A proposed curation change (a hypothetical ratification of ``state``) by a curator who is
    neither the French nor the German one, so that both may review it; made once per purpose."""

    def make(_t: Target) -> int:
        found = Change.objects.filter(reason=purpose).first()
        if found is not None:
            return found.pk
        proposer = User.objects.filter(username="matrix-curator").first()
        if proposer is None:
            proposer = User.objects.create_user("matrix-curator")
            organisation = Organisation.objects.create(name="Secretariat", kind=OrganisationKind.SECRETARIAT, country="FR")
            Membership.objects.create(user=proposer, organisation=organisation, role=Role.CURATOR)
        source = curation.SourceInput(
            "https://www.coe.int/en/web/conventions", "chart", "official", date(2026, 3, 2), "A", purpose
        )
        fact = Fact(state=state, treaty="cets224", what="consent", date=date(2026, 3, 1), kind="ratification")
        return propose_fact(proposer, fact=fact, source=source, now=NOW).pk

    return make


def _peer(_t: Target) -> str:
    """A peer this instance trusts, with a message to it the peer refused for good (made once)."""
    peer = trusted_peer("matrix-peer.example")
    if not peer.outbox.exists():
        refused(peer)
    return peer.instance_id


def _stuck_message(_t: Target) -> str:
    """A message refused for good, to a peer the matrix never removes (removing one cancels its messages)."""
    peer = trusted_peer("matrix-stuck.example")
    return str((peer.outbox.first() or refused(peer)).pk)


def _failed_file(_t: Target) -> str:
    """A file transfer the peer refused for good (made once)."""
    peer = trusted_peer("matrix-peer.example")
    found = FileTransfer.objects.filter(message__peer=peer).first() or failed_transfer(peer)
    return str(found.pk)


PEER: Mapping[str, Value] = {"instance_id": _peer}
STUCK: Mapping[str, Value] = {"message_id": _stuck_message}
FAILED_FILE: Mapping[str, Value] = {"transfer_id": _failed_file}
CHANGE: Mapping[str, Value] = {"change_id": _change("read", "FR")}
PAGE_PUBLISHES: Mapping[str, Value] = {"change_id": _change("page publishes", "FR")}
PAGE_REJECTS: Mapping[str, Value] = {"change_id": _change("page rejects", "FR")}
API_PUBLISHES: Mapping[str, Value] = {"change_id": _change("api publishes", "DE")}
API_REJECTS: Mapping[str, Value] = {"change_id": _change("api rejects", "DE")}
CURATED_SIGNATURE = {  # a hypothetical earlier date of France's signature of CETS 224
    "state": "FR",
    "treaty": "cets224",
    "what": "signature",
    "date": "2023-01-26",
    "source_url": "https://www.coe.int/en/web/conventions",
    "source_title": "chart",
    "as_of": "2026-03-02",
    "verified_by": "A",
    "reason": "r",
}
SEARCH = {"q": "PAR"}  # matches the French case's reference
FEDERATION_FILE: Mapping[str, Value] = {
    "message": lambda _t: "6f1c2b1e-0000-4000-8000-000000000001",
    "sha256": lambda _t: "a" * 64,
}


# -- the pages: URL name (or route, for an unnamed URL) -> entry --------------------------------
PAGES: dict[str, Entry] = {
    "healthz": Entry("GET", everyone(200)),
    # Other instances' messages: no session, authenticated by the envelope's signature only; a
    # page's form data is not an envelope (tests/web/federation/test_receiving.py for the rest).
    "federation:messages": Entry("POST", everyone(400)),
    # A file's chunks and what is held of it: no session either, a header signed by a trusted peer
    # only; without one, refused (tests/web/federation/test_files_receiving.py for the rest).
    "federation:file_status": Entry("GET", everyone(400), params=FEDERATION_FILE),
    "federation:file_chunk": Entry("PUT", everyone(400), params={**FEDERATION_FILE, "index": lambda _t: 0}),
    "set_language": Entry("POST", everyone(302), body=lambda _t: {"language": "fr", "next": "/"}),
    "accounts:login": Entry("GET", everyone(302)),  # a member already logged in goes on to the dashboard
    "accounts:logout": Entry("POST", everyone(302)),
    "accounts:mfa": Entry("GET", everyone(302)),
    "accounts:mfa_enrol": Entry("GET", everyone(302)),
    "accounts:enrol": Entry("GET", everyone(404), params={"token": lambda _t: "not-a-link"}),  # no such link
    "accounts:mfa_recovery": Entry("GET", everyone(302)),  # a verified session goes on to the dashboard
    "accounts:keep_alive": Entry("POST", everyone(204)),  # renews one's own session, nothing else
    "accounts:tokens": Entry("GET", everyone(200)),  # one's own tokens (an administrator: the organisation's)
    "accounts:token_revoke": Entry("POST", cells({Role.PROSECUTOR: 302, Role.ADMINISTRATOR: 302})),  # owner or administrator
    "accounts:password": Entry("GET", everyone(200)),
    "accounts:preferences": Entry("GET", everyone(200)),
    "accounts:recovery_codes": Entry("GET", everyone(200)),
    "accounts:administration": Entry("GET", by_role({Role.ADMINISTRATOR}, 200)),
    "accounts:organisation_profile": Entry("GET", by_role({Role.ADMINISTRATOR}, 200)),  # one's own organisation's
    # The instance's federation (web/federation/administration.py): an administrator of any real
    # organisation of the instance; the matrix uploads a note, which is no identity document (422).
    "federation_admin:overview": Entry("GET", by_role({Role.ADMINISTRATOR}, 200)),
    "federation_admin:peer_add": Entry("POST", by_role({Role.ADMINISTRATOR}, 422), upload=True),
    "federation_admin:peer_remove": Entry(
        "POST", by_role({Role.ADMINISTRATOR}, 302), body=lambda _t: {"confirm": "on"}, params=PEER
    ),
    "federation_admin:message_retry": Entry("POST", by_role({Role.ADMINISTRATOR}, 302), params=STUCK),
    "federation_admin:file_retry": Entry("POST", by_role({Role.ADMINISTRATOR}, 302), params=FAILED_FILE),
    # Only an administrator may act; for another organisation's administrator the member does not exist.
    "accounts:member_action": Entry("POST", lambda role, own: (200 if own else 404) if role is Role.ADMINISTRATOR else 403),
    "api:openapi-json": Entry("GET", everyone(200)),
    "api:openapi-view": Entry("GET", everyone(200)),
    "api:api-root": Entry("GET", everyone(404)),
    "cases:dashboard": Entry("GET", lambda role, _own: 302 if role in RECEIVING else 200),  # a recipient: on to its inbox
    "public:advisor": Entry("GET", everyone(200)),
    "public:help": Entry("GET", everyone(200)),
    "public:glossary": Entry("GET", everyone(200)),
    "knowledge:treaties": Entry("GET", everyone(200)),
    "knowledge:what_if": Entry("GET", everyone(200), query={"ratified": "FR", "as_of": "2026-11-28", "data": "subscriber"}),
    # The knowledge portal's monitoring pages: public, reference data and providers' own policies only.
    "knowledge:providers": Entry("GET", everyone(200)),
    "knowledge:implementation": Entry("GET", everyone(200)),
    "knowledge:indicators": Entry("GET", everyone(200)),
    "knowledge:indicators_report": Entry("GET", everyone(200)),
    "knowledge:registers": Entry("GET", everyone(200)),
    "knowledge:register": Entry("GET", everyone(200), params={"register_id": lambda _t: "ets185-35"}),
    "knowledge:states": Entry("GET", everyone(200)),
    "knowledge:state": Entry("GET", everyone(200), params={"code": lambda _t: "FR"}),
    "cases:case_new": Entry("GET", by_role(ISSUING, 200)),
    "cases:case_detail": Entry("GET", case_work(200)),
    # Changing a case needs a justification given in the session first: without one, back to the case page.
    "cases:case_edit": Entry("GET", case_work(302)),
    "cases:case_retention": Entry("POST", case_work(302), body=lambda _t: {"retention-reason": "still needed"}),
    "cases:attachment_upload": Entry("POST", case_work(302)),
    "cases:attachment_download": Entry("GET", case_work(200)),
    "cases:attachment_remove": Entry("POST", case_work(302), params=REMOVABLE),
    "cases:search": Entry("GET", by_role(ISSUING, 200), query=SEARCH),  # finds only the member's own organisation's
    "cases:route_advice": Entry("GET", case_work(200)),
    "cases:request_new": Entry(
        "GET",
        case_work(200),
        query={"form": "eu-epoc", "provider_state": "DE", "category": "subscriber", "measure": "production"},
    ),
    "cases:request_detail": Entry("GET", case_work(200)),
    "cases:request_edit": Entry("GET", case_work(200)),  # an issued request: shown read-only
    "cases:request_review": Entry("GET", case_work(200)),
    "cases:request_transition": Entry(
        "POST",
        cells({**dict.fromkeys(ISSUERS, 302), Role.INVESTIGATOR: 403}),
        body=lambda _t: {"state": "withdrawn"},
        params=DRAFT,
    ),
    # The confirmation before issuing, asked of the issued request: nobody may issue it again.
    "cases:request_issue": Entry("GET", cells({**dict.fromkeys(ISSUERS, 409), Role.INVESTIGATOR: 403})),
    # Validation after issue (Art 4(5)): the issued request was validated by nobody and needs none.
    "cases:request_validate": Entry(
        "POST", cells({**dict.fromkeys(VALIDATORS, 409), **dict.fromkeys(ISSUING - VALIDATORS, 403)})
    ),
    "cases:request_follow_up": Entry("POST", case_work(409)),
    "cases:request_escalate": Entry("POST", case_work(409), body=lambda _t: {"to_form": "eu-epoc"}),  # an EPOC is not escalated
    "cases:request_service": Entry("POST", case_work(409), body=lambda _t: {"served_at": "2026-11-28T09:00"}),
    "cases:request_deadline_done": Entry(
        "POST", case_work(409), body=lambda _t: {"done-reason": "data received"}, params=DONE_DEADLINE
    ),
    "cases:request_download": Entry("GET", case_work(200)),
    "cases:calendar_create": Entry("POST", by_role(ISSUING, 200)),
    "cases:calendar_revoke": Entry("POST", cells({Role.PROSECUTOR: 302})),  # only the link's owner revokes it
    "cases:calendar_feed": Entry("GET", everyone(200), shows_the_owners_data=True),  # the secret token is the credential
    "exchange:inbox": Entry("GET", by_role(RECEIVING, 200)),  # the member's own organisation's inbox
    "exchange:item": Entry("GET", granted_to(RECEIVING, 200)),
    "exchange:document": Entry("GET", granted_to(RECEIVING, 200)),
    # The Article 8 requested Party's steps: those who decide reach the item, which was not received
    # as the requested Party (409); a responder may not decide (403).
    "exchange:rp_completeness": Entry("POST", cells(REQUESTED_PARTY_STEP), body=lambda _t: {"complete": "yes"}),
    "exchange:rp_service": Entry(
        "POST", cells(REQUESTED_PARTY_STEP), body=lambda t: {"provider": str(t.delivery.organisation_id)}
    ),
    "exchange:rp_execution": Entry(
        "POST", cells(REQUESTED_PARTY_STEP), body=lambda _t: {"decision": "postponed", "reasons": "x"}
    ),
    "exchange:rp_pass_back": Entry("POST", cells(REQUESTED_PARTY_STEP)),
    # The requesting side's supplement to a requested Party: the issued request went to none (409).
    "cases:request_supplement": Entry("POST", case_work(409), body=lambda _t: {"body": "x"}),
    # The directory is public within the platform (to address a request and to verify a signature).
    "directory:list": Entry("GET", everyone(200)),
    "directory:organisation": Entry("GET", everyone(200)),
    # Only a provider's or registrar's administrator publishes a policy profile: the French authority is neither.
    "directory:policy": Entry("GET", everyone(403)),
    "directory:keys": Entry("GET", by_role({Role.ADMINISTRATOR}, 200)),  # one's own organisation's keys
    "directory:rotate": Entry("POST", by_role({Role.ADMINISTRATOR}, 302), body=lambda _t: {"confirm": "on"}),
    # Training happens only in an exercise organisation (accounts/access.py): nobody of an issuing
    # authority, whatever the role, reaches it (tests/web/training for the trainees and trainers).
    "training:index": Entry("GET", everyone(403)),
    "training:exercise": Entry("GET", everyone(403), params=EXERCISE),
    "training:attempt": Entry("GET", everyone(403), params={"attempt_id": lambda _t: 1}),
    "training:cohorts": Entry("GET", everyone(403)),
    "training:sessions": Entry("GET", everyone(403)),
    # Every member sees its own organisation's statistics (counts and durations, no case data).
    "statistics:page": Entry("GET", everyone(200)),
    "statistics:export": Entry("GET", everyone(200)),
    # A notified or enforcing authority's decision (here a consultation): those who may decide; a
    # responder of that organisation may not (403).
    "exchange:decide": Entry(
        "POST",
        cells({**dict.fromkeys(DECIDING, 302), Role.RESPONDER: 403}),
        body=lambda _t: {"kind": "consult", "message": "a question"},
        params=ENFORCING,
    ),
    # The issuing side's reply in that consultation: those who work on the request's case.
    "exchange:consultation_reply": Entry("POST", case_work(302), body=lambda _t: {"message": "an answer"}, params=ENFORCING),
    # 24/7 points of contact (exchange/emergency_views.py): the French delivery is an addressee's, so a
    # member who decides is told it is not an emergency item (409); the French authority is also a 24/7 contact.
    "exchange:emergency_check": Entry("POST", cells(NOT_AN_EMERGENCY_ITEM), body=lambda _t: {"accepted": "no"}),
    "exchange:hand_off": Entry("POST", cells(NOT_AN_EMERGENCY_ITEM), body=lambda _t: {"organisation_id": "0"}),
    "exchange:oral_new": Entry("GET", lambda role, own: 200 if own and role in DECIDING else 403),
    "exchange:oral_detail": Entry("GET", granted_to(RECEIVING, 200), params=ORAL),
    "exchange:oral_confirm": Entry("POST", cells(CONFIRMATION_MISSING), params=ORAL),
    # Only a responder answers; the inbox's other roles are told so (403); for the rest it does not exist.
    "exchange:answer": Entry(
        "POST", cells({Role.RESPONDER: 302, **dict.fromkeys(RECEIVING - {Role.RESPONDER}, 403)}), body=lambda _t: NO_DATA
    ),
    "exchange:message": Entry("POST", granted_to(RECIPIENT_OR_ISSUER, 302), body=lambda _t: {"body": "Which account?"}),
    "exchange:file": Entry("GET", granted_to(RECIPIENT_OR_ISSUER, 200), params=ANSWERED),
    # Curation of the reference data (knowledge/curation_views.py): curators of any organisation, no one else.
    "knowledge:curation_queue": Entry("GET", by_role({Role.CURATOR}, 200)),
    "knowledge:curation_propose": Entry("GET", by_role({Role.CURATOR}, 200)),
    "knowledge:curation_change": Entry("GET", by_role({Role.CURATOR}, 200), params=CHANGE),
    "knowledge:curation_publish": Entry("POST", by_role({Role.CURATOR}, 302), params=PAGE_PUBLISHES),
    "knowledge:curation_reject": Entry(
        "POST", by_role({Role.CURATOR}, 302), body=lambda _t: {"reason": "x"}, params=PAGE_REJECTS
    ),
    # Only its proposer (another curator) may withdraw a change.
    "knowledge:curation_withdraw": Entry("POST", everyone(403), params=CHANGE),
    "knowledge:curation_versions": Entry("GET", by_role({Role.CURATOR}, 200)),
    "knowledge:curation_import": Entry("GET", by_role({Role.CURATOR}, 200)),
    "knowledge:curation_stale": Entry("GET", by_role({Role.CURATOR}, 200)),
}

# -- the API: "METHOD /api/v1/path" as in the OpenAPI document -> entry -------------------------
OPERATIONS: dict[str, Entry] = {
    "GET /api/v1/tokens": Entry("GET", everyone(200)),
    "DELETE /api/v1/tokens/{token_id}": Entry("DELETE", cells({Role.PROSECUTOR: 204, Role.ADMINISTRATOR: 204})),
    "GET /api/v1/registers": Entry("GET", everyone(200)),
    "GET /api/v1/registers/{register_id}": Entry("GET", everyone(200), params={"register_id": lambda _t: "ets185-35"}),
    "GET /api/v1/states/{code}": Entry("GET", everyone(200), params={"code": lambda _t: "FR"}),
    "GET /api/v1/routes": Entry(
        "GET", everyone(200), query={"issuing": "FR", "provider_state": "DE", "data": "subscriber", "as_of": "2026-11-28"}
    ),
    "GET /api/v1/treaties": Entry("GET", everyone(200), query={"treaty": "cets224", "as_of": "2026-11-28"}),
    "POST /api/v1/tokens": Entry("POST", everyone(201), body=lambda _t: {"name": "integration"}),
    "GET /api/v1/what-if": Entry("GET", everyone(200), query={"ratified": "FR", "as_of": "2026-11-28", "data": "subscriber"}),
    "GET /api/v1/providers": Entry("GET", everyone(200)),  # public: the provider policy inventory
    "GET /api/v1/implementation": Entry("GET", everyone(200)),  # public: the implementation tracker
    "GET /api/v1/indicators": Entry("GET", everyone(200), query={"from": "2026-01-01", "to": "2026-06-30"}),  # public
    "GET /api/v1/cases": Entry("GET", everyone(200)),  # lists only what the role may see (test_lists_*)
    "POST /api/v1/cases": Entry(
        "POST",
        by_role(ISSUING, 201),  # in the member's own organisation
        body=lambda _t: {**CASE_FIELDS, "reference": "NEW-1", "retention_review_date": REVIEW.isoformat()},
    ),
    "GET /api/v1/cases/{case_id}": Entry("GET", case_work(200), query={"justification": JUSTIFICATION}),
    "PATCH /api/v1/cases/{case_id}": Entry("PATCH", case_work(200), body=lambda _t: {"classification": "confidential"}),
    "GET /api/v1/cases/{case_id}/attachments": Entry("GET", case_work(200)),
    "POST /api/v1/cases/{case_id}/attachments": Entry("POST", case_work(201), upload=True),
    "GET /api/v1/cases/{case_id}/attachments/{attachment_id}": Entry("GET", case_work(200), params=API_ATTACHMENT),
    "DELETE /api/v1/cases/{case_id}/attachments/{attachment_id}": Entry("DELETE", case_work(204), params=API_REMOVABLE),
    "GET /api/v1/search": Entry("GET", everyone(200), query=SEARCH),  # finds only what the role may see (test_search)
    "POST /api/v1/cases/{case_id}/requests": Entry(
        "POST", case_work(201), body=lambda _t: {"form_id": "eu-epoc", "data": form_data("eu-epoc", "DE")}
    ),
    "GET /api/v1/requests/{request_id}": Entry("GET", case_work(200)),
    "PATCH /api/v1/requests/{request_id}": Entry(
        "PATCH", case_work(409), body=lambda _t: {"data": {"instructions": "none"}}
    ),  # the issued request is no longer editable
    "POST /api/v1/requests/{request_id}/transitions": Entry(
        "POST",
        cells({**dict.fromkeys(ISSUERS, 200), Role.INVESTIGATOR: 403}),
        body=lambda _t: {"state": "withdrawn"},
        params=API_DRAFT,
    ),
    "POST /api/v1/requests/{request_id}/validation": Entry(
        "POST", cells({**dict.fromkeys(VALIDATORS, 409), **dict.fromkeys(ISSUING - VALIDATORS, 403)})
    ),
    "POST /api/v1/requests/{request_id}/service": Entry("POST", case_work(409), body=lambda _t: {}),
    "POST /api/v1/requests/{request_id}/follow-up": Entry("POST", case_work(409)),
    "GET /api/v1/requests/{request_id}/packages/{package}": Entry("GET", case_work(200)),
    "POST /api/v1/deadlines/{deadline_id}/done": Entry(
        "POST", case_work(409), body=lambda _t: {"reason": "data received"}, params=DONE_DEADLINE
    ),
    "GET /api/v1/deadlines": Entry("GET", everyone(200)),  # lists only what the role may see (test_lists_*)
    "GET /api/v1/directory": Entry("GET", everyone(200)),  # public within the platform: to address and to verify
    "GET /api/v1/inbox": Entry("GET", everyone(200)),  # lists only what was delivered to the member's organisation
    "GET /api/v1/inbox/{delivery_id}": Entry("GET", granted_to(RECEIVING, 200)),
    "GET /api/v1/inbox/{delivery_id}/document": Entry("GET", granted_to(RECEIVING, 200)),
    "GET /api/v1/requested-party/checklist": Entry("GET", everyone(200)),  # the text of CETS 224 Art 8(3), 8(4)
    "POST /api/v1/inbox/{delivery_id}/completeness": Entry(
        "POST", cells(REQUESTED_PARTY_STEP), body=lambda _t: {"complete": True}
    ),
    "POST /api/v1/inbox/{delivery_id}/service": Entry(
        "POST", cells(REQUESTED_PARTY_STEP), body=lambda t: {"provider_organisation_id": t.delivery.organisation_id}
    ),
    "POST /api/v1/inbox/{delivery_id}/execution": Entry(
        "POST", cells(REQUESTED_PARTY_STEP), body=lambda _t: {"decision": "postponed", "reasons": "x"}
    ),
    "POST /api/v1/inbox/{delivery_id}/pass-back": Entry("POST", cells(REQUESTED_PARTY_STEP)),
    # The requesting side's supplement: the issued request was delivered to no requested Party (409).
    "POST /api/v1/requests/{request_id}/supplement": Entry("POST", case_work(409), body=lambda _t: {"body": "x"}),
    "GET /api/v1/statistics": Entry("GET", everyone(200)),  # the member's own organisation's figures only
    "GET /api/v1/exercises": Entry("GET", everyone(403)),  # trainees and trainers of an exercise organisation only
    "POST /api/v1/exercises/{exercise_id}/attempts": Entry(
        "POST", everyone(403), body=lambda _t: {"route": "2ap-7", "form": {}}, params=EXERCISE
    ),
    "GET /api/v1/inbox/{delivery_id}/decisions": Entry("GET", granted_to(RECEIVING, 200), params=ENFORCING),
    "POST /api/v1/inbox/{delivery_id}/decisions": Entry(
        "POST",
        cells({**dict.fromkeys(DECIDING, 201), Role.RESPONDER: 403}),
        body=lambda _t: {"kind": "no_ground"},
        params=ENFORCING,
    ),
    "POST /api/v1/inbox/{delivery_id}/emergency-check": Entry(
        "POST", cells(NOT_AN_EMERGENCY_ITEM), body=lambda _t: {"accepted": False}
    ),
    "POST /api/v1/inbox/{delivery_id}/hand-off": Entry(
        "POST", cells(NOT_AN_EMERGENCY_ITEM), body=lambda _t: {"organisation_id": 0}
    ),
    "GET /api/v1/oral-requests": Entry("GET", everyone(200)),  # lists only the member's own organisation's
    "POST /api/v1/oral-requests": Entry(
        "POST", lambda role, own: 201 if own and role in DECIDING else 403, body=lambda _t: ORAL_CALL
    ),
    "POST /api/v1/oral-requests/{oral_request_id}/confirmation": Entry("POST", cells(CONFIRMATION_MISSING), params=ORAL),
    "POST /api/v1/requests/{request_id}/escalations": Entry("POST", case_work(409), body=lambda _t: {"to_form": "eu-epoc"}),
    "POST /api/v1/inbox/{delivery_id}/answers": Entry(
        "POST",
        cells({Role.RESPONDER: 201, **dict.fromkeys(RECEIVING - {Role.RESPONDER}, 403)}),
        body=lambda _t: NO_DATA,
        params=TO_ANSWER,
        upload=True,
    ),
    "GET /api/v1/inbox/{delivery_id}/answer": Entry("GET", granted_to(RECIPIENT_OR_ISSUER, 200), params=ANSWERED),
    "GET /api/v1/inbox/{delivery_id}/files/{file_id}": Entry("GET", granted_to(RECIPIENT_OR_ISSUER, 200), params=ANSWERED),
    "POST /api/v1/inbox/{delivery_id}/messages": Entry(
        "POST", granted_to(RECIPIENT_OR_ISSUER, 201), body=lambda _t: {"body": "Which account?"}
    ),
    "POST /api/v1/inbox/{delivery_id}/receipts": Entry(
        "POST", granted_to(RECEIVING, 201), body=lambda _t: {"kind": "opened", "nonce": "matrix-receipt-0001"}
    ),
    "GET /api/v1/requests/{request_id}/answers": Entry("GET", case_work(200)),
    "GET /api/v1/requests/{request_id}/answers/{delivery_id}/files/{file_id}": Entry(
        "GET", case_work(200), params=ANSWERED_REQUEST
    ),
    # Curation (web/api/curation.py): curators of any organisation; the versions and the export are public.
    "POST /api/v1/curation/changes": Entry("POST", by_role({Role.CURATOR}, 201), body=lambda _t: CURATED_SIGNATURE),
    "GET /api/v1/curation/changes": Entry("GET", by_role({Role.CURATOR}, 200)),
    "GET /api/v1/curation/changes/{change_id}": Entry("GET", by_role({Role.CURATOR}, 200), params=CHANGE),
    "POST /api/v1/curation/changes/{change_id}/publish": Entry("POST", by_role({Role.CURATOR}, 200), params=API_PUBLISHES),
    "POST /api/v1/curation/changes/{change_id}/reject": Entry(
        "POST", by_role({Role.CURATOR}, 200), body=lambda _t: {"reason": "x"}, params=API_REJECTS
    ),
    "GET /api/v1/curation/versions": Entry("GET", everyone(200)),
    # The matrix uploads a note, which is no list of rows: a curator is told so (400), anyone else may not import.
    "POST /api/v1/curation/imports": Entry("POST", by_role({Role.CURATOR}, 400), upload=True),
    "GET /api/v1/curation/export": Entry("GET", everyone(200)),
    "GET /api/v1/audit": Entry(
        "GET",
        by_role({Role.AUDITOR}, 200),
        query={"justification": JUSTIFICATION},  # the member's own organisation's trail
    ),
}

HELP = (
    "Add an entry to {table} in tests/security/test_access_matrix.py for each, giving the status every role gets "
    "for its own organisation's object and for another organisation's (helpers: everyone(200), case_work(200), "
    "granted_to({{Role.ADMINISTRATOR}}, 200, denied=403), by_role({{Role.ADMINISTRATOR}}, 200), "
    "cells({{Role.PROSECUTOR: 200}}, other=404)); a path parameter not in PARAMETERS needs "
    "params={{'name': lambda t: ...}}:\n{lines}"
)


# -- what the site has ----------------------------------------------------------------------


@dataclass(frozen=True)
class Url:
    key: str  # the URL name with its namespace, or the route of an unnamed URL
    route: str  # e.g. "cases/<int:case_id>/"


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[Url]:
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace or namespace
            found += _walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.append(Url(name or route, route))
    return found


def site_urls() -> list[Url]:
    """Every URL of the site but the API's operations (which the OpenAPI document lists)."""
    return [url for url in _walk(get_resolver()) if not (url.key.startswith("api:") and _is_operation(url))]


def _is_operation(url: Url) -> bool:
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", url.route)
    return path in ninja_api.get_openapi_schema()["paths"]


def api_operations() -> dict[str, str]:
    """``"METHOD /api/v1/path"`` -> the path template, for every operation of the OpenAPI document."""
    schema = ninja_api.get_openapi_schema()
    return {f"{method.upper()} {path}": path for path, operations in schema["paths"].items() for method in operations}


def test_every_url_and_every_operation_has_an_entry() -> None:
    urls = {url.key: url.route for url in site_urls()}
    operations = api_operations()
    problems = []
    missing_pages = [f'    "{key}": Entry("GET", ...),  # /{route}' for key, route in urls.items() if key not in PAGES]
    if missing_pages:
        problems.append(
            f"{len(missing_pages)} URL(s) without an entry. " + HELP.format(table="PAGES", lines="\n".join(missing_pages))
        )
    missing_ops = [f'    "{key}": Entry("{key.split()[0]}", ...),' for key in operations if key not in OPERATIONS]
    if missing_ops:
        problems.append(
            f"{len(missing_ops)} API operation(s) without an entry. "
            + HELP.format(table="OPERATIONS", lines="\n".join(missing_ops))
        )
    stale = sorted(set(PAGES) - set(urls)) + sorted(set(OPERATIONS) - set(operations))
    if stale:
        problems.append(f"entries for URLs or operations that no longer exist, remove them: {stale}")
    for key, route in {**urls, **operations}.items():
        entry = PAGES.get(key) or OPERATIONS.get(key)
        names = re.findall(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", route)
        unknown = [a or b for a, b in names if (a or b) not in {**PARAMETERS, **(entry.params if entry else {})}]
        if entry and unknown:
            problems.append(f"{key}: path parameter(s) {unknown} not in PARAMETERS: give params={{...}} in its entry")
    assert not problems, "\n\n".join(problems)


# -- asking -----------------------------------------------------------------------------------


def _fill(route: str, entry: Entry, target: Target) -> str:
    values = {**PARAMETERS, **entry.params}

    def value(match: re.Match[str]) -> str:
        return str(values[match.group(1) or match.group(2)](target))

    return re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", value, route)


def _ask(client: Client, token: str, path: str, entry: Entry, target: Target) -> tuple[int, str]:
    method = entry.method
    body = entry.body(target) if entry.body else None
    headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
    query = f"?{'&'.join(f'{k}={v}' for k, v in entry.query.items())}" if entry.query else ""
    if method == "GET":
        response = client.get(path + query, headers=headers)
    elif method == "PUT":  # a file's chunk, from another instance
        response = client.put(path + query, data=b"a chunk", content_type="application/octet-stream", headers=headers)
    elif entry.upload:
        response = client.post(path + query, {"file": SimpleUploadedFile("note.txt", b"a note"), **(body or {})}, headers=headers)
    elif path.startswith("/api/"):
        response = client.generic(method, path + query, data=_json(body or {}), content_type="application/json", headers=headers)
    else:
        response = client.post(path + query, body or {}, headers=headers)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return int(response.status_code), content.decode("utf-8", "replace")


def _json(body: dict[str, Any]) -> str:
    return json.dumps(body)


ROWS = [pytest.param(role, own, id=f"{role.value}-{'own' if own else 'other'}") for role, own in product(Role, (True, False))]


@pytest.mark.parametrize(("role", "own"), ROWS)
def test_it_answers_every_url_and_every_operation_as_the_matrix_says(fr: Org, de: Org, api: Api, role: Role, own: bool) -> None:
    """One row of the matrix: every URL and every operation, for one role of the owning or another organisation."""
    target = _target(fr)
    user: User = (fr if own else de)[role]
    client = Client()
    verified_session(client, user)
    token = api.token(user)
    asked = [("/" + url.route, url.key, PAGES[url.key]) for url in site_urls() if url.key in PAGES]
    asked += [(path, key, OPERATIONS[key]) for key, path in api_operations().items() if key in OPERATIONS]
    wrong = []
    for route, key, entry in asked:
        status, content = _ask(client, token, _fill(route, entry, target), entry, target)
        expected = entry.expect(role, own)
        if status != expected:
            wrong.append(f"{key}: {status}, expected {expected}")
        may_see_the_case = own and role in ISSUING
        if not may_see_the_case and MARK.lower() in content.lower() and not entry.shows_the_owners_data:
            wrong.append(f"{key}: shows the case's data to a member who may not see it")
        if key in ("accounts:logout",):  # logging out ends the session: log in again for what follows
            verified_session(client, user)
    assert not wrong, "\n".join(wrong)
