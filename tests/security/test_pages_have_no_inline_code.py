"""Every page of the site, rendered as its users see it, under a strict Content-Security-Policy:

- no inline ``<script>`` (a JSON data block, ``type="application/json"``, is data, not script),
  no ``<style>`` element, no ``style=`` attribute, no ``on...=`` event handler;
- no external address in ``src``, ``href``, ``action`` or ``formaction`` and no ``javascript:`` URL;
- the response carries the site's Content-Security-Policy and Permissions-Policy.

A URL pattern that this test does not render (and does not list as "not a page") fails the
test, so a new page is checked from the day it is added.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.lifecycle import enrolment_link_for
from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role
from cyberspex.web.exchange import emergency
from cyberspex.web.exchange.delivery import deliver_to
from cyberspex.web.exchange.models import DeliveryRole
from cyberspex.web.knowledge import curation
from cyberspex.web.knowledge.curation_facts import Fact, propose_fact
from cyberspex.web.knowledge.models import Change
from cyberspex.web.security import API_DOCS_POLICY, CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY
from tests.web.conftest import Org
from tests.web.federation.factories import failed_transfer, refused, trusted_peer
from tests.web.helpers import JUSTIFICATION, make_case, make_request, move, verified_session

EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "xlink:href"}
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and (attributes.get("type") or "").lower() not in DATA_BLOCK_TYPES:
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style attribute on <{tag}> at line {self.getpos()[0]}")
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}> at line {self.getpos()[0]}")
            if name in URL_ATTRIBUTES and value and EXTERNAL.match(value):
                self.problems.append(f"external or script URL {name}={value!r} on <{tag}> at line {self.getpos()[0]}")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


# -- the site's URL patterns ------------------------------------------------------------


def url_names() -> set[str]:
    """Every named URL pattern of the site, as ``namespace:name`` (unnamed ones by route)."""
    found: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                found.add(f"{namespace}{entry.name}" if entry.name else f"{namespace}<{entry.pattern}>")

    walk(get_resolver().url_patterns, "")
    return found


NOT_PAGES = {
    "healthz": "JSON",
    "federation:messages": "a JWS receipt or a JSON refusal, for other instances",
    "federation:file_status": "JSON, for other instances",
    "federation:file_chunk": "JSON (PUT), for other instances",
    "set_language": "redirects (POST)",
    "accounts:logout": "redirects (POST)",
    "cases:request_transition": "redirects (POST)",
    "cases:request_escalate": "redirects (POST)",
    "exchange:emergency_check": "redirects (POST)",
    "exchange:hand_off": "redirects (POST)",
    "exchange:oral_confirm": "redirects (POST)",
    "cases:request_follow_up": "redirects (POST)",
    "cases:request_validate": "redirects (POST)",
    "cases:request_service": "redirects (POST)",
    "cases:request_deadline_done": "redirects (POST)",
    "cases:calendar_revoke": "redirects (POST)",
    "cases:request_download": "a file to save (the HTML package is a self-contained document: see below)",
    "cases:calendar_feed": "iCalendar",
    "accounts:token_revoke": "redirects (POST)",
    "federation_admin:peer_remove": "redirects (POST)",
    "federation_admin:message_retry": "redirects (POST)",
    "federation_admin:file_retry": "redirects (POST)",
    "accounts:keep_alive": "no content (POST)",
    "directory:rotate": "redirects (POST)",
    "exchange:document": "a file to save (the signed PDF as delivered)",
    "statistics:export": "CSV",
    "knowledge:indicators_report": "PDF",
    "exchange:decide": "redirects (POST); a refused decision shows the item page, checked as exchange:item",
    "exchange:consultation_reply": "redirects (POST)",
    "exchange:rp_completeness": "redirects (POST)",
    "exchange:rp_service": "redirects (POST)",
    "exchange:rp_execution": "redirects (POST)",
    "exchange:rp_pass_back": "redirects (POST)",
    "cases:request_supplement": "redirects (POST)",
    "cases:attachment_download": "a file to save, with a sandboxing Content-Security-Policy of its own",
    "cases:attachment_remove": "redirects (POST)",
    "exchange:answer": "redirects (POST); a refusal shows the item page again (exchange:item)",
    "exchange:message": "redirects (POST)",
    "exchange:file": "a file to save, with a sandboxing Content-Security-Policy of its own",
    "knowledge:curation_publish": "redirects (POST)",
    "knowledge:curation_reject": "redirects (POST)",
    "knowledge:curation_withdraw": "redirects (POST)",
}


def api_pages() -> set[str]:
    """The API's operations answer JSON; only its documentation is a page."""
    return {name for name in url_names() if name.startswith("api:") and name != "api:openapi-view"}


class Site:
    """A French issuing authority with a case and a request; clients at each log-in stage."""

    def __init__(self, fr: Org) -> None:
        self.fr = fr
        self.investigator = fr[Role.INVESTIGATOR]
        self.case = make_case(self.investigator)
        self.request = make_request(self.investigator, self.case, "2ap-7-order", "US")
        self.issued = move(
            fr[Role.PROSECUTOR], make_request(self.investigator, self.case, "2ap-7-order", "US"), "awaiting_approval", "issued"
        )
        self.client = Client()
        verified_session(self.client, self.investigator)
        self.client.post(f"/cases/{self.case.pk}/", {"justification": JUSTIFICATION})
        self.administrator = Client()
        verified_session(self.administrator, fr[Role.ADMINISTRATOR])
        self.prosecutor = fr[Role.PROSECUTOR]
        self.issuer = Client()
        verified_session(self.issuer, self.prosecutor)
        self.organisation = fr.organisation
        # The French organisation's inbox holds the issued order, as delivered to it; its responder reads it.
        self.delivery = deliver_to(
            self.issued,
            organisation=fr.organisation,
            role=DeliveryRole.ADDRESSEE,
            package="provider",
            by=self.prosecutor,
            now=timezone.now(),
            exercise=False,
            signer=fr.organisation,
            signatories=lambda _language: (),
        )
        self.responder = Client()
        verified_session(self.responder, fr[Role.RESPONDER])

    def curator(self) -> Client:
        """The French authority's reference-data curator (knowledge/curation_views.py)."""
        client = Client()
        verified_session(client, self.fr[Role.CURATOR])
        return client

    def curated_change(self) -> Change:
        """A change proposed by the curator: its page, with the review buttons disabled and why."""
        source = curation.SourceInput("https://www.coe.int/en/web/conventions", "chart", "official", date(2026, 3, 2), "A", "r")
        fact = Fact(state="FR", treaty="cets224", what="consent", date=date(2026, 3, 1), kind="ratification")
        return propose_fact(self.fr[Role.CURATOR], fact=fact, source=source, now=timezone.now())

    def new_member(self) -> User:
        user = User.objects.create_user("new-member")
        Membership.objects.create(user=user, organisation=self.organisation, role=Role.INVESTIGATOR)
        return user

    def enrolling(self) -> Client:
        """A new member who opened their one-time enrolment link and logged in with the password."""
        user = User.objects.create_user("enrolling")
        with transaction.atomic():
            link = enrolment_link_for(username=user.username, now=timezone.now())
        client = Client()
        client.get(link if link.startswith("/") else f"/accounts/enrol/{link}/")
        client.force_login(user)
        return client

    def password_only(self, user: User, *, device: bool) -> Client:
        """A client past the password, before the second factor (with or without a device)."""
        if device:
            TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        client = Client()
        client.force_login(user)
        return client


def _stale(site: Site) -> Any:
    client = Client(enforce_csrf_checks=True)
    verified_session(client, site.investigator)
    return client.post("/cases/new/", {"reference": "X", "csrfmiddlewaretoken": "stale" * 8})


def _with_a_stuck_message(site: Site) -> Client:
    """The administrator's client, with a peer trusted, a message and a file to it refused for good."""
    refused(trusted_peer())
    failed_transfer(trusted_peer())
    return site.administrator


def _registrar_administrator() -> Client:
    """The administrator of a registrar, which publishes a policy profile."""
    found = Organisation.objects.create(name="Example Registrar", kind=OrganisationKind.REGISTRAR, country="IE")
    found.functions = ["registrar"]
    found.save()
    user = User.objects.create_user("registrar-administrator")
    Membership.objects.create(user=user, organisation=found, role=Role.ADMINISTRATOR)
    client = Client()
    verified_session(client, user)
    return client


def _contact_247(site: Site) -> tuple[Client, User]:
    """A member of the French authority made a 24/7 point of contact (oral requests, exchange/emergency.py)."""
    site.organisation.functions = [*site.organisation.functions, "contact_247"]
    site.organisation.save(update_fields=["functions"])
    user = User.objects.create_user("contact-247")
    Membership.objects.create(user=user, organisation=site.organisation, role=Role.CONTACT_247)
    client = Client()
    verified_session(client, user)
    return client, user


def _oral_detail(site: Site) -> Any:
    client, user = _contact_247(site)
    made = emergency.oral_intake_create(
        user=user,
        now=timezone.now(),
        caller_name="Inspector Ana Ruiz",
        caller_authority="Guardia Civil",
        caller_state="ES",
        called_at=timezone.now(),
        asked="Subscriber data",
        emergency_facts="A child's life is at risk.",
        callback_verified=False,
    )
    return client.get(f"/inbox/oral/{made.pk}/")


PageGet = Callable[[Site], Any]
PAGES: dict[str, PageGet] = {
    "api:openapi-view": lambda _: Client().get("/api/v1/docs"),
    "accounts:login": lambda _: Client().get("/accounts/login/"),
    "accounts:mfa": lambda s: s.password_only(User.objects.create_user("pw-only"), device=True).get("/accounts/mfa/"),
    "accounts:mfa_enrol": lambda s: s.enrolling().get("/accounts/mfa/enrol/"),
    "accounts:mfa_recovery": lambda s: s.password_only(User.objects.create_user("recovering"), device=True).get(
        "/accounts/mfa/recovery/"
    ),
    "accounts:enrol": lambda _: Client().get("/accounts/enrol/not-a-link/"),  # an unknown link: the error page
    "accounts:tokens": lambda s: s.client.get("/accounts/tokens/"),
    # The confirmation before issuing, for an EPOC for subscriber data the prosecutor may issue alone.
    "cases:request_issue": lambda s: s.issuer.get(f"/requests/{make_request(s.prosecutor, s.case).pk}/issue/"),
    "accounts:password": lambda s: s.client.get("/accounts/password/"),
    "accounts:recovery_codes": lambda s: s.client.get("/accounts/recovery-codes/"),
    "accounts:administration": lambda s: s.administrator.get("/accounts/administration/"),
    "accounts:organisation_profile": lambda s: s.administrator.get("/accounts/administration/profile/"),
    "federation_admin:overview": lambda s: _with_a_stuck_message(s).get("/administration/federation/"),
    "federation_admin:peer_add": lambda s: s.administrator.post("/administration/federation/peers/add/", {}),  # its errors
    "accounts:member_action": lambda s: s.administrator.post(  # the page that shows a new enrolment link once
        f"/accounts/administration/users/{s.new_member().pk}/enrolment-link/"
    ),
    "cases:dashboard": lambda s: s.client.get("/"),
    "exchange:inbox": lambda s: s.responder.get("/inbox/"),
    "statistics:page": lambda s: s.client.get("/statistics/"),
    "exchange:item": lambda s: s.responder.get(f"/inbox/{s.delivery.pk}/"),
    "directory:list": lambda s: s.client.get("/directory/", {"q": "Paris"}),
    "directory:organisation": lambda s: s.client.get(f"/directory/{s.organisation.pk}/"),
    "directory:keys": lambda s: s.administrator.get("/directory/keys/"),
    "directory:policy": lambda _: _registrar_administrator().post("/directory/policy/", {"languages": "xx"}),  # its errors
    "cases:case_new": lambda s: s.client.post("/cases/new/", {"reference": " "}),  # the form with its errors
    "cases:case_detail": lambda s: s.client.post(f"/cases/{s.case.pk}/", {"justification": JUSTIFICATION}),
    "cases:route_advice": lambda s: s.client.get(
        f"/cases/{s.case.pk}/routes/",
        {"provider_state": "US", "category": "subscriber", "measure": "production", "assume_in_force": "on"},
    ),
    "cases:request_new": lambda s: s.client.get(
        f"/cases/{s.case.pk}/requests/new/",
        {
            "provider_state": "US",
            "category": "subscriber",
            "measure": "production",
            "assume_in_force": "on",
            "form": "2ap-7-order",
        },
    ),
    "cases:request_detail": lambda s: s.client.get(f"/requests/{s.request.pk}/"),
    "cases:request_edit": lambda s: s.client.get(f"/requests/{s.request.pk}/edit/"),
    "cases:request_review": lambda s: s.client.get(f"/requests/{s.request.pk}/review/"),
    "cases:calendar_create": lambda s: s.client.post("/calendar/new/"),
    "public:advisor": lambda _: Client().get(
        "/advisor/", {"issuing": "FR", "provider_state": "DE", "category": "traffic", "measure": "production"}
    ),
    "public:help": lambda _: Client().get("/help/"),
    "public:glossary": lambda _: Client().get("/glossary/"),
    "knowledge:treaties": lambda _: Client().get("/treaties/", {"treaty": "cets224", "as_of": "2026-11-28"}),
    "knowledge:what_if": lambda _: Client().get(
        "/what-if/", {"ratified": "all-eu", "in_force": "true", "as_of": "2026-11-28", "data": "subscriber"}
    ),
    "knowledge:providers": lambda _: Client().get("/providers/"),
    "knowledge:implementation": lambda _: Client().get("/implementation/"),
    "knowledge:indicators": lambda _: Client().get("/indicators/", {"from": "2022-01-01", "to": "2026-06-30"}),
    "knowledge:registers": lambda _: Client().get("/registers/"),
    "knowledge:register": lambda _: Client().get("/registers/cets224-7-5-e/"),
    "knowledge:states": lambda _: Client().get("/states/"),
    "knowledge:state": lambda _: Client().get("/states/JP/"),
    "accounts:preferences": lambda s: s.client.get("/accounts/preferences/"),
    "cases:case_edit": lambda s: s.client.get(f"/cases/{s.case.pk}/edit/"),
    "cases:case_retention": lambda s: s.client.post(f"/cases/{s.case.pk}/retention/", {"retention-reason": ""}),
    "cases:attachment_upload": lambda s: s.client.post(f"/cases/{s.case.pk}/attachments/", {}),
    "cases:search": lambda s: s.client.get("/search/", {"q": "PAR"}),
    "exchange:oral_new": lambda s: _contact_247(s)[0].get("/inbox/oral/new/"),
    "exchange:oral_detail": _oral_detail,
    "training:index": lambda _: _training()[0].get("/training/"),
    "training:exercise": lambda _: _training()[0].get(f"/training/exercises/{EXERCISE}/", {"route": "2ap-7"}),
    "training:attempt": lambda _: _training_attempt("2ap-8"),
    "training:cohorts": lambda _: _training()[1].get("/training/cohorts/"),
    "training:sessions": lambda _: _training()[1].post("/training/sessions/", {"title": ""}),  # the form with its errors
    "knowledge:curation_queue": lambda s: s.curator().get("/curation/", {"status": ""}),
    "knowledge:curation_propose": lambda s: s.curator().post(  # the form with its errors, beside the current value
        "/curation/propose/?state=FR&treaty=cets224&what=consent", {"source_url": "x"}
    ),
    "knowledge:curation_change": lambda s: s.curator().get(f"/curation/changes/{s.curated_change().pk}/"),
    "knowledge:curation_versions": lambda s: s.curator().get("/curation/versions/"),
    "knowledge:curation_import": lambda s: s.curator().get("/curation/import/"),
    "knowledge:curation_stale": lambda s: s.curator().get("/curation/stale/", {"days": "365"}),
}
EXTRA_PAGES: dict[str, PageGet] = {
    "an error page (404)": lambda s: s.client.get("/cases/999999/"),
    "an issued request": lambda s: s.client.get(f"/requests/{s.issued.pk}/"),
    "an issued request in the editor (read-only)": lambda s: s.client.get(f"/requests/{s.issued.pk}/edit/"),
    "the form picker": lambda s: s.client.get(f"/cases/{s.case.pk}/requests/new/"),
    "the new-case form, empty": lambda s: s.client.get("/cases/new/"),
    "the French dashboard": lambda s: s.client.get("/", headers={"accept-language": "fr"}),
    "the front door of a visitor": lambda _: Client().get("/"),
    "a training exercise answered on the right route": lambda _: _training_attempt("2ap-7"),
    "a training exercise with the form of a route that has none": lambda _: _training()[0].get(
        f"/training/exercises/{EXERCISE}/", {"route": "mla"}
    ),
    "a form sent from a stale tab (CSRF failure)": _stale,
}
REFUSALS = {"a form sent from a stale tab (CSRF failure)"}  # pages that answer 403


EXERCISE = "art7-phishing-subscriber-fr-us"


def _training() -> tuple[Client, Client]:
    """A trainee's and a trainer's clients, in an exercise organisation of their own."""
    centre = Organisation.objects.create(name="Training centre", kind=OrganisationKind.EXERCISE, country="FR")
    clients = []
    for username, role in (("page-trainee", Role.TRAINEE), ("page-trainer", Role.TRAINER)):
        user = User.objects.create_user(username)
        Membership.objects.create(user=user, organisation=centre, role=role)
        client = Client()
        verified_session(client, user)
        clients.append(client)
    return clients[0], clients[1]


def _training_attempt(route: str) -> Any:
    """The result page of an attempt on ``route`` with an empty form (differences to show)."""
    trainee, _ = _training()
    posted = trainee.post(f"/training/exercises/{EXERCISE}/", {"route": route})
    return trainee.get(posted["Location"])


def test_every_url_pattern_is_either_a_checked_page_or_listed_as_not_a_page() -> None:
    unaccounted = url_names() - set(PAGES) - set(NOT_PAGES) - api_pages()
    assert unaccounted == set(), f"add these URL patterns to PAGES or NOT_PAGES: {sorted(unaccounted)}"


@pytest.mark.parametrize("name", sorted({**PAGES, **EXTRA_PAGES}))
def test_the_page_has_no_inline_code_no_external_url_and_sends_the_policies(fr: Org, clock: Any, name: str) -> None:  # noqa: ARG001  # stopped clock
    response = {**PAGES, **EXTRA_PAGES}[name](Site(fr))
    answers = (403,) if name in REFUSALS else (200, 201, 404, 422)
    assert response.status_code in answers, (name, response.status_code)
    assert response["Content-Type"].startswith("text/html"), name
    assert inline_code(response.content.decode("utf-8")) == [], name
    expected = API_DOCS_POLICY if name == "api:openapi-view" else CONTENT_SECURITY_POLICY
    assert response["Content-Security-Policy"] == expected
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_policy_allows_no_inline_code_no_plugin_no_framing_and_no_base_change() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert "unsafe" not in API_DOCS_POLICY


def test_the_api_documentation_loads_swagger_ui_from_the_instance_without_the_online_validator(db: None) -> None:  # noqa: ARG001
    html = Client().get("/api/v1/docs").content.decode("utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    settings = json.loads(re.search(r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S)[1])
    assert settings["validatorUrl"] is None
    for path in [*scripts, "/static/ninja/swagger-ui.css"]:
        assert Client().get(path).status_code == 200, path


def test_a_downloaded_html_package_is_an_attachment_under_the_same_policy(fr: Org, clock: Any) -> None:  # noqa: ARG001  # stopped clock
    site = Site(fr)
    response = site.client.get(f"/requests/{site.issued.pk}/packages/provider.html")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_json_answers_carry_the_policy_too(db: None, client: Client) -> None:  # noqa: ARG001  # the database
    response = client.get("/healthz")
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<p style="color:red">x</p>', "style attribute"),
        ("<style>p{}</style>", "<style> element"),
        ('<button onclick="go()">x</button>', "event handler onclick"),
        ('<script src="https://cdn.example/x.js"></script>', "external or script URL"),
        ('<link rel="stylesheet" href="//cdn.example/x.css">', "external or script URL"),
        ('<a href="javascript:go()">x</a>', "external or script URL"),
    ],
)
def test_the_checker_itself_finds_each_kind_of_inline_code(html: str, problem: str) -> None:
    assert any(problem in found for found in inline_code(html))


def test_the_checker_lets_a_json_data_block_and_local_files_through() -> None:
    html = '<script type="application/json" id="s">{"a": 1}</script><script src="/static/x.js"></script><a href="#main">x</a>'
    assert inline_code(html) == []
