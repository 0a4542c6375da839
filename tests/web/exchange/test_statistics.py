"""Statistics that practitioners own: on a small hand-made exchange the figures are right, the
filters narrow them, each organisation sees only its own, and the CSV cannot carry a formula.

The data set (T0 = 2026-11-01 09:00 UTC; the clock stands at NOW = 2026-11-28 09:00):

- the Serbian authority (rs) issued four requests:
  r1, Art 7 to the German provider, with the notified authority (bfj): the issuing side writes
  at T0+30 min (not a response), the provider asks for clarification at T0+1 h, bfj raises no
  objection at T0+3 h, the provider answers with data at T0+2 d; one deadline met;
  r2, Art 7 to the German provider at T0+1 d: refused as over-broad 4 h later; its deadline,
  due 1 h after delivery, was done late (missed);
  r3, an EPOC to the Irish provider at T0+2 d: no response; a deadline overdue (missed) and one
  not yet due (open);
  r4, sent outside the platform to France on 2026-10-01, closed ten days later;
- the French authority (fr) issued one EPOC to the German provider at T0, answered "no data" at T0+6 h.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from cyberspex.web.accounts.models import Organisation, Role
from cyberspex.web.cases.models import Deadline, Request, Transition
from cyberspex.web.exchange import charts
from cyberspex.web.exchange import statistics as stats
from cyberspex.web.exchange.models import Answer, Channel, Decision, Delivery, DeliveryRole, Message
from cyberspex.web.exchange.statistics_views import csv_text, duration_text
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, make_case, verified_session

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
HOUR, DAY = 3600.0, 86400.0


def issued(org: Org, route: str, state: str, at: datetime, to: Organisation | None, *, reference: str) -> Request:
    user = org[Role.PROSECUTOR]
    case = make_case(user, reference)
    return Request.objects.create(
        case=case,
        organisation=case.organisation,
        form_id=route,
        route_id=route,
        recipient_state=state,
        recipient_organisation=to,
        sent_outside=to is None,
        state="issued",
        created_by=user,
        created_at=at,
        issued_at=at,
    )


def delivered(request: Request, to: Organisation, at: datetime, role: DeliveryRole = DeliveryRole.ADDRESSEE) -> Delivery:
    return Delivery.objects.create(
        request=request,
        organisation=to,
        role=role,
        package="provider",
        content={},
        signature="-",
        key_id="-",
        signed_by=request.case.organisation,
        document=b"",
        document_sha256="0" * 64,
        document_language="en",
        delivered_at=at,
    )


def answered(delivery: Delivery, by: User, at: datetime, outcome: str, reason_code: str = "") -> Answer:
    delivery.answered_at, delivery.status = at, "answered"
    delivery.save(update_fields=["answered_at", "status"])
    return Answer.objects.create(delivery=delivery, outcome=outcome, reason_code=reason_code, by=by, at=at)


def ended(request: Request, by: User, state: str, at: datetime) -> None:
    Transition.objects.create(request=request, from_state=request.state, to_state=state, by=by, at=at)
    request.state = state
    request.save(update_fields=["state"])


def deadline(request: Request, due: datetime, done: datetime | None = None) -> None:
    Deadline.objects.create(
        request=request,
        organisation=request.case.organisation,
        event="return the data",
        due_at=due,
        citation="-",
        rule="-",
        done_at=done,
    )


@dataclass
class Exchange:
    rs: Org
    fr: Org
    provider_de: Org
    provider_ie: Org
    bfj: Org
    r1: Request
    r3: Request


@pytest.fixture
def exchange(rs: Org, fr: Org, provider_de: Org, provider_ie: Org, bfj: Org) -> Exchange:
    pde, pie, prosecutor = provider_de.organisation, provider_ie.organisation, rs[Role.PROSECUTOR]
    responder = provider_de[Role.RESPONDER]

    r1 = issued(rs, "2ap-7", "DE", T0, pde, reference="CASEREF-R1")
    d1 = delivered(r1, pde, T0)
    d1n = delivered(r1, bfj.organisation, T0, DeliveryRole.NOTIFIED)
    Message.objects.create(
        delivery=d1,
        channel=Channel.CLARIFICATION,
        organisation=rs.organisation,
        author=prosecutor,
        body="-",
        at=T0 + timedelta(minutes=30),
    )
    Message.objects.create(
        delivery=d1, channel=Channel.CLARIFICATION, organisation=pde, author=responder, body="-", at=T0 + timedelta(hours=1)
    )
    Decision.objects.create(delivery=d1n, kind="no_objection", by=bfj[Role.NOTIFIED_AUTHORITY], at=T0 + timedelta(hours=3))
    answered(d1, responder, T0 + timedelta(days=2), "data")
    ended(r1, prosecutor, "answered", T0 + timedelta(days=2))
    deadline(r1, T0 + timedelta(days=10), T0 + timedelta(days=2))

    r2 = issued(rs, "2ap-7", "DE", T0 + timedelta(days=1), pde, reference="R2")
    d2 = delivered(r2, pde, T0 + timedelta(days=1))
    answered(d2, responder, T0 + timedelta(days=1, hours=4), "refused", "over_broad")
    ended(r2, prosecutor, "refused", T0 + timedelta(days=1, hours=4))
    deadline(r2, T0 + timedelta(days=1, hours=1), T0 + timedelta(days=1, hours=4))

    r3 = issued(rs, "eu-epoc", "IE", T0 + timedelta(days=2), pie, reference="R3")
    delivered(r3, pie, T0 + timedelta(days=2))
    deadline(r3, T0 + timedelta(days=5))
    deadline(r3, NOW + timedelta(days=5))

    r4 = issued(rs, "mla", "FR", datetime(2026, 10, 1, 9, 0, tzinfo=UTC), None, reference="R4")
    ended(r4, prosecutor, "closed", datetime(2026, 10, 11, 9, 0, tzinfo=UTC))
    Request.objects.create(  # a draft: never counted
        case=r4.case,
        organisation=r4.case.organisation,
        form_id="mla",
        route_id="mla",
        recipient_state="FR",
        created_by=prosecutor,
        created_at=T0,
    )

    f1 = issued(fr, "eu-epoc", "DE", T0, pde, reference="F1")
    answered(delivered(f1, pde, T0), responder, T0 + timedelta(hours=6), "no_data")
    return Exchange(rs, fr, provider_de, provider_ie, bfj, r1, r3)


def figures(org: Org, **params: str) -> stats.Statistics:
    return stats.statistics(own=org.organisation, filters=stats.parse_filters(params), now=NOW)


# -- the numbers ----------------------------------------------------------------------------


def test_an_issuing_authority_sees_what_it_sent_per_route_and_state(exchange: Exchange) -> None:
    sent = figures(exchange.rs).sent
    assert sent is not None
    assert sent.total == 4
    assert [(row.route_id, row.count) for row in sent.by_route] == [("2ap-7", 2), ("eu-epoc", 1), ("mla", 1)]
    assert sent.by_state == [("DE", 2), ("FR", 1), ("IE", 1)]
    assert dict(sent.states) == {"answered": 1, "refused": 1, "issued": 1, "closed": 1}


def test_the_first_response_is_the_first_answer_decision_or_message_from_a_recipient(exchange: Exchange) -> None:
    sent = figures(exchange.rs).sent
    assert sent is not None
    # r1: the provider's message after 1 h (the issuing side's own message does not count); r2: 4 h
    assert sent.first_response.count == 2
    assert sent.first_response.average == pytest.approx(2.5 * HOUR)
    assert sent.first_response.percentiles == {50: pytest.approx(HOUR), 90: pytest.approx(4 * HOUR)}
    per_route = {row.route_id: row for row in sent.by_route}
    assert per_route["2ap-7"].first_response.average == pytest.approx(2.5 * HOUR)
    assert per_route["eu-epoc"].first_response.count == 0
    assert per_route["eu-epoc"].first_response.average is None


def test_completion_runs_from_the_issue_to_the_first_final_state(exchange: Exchange) -> None:
    sent = figures(exchange.rs).sent
    assert sent is not None
    assert sent.completion.count == 3  # r1 2 d, r2 4 h, r4 10 d; r3 is still open
    assert sent.completion.average == pytest.approx((2 * DAY + 4 * HOUR + 10 * DAY) / 3)
    assert sent.completion.median == pytest.approx(2 * DAY)


def test_deadlines_done_late_or_overdue_are_missed(exchange: Exchange) -> None:
    sent = figures(exchange.rs).sent
    assert sent is not None
    assert sent.deadlines == stats.Deadlines(met=1, missed=2, open=1)
    per_route = {row.route_id: row.deadlines for row in sent.by_route}
    assert per_route["2ap-7"] == stats.Deadlines(met=1, missed=1, open=0)
    assert per_route["eu-epoc"] == stats.Deadlines(met=0, missed=1, open=1)


def test_the_issuing_side_sees_the_outcomes_by_reason_and_the_authorities_decisions(exchange: Exchange) -> None:
    sent = figures(exchange.rs).sent
    assert sent is not None
    assert sent.outcomes == [("data", "", 1), ("refused", "over_broad", 1)]
    assert sent.decisions == [("no_objection", 1)]


def test_a_provider_sees_what_it_received_from_each_issuing_authority(exchange: Exchange) -> None:
    found = figures(exchange.provider_de)
    assert found.sent is None
    received = found.received
    assert received is not None
    assert received.total == 3
    assert [(row.route_id, row.count) for row in received.by_route] == [("2ap-7", 2), ("eu-epoc", 1)]
    assert received.by_state == [("FR", 1), ("RS", 2)]
    assert received.outcomes == [("data", "", 1), ("no_data", "", 1), ("refused", "over_broad", 1)]
    assert received.first_response.average == pytest.approx((1 + 4 + 6) * HOUR / 3)  # its own message, answers
    assert received.completion.average == pytest.approx((48 + 4 + 6) * HOUR / 3)
    assert received.deadlines == stats.Deadlines(met=1, missed=1, open=0)


def test_a_notified_authority_completes_with_a_concluding_decision(exchange: Exchange) -> None:
    received = figures(exchange.bfj).received
    assert received is not None
    assert received.total == 1
    assert received.decisions == [("no_objection", 1)]
    assert received.outcomes == []
    assert received.first_response.average == pytest.approx(3 * HOUR)
    assert received.completion.average == pytest.approx(3 * HOUR)


def test_a_consultation_is_a_response_but_not_a_completion(exchange: Exchange) -> None:
    delivery = Delivery.objects.get(organisation=exchange.bfj.organisation)
    Decision.objects.filter(delivery=delivery).update(kind="consult")
    received = figures(exchange.bfj).received
    assert received is not None
    assert received.first_response.count == 1
    assert received.completion.count == 0


# -- filters --------------------------------------------------------------------------------


def test_the_period_counts_requests_issued_within_it_both_days_included(exchange: Exchange) -> None:
    assert figures(exchange.rs, start="2026-11-01").sent.total == 3  # type: ignore[union-attr]
    assert figures(exchange.rs, start="2026-11-01", end="2026-11-02").sent.total == 2  # type: ignore[union-attr]
    assert figures(exchange.rs, end="2026-10-31").sent.total == 1  # type: ignore[union-attr]


def test_the_state_is_the_recipient_state_when_sent_and_the_senders_when_received(exchange: Exchange) -> None:
    assert figures(exchange.rs, state="ie").sent.total == 1  # type: ignore[union-attr]
    assert figures(exchange.provider_de, state="FR").received.total == 1  # type: ignore[union-attr]
    assert figures(exchange.provider_de, state="RS").received.total == 2  # type: ignore[union-attr]


def test_the_provider_filter_keeps_the_requests_addressed_to_it(exchange: Exchange) -> None:
    sent = figures(exchange.rs, provider=str(exchange.provider_ie.organisation.pk)).sent
    assert sent is not None
    assert [(row.route_id, row.count) for row in sent.by_route] == [("eu-epoc", 1)]
    assert sent.deadlines == stats.Deadlines(met=0, missed=1, open=1)
    # the notified authority: what it received about orders addressed to the German provider
    assert figures(exchange.bfj, provider=str(exchange.provider_de.organisation.pk)).received.total == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "1 Nov"}, "start"),
        ({"start": "2026-11-02", "end": "2026-11-01"}, "end"),
        ({"start": "2000-01-01", "end": "2026-11-01"}, "start"),
        ({"state": "Deutschland"}, "state"),
        ({"provider": "x"}, "provider"),
        ({"provider": "999999"}, "provider"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(db: None, params: dict[str, str], field: str) -> None:  # noqa: ARG001
    with pytest.raises(stats.ApplicationError) as refused:
        stats.parse_filters(params)
    assert refused.value.field == field
    assert refused.value.status == 422


# -- each organisation its own --------------------------------------------------------------


def test_an_organisation_never_counts_another_organisations_requests(exchange: Exchange, de: Org) -> None:
    french = figures(exchange.fr)
    assert french.sent is not None
    assert french.sent.total == 1
    assert french.sent.outcomes == [("no_data", "", 1)]
    assert french.received is None  # an issuing authority to which nothing was delivered
    german = figures(de)
    assert german.sent is not None
    assert german.sent.total == 0
    assert german.received is None


def test_the_page_shows_the_members_own_organisation_only(exchange: Exchange) -> None:
    client = Client()
    verified_session(client, exchange.provider_de[Role.RESPONDER])
    with time_machine.travel(NOW, tick=False):
        page = client.get("/statistics/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Beispiel Mail GmbH" in text
    assert 'id="stats-received"' in text
    assert 'id="stats-sent"' not in text
    assert "<caption>Per route</caption>" in text
    assert 'role="img"' in text  # the charts
    assert "CASEREF" not in text  # no case reference
    assert "<style" not in text
    assert "style=" not in text  # the CSP allows no inline style


def test_the_page_shows_a_bad_filter_and_no_figures(exchange: Exchange) -> None:
    client = Client()
    verified_session(client, exchange.rs[Role.INVESTIGATOR])
    page = client.get("/statistics/", {"start": "2026-11-02", "end": "2026-11-01"})
    assert page.status_code == 422
    assert "the period ends before it starts" in page.content.decode()
    assert 'id="stats-sent"' not in page.content.decode()


def test_the_api_gives_the_same_figures_to_the_caller_s_organisation(exchange: Exchange, api: Api) -> None:
    answer = api.get("/statistics", exchange.rs[Role.AUDITOR], start="2026-11-01")
    assert answer.status_code == 200
    body = answer.json()
    assert body["organisation"] == exchange.rs.organisation.name
    assert body["sent"]["total"] == 3
    assert body["sent"]["first_response"] == {
        "count": 2,
        "average_seconds": 9000.0,
        "p50_seconds": 3600.0,
        "p90_seconds": 14400.0,
    }
    assert body["received"] is None
    refused = api.get("/statistics", exchange.rs[Role.AUDITOR], state="XYZ")
    assert refused.status_code == 422
    assert refused.json()["field"] == "state"


# -- CSV ------------------------------------------------------------------------------------


def test_the_csv_has_a_header_crlf_lines_and_the_figures(exchange: Exchange) -> None:
    client = Client()
    verified_session(client, exchange.rs[Role.PROSECUTOR])
    with time_machine.travel(NOW, tick=False):
        download = client.get("/statistics/export.csv", {"state": "DE"})
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert download["Content-Disposition"].startswith("attachment")
    text = download.content.decode("utf-8")
    assert text.startswith("side,breakdown,key,detail,measure,value\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["sent", "total", "", "", "count", "2"] in rows
    assert ["sent", "route", "2ap-7", "", "deadlines_missed", "1"] in rows
    assert ["sent", "outcome", "refused", "over_broad", "count", "1"] in rows


def test_a_csv_cell_that_looks_like_a_formula_is_neutralised(exchange: Exchange) -> None:
    Answer.objects.filter(outcome="refused").update(reason_code='=HYPERLINK("http://x","y")')
    Request.objects.filter(pk=exchange.r3.pk).update(route_id="+cmd")
    text = csv_text(figures(exchange.rs))
    rows = list(csv.reader(io.StringIO(text)))
    assert ["sent", "outcome", "refused", '\'=HYPERLINK("http://x","y")', "count", "1"] in rows
    assert ["sent", "route", "'+cmd", "", "count", "1"] in rows
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_prefix_is_neutralised(cell: str) -> None:
    assert stats.neutralised(cell) == "'" + cell


def test_numbers_and_plain_text_are_left_alone() -> None:
    assert stats.neutralised(-1) == -1
    assert stats.neutralised("2ap-7") == "2ap-7"


# -- charts and display ---------------------------------------------------------------------


def test_a_bar_chart_scales_bars_to_the_largest_value_and_escapes_its_labels() -> None:
    svg = charts.bar_chart(chart_id="c", title="Per <route>", bars=[("<b>a</b>", 2), ("b", 1)])
    assert svg.startswith('<svg class="chart" id="c" role="img" aria-labelledby="c-title"')
    assert '<title id="c-title">Per &lt;route&gt;</title>' in svg
    assert "&lt;b&gt;a&lt;/b&gt;" in svg
    assert 'width="370.0"' in svg  # the largest bar takes the whole span (640 - 200 - 70)
    assert 'width="185.0"' in svg
    assert "style" not in svg


def test_an_empty_chart_draws_no_bar() -> None:
    assert "<rect" not in charts.bar_chart(chart_id="c", title="t", bars=[])


@pytest.mark.parametrize(("seconds", "shown"), [(None, "—"), (5400.0, "1.5 h"), (3 * DAY, "3.0 d")])
def test_durations_read_in_hours_under_two_days_and_in_days_above(seconds: float | None, shown: str) -> None:
    assert duration_text(seconds) == shown
