"""An account's life: an administrator adds a member and gives them a one-time enrolment link;
the password alone never enrols an authenticator; recovery codes stand in for a lost phone
once each; the password can be changed; an administrator resets an authenticator, changes a
role or deactivates a member of their own organisation only. Every step is audited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.lifecycle import enrolment_link_for
from cyberspex.web.accounts.models import ApiToken, EnrolmentLink, Membership, RecoveryCode, RecoveryDevice, Role
from cyberspex.web.api.auth import token_create
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from tests.web.conftest import Org
from tests.web.helpers import NOW, verified_session

PASSWORD = "correct horse battery staple"  # noqa: S105  # test accounts only
NEW_PASSWORD = "a quite different passphrase 42"  # noqa: S105  # test accounts only


@pytest.fixture(autouse=True)
def _fast_hasher() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def _with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _log_in(client: Client, user: User, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": user.username, "password": password})


def _enrol(client: Client, user: User, link: str) -> Any:
    """Open the link, then confirm the enrolment with the code the new device gives."""
    client.get(f"/accounts/enrol/{link}/")
    page = client.get("/accounts/mfa/enrol/")
    assert page.status_code == 200, page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post("/accounts/mfa/enrol/", {"code": f"{totp(device.bin_key):06d}"})


def _actions(user: User) -> list[str]:
    return [
        e.details.get("action") or e.details.get("step")
        for e in AuditEntry.objects.filter(object_id=str(user.pk)).order_by("seq")
    ]


def _link_from(response: Any) -> str:
    found = re.search(r"/accounts/enrol/([A-Za-z0-9_-]+)/", response.content.decode())
    assert found is not None, response.content.decode()
    return found.group(1)


# -- enrolment links --------------------------------------------------------------------


@pytest.mark.usefixtures("clock")
def test_a_password_alone_cannot_enrol_the_first_authenticator(fr: Org) -> None:
    user = _with_password(fr[Role.INVESTIGATOR])
    browser = Client()
    assert _log_in(browser, user)["Location"] == "/accounts/mfa/"
    assert browser.get("/accounts/mfa/")["Location"] == "/accounts/mfa/enrol/"
    page = browser.get("/accounts/mfa/enrol/")
    assert page.status_code == 403
    assert "enrolment link" in page.content.decode()
    assert browser.post("/accounts/mfa/enrol/", {"code": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.usefixtures("clock")
def test_an_enrolment_link_enrols_once_and_only_its_own_user(fr: Org) -> None:
    user = _with_password(fr[Role.INVESTIGATOR])
    other = _with_password(fr[Role.PROSECUTOR])
    link = enrolment_link_for(username=user.username, now=NOW)
    intruder = Client()
    _log_in(intruder, other)
    assert intruder.get(f"/accounts/enrol/{link}/").status_code == 404  # not their link
    assert intruder.get("/accounts/mfa/enrol/").status_code == 403
    browser = Client()
    opened = browser.get(f"/accounts/enrol/{link}/")
    assert (opened["Location"], opened["Cache-Control"]) == ("/accounts/login/", "no-store")
    _log_in(browser, user)
    assert _enrol(browser, user, link)["Location"] == "/"
    assert browser.get("/").status_code == 200
    assert EnrolmentLink.objects.get().used_at == NOW
    assert Client().get(f"/accounts/enrol/{link}/").status_code == 404  # used up


def test_an_enrolment_link_expires(fr: Org, clock: time_machine.Coordinates) -> None:
    user = _with_password(fr[Role.INVESTIGATOR])
    link = enrolment_link_for(username=user.username, now=NOW)
    clock.move_to(NOW + timedelta(hours=72))
    browser = Client()
    assert browser.get(f"/accounts/enrol/{link}/").status_code == 404
    _log_in(browser, user)
    assert browser.get("/accounts/mfa/enrol/").status_code == 403


# -- the administrator's page -----------------------------------------------------------


def _admin(fr: Org) -> Client:
    browser = Client()
    verified_session(browser, fr[Role.ADMINISTRATOR])
    return browser


@pytest.mark.usefixtures("clock")
def test_an_administrator_adds_a_member_who_enrols_with_the_link_shown_once(fr: Org) -> None:
    admin = _admin(fr)
    assert admin.get("/accounts/administration/").status_code == 200
    new = {"username": "fr-new-analyst", "email": "analyst@fr.example", "role": Role.INVESTIGATOR.value, "password": PASSWORD}
    response = admin.post("/accounts/administration/", new)
    assert response.status_code == 201
    link = _link_from(response)
    user = User.objects.get(username="fr-new-analyst")
    assert (user.membership.organisation, user.membership.role) == (fr.organisation, Role.INVESTIGATOR)
    assert link not in "".join(EnrolmentLink.objects.values_list("digest", flat=True))  # only its digest is kept
    browser = Client()
    _log_in(browser, user)
    assert _enrol(browser, user, link)["Location"] == "/"
    created = AuditEntry.objects.get(event=Event.CREATE, object_type="user")
    assert (created.actor, created.details["action"], created.details["role"]) == (
        "fr-administrator",
        "user_created",
        "investigator",
    )
    assert verify().ok


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("role", [role for role in Role if role is not Role.ADMINISTRATOR])
def test_no_one_but_an_administrator_reaches_the_administration_or_acts_on_a_member(fr: Org, role: Role) -> None:
    browser = Client()
    verified_session(browser, fr[role])
    assert browser.get("/accounts/administration/").status_code == 403
    target = fr[Role.INVESTIGATOR] if role is not Role.INVESTIGATOR else fr[Role.PROSECUTOR]
    for action in ("deactivate", "reset-totp", "enrolment-link", "role"):
        assert browser.post(f"/accounts/administration/users/{target.pk}/{action}/", {"role": "auditor"}).status_code == 403
    target.refresh_from_db()
    assert target.is_active
    assert not AuditEntry.objects.filter(object_id=str(target.pk)).exists()


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("action", ["deactivate", "reset-totp", "enrolment-link", "role"])
def test_an_administrator_cannot_touch_a_member_of_another_organisation(fr: Org, de: Org, action: str) -> None:
    foreign = de[Role.INVESTIGATOR]
    TOTPDevice.objects.create(user=foreign, name="phone", confirmed=True)
    response = _admin(fr).post(f"/accounts/administration/users/{foreign.pk}/{action}/", {"role": "auditor"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active
    assert Membership.objects.get(user=foreign).role == Role.INVESTIGATOR
    assert TOTPDevice.objects.filter(user=foreign).exists()
    assert not AuditEntry.objects.filter(object_id=str(foreign.pk)).exists()


@pytest.mark.usefixtures("clock")
def test_an_administrator_cannot_change_their_own_account(fr: Org) -> None:
    me = fr[Role.ADMINISTRATOR]
    for action in ("deactivate", "role", "reset-totp"):
        assert _admin(fr).post(f"/accounts/administration/users/{me.pk}/{action}/", {"role": "auditor"}).status_code == 409
    me.refresh_from_db()
    assert me.is_active
    assert me.membership.role == Role.ADMINISTRATOR


@pytest.mark.usefixtures("clock")
def test_a_reset_removes_the_authenticator_and_recovery_codes_and_gives_a_new_link(fr: Org) -> None:
    member = fr[Role.PROSECUTOR]
    member_browser = Client()
    verified_session(member_browser, member)  # a confirmed device, and a verified session
    member_browser.post("/accounts/recovery-codes/")
    assert RecoveryCode.objects.count() == 10
    response = _admin(fr).post(f"/accounts/administration/users/{member.pk}/reset-totp/")
    assert response.status_code == 200
    link = _link_from(response)
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not RecoveryDevice.objects.filter(user=member).exists()
    assert member_browser.get("/")["Location"] == "/accounts/mfa/"  # the old session is no longer verified
    assert _actions(member)[-1] == "totp_reset"
    reset = AuditEntry.objects.filter(details__action="totp_reset").get()
    assert (reset.actor, reset.event, reset.details["devices_removed"]) == ("fr-administrator", Event.CHANGE, 1)
    _with_password(member)
    browser = Client()
    _log_in(browser, member)
    assert _enrol(browser, member, link)["Location"] == "/"


@pytest.mark.usefixtures("clock")
def test_deactivating_a_member_ends_their_session_and_revokes_their_tokens(fr: Org) -> None:
    member = fr[Role.INVESTIGATOR]
    member_browser = Client()
    verified_session(member_browser, member)
    token_create(user=member, name="script", verified=True, now=NOW)
    assert _admin(fr).post(f"/accounts/administration/users/{member.pk}/deactivate/")["Location"] == "/accounts/administration/"
    member.refresh_from_db()
    assert not member.is_active
    assert member_browser.get("/accounts/tokens/")["Location"].startswith("/accounts/login/")
    assert ApiToken.objects.get(user=member).revoked_reason == "deactivation"
    entry = AuditEntry.objects.filter(details__action="deactivated").get()
    assert (entry.actor, entry.details["tokens_revoked"]) == ("fr-administrator", 1)
    row = re.search(r"<td>fr-investigator</td>.*?</tr>", _admin(fr).get("/accounts/administration/").content.decode(), re.S)
    assert row is not None
    assert "Deactivated" in row.group(0)
    assert "<form" not in row.group(0)  # nothing more to do with a deactivated member


@pytest.mark.usefixtures("clock")
def test_an_administrator_changes_a_members_role_within_the_organisation(fr: Org) -> None:
    member = fr[Role.INVESTIGATOR]
    response = _admin(fr).post(f"/accounts/administration/users/{member.pk}/role/", {"role": Role.SUPERVISOR.value})
    assert response.status_code == 302
    assert Membership.objects.get(user=member).role == Role.SUPERVISOR
    entry = AuditEntry.objects.filter(details__action="role_changed").get()
    assert (entry.details["from"], entry.details["to"]) == ("investigator", "supervisor")
    bad = _admin(fr).post(f"/accounts/administration/users/{member.pk}/role/", {"role": "king"})
    assert bad.status_code == 422


# -- password change and recovery codes -------------------------------------------------


@pytest.mark.usefixtures("clock")
def test_a_user_changes_their_password_with_the_current_one_and_it_is_audited(fr: Org) -> None:
    user = _with_password(fr[Role.INVESTIGATOR])
    elsewhere = Client()
    verified_session(elsewhere, user)
    browser = Client()
    verified_session(browser, user)
    wrong = browser.post("/accounts/password/", {"current_password": "nope", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 400
    weak = browser.post("/accounts/password/", {"current_password": PASSWORD, "new_password": "12345678"})
    assert weak.status_code == 422
    done = browser.post("/accounts/password/", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert done.status_code == 302
    assert browser.get("/").status_code == 200  # this session stays
    assert elsewhere.get("/accounts/tokens/")["Location"].startswith("/accounts/login/")  # the others end
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert _actions(user) == ["password_change_refused", "password_changed"]


@pytest.mark.usefixtures("clock")
def test_recovery_codes_are_shown_once_kept_hashed_and_each_replaces_a_totp_code_once(fr: Org) -> None:
    user = _with_password(fr[Role.INVESTIGATOR])
    browser = Client()
    verified_session(browser, user)
    page = browser.post("/accounts/recovery-codes/")
    codes = re.findall(r"<code>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>", page.content.decode())
    assert len(set(codes)) == 10
    stored = "".join(RecoveryCode.objects.values_list("digest", flat=True))
    assert not any(code.replace("-", "") in stored for code in codes)
    assert "10 unused" in browser.get("/accounts/recovery-codes/").content.decode()

    phone_lost = Client()
    _log_in(phone_lost, user)
    assert phone_lost.post("/accounts/mfa/recovery/", {"code": "AAAA-BBBB-CCCC"}).status_code == 400
    assert phone_lost.post("/accounts/mfa/recovery/", {"code": codes[0].lower()})["Location"] == "/"
    assert phone_lost.get("/").status_code == 200
    again = Client()
    _log_in(again, user)
    assert again.post("/accounts/mfa/recovery/", {"code": codes[0]}).status_code == 400  # used up
    assert "recovery_codes_created" in _actions(user)
    assert [e.event for e in AuditEntry.objects.filter(details__step="recovery_code").order_by("seq")] == [
        Event.LOGIN_FAILED,
        Event.LOGIN,
        Event.LOGIN_FAILED,
    ]


# -- the token page ---------------------------------------------------------------------


@pytest.mark.usefixtures("clock")
def test_the_token_page_lists_my_tokens_and_revokes_one_in_english_and_french(fr: Org) -> None:
    user = fr[Role.INVESTIGATOR]
    token_create(user=user, name="nightly export", verified=True, now=NOW)
    token_create(user=fr[Role.PROSECUTOR], name="someone else's", verified=True, now=NOW)
    browser = Client()
    verified_session(browser, user)
    page = browser.get("/accounts/tokens/").content.decode()
    assert "nightly export" in page
    assert "someone else" not in page
    assert "API tokens" in page
    browser.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    french = browser.get("/accounts/tokens/").content.decode()
    assert "Jetons d’API" in french
    assert "Révoquer" in french
    mine = ApiToken.objects.get(user=user)
    assert browser.post(f"/accounts/tokens/{mine.pk}/revoke/")["Location"] == "/accounts/tokens/"
    mine.refresh_from_db()
    assert mine.revoked_reason == "owner"
    theirs = ApiToken.objects.get(user=fr[Role.PROSECUTOR])
    assert browser.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404


@pytest.mark.usefixtures("clock")
def test_wrong_recovery_codes_count_toward_the_account_lockout(fr: Org) -> None:
    user = _with_password(fr[Role.INVESTIGATOR])
    owner = Client()
    verified_session(owner, user)
    codes = re.findall(r"<code>([A-Z2-9-]{14})</code>", owner.post("/accounts/recovery-codes/").content.decode())
    guesser = Client()
    _log_in(guesser, user)
    for _ in range(5):
        assert guesser.post("/accounts/mfa/recovery/", {"code": "AAAA-BBBB-CCCC"}).status_code == 400
    assert guesser.post("/accounts/mfa/recovery/", {"code": codes[0]}).status_code == 429  # even a right one, now
    assert RecoveryCode.objects.filter(used_at__isnull=True).count() == 10
