"""What the case pages read: dashboard lists, route advice, pre-filled drafts, a request's
overview, the calendar feed. Access is checked with the same rules as services.py (objects of another
organisation do not exist)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from cyberspex.forms.definitions import forms
from cyberspex.forms.i18n import complete_languages
from cyberspex.forms.package import country_name
from cyberspex.forms.prefill import PrefillError, prefill
from cyberspex.forms.quality import QualityContext
from cyberspex.forms.validate import validate
from cyberspex.law.advisor import assess
from cyberspex.law.citations import translate_citation
from cyberspex.law.errors import InvalidScenario
from cyberspex.law.model import ReferenceData
from cyberspex.law.report import to_json
from cyberspex.law.scenario import ALL_SIGNATORIES, DataCategory, EmergencyKind, Measure, Scenario, WhatIf, default_entity
from cyberspex.web.accounts import services as account_services
from cyberspex.web.accounts.access import Action, can, organisation
from cyberspex.web.accounts.models import CalendarFeed
from cyberspex.web.cases import approval, services
from cyberspex.web.cases.advice import Advice, present
from cyberspex.web.cases.calendar import deadlines_ics
from cyberspex.web.cases.lifecycle import TRANSITIONS
from cyberspex.web.cases.models import Case, Deadline, Request, State
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.exchange import routing
from cyberspex.web.knowledge.reference import current_reference
from cyberspex.web.language import active_messages
from cyberspex.web.paging import bounded_page

PAGE_SIZE = 20
FORMATS = ("pdf", "docx", "html", "json")
# InvalidScenario names the command-line option; the pages name their own fields.
_FIELDS = {"provider-state": "provider_state", "assume-ratified": "assume_ratified", "entity": "category", "data": "category"}


# -- dashboard --------------------------------------------------------------------------


def time_left(due: datetime | None, now: datetime) -> tuple[bool, int | None, int | None]:
    """Whether an open deadline due at ``due`` is overdue, the whole days left until it (0: less
    than a day) and the whole hours left beyond those days (0 to 23); both None when overdue or
    when there is no open deadline. 9 days 23 hours is (False, 9, 23): shown as such, not as "9 days"."""
    overdue = due is not None and due < now
    if due is None or overdue:
        return overdue, None, None
    left = due - now
    return False, left.days, left.seconds // 3600


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    overdue: bool
    days_left: int | None  # whole days until due (0: less than a day); None once done or overdue
    hours_left: int | None  # whole hours beyond days_left (0 to 23); None once done or overdue

    @classmethod
    def at(cls, deadline: Deadline, now: datetime) -> DeadlineRow:
        return cls(deadline, *time_left(deadline.due_at if deadline.done_at is None else None, now))


def _own_deadlines(user: User) -> QuerySet[Deadline]:
    own = organisation(user)
    if own is None or not can(user, Action.VIEW_CASE, own):
        return Deadline.objects.none()
    # The partial index deadline_org_open_due gives them in order: no join to find them. An open
    # deadline never belongs to an erased case (services._open_deadline): no join to exclude them.
    return (
        Deadline.objects.filter(organisation=own, done_at__isnull=True).select_related("request__case").order_by("due_at", "pk")
    )


# What a list of deadlines shows: never the requests' form data or the cases' personal data.
DEADLINE_LIST_FIELDS = (
    "event",
    "due_at",
    "citation",
    "rule",
    "done_at",
    "conditional",
    "request__id",
    "request__case__id",
    "request__case__reference",
)


def deadlines_open(*, user: User, now: datetime, limit: int = 100) -> list[DeadlineRow]:
    """The organisation's open deadlines, soonest (so overdue) first.

    The soonest are the first ``limit`` entries of the partial index of the organisation's open
    deadlines by due date (deadline_org_open_due), then only those rows are read: the
    organisation's other open deadlines are never read, nor sorted."""
    soonest = _own_deadlines(user).values("pk")[:limit]
    shown = Deadline.objects.filter(pk__in=soonest).select_related("request__case").only(*DEADLINE_LIST_FIELDS)
    return [DeadlineRow.at(d, now) for d in shown.order_by("due_at", "pk")]


def deadlines_for_feed(*, user: User) -> QuerySet[Deadline]:
    return _own_deadlines(user)


# What a list of cases shows (the counted rows are the organisation's own: case_org_newest).
CASE_LIST_FIELDS = ("organisation_id", "reference", "title", "created_at", "retention_review_date", "classification")


def cases_page(*, user: User, query: str, page: str | int | None) -> Page[Case]:
    """One page of the organisation's cases, newest first, matching ``query`` in reference or title,
    counted only as far as one can page (web/paging.py)."""
    own = organisation(user)
    cases = Case.objects.none()
    if own is not None and can(user, Action.VIEW_CASE, own):
        cases = (
            Case.objects.filter(organisation=own, erased_at__isnull=True).only(*CASE_LIST_FIELDS).order_by("-created_at", "-pk")
        )
        if query:
            cases = cases.filter(Q(reference__icontains=query) | Q(title__icontains=query))
    return bounded_page(cases, PAGE_SIZE, page)


def calendar_feeds(*, user: User) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).order_by("created_at")


@dataclass(frozen=True)
class Dashboard:
    deadlines: list[DeadlineRow]
    cases: Page[Case]
    feeds: list[CalendarFeed]
    can_open_cases: bool
    due_for_review: list[Case]  # 2AP Art 14(5): retention review date reached, erased by `retention run`


def dashboard(*, user: User, query: str, page: str | int | None, now: datetime) -> Dashboard:
    return Dashboard(
        deadlines=deadlines_open(user=user, now=now),
        cases=cases_page(user=user, query=query, page=page),
        feeds=list(calendar_feeds(user=user)),
        can_open_cases=can(user, Action.EDIT_CASE),
        due_for_review=cases_due_for_review(user=user, today=now.date()),
    )


def cases_due_for_review(*, user: User, today: date) -> list[Case]:
    """The organisation's cases whose retention review date has come (2AP Art 14(5))."""
    own = organisation(user)
    if own is None or not can(user, Action.VIEW_CASE, own):
        return []
    return list(
        Case.objects.filter(organisation=own, erased_at__isnull=True, retention_review_date__lte=today)
        .only(*CASE_LIST_FIELDS)
        .order_by("retention_review_date", "pk")[:50]
    )


# -- route advice -----------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioInput:
    """The route question as asked on the page; the issuing State is the organisation's."""

    provider_state: str
    data: DataCategory
    measure: Measure = Measure.PRODUCTION
    emergency: EmergencyKind | None = None
    offence_threshold: bool | None = None
    assume_in_force: bool = False
    assume_ratified: str = ""


def state_choices(*, language: str) -> list[tuple[str, str]]:
    """Every State code the reference data knows, named in ``language``, sorted by name."""
    reference = current_reference()
    codes = set(reference.states) | set(reference.other_states)
    return sorted(((code, country_name(code, language)) for code in codes), key=lambda item: item[1].casefold())


def what_if(*, assume_in_force: bool, assume_ratified: str, reference: ReferenceData | None = None) -> WhatIf:
    """The what-if switches as the legal core takes them (codes checked by the core)."""
    reference = reference or current_reference()
    raw = assume_ratified.strip()
    if raw == ALL_SIGNATORIES:
        return WhatIf(assume_in_force=assume_in_force, assume_all_signatories=True)
    codes = frozenset(reference.eu.aliases.get(c.strip().upper(), c.strip().upper()) for c in raw.split(",") if c.strip())
    return WhatIf(assume_in_force=assume_in_force, assume_ratified=codes)


def _assessment(case: Case, scenario: ScenarioInput, now: datetime) -> tuple[ReferenceData, Any]:
    return assessment_for(issuing=case.organisation.country, scenario=scenario, as_of=now.date())


def assessment_for(*, issuing: str, scenario: ScenarioInput, as_of: date) -> tuple[ReferenceData, Any]:
    """The legal core's assessment of the route question from ``issuing`` on ``as_of``."""
    reference = current_reference()
    question = Scenario(
        issuing=issuing,
        provider_state=scenario.provider_state,
        data=scenario.data,
        as_of=as_of,
        measure=scenario.measure,
        emergency=scenario.emergency,
        entity=default_entity(scenario.data),
        what_if=what_if(assume_in_force=scenario.assume_in_force, assume_ratified=scenario.assume_ratified, reference=reference),
        offence_threshold=scenario.offence_threshold,
    )
    try:
        return reference, assess(reference, question)
    except InvalidScenario as error:
        raise ApplicationError(str(error), field=_FIELDS.get(error.field), status=422) from None


def advice_for(*, issuing: str, scenario: ScenarioInput, as_of: date) -> Advice:
    """The route advice, answer first (web/cases/advice.py), for a question from ``issuing``."""
    reference, assessment = assessment_for(issuing=issuing, scenario=scenario, as_of=as_of)
    return present(reference, to_json(reference, assessment, active_messages()))  # texts in the page's language


def route_advice(*, case: Case, scenario: ScenarioInput, now: datetime) -> Advice:
    """The route advice for a request from the case's organisation, today."""
    return advice_for(issuing=case.organisation.country, scenario=scenario, as_of=now.date())


# -- drafting ---------------------------------------------------------------------------


def _with_case_data(form_id: str, case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """Copy the case's offences, summary of facts and identifiers into the fields the form has."""
    names = {node.name for node in forms()[form_id].fields()}
    if "offences" in names and case.offences:
        offence_keys = ("description", "provisions", "max_penalty_years")
        data["offences"] = [{k: o[k] for k in offence_keys if k in o} for o in case.offences]
    if "summary_of_facts" in names and case.summary_of_facts:
        data["summary_of_facts"] = case.summary_of_facts
    if isinstance(data.get("data_sought"), dict) and case.identifiers:
        identifier_keys = ("kind", "value", "port", "time")
        data["data_sought"]["identifiers"] = [{k: i[k] for k in identifier_keys if k in i} for i in case.identifiers]
    return data


def request_prefill(
    *, user: User, case_id: int, form_id: str, scenario: ScenarioInput, justification: str, language: str, now: datetime
) -> tuple[Case, dict[str, Any], bool]:
    """A draft for ``form_id`` from the route advice; with the case's data when the user gave a
    justification for this case in this session (then the consultation is recorded again).

    Returns the case, the data, and whether the case's personal data was included."""
    with_personal_data = bool(justification)
    if with_personal_data:
        case = services.case_view(user=user, case_id=case_id, justification=justification, now=now)
    else:
        case = services.case_get(user=user, case_id=case_id, action=Action.DRAFT_REQUEST)
    if form_id not in forms():
        raise ApplicationError(f"unknown form id {form_id!r}", field="form_id", status=422)
    reference, assessment = _assessment(case, scenario, now)
    try:
        data = prefill(reference, form_id, assessment)
    except PrefillError as error:
        raise ApplicationError(str(error), field="form_data", status=422) from None
    data = {"language": language, "date_of_issue": now.date().isoformat(), **data}
    data["issuing_authority"] = {"name": case.organisation.name, "country": case.organisation.country}
    if with_personal_data:
        data = _with_case_data(form_id, case, data)
    return case, data, with_personal_data


def draft_issues(
    *,
    case: Case,
    form_id: str,
    data: dict[str, Any],
    now: datetime,
    what_if: WhatIf | None = None,
    accepted_languages: tuple[str, ...] = (),
) -> list[dict[str, str]]:
    """Every validation issue of the data as it would be saved (path, citation, severity, message),
    under the what-if switches the route was chosen with; ``accepted_languages``: those the
    addressee states it accepts in its policy profile, when it is addressed."""
    data = {**data, "form": form_id, "issuing_state": case.organisation.country}
    context = QualityContext(current_reference(), now.date(), what_if=what_if or WhatIf(), accepted_languages=accepted_languages)
    issues = [i.as_json() for i in validate(form_id, data, context)]
    return [_validated_on_the_platform(i) for i in issues]


def _validated_on_the_platform(issue: dict[str, str]) -> dict[str, str]:
    """A missing validation does not stop a draft from being saved: the validation is given on
    the platform after the draft is submitted for approval (cases/approval.py), and issuing
    without it is refused."""
    if (
        issue.get("rule") == "Q-AUTHORITY"
        and issue.get("code") == "validation_required"
        and issue["path"] == "$.validating_authority"
    ):
        note = gettext("it is validated on this platform once you submit the draft for approval")
        return {**issue, "severity": "warning", "message": f"{issue['message']}: {note}", "note": note}
    return issue


# -- a request --------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageLink:
    package: str
    available: bool  # recipient packages exist once the request is issued
    language: str


@dataclass(frozen=True)
class RequestOverview:
    request: Request
    issues: list[dict[str, str]]
    errors: int
    targets: list[str]  # states this user may move the request to
    deadlines: list[DeadlineRow]
    packages: list[PackageLink]
    history: list[Any]


def transitions_allowed(*, user: User, request: Request) -> list[str]:
    """Target states the lifecycle allows and the user's role grants, minus those the service
    would refuse anyway (issuing without the validation the law requires, validating one's own
    draft or an order one's role may not validate, leaving planning
    with a what-if draft on an instance that is not in exercise mode)."""
    current = State(request.state)
    planning_only = not services.may_leave_planning(request)
    on_the_platform = services.delivered_on_the_platform(request)
    targets = []
    for (source, target), action in TRANSITIONS.items():
        if source is not current or not can(user, action, request.case.organisation):
            continue
        if target is State.ISSUED and (source is State.AWAITING_APPROVAL or approval.issue_decision(request, user)):
            continue  # the pages validate first, then issue (approval.py); the API may do both at once
        if (
            source is State.AWAITING_APPROVAL
            and target is not State.WITHDRAWN
            and not approval.may_validate_request(user, request)
        ):
            continue
        if planning_only and target in (State.ISSUED, State.AWAITING_APPROVAL):
            continue
        if target in services.SET_BY_THE_RECIPIENT and on_the_platform:
            continue  # the recipient's answer on the platform sets it
        targets.append(target.value)
    return targets


def document_language(request: Request, package: str, ui_language: str) -> str:
    """The first language the recipient accepts that has a complete catalogue; the page's
    language for the issuing authority's own copy; English otherwise."""
    complete = complete_languages()
    accepted = request.data.get("recipient_languages") if package != "full" else [ui_language]
    wanted = [str(code) for code in accepted] if isinstance(accepted, list) else []
    return next((code for code in wanted if code in complete), "en")


def request_overview(*, user: User, request_id: int, ui_language: str, now: datetime) -> RequestOverview:
    request = services.request_get(user=user, request_id=request_id)
    issues = services.form_issues(request, now)
    if request.state in (State.DRAFT, State.AWAITING_APPROVAL):  # the validation is yet to be given here
        issues = [_validated_on_the_platform(i) for i in issues]
    draft = request.state in (State.DRAFT, State.AWAITING_APPROVAL, State.VALIDATED)  # not issued yet
    packages = [
        PackageLink(p, p == "full" or not draft, document_language(request, p, ui_language))
        for p in forms()[request.form_id].packages
    ]
    return RequestOverview(
        request=request,
        issues=issues,
        errors=sum(1 for i in issues if i["severity"] == "error"),
        targets=transitions_allowed(user=user, request=request),
        deadlines=[DeadlineRow.at(d, now) for d in request.deadlines.order_by("due_at", "pk")],
        packages=packages if can(user, Action.DOWNLOAD_PACKAGE, request.case.organisation) else [],
        history=list(request.transitions.select_related("by").order_by("at", "pk")),
    )


def download_check(
    *, user: User, request_id: int, package: str, fmt: str, language: str, ui_language: str
) -> tuple[Request, str]:
    """The request and the document language for a download; NotFound for a package the form
    does not define, a format not offered or a language without a complete catalogue."""
    request = services.request_get(user=user, request_id=request_id, action=Action.DOWNLOAD_PACKAGE)
    language = language or document_language(request, package, ui_language)
    if package not in forms()[request.form_id].packages or fmt not in FORMATS or language not in complete_languages():
        raise NotFound("package")
    return request, language


# -- calendar feed ----------------------------------------------------------------------


def calendar_ics(*, token: str, now: datetime) -> str:
    """The open deadlines of the token owner's organisation as an iCalendar (RFC 5545) text;
    NotFound for an unknown, revoked or inactive token."""
    user = account_services.calendar_feed_user(token=token)
    return deadlines_ics(list(deadlines_for_feed(user=user)), now)


# -- approval (cases/approval.py) -------------------------------------------------------


@dataclass(frozen=True)
class ApprovalPanel:
    rule: dict[str, Any]  # the row of cyberspex/forms/authority.py that applies
    who_validates: str  # "a judge, a court or an investigating judge"
    citation: str  # the row's citation, in the page's language
    note: str  # what the row's verification leaves open, in the page's language
    cannot_issue: str  # why this user may not issue it alone ("" if they may, or it is not theirs to issue)
    signatories: list[dict[str, Any]]
    returned: Any  # the last return with comments, while the request is a draft again
    ex_post: bool  # issued under Art 4(5), awaiting its validation, which this user may give


def approval_panel(*, user: User, request: Request) -> ApprovalPanel:
    """Who may issue or validate the request, who did, and the comments it was returned with."""
    rule = approval.request_rule(request)
    m = active_messages()
    cannot = ""
    if request.state in (State.DRAFT, State.VALIDATED) and can(user, Action.ISSUE, request.case.organisation):
        decision = approval.issue_decision(request, user, m)
        cannot = decision.message if decision else ""
    returned = None
    if request.state == State.DRAFT:
        returned = (
            request.transitions.filter(from_state=State.AWAITING_APPROVAL, to_state=State.DRAFT)
            .select_related("by")
            .order_by("-at", "-pk")
            .first()
        )
    ex_post = approval.ex_post_pending(request) and approval.may_validate_request(user, request)
    return ApprovalPanel(
        rule.as_json(),
        rule.in_words(m.texts),
        translate_citation(rule.citation, m.language),
        rule.note_in(m.texts),
        cannot,
        approval.request_signatories(request),
        returned,
        ex_post,
    )


@dataclass(frozen=True)
class IssueConfirmation:
    request: Request
    form_id: str
    recipient: str  # the addressee or provider, as the form names it
    recipient_state: str  # the State's name
    signatories: list[dict[str, Any]]
    # Who receives it on this platform at issue (exchange/routing.recipients): (role, organisation, rule).
    on_platform: list[tuple[str, str, str]] = field(default_factory=list)
    # Who the issuing authority sends it to by other means: (role, rule).
    by_other_means: list[tuple[str, str]] = field(default_factory=list)


def issue_confirmation(*, user: User, request_id: int, language: str = "en") -> IssueConfirmation:
    """What the confirmation page shows before ``user`` issues the request; ApplicationError
    (403, 409) when they may not issue it now, with the reason and its citation."""
    request = services.request_get(user=user, request_id=request_id)
    if not can(user, Action.ISSUE, request.case.organisation):
        raise ApplicationError("your role cannot issue", status=403)
    if request.state not in (State.DRAFT, State.VALIDATED):
        raise ApplicationError(f"a request cannot go from {request.state} to issued", field="state", status=409)
    if not services.may_leave_planning(request):
        raise ApplicationError(services.WHAT_IF_REFUSAL, field="state", status=409)
    approval.refuse_issue(request, user, active_messages())
    party: dict[str, Any] = next(
        (request.data[k] for k in ("addressee", "provider") if isinstance(request.data.get(k), dict)), {}
    )
    name = str(party.get("name", ""))
    on_platform, by_other_means = _recipients(request)
    return IssueConfirmation(
        request,
        request.form_id,
        name,
        country_name(request.recipient_state, language),
        approval.request_signatories(request),
        on_platform,
        by_other_means,
    )


def _recipients(request: Request) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """Who the request is delivered to on the platform when issued, and who gets it by other means."""
    found = routing.recipients(request)
    if not found:
        addressing = routing.ADDRESSING.get(request.route_id)
        return [], [(routing.ROLE_NAMES[addressing.role] if addressing else "the addressee", "")]
    on_platform = [(routing.ROLE_NAMES[r.role], r.organisation.name, r.why) for r in found if r.organisation is not None]
    return on_platform, [(routing.ROLE_NAMES[r.role], r.why) for r in found if r.organisation is None]
