"""``cyberspex route --lang``: the same answer, its texts in French or German."""

from __future__ import annotations

import json

import pytest

from cyberspex.cli.main import main
from cyberspex.law.message_ids import english_catalogue
from cyberspex.refdata.loader import load_reference_data

BASE = ["route", "--issuing", "FR", "--provider-state", "DE", "--data", "traffic", "--as-of", "2026-11-28"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def english_phrases() -> list[str]:
    """Distinctive English sentences of the catalogue, without their parameters."""
    out = []
    for text in english_catalogue(load_reference_data()).values():
        out += [part.strip(" .;:,()") for part in text.replace("}", "{").split("{")[::2] if len(part.strip()) >= 30]
    return out


def test_it_prints_the_table_in_german(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, *BASE, "--lang", "de")
    assert (status, err) == (0, "")
    assert out.startswith("Frankreich (FR) -> Deutschland (DE), Daten „Verkehrsdaten“, Stand 2026-11-28")
    assert "Erhalt der EPOC" in out or "Entscheidung über die Anerkennung oder Vollstreckung: 30 Tage" in out
    assert "empfohlen: eu-eio (offen)" in out
    assert [phrase for phrase in english_phrases() if phrase in out] == []


def test_it_explains_in_german_with_german_citations(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *BASE, "--lang", "de", "--explain")
    assert "Frist (falls zutreffend): Übermittlung der Daten spätestens: 10 Tage ab Erhalt der EPOC" in out
    assert "[Verordnung (EU) 2023/1543 Art. 10 Abs. 3]" in out
    assert [phrase for phrase in english_phrases() if phrase in out] == []


def test_it_keeps_codes_and_ids_in_every_language(capsys: pytest.CaptureFixture[str]) -> None:
    bodies = {lang: json.loads(run(capsys, *BASE, "--json", "--lang", lang)[1]) for lang in ("en", "fr", "de")}
    shape = {lang: [(r["id"], r["status"], [x["code"] for x in r["reasons"]]) for r in b["routes"]] for lang, b in bodies.items()}
    assert shape["en"] == shape["fr"] == shape["de"]
    deadline = {lang: next(r for r in b["routes"] if r["id"] == "eu-epoc")["deadlines"][2] for lang, b in bodies.items()}
    assert [deadline[lang]["from"] for lang in ("en", "fr", "de")] == [
        "receipt of the EPOC",
        "réception de l'EPOC",
        "Erhalt der EPOC",
    ]
    assert deadline["fr"]["citation"] == "règlement (UE) 2023/1543, art. 10, par. 3"


def test_english_stays_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, *BASE)[1] == run(capsys, *BASE, "--lang", "en")[1]


def test_an_unknown_language_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*BASE, "--lang", "es"])
    assert exit_.value.code == 2
    assert "--lang" in capsys.readouterr().err
