"""Bad input on every surface of the API (and the one page that crashed) gets a 4xx answer with
``{message, field, extra}``, never a 500: numbers too large for the database, strings the
database cannot store, the wrong JSON type, ``NaN``, JSON nested a thousand levels deep, a
token name too long, a draft whose value no document can show, identifiers with control or
right-to-left override characters. The error body is the same everywhere under ``/api/``, the
OpenAPI document lists the errors, other content types are refused, and an exception's message
(which may quote the input) stays out of the logs."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from cyberspex.web.accounts.models import Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Case
from cyberspex.web.logs import Formatter
from tests.web.conftest import Api, Org, api, clock, fr
from tests.web.helpers import CASE_FIELDS, JUSTIFICATION, REVIEW, form_data, make_case, make_request, verified_session

__all__ = ["api", "clock", "fr"]  # the fixtures, used by name

ERROR_KEYS = {"message", "field", "extra"}
TOO_BIG = str(2**63)


def _raw(api: Api, path: str, body: str | bytes, user: Any, content_type: str = "application/json") -> Any:
    """POST a body exactly as given (json.dumps cannot write every bad input)."""
    headers = {"Authorization": f"Bearer {api.token(user)}"}
    return api.client.post(f"/api/v1{path}", body, content_type=content_type, headers=headers)


def _case_body(**fields: Any) -> dict[str, Any]:
    return {"reference": "PAR-2026-00777", "retention_review_date": REVIEW.isoformat(), **CASE_FIELDS, **fields}


def _error(response: Any, status: int, field: str | None) -> str:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["field"] == field
    return str(body["message"])


# -- numbers the database cannot hold ----------------------------------------------------


@pytest.mark.parametrize("path", ["/cases", "/deadlines", "/audit"])
@pytest.mark.parametrize("parameter", ["limit", "offset"])
def test_a_limit_or_offset_of_two_to_the_63_is_refused_by_name(api: Api, fr: Org, path: str, parameter: str) -> None:
    response = api.get(
        path, fr[Role.AUDITOR if path == "/audit" else Role.PROSECUTOR], justification=JUSTIFICATION, **{parameter: TOO_BIG}
    )
    _error(response, 422, parameter)


def test_the_limit_has_a_maximum_of_100(api: Api, fr: Org) -> None:
    assert api.get("/cases", fr[Role.PROSECUTOR], limit="100").status_code == 200
    assert "100" in _error(api.get("/cases", fr[Role.PROSECUTOR], limit="101"), 422, "limit")


def test_an_id_of_two_to_the_63_is_not_found(api: Api, fr: Org) -> None:
    _error(api.get(f"/cases/{TOO_BIG}0", fr[Role.PROSECUTOR], justification=JUSTIFICATION), 404, None)
    _error(api.get(f"/requests/{TOO_BIG}", fr[Role.PROSECUTOR]), 404, None)


# -- strings the database cannot store ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "what"),
    [("\\u0000", "NUL"), ("\\ud800", "lone surrogate"), ("\\udfff", "lone low surrogate")],
    ids=["nul", "high-surrogate", "low-surrogate"],
)
def test_a_nul_or_lone_surrogate_in_a_json_string_is_refused_by_field(api: Api, fr: Org, raw: str, what: str) -> None:
    body = json.dumps(_case_body()).replace('"Phishing against customers', f'"{raw}Phishing against customers', 1)
    message = _error(_raw(api, "/cases", body, fr[Role.PROSECUTOR]), 400, "title")
    assert what.rsplit(maxsplit=1)[-1].lower() in message.lower()
    assert not Case.objects.exists()


def test_a_nul_in_a_query_parameter_is_refused_by_name(api: Api, fr: Org) -> None:
    _error(api.get("/audit", fr[Role.AUDITOR], justification=JUSTIFICATION, actor="x\x00y"), 400, "actor")


def test_a_nul_in_a_header_the_api_reads_is_refused_by_name(api: Api, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    response = api.get(f"/cases/{case.pk}", fr[Role.PROSECUTOR], headers={"X-Justification": "a\x00b"})
    _error(response, 400, "X-Justification")


# -- the wrong JSON -----------------------------------------------------------------------


@pytest.mark.parametrize("category", [["subscriber"], {"kind": "subscriber"}, 7], ids=["list", "object", "number"])
def test_a_list_or_object_where_the_data_category_is_a_string_is_refused(api: Api, fr: Org, category: Any) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    data = form_data("eu-epoc", "DE")
    data["data_sought"]["category"] = category
    response = api.post(f"/cases/{case.pk}/requests", {"form_id": "eu-epoc", "data": data}, fr[Role.PROSECUTOR])
    _error(response, 422, "data.data_sought.category")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_by_field_not_reported_as_a_duplicate(api: Api, fr: Org, constant: str) -> None:
    body = json.dumps(_case_body()).replace('"max_penalty_years": 10', f'"max_penalty_years": {constant}')
    message = _error(_raw(api, "/cases", body, fr[Role.PROSECUTOR]), 400, "offences.0.max_penalty_years")
    assert "already exists" not in message
    assert not Case.objects.exists()


def test_json_nested_deeper_than_32_levels_is_refused_naming_where(api: Api, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    deep = '{"form_id": "eu-epoc", "data": {"notes": ' + "[" * 40 + "]" * 40 + "}}"
    message = _error(_raw(api, f"/cases/{case.pk}/requests", deep, fr[Role.PROSECUTOR]), 400, "data.notes" + ".0" * 30)
    assert "nested more than 32 levels" in message


def test_json_nested_a_thousand_levels_deep_is_refused(api: Api, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    deep = '{"form_id": "eu-epoc", "data": {"notes": ' + "[" * 1000 + "]" * 1000 + "}}"
    assert "nested" in _error(_raw(api, f"/cases/{case.pk}/requests", deep, fr[Role.PROSECUTOR]), 400, None)


def test_json_nested_deeper_than_the_parser_goes_is_refused(api: Api, fr: Org) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    _error(_raw(api, "/cases", deep, fr[Role.PROSECUTOR]), 400, None)


def test_a_body_that_is_not_json_is_refused(api: Api, fr: Org) -> None:
    message = _error(_raw(api, "/cases", "{'reference': 1}", fr[Role.PROSECUTOR]), 400, None)
    assert "JSON" in message


def test_a_token_name_over_100_characters_is_refused_by_field(fr: Org) -> None:
    browser = Client()
    verified_session(browser, fr[Role.PROSECUTOR])
    response = browser.post("/api/v1/tokens", {"name": "n" * 101}, content_type="application/json")
    _error(response, 422, "name")
    assert browser.post("/api/v1/tokens", {"name": "n" * 100}, content_type="application/json").status_code == 201


# -- identifiers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "reference",
    ["   ", "\t", "PAR-2026\u202e21400", "PAR\u200f-2026", "PAR-2026\x07", "PAR-\n2026", "PAR\u2066-2026"],
    ids=["spaces", "tab", "right-to-left-override", "right-to-left-mark", "bell", "line-feed", "isolate"],
)
def test_a_blank_reference_or_one_with_control_or_direction_characters_is_refused(api: Api, fr: Org, reference: str) -> None:
    _error(api.post("/cases", _case_body(reference=reference), fr[Role.PROSECUTOR]), 422, "reference")
    assert not Case.objects.exists()


def test_a_case_identifier_with_a_right_to_left_override_is_refused(api: Api, fr: Org) -> None:
    identifiers = [{"kind": "email", "value": "moc.elpmaxe@\u202eeod.j"}]
    _error(api.post("/cases", _case_body(identifiers=identifiers), fr[Role.PROSECUTOR]), 422, "identifiers.0.value")


def test_a_reference_in_any_script_is_accepted(api: Api, fr: Org) -> None:
    assert api.post("/cases", _case_body(reference="ΑΘΗ-2026/Ελ-12 ü"), fr[Role.PROSECUTOR]).status_code == 201


# -- one error body everywhere under /api/ ----------------------------------------------


def test_an_unknown_api_address_answers_404_in_json(api: Api) -> None:
    _error(api.get("/no-such-thing"), 404, None)
    _error(api.client.get("/api/v2/cases"), 404, None)


def test_a_wrong_method_answers_405_in_json(api: Api) -> None:
    _error(api.client.delete("/api/v1/routes"), 405, None)


def test_a_body_over_the_limit_answers_413_in_json(api: Api, fr: Org) -> None:
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        _error(api.post("/cases", _case_body(summary_of_facts="x" * 2000), fr[Role.PROSECUTOR]), 413, None)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_json_endpoint_refuses_other_content_types(api: Api, fr: Org, content_type: str) -> None:
    response = _raw(api, "/cases", json.dumps(_case_body()), fr[Role.PROSECUTOR], content_type=content_type)
    assert "application/json" in _error(response, 415, None)
    assert not Case.objects.exists()


def test_a_json_content_type_with_a_charset_is_accepted(api: Api, fr: Org) -> None:
    response = _raw(api, "/cases", json.dumps(_case_body()), fr[Role.PROSECUTOR], content_type="application/json; charset=utf-8")
    assert response.status_code == 201


def test_a_crash_answers_500_in_json_and_keeps_the_input_out_of_the_log(
    api: Api, fr: Org, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crash(**fields: Any) -> Case:
        raise RuntimeError(f"cannot store {fields['reference']}")

    monkeypatch.setattr(services, "case_create", crash)
    api.client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = api.post("/cases", _case_body(reference="SECRET-REF-4711"), fr[Role.PROSECUTOR])
    assert "SECRET-REF-4711" not in _error(response, 500, None)
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "safe"
    formatter = Formatter(settings.LOGGING["formatters"]["safe"]["format"])
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert "RuntimeError" in logged
    assert "SECRET-REF-4711" not in logged


def test_a_database_error_quoting_the_input_stays_out_of_the_log(
    api: Api, fr: Org, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from django.db import DataError  # noqa: PLC0415  # only here

    def refuse(**fields: Any) -> Case:
        raise DataError(f"value too long: {fields['title']}")

    monkeypatch.setattr(services, "case_create", refuse)
    with caplog.at_level(logging.WARNING):
        response = api.post("/cases", _case_body(title="Operation NIGHTJAR"), fr[Role.PROSECUTOR])
    assert "NIGHTJAR" not in _error(response, 422, None)
    assert "NIGHTJAR" not in caplog.text


# -- the OpenAPI document ---------------------------------------------------------------


def test_the_openapi_document_lists_the_error_answers(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    create = schema["paths"]["/api/v1/cases"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409", "413", "415", "422"} <= set(create)
    assert create["413"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "404", "422"} <= set(operation["responses"]), (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= set(operation["responses"]), (method, path)
            if "requestBody" in operation:
                assert {"413", "415"} <= set(operation["responses"]), (method, path)
    limit = next(p for p in schema["paths"]["/api/v1/cases"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 100


# -- the document of a draft ------------------------------------------------------------


@pytest.mark.usefixtures("clock")
def test_the_full_package_of_a_draft_with_an_unknown_choice_is_refused_naming_the_field(fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    case = make_case(prosecutor)
    request = make_request(prosecutor, case)
    request.data["issuing_authority_type"] = "wizard"
    request.save(update_fields=["data"])
    browser = Client()
    verified_session(browser, prosecutor)

    refused = browser.get(f"/requests/{request.pk}/packages/full.pdf")

    assert refused.status_code == 422
    assert "issuing_authority_type" in refused.content.decode()
    assert browser.get(f"/requests/{request.pk}/packages/full.json").status_code == 200


# -- the wrong JSON type in any field of a draft ----------------------------------------

WRONG_TYPES = {"list": ["x"], "object": {"x": "y"}, "number": 7, "null": None, "bool": True}


def _with_wrong_types(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``data`` with one field, at the top or one level down, replaced by each wrong type."""
    out = []
    for key, value in data.items():
        for kind, wrong in WRONG_TYPES.items():
            out.append((f"{key} as {kind}", {**data, key: wrong}))
            for inner in value if isinstance(value, dict) else {}:
                out.append((f"{key}.{inner} as {kind}", {**data, key: {**value, inner: wrong}}))
    return out


def test_the_wrong_type_in_any_field_of_a_draft_never_crashes_drafting_reading_or_exporting(api: Api, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    case = make_case(prosecutor)
    api.client.raise_request_exception = False  # a crash is an answer (500) to collect, not an exception
    crashes = []
    for what, data in _with_wrong_types(form_data("eu-epoc", "DE")):
        drafted = api.post(f"/cases/{case.pk}/requests", {"form_id": "eu-epoc", "data": data}, prosecutor)
        answers = [drafted.status_code]
        if drafted.status_code == 201:
            request_id = drafted.json()["id"]
            answers.append(api.get(f"/requests/{request_id}", prosecutor).status_code)
            answers.append(api.get(f"/requests/{request_id}/packages/full", prosecutor).status_code)
        if any(status >= 500 for status in answers):
            crashes.append((what, answers))
    assert crashes == []
