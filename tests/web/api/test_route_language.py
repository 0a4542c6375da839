"""``GET /api/v1/routes?lang=fr|de``: the command line's answer in that language; codes unchanged."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from cyberspex.cli.main import main

# The reference data in use includes the published curation changes (knowledge/reference.py).
pytestmark = pytest.mark.django_db

QUERY = {"issuing": "FR", "provider_state": "DE", "data": "traffic", "as_of": "2026-11-28"}
ARGV = ["route", "--json", "--issuing", "FR", "--provider-state", "DE", "--data", "traffic", "--as-of", "2026-11-28"]


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_it_answers_as_the_command_line_does_in_the_language(
    client: Client, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    response = client.get("/api/v1/routes", {**QUERY, "lang": lang})
    assert main([*ARGV, "--lang", lang]) == 0
    assert response.status_code == 200
    assert response.json() == json.loads(capsys.readouterr().out)


def test_french_texts_and_citations_with_the_same_codes(client: Client) -> None:
    english = client.get("/api/v1/routes", QUERY).json()
    french = client.get("/api/v1/routes", {**QUERY, "lang": "fr"}).json()
    epoc = next(r for r in french["routes"] if r["id"] == "eu-epoc")
    assert epoc["title"] == "Certificat d'injonction européenne de production (EPOC)"
    assert epoc["deadlines"][2]["event"] == "données transmises au plus tard"
    assert epoc["deadlines"][2]["from"] == "réception de l'EPOC"
    assert epoc["deadlines"][2]["citation"] == "règlement (UE) 2023/1543, art. 10, par. 3"
    assert [(r["id"], r["status"]) for r in french["routes"]] == [(r["id"], r["status"]) for r in english["routes"]]
    assert french["scenario"]["provider_state"] == {"code": "DE", "name": "Allemagne"}


def test_english_is_the_default(client: Client) -> None:
    assert client.get("/api/v1/routes", QUERY).json() == client.get("/api/v1/routes", {**QUERY, "lang": "en"}).json()


def test_an_unknown_language_is_a_422_naming_the_parameter(client: Client) -> None:
    response = client.get("/api/v1/routes", {**QUERY, "lang": "es"})
    body = response.json()
    assert (response.status_code, body["field"]) == (422, "lang")
