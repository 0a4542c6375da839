"""Approval that follows Article 4 of Regulation (EU) 2023/1543 and the instruments' rules.

The table of who may issue alone and who validates is data (cyberspex/forms/authority.py); this
module maps a person's role to the capacity in which they act, finds the row for a request, and
answers the lifecycle's questions (services.request_transition) and the pages' (selectors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from cyberspex.forms import authority
from cyberspex.forms.authority import AuthorityRule, Decision
from cyberspex.forms.definitions import forms
from cyberspex.forms.quality import in_emergency
from cyberspex.law.messages import ENGLISH_MESSAGES, Messages
from cyberspex.web.accounts.access import Action, can, membership
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases.models import Request, State
from cyberspex.web.errors import ApplicationError

# The capacity in which a person of each role acts (authority.CAPACITIES). Roles that do not
# issue or validate have none.
CAPACITY: dict[str, str] = {
    Role.JUDGE: authority.JUDGE,
    Role.PROSECUTOR: authority.PROSECUTOR,
    Role.OTHER_AUTHORITY: authority.OTHER,
    Role.INVESTIGATOR: authority.INVESTIGATOR,
    Role.SUPERVISOR: authority.SUPERVISOR,
}


def capacity(user: User | None) -> str | None:
    found = membership(user) if user is not None else None
    return CAPACITY.get(found.role) if found else None


def _category(request_data: dict[str, Any]) -> str | None:
    sought = request_data.get("data_sought")
    category = sought.get("category") if isinstance(sought, dict) else None
    return category if isinstance(category, str) else None


def _requirements(advice: dict[str, Any]) -> frozenset[str]:
    route = advice.get("route", {}) if isinstance(advice, dict) else {}
    return frozenset(r.get("code", "") for r in route.get("requirements", []) if r.get("applies") is not False)


def rule_of(form_id: str, data: dict[str, Any], advice: dict[str, Any]) -> AuthorityRule:
    return authority.rule_for(form_id, _category(data), _requirements(advice))


def request_rule(request: Request) -> AuthorityRule:
    return rule_of(request.form_id, request.data, request.route_advice)


def needs_validation(form_id: str, data: dict[str, Any], advice: dict[str, Any], user: User) -> bool:
    """Whether a request drafted by ``user`` must be validated before it is issued (in an
    emergency, Art 4(5) may let it be validated after)."""
    role = capacity(user)
    if role is None:
        return True
    decision = authority.may_issue_alone(rule_of(form_id, data, advice), role, emergency=in_emergency(data))
    return not (decision.alone or decision.ex_post)


EX_POST_RULE = "eu2023-1543.art4.5.validation"
EX_POST_HOURS = 48


def issued_ex_post(request: Request, issuer: User) -> bool:
    """Whether ``request`` is issued under Art 4(5): in an emergency, without prior validation,
    by someone who may not issue it alone; validation is then sought within 48 hours."""
    rule = request_rule(request)
    if validated(request, rule) or not rule.ex_post or not in_emergency(request.data):
        return False
    return any(capacity(person) not in rule.alone for person in (request.created_by, issuer))


def ex_post_pending(request: Request) -> bool:
    """An order issued under Art 4(5) whose validation is not recorded yet."""
    return request.validated_at is None and request.deadlines.filter(rule=EX_POST_RULE).exists()


def validated(request: Request, rule: AuthorityRule) -> bool:
    """The request carries a validation by a person the rule accepts."""
    return request.validated_at is not None and request.validated_capacity in rule.validators


def issue_decision(request: Request, issuer: User, messages: Messages = ENGLISH_MESSAGES) -> Decision | None:
    """None if ``issuer`` may issue ``request`` now; otherwise the refusal (with its citation, in
    the language of ``messages``).

    Issuing needs a validation the rule accepts, unless both the person who drafted it and the
    person who issues it may issue it alone (or, in an emergency, issue it under Art 4(5))."""
    rule = request_rule(request)
    if validated(request, rule):
        return None
    emergency = in_emergency(request.data)
    for person in (request.created_by, issuer):
        role = capacity(person)
        decision = authority.may_issue_alone(
            rule, role or authority.INVESTIGATOR, emergency=emergency, texts=messages.texts, language=messages.language
        )
        if not (decision.alone or decision.ex_post):
            return decision
    return None


def refuse_issue(request: Request, issuer: User, messages: Messages = ENGLISH_MESSAGES) -> None:
    decision = issue_decision(request, issuer, messages)
    if decision is not None:
        raise ApplicationError(decision.message, field="state", status=409, extra={"authority_rule": decision.rule.as_json()})


def refuse_validation(request: Request, validator: User) -> None:
    if request.created_by_id == validator.pk:
        raise ApplicationError("the person who drafted a request cannot approve it (four eyes)", status=403)
    role = capacity(validator)
    rule = request_rule(request)
    reason = authority.may_validate(rule, role) if role else "your role cannot validate orders"
    if reason:
        raise ApplicationError(reason, field="state", status=409, extra={"authority_rule": rule.as_json()})


def clear_validation(request: Request) -> None:
    """A request returned to its drafter loses its validation: it is validated again once changed."""
    request.validated_by = None
    request.validated_at = None
    request.validated_capacity = ""
    request.validated_authority = ""
    request.approved_by = None


def record_validation(request: Request, validator: User, now: datetime) -> dict[str, Any]:
    """Put the validator on the request and in the form data (the EU forms' validating_authority
    and validating_authority_type); returns what was recorded, for the audit trail."""
    found = membership(validator)
    role = capacity(validator) or ""
    request.validated_by = validator
    request.validated_at = now
    request.validated_capacity = role
    request.validated_authority = found.organisation.name if found else ""
    request.approved_by = validator
    fields = {f.name for s in forms()[request.form_id].sections for f in s.fields}
    data = dict(request.data)
    given_authority = data.get("validating_authority")
    if "validating_authority" in fields and isinstance(given_authority, dict) and given_authority.get("name"):
        # The drafter named the validating court: it stays as written; the validator is its contact
        # person only where none was given.
        contact_given = given_authority.get("contact")
        kept_contact: dict[str, Any] = dict(contact_given) if isinstance(contact_given, dict) else {}
        kept_contact.setdefault("person", person_name(validator))
        data["validating_authority"] = {**given_authority, "contact": kept_contact}
    elif "validating_authority" in fields:
        issuing = data.get("issuing_authority")
        base = dict(issuing) if isinstance(issuing, dict) else {"country": found.organisation.country if found else ""}
        given = base.get("contact")
        contact: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
        contact["person"] = person_name(validator)
        data["validating_authority"] = {**base, "name": request.validated_authority or base.get("name", ""), "contact": contact}
    if "validating_authority_type" in fields and role in (authority.JUDGE, authority.PROSECUTOR):
        data["validating_authority_type"] = authority.FORM_AUTHORITY_TYPE[role]
    if "issuing_authority_type" in fields:
        # Issued under this validation: the issuing authority acts as "another competent
        # authority" (Art 4(1)(b), 4(2)(b), 4(3)) unless its own role lets it issue alone.
        drafter = capacity(request.created_by) or authority.INVESTIGATOR
        rule = request_rule(request)
        data["issuing_authority_type"] = authority.FORM_AUTHORITY_TYPE[drafter] if drafter in rule.alone else authority.OTHER
    request.data = data
    return {"validated_by": validator.get_username(), "capacity": role, "citation": request_rule(request).citation}


def person_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def role_label(user: User | None) -> str:
    found = membership(user) if user is not None else None
    return str(Role(found.role).label) if found else ""


def request_signatories(request: Request) -> list[dict[str, Any]]:
    """Who signs the order: the issuing person (who issued it; before issue, who drafted it) and
    the validating person if any, each with name, role, authority and date (ISO 8601 or None)."""
    issued_by = None
    if request.issued_at is not None:
        step = request.transitions.filter(to_state=State.ISSUED).select_related("by").order_by("-at", "-pk").first()
        issued_by = step.by if step else None
    issuer = issued_by or request.created_by
    found = membership(issuer)
    signatories = [
        {
            "capacity": "issuing",
            "name": person_name(issuer),
            "role": role_label(issuer),
            "authority": found.organisation.name if found else "",
            "date": request.issued_at.date().isoformat() if request.issued_at else None,
        }
    ]
    if request.validated_by is not None and request.validated_at is not None:
        signatories.append(
            {
                "capacity": "validating",
                "name": person_name(request.validated_by),
                "role": role_label(request.validated_by),
                "authority": request.validated_authority,
                "date": request.validated_at.date().isoformat(),
            }
        )
    return signatories


def may_validate_request(user: User, request: Request) -> bool:
    """Whether ``user`` may validate ``request`` (for the queue and the buttons)."""
    role = capacity(user)
    return (
        role is not None
        and can(user, Action.APPROVE, request.case.organisation)
        and request.created_by_id != user.pk
        and not authority.may_validate(request_rule(request), role)
    )


def awaiting_my_approval(user: User, limit: int = 50) -> list[Request]:
    """Requests of the user's organisation awaiting approval that this user may validate."""
    found = membership(user)
    if found is None or not can(user, Action.APPROVE, found.organisation):
        return []
    # The oldest waiting are read in order from the index of the organisation's requests by state
    # (request_org_state), then only they are read with their form data: the organisation's other
    # requests are neither read nor sorted.
    oldest = (
        Request.objects.filter(organisation=found.organisation, state=State.AWAITING_APPROVAL, case__erased_at__isnull=True)
        .exclude(created_by=user)
        .order_by("created_at", "pk")
        .values("pk")[: limit * 4]
    )
    waiting = (
        Request.objects.filter(pk__in=oldest).select_related("case__organisation", "created_by").order_by("created_at", "pk")
    )
    return [r for r in waiting if may_validate_request(user, r)][:limit]
