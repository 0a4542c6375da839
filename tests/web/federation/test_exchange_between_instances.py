"""The exchange itself across two real instances on loopback (each `cyberspex serve` with its own
SQLite database): A hosts the issuing authorities (Paris; Belgrade for the Protocol's orders,
rehearsed on an exercise instance), B a provider in Germany and the German authority that is the
notified, enforcing and requested-Party authority. A request issued on A travels to B, B's
recipients act, and A sees the same history with B's times: an EPOC opened and answered (its
enforcing authority deciding), an Art 7 order whose notified authority instructs non-disclosure
(CETS 224 Art 7(5)(c)), an Art 8 order found incomplete by the requested Party, supplemented
by A (the supplement reaches B with A's time), then refused (Art 8(8)); and the file a provider
on B produces with its answer, shown on A with the same SHA-256 and downloaded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.serving import running_server
from tests.web.federation.instances import Instance

DELIVER = ["federation", "deliver", "--once"]

SET_UP_B = """
from django.utils import timezone
from cyberspex.web.accounts.models import OrganisationKind
from cyberspex.web.exchange.models import Function
from cyberspex.web.federation import identity
from tests.web.exchange.conftest import organisation
organisation("pde", "Beispiel Mail GmbH", OrganisationKind.PROVIDER, "DE", [Function.PROVIDER])
organisation("bfj", "Bundesamt für Justiz", OrganisationKind.NOTIFIED_AUTHORITY, "DE",
             [Function.NOTIFIED_AUTHORITY, Function.ENFORCING_AUTHORITY, Function.REQUESTED_PARTY])
with open({path!r}, "w") as out:
    json.dump(identity.document(timezone.now()), out)
result = True
"""

SET_UP_A = """
from cyberspex.web.accounts.models import OrganisationKind
from tests.web.exchange.conftest import organisation
organisation("fr", "Parquet de Paris, section J3", OrganisationKind.ISSUING_AUTHORITY, "FR", [])
organisation("rs", "Posebno tužilaštvo za VTK, Beograd", OrganisationKind.ISSUING_AUTHORITY, "RS", [])
result = True
"""

# On A: an order issued to B's provider (or requested Party); the ids of its deliveries by role.
ISSUE = """
from django.test import override_settings
from django.utils import timezone
from cyberspex.web.accounts.models import Membership, Organisation, Role
from cyberspex.web.cases.selectors import what_if
from cyberspex.web.exchange.models import Delivery
from tests.web.conftest import Org
from tests.web.exchange.orders import art7_issued, epoc_issued
from cyberspex.web.cases.services import request_draft
from tests.web.helpers import form_data, make_case, move

def org(name):
    found = Organisation.objects.get(name=name)
    return Org(found, {{m.role: m.user for m in Membership.objects.filter(organisation=found)}})

provider, bfj = org("Beispiel Mail GmbH"), org("Bundesamt für Justiz")
kind, reference = {kind!r}, {reference!r}
with override_settings(EXERCISE_MODE=kind != "epoc"):
    rehearsal = what_if(assume_in_force=True, assume_ratified="RS,DE")
    if kind == "epoc":
        request = epoc_issued(org("Parquet de Paris, section J3"), provider, now=timezone.now(), reference=reference)
    elif kind == "art7":
        request = art7_issued(org("Posebno tužilaštvo za VTK, Beograd"), provider, rehearsal, now=timezone.now())
    else:  # an Art 8 order to the requested Party (tests/web/exchange/test_requested_party.py)
        rs = org("Posebno tužilaštvo za VTK, Beograd")
        case = make_case(rs[Role.PROSECUTOR], "RS-2026-8", now=timezone.now())
        made, _ = request_draft(user=rs[Role.PROSECUTOR], case_id=case.pk, form_id="2ap-8-order",
                                data=form_data("2ap-8-order", "DE"), now=timezone.now(), what_if=rehearsal,
                                recipient_organisation=bfj.organisation.pk)
        request = move(rs[Role.PROSECUTOR], made, "issued", now=timezone.now())
result = {{"request": request.pk, "deliveries": {{d.role: [d.pk, d.status] for d in Delivery.objects.filter(request=request)}}}}
"""

# On either side: the history of the deliveries of a request (A: by its id; B: by A's reference).
HISTORY = """
from cyberspex.web.exchange.decision_clock import decision_clock
from cyberspex.web.exchange.models import Delivery
from django.utils import timezone
found = Delivery.objects.filter({lookup}).order_by("role")
result = {{"state": found[0].request.state if found else None, "deliveries": {{}}}}
for d in found:
    clock = decision_clock(d, timezone.now())
    result["deliveries"][d.role] = {{
        "status": d.status,
        "delivered_at": d.delivered_at.isoformat(),
        "opened_at": d.opened_at.isoformat() if d.opened_at else None,
        "answered_at": d.answered_at.isoformat() if d.answered_at else None,
        "blocked_at": d.blocked_at.isoformat() if d.blocked_at else None,
        "receipts": [[r.kind, r.at.isoformat()] for r in d.receipts.order_by("at", "pk")],
        "decisions": [[x.kind, x.grounds, x.reasons, x.at.isoformat()] for x in d.decisions.order_by("at", "pk")],
        "answer": [d.answer.outcome, d.answer.at.isoformat()] if hasattr(d, "answer") else None,
        "messages": [[m.channel, m.body, m.at.isoformat()] for m in d.messages.order_by("at", "pk")],
        "clock_from": clock.started_at.isoformat() if clock is not None else None,
    }}
"""

# On B: what the recipients do.
ACT = """
from django.utils import timezone
from cyberspex.web.accounts.models import Role, Membership
from cyberspex.web.exchange import answers, decisions, requested_party, services
from cyberspex.web.exchange.models import Delivery
def member(name, role):
    return Membership.objects.get(organisation__name=name, role=role).user
mine = {{d.role: d for d in Delivery.objects.filter(remote__request={request})}}
responder, authority = member("Beispiel Mail GmbH", Role.RESPONDER), member("Bundesamt für Justiz", Role.NOTIFIED_AUTHORITY)
{code}
result = True
"""


def _lookup(side: str, request: int) -> str:
    return f"request_id={request}" if side == "a" else f"remote__request={request}"


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Instance, Instance]]:
    folder = tmp_path_factory.mktemp("between")
    a, b = Instance("a.example", folder / "a"), Instance("b.example", folder / "b")
    with (
        running_server(a.data_dir, "--workers", "1", port=a.port, extra_env=a.env),
        running_server(b.data_dir, "--workers", "1", port=b.port, extra_env=b.env),
    ):
        b.python(SET_UP_B.format(path=str(folder / "b.json")))
        a.python(SET_UP_A)
        a.cli("instance", "identity", "-o", str(folder / "a.json"))
        a.cli("peers", "add", str(folder / "b.json"))
        b.cli("peers", "add", str(folder / "a.json"))
        yield a, b


def _history(side: Instance, name: str, request: int) -> dict[str, Any]:
    found: dict[str, Any] = side.python(HISTORY.format(lookup=_lookup(name, request)))
    return found


def test_an_epoc_issued_on_a_is_delivered_opened_and_answered_on_b_and_a_sees_it_with_b_times(
    instances: tuple[Instance, Instance],
) -> None:
    a, b = instances
    issued = a.python(ISSUE.format(kind="epoc", reference="PAR-2026-00412"))
    assert {role: status for role, (_, status) in issued["deliveries"].items()} == {"addressee": "sent", "enforcing": "sent"}
    assert a.cli(*DELIVER).startswith("delivered 2 message(s)")
    request = issued["request"]
    b.python(
        ACT.format(
            request=request,
            code="""
services.delivery_open(user=responder, delivery_id=mine["addressee"].pk, now=timezone.now())
answers.answer_create(user=responder, delivery_id=mine["addressee"].pk, outcome="no_data",
                      reason_code="identifier_not_found", reason="", files=[], now=timezone.now())
decisions.no_ground(user=authority, delivery_id=mine["enforcing"].pk, now=timezone.now())
""",
        )
    )
    assert b.cli(*DELIVER).startswith("delivered 3 message(s)")  # opened, answered, and the enforcing decision
    on_a, on_b = _history(a, "a", request), _history(b, "b", request)
    assert on_a["state"] == "answered"
    for role in ("addressee", "enforcing"):
        here, there = on_a["deliveries"][role], on_b["deliveries"][role]
        # One history: the same statuses, times, receipts and decisions on both sides.
        assert {k: here[k] for k in here if k != "clock_from"} == {k: there[k] for k in there if k != "clock_from"}
    addressee = on_a["deliveries"]["addressee"]
    assert [kind for kind, _ in addressee["receipts"]] == ["delivered", "opened", "answered"]
    assert addressee["answer"][0] == "no_data"
    assert on_a["deliveries"]["enforcing"]["decisions"][0][0] == "no_ground"
    # Applying again changes nothing: a second pass of B's worker has nothing to send.
    assert b.cli(*DELIVER).startswith("delivered 0 message(s)")


# On B: the SHA-256 of the file its provider produced with the answer.
PRODUCED_ON_B = """
from cyberspex.web.exchange.models import ProducedFile
result = ProducedFile.objects.get(answer__delivery__remote__request={request}).sha256
"""

# On A: the file as the prosecutor's request page shows it, and its download's SHA-256.
SHOWN_ON_A = """
import hashlib
from django.test import Client, override_settings
from cyberspex.web.accounts.models import Membership, Role
from cyberspex.web.exchange.models import ProducedFile
from tests.web.helpers import verified_session
produced = ProducedFile.objects.get(answer__delivery__request_id={request})
prosecutor = Membership.objects.get(organisation__name="Parquet de Paris, section J3", role=Role.PROSECUTOR).user
with override_settings(ALLOWED_HOSTS=["testserver"]):
    client = Client()
    verified_session(client, prosecutor)
    page = client.get("/requests/{request}/", secure=True).content.decode()
    download = client.get(f"/inbox/{{produced.answer.delivery_id}}/files/{{produced.pk}}", secure=True)
    served = hashlib.sha256(b"".join(download.streaming_content)).hexdigest()
result = [produced.sha256, produced.sha256 in page, "received from b.example" in page, served]
"""


def test_the_file_a_provider_on_b_produces_is_shown_on_a_with_the_same_sha256_and_downloaded(
    instances: tuple[Instance, Instance],
) -> None:
    a, b = instances
    request = a.python(ISSUE.format(kind="epoc", reference="PAR-2026-00413"))["request"]
    a.cli(*DELIVER)
    code = """
from tests.web.exchange.test_answers import PDF
answers.answer_create(user=responder, delivery_id=mine["addressee"].pk, outcome="data", reason_code="", reason="",
                      files=[answers.Upload("logins.pdf", PDF)], now=timezone.now())
"""
    b.python(ACT.format(request=request, code=code))
    assert "1 file(s) sent in full" in b.cli(*DELIVER)  # the event, then the file's chunks
    provider_sha256 = b.python(PRODUCED_ON_B.format(request=request))
    assert a.python(SHOWN_ON_A.format(request=request)) == [provider_sha256, True, True, provider_sha256]


def test_an_art7_order_with_its_notification_the_notified_authority_instructs_non_disclosure_and_a_sees_it(
    instances: tuple[Instance, Instance],
) -> None:
    a, b = instances
    issued = a.python(ISSUE.format(kind="art7", reference="PAR-2026-00412"))
    assert set(issued["deliveries"]) == {"addressee", "notified"}
    assert a.cli(*DELIVER) == "delivered 2 message(s); 0 to retry later; 0 refused for good"
    request = issued["request"]
    b.python(
        ACT.format(
            request=request,
            code="""
decisions.instruct_non_disclosure(user=authority, delivery_id=mine["notified"].pk, grounds=["7.5.c.i"],
                                  reasons="An ongoing investigation here.", now=timezone.now())
""",
        )
    )
    b.cli(*DELIVER)
    on_a, on_b = _history(a, "a", request), _history(b, "b", request)
    notified = on_a["deliveries"]["notified"]
    assert notified["decisions"] == on_b["deliveries"]["notified"]["decisions"]
    assert notified["decisions"][0][:3] == ["non_disclosure", ["7.5.c.i"], "An ongoing investigation here."]
    assert notified["clock_from"] == on_b["deliveries"]["notified"]["clock_from"] == notified["delivered_at"]
    addressee = on_a["deliveries"]["addressee"]
    assert addressee["status"] == on_b["deliveries"]["addressee"]["status"] == "blocked"
    assert addressee["blocked_at"] == on_b["deliveries"]["addressee"]["blocked_at"]


def test_an_art8_order_supplemented_by_a_then_refused_by_the_requested_party_on_b_is_refused_on_a(
    instances: tuple[Instance, Instance],
) -> None:
    a, b = instances
    issued = a.python(ISSUE.format(kind="art8", reference="PAR-2026-00412"))
    assert set(issued["deliveries"]) == {"requested_party"}
    assert a.cli(*DELIVER) == "delivered 1 message(s); 0 to retry later; 0 refused for good"
    request = issued["request"]
    b.python(
        ACT.format(
            request=request,
            code="""
requested_party.completeness_check(user=authority, delivery_id=mine["requested_party"].pk, complete=False,
                                   missing=["2AP-A8-4"], reasons="", now=timezone.now())
""",
        )
    )
    b.cli(*DELIVER)
    a.python(f"""
        from django.utils import timezone
        from cyberspex.web.accounts.models import Membership, Role
        from cyberspex.web.exchange import requested_party
        prosecutor = Membership.objects.get(organisation__name="Posebno tužilaštvo za VTK, Beograd", role=Role.PROSECUTOR).user
        requested_party.supplement(user=prosecutor, request_id={request}, body="He lives in Serbia.", now=timezone.now())
        result = True
    """)
    assert a.cli(*DELIVER).startswith("delivered 1 message(s)")  # the supplement, to B
    b.python(
        ACT.format(
            request=request,
            code="""
requested_party.completeness_check(user=authority, delivery_id=mine["requested_party"].pk, complete=True,
                                   missing=[], reasons="", now=timezone.now())
requested_party.execution(user=authority, delivery_id=mine["requested_party"].pk, decision="refused",
                          reasons="Contrary to essential interests.", now=timezone.now())
""",
        )
    )
    b.cli(*DELIVER)
    on_a, on_b = _history(a, "a", request), _history(b, "b", request)
    assert on_a["state"] == "refused"
    here, there = on_a["deliveries"]["requested_party"], on_b["deliveries"]["requested_party"]
    assert [d[0] for d in here["decisions"]] == ["incomplete", "complete", "refused"]
    assert here["decisions"] == there["decisions"]
    assert [m[1] for m in here["messages"]][1:] == ["He lives in Serbia."]
    assert here["messages"] == there["messages"]  # B's question and A's supplement, each at its writer's time
    assert here["status"] == there["status"] == "decided"


SET_UP = """
from django.utils import timezone
from cyberspex.web.accounts.models import OrganisationKind
from cyberspex.web.exchange.models import Function
from cyberspex.web.federation import identity
from tests.web.exchange.conftest import organisation
organisation({prefix!r}, {name!r}, OrganisationKind({kind!r}), "DE", [Function({function!r})])
with open({path!r}, "w") as out:
    json.dump(identity.document(timezone.now()), out)
result = True
"""


def test_three_instances_the_notified_authority_on_c_instructs_non_disclosure_and_the_provider_on_b_is_blocked(
    tmp_path: Path,
) -> None:
    a, b, c = (Instance(f"{n}.example", tmp_path / n) for n in "abc")
    with (
        running_server(a.data_dir, "--workers", "1", port=a.port, extra_env=a.env),
        running_server(b.data_dir, "--workers", "1", port=b.port, extra_env=b.env),
        running_server(c.data_dir, "--workers", "1", port=c.port, extra_env=c.env),
    ):
        b.python(
            SET_UP.format(
                prefix="pde", name="Beispiel Mail GmbH", kind="provider", function="provider", path=str(tmp_path / "b.json")
            )
        )
        c.python(
            SET_UP.format(
                prefix="bfj",
                name="Bundesamt für Justiz",
                kind="notified_authority",
                function="notified_authority",
                path=str(tmp_path / "c.json"),
            )
        )
        a.python(SET_UP_A)
        a.cli("instance", "identity", "-o", str(tmp_path / "a.json"))
        a.cli("peers", "add", str(tmp_path / "b.json"))
        a.cli("peers", "add", str(tmp_path / "c.json"))
        b.cli("peers", "add", str(tmp_path / "a.json"))
        c.cli("peers", "add", str(tmp_path / "a.json"))

        issued = a.python(ISSUE.format(kind="art7", reference="PAR-2026-00412"))
        assert a.cli(*DELIVER) == "delivered 2 message(s); 0 to retry later; 0 refused for good"  # one to B, one to C
        request = issued["request"]
        c.python(f"""
            from django.utils import timezone
            from cyberspex.web.accounts.models import Membership, Role
            from cyberspex.web.exchange import decisions
            from cyberspex.web.exchange.models import Delivery
            authority = Membership.objects.get(organisation__name="Bundesamt für Justiz", role=Role.NOTIFIED_AUTHORITY).user
            notified = Delivery.objects.get(remote__request={request})
            decisions.instruct_non_disclosure(user=authority, delivery_id=notified.pk, grounds=["7.5.c.i"],
                                              reasons="An ongoing investigation here.", now=timezone.now())
            result = True
        """)
        assert c.cli(*DELIVER).startswith("delivered 1 message(s)")  # the decision, to A
        assert a.cli(*DELIVER).startswith("delivered 1 message(s)")  # the instruction, to B
        on_a, on_b, on_c = _history(a, "a", request), _history(b, "b", request), _history(c, "b", request)
    decided = on_c["deliveries"]["notified"]["decisions"]
    assert on_a["deliveries"]["notified"]["decisions"] == decided
    blocked_at = decided[0][3]
    assert on_a["deliveries"]["addressee"]["status"] == on_b["deliveries"]["addressee"]["status"] == "blocked"
    assert on_a["deliveries"]["addressee"]["blocked_at"] == on_b["deliveries"]["addressee"]["blocked_at"] == blocked_at
    assert "notified" not in on_b["deliveries"]  # the provider's instance never receives the notification
