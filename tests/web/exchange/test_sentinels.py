"""Sentinel tests: a recipient sees only what its package may hold.

Every text field of every form is filled with a marker of its own; the request is delivered to
a recipient with each package the form defines; then the recipient's inbox page, its API answer
and the signed PDF are read. A marker of a field the package may not hold must appear in none
of them, and the case's own text (never part of any package) neither. The markers of the fields
the package does hold must appear in the API answer, so the test can tell a leak from nothing.
"""

from __future__ import annotations

import copy
import io
import json
from importlib.resources import files
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from cyberspex.forms.definitions import forms
from cyberspex.forms.model import FULL, Node
from cyberspex.web.accounts.models import OrganisationKind, Role
from cyberspex.web.cases import services
from cyberspex.web.exchange.delivery import deliver_to
from cyberspex.web.exchange.models import DeliveryRole, Function
from tests.web.conftest import Api, Org
from tests.web.exchange.conftest import organisation
from tests.web.helpers import CASE_FIELDS, NOW, REVIEW, verified_session

pytestmark = pytest.mark.django_db
TEXT_TYPES = frozenset({"text", "free_text"})
CASE_MARK = "Casemark5519"


def _example(form_id: str) -> dict[str, Any]:
    path = files("cyberspex") / "data" / "forms" / "examples" / f"{form_id}.json"
    return json.loads(path.read_text(encoding="utf-8"))


class Marker:
    def __init__(self) -> None:
        self.visible: dict[str, set[str]] = {}  # marker -> packages that may hold it

    def mark(self, node: Node, value: Any, inherited: frozenset[str]) -> Any:
        allowed = inherited & node.recipients
        if node.list and isinstance(value, list):
            return [self._one(node, item, allowed) for item in value]
        return self._one(node, value, allowed)

    def _one(self, node: Node, value: Any, allowed: frozenset[str]) -> Any:
        if node.leaf:
            if node.type in TEXT_TYPES and isinstance(value, str):
                token = f"Sntl{len(self.visible):03d}x"
                self.visible[token] = set(allowed)
                return token
            return value
        if not isinstance(value, dict):
            return value
        children = {c.name: c for c in node.children}
        return {k: (self.mark(children[k], v, allowed) if k in children else v) for k, v in value.items()}


def marked(form_id: str) -> tuple[dict[str, Any], Marker]:
    data, marker = copy.deepcopy(_example(form_id)), Marker()
    everything = frozenset({"provider", "authority", "notification", FULL})
    for node in forms()[form_id].fields():
        if node.name in data:
            data[node.name] = marker.mark(node, data[node.name], everything)
    return data, marker


CASES = [
    pytest.param(form_id, package, id=f"{form_id}-{package}")
    for form_id, form in sorted(forms().items())
    for package in form.packages
    if package != FULL
]


@pytest.mark.parametrize(("form_id", "package"), CASES)
def test_a_recipient_sees_no_field_its_package_may_not_hold(fr: Org, api: Api, form_id: str, package: str) -> None:
    case = services.case_create(
        user=fr[Role.PROSECUTOR],
        reference=f"PAR-{CASE_MARK}",
        retention_review_date=REVIEW,
        now=NOW,
        **{**CASE_FIELDS, "summary_of_facts": f"Facts {CASE_MARK}", "title": f"Title {CASE_MARK}"},
    )
    data, marker = marked(form_id)
    request, _ = services.request_draft(user=fr[Role.PROSECUTOR], case_id=case.pk, form_id=form_id, data=data, now=NOW)
    recipient = organisation("rcp", "Recipient GmbH", OrganisationKind.PROVIDER, "DE", [Function.PROVIDER])
    delivery = deliver_to(
        request,
        organisation=recipient.organisation,
        role=DeliveryRole.ADDRESSEE,
        package=package,
        by=fr[Role.PROSECUTOR],
        now=NOW,
        exercise=False,
        signer=fr.organisation,
        signatories=lambda _language: (),
    )
    responder = recipient[Role.RESPONDER]
    client = Client()
    verified_session(client, responder)
    page = client.get(f"/inbox/{delivery.pk}/").content.decode()
    answer = api.get(f"/inbox/{delivery.pk}", responder).content.decode()
    pdf = client.get(f"/inbox/{delivery.pk}/document.pdf").content
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)

    forbidden = [token for token, packages in marker.visible.items() if package not in packages]
    allowed = [token for token, packages in marker.visible.items() if package in packages]
    for shown, where in ((page, "page"), (answer, "API"), (pdf_text, "PDF")):
        leaked = [token for token in forbidden if token in shown]
        assert not leaked, f"the {where} shows fields the {package} package may not hold: {leaked}"
        assert CASE_MARK not in shown, f"the {where} shows the case's own text"
    assert allowed, "the form has text fields in this package"
    assert all(token in answer for token in allowed), "the fields the package holds reach the recipient"
    assert any(token in page for token in allowed), "the page shows the package"
    assert any(token in pdf_text.replace("\n", "") for token in allowed), "the PDF's text is read"
