"""The curation API: curators propose, another curator publishes; imports are all or nothing
with a report per row; the published knowledge base is exported with a manifest.

The treaty facts are hypothetical (France has signed CETS 224, not ratified it)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User

from cyberspex.refdata import yamlio
from cyberspex.refdata.export import shipped_fingerprint
from cyberspex.web.accounts.models import Role
from cyberspex.web.knowledge.models import Change
from tests.web.conftest import Api, Org

SOURCE = {
    "source_url": "https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=224",
    "source_title": "CoE Treaty Office chart, CETS 224",
    "source_kind": "official",
    "as_of": "2026-03-02",
    "verified_by": "S. Rossi",
    "reason": "instrument deposited (hypothetical, for the tests)",
}
FR_RATIFIES = {"state": "FR", "treaty": "cets224", "what": "consent", "date": "2026-03-01", "kind": "ratification", **SOURCE}
CSV_HEADER = "state,treaty,what,date,kind,code,summary,source_url,source_title,source_kind,as_of,verified_by,reason\n"
GOOD_ROW = f"FR,cets224,consent,2026-03-01,ratification,,,{SOURCE['source_url']},chart,official,2026-03-02,S. Rossi,deposit\n"


@pytest.fixture
def curators(fr: Org, de: Org) -> tuple[User, User]:
    return fr[Role.CURATOR], de[Role.CURATOR]


def _propose(api: Api, user: User, body: dict[str, Any] | None = None) -> Any:
    return api.post("/curation/changes", body or FR_RATIFIES, user)


def test_a_curator_proposes_a_change_and_reads_it_back(api: Api, curators: tuple[User, User]) -> None:
    made = _propose(api, curators[0])
    assert made.status_code == 201, made.json()
    change = made.json()
    assert (change["status"], change["file"], change["path"], change["proposer"]) == (
        "proposed",
        "states/FR.yaml",
        "cets224",
        curators[0].username,
    )
    assert change["source_id"] == f"curation-{change['id']}"
    assert api.get(f"/curation/changes/{change['id']}", curators[1]).json()["id"] == change["id"]
    listed = api.get("/curation/changes", curators[1], status="proposed").json()
    assert [c["id"] for c in listed["items"]] == [change["id"]]


def test_someone_who_is_not_a_curator_is_refused_with_the_reason(api: Api, fr: Org) -> None:
    refused = _propose(api, fr[Role.PROSECUTOR])
    assert refused.status_code == 403
    assert refused.json()["message"] == "only a reference-data curator may do this"


def test_publishing_ones_own_change_is_refused_with_403_and_why(api: Api, curators: tuple[User, User]) -> None:
    change = _propose(api, curators[0]).json()
    refused = api.post(f"/curation/changes/{change['id']}/publish", {}, curators[0])
    assert refused.status_code == 403
    assert "another curator must review it" in refused.json()["message"]


def test_a_second_curator_publishes_and_the_versions_show_it_publicly(api: Api, curators: tuple[User, User]) -> None:
    change = _propose(api, curators[0]).json()
    published = api.post(f"/curation/changes/{change['id']}/publish", {"reason": "checked"}, curators[1])
    assert published.status_code == 200, published.json()
    versions = api.get("/curation/versions").json()["items"]
    assert [(v["number"], v["change_id"], v["reason"]) for v in versions] == [(1, change["id"], "checked")]
    assert "+  value: party" in versions[0]["diff"]
    assert api.get(f"/curation/changes/{change['id']}", curators[0]).json()["version"] == 1


def test_a_conflicting_publication_in_between_is_409(api: Api, curators: tuple[User, User]) -> None:
    first = _propose(api, curators[0]).json()
    second = _propose(api, curators[0], {**FR_RATIFIES, "date": "2026-02-27"}).json()
    assert api.post(f"/curation/changes/{first['id']}/publish", {}, curators[1]).status_code == 200
    conflict = api.post(f"/curation/changes/{second['id']}/publish", {}, curators[1])
    assert conflict.status_code == 409
    assert "changed after this change was proposed" in conflict.json()["message"]


def test_an_invalid_proposal_is_422_with_every_problem(api: Api, curators: tuple[User, User]) -> None:
    refused = _propose(api, curators[0], {**FR_RATIFIES, "what": "entry_into_force"})
    assert refused.status_code == 422
    assert [p["key"] for p in refused.json()["extra"]["problems"]] == ["cets224.entry_into_force"]
    assert not Change.objects.exists()


def test_a_bad_status_filter_is_400_naming_it(api: Api, curators: tuple[User, User]) -> None:
    refused = api.get("/curation/changes", curators[0], status="pending")
    assert (refused.status_code, refused.json()["field"]) == (400, "status")


# -- imports -----------------------------------------------------------------------------------


def _import(api: Api, user: User, text: str, content_type: str = "text/csv") -> Any:
    return api.client.post(
        "/api/v1/curation/imports", text, content_type=content_type, headers={"Authorization": f"Bearer {api.token(user)}"}
    )


def test_a_valid_import_creates_proposed_changes(api: Api, curators: tuple[User, User]) -> None:
    made = _import(api, curators[0], CSV_HEADER + GOOD_ROW)
    assert made.status_code == 201, made.json()
    assert [c["status"] for c in made.json()["changes"]] == ["proposed"]
    assert Change.objects.count() == 1


def test_an_import_with_bad_rows_is_refused_with_a_report_per_row_and_nothing_stored(
    api: Api, curators: tuple[User, User]
) -> None:
    rows = (
        GOOD_ROW
        + f"XX,cets224,consent,2026-03-01,ratification,,,{SOURCE['source_url']},chart,official,2026-03-02,S. Rossi,r\n"
        + f"DE,cets224,signature,2026-02-31,,,,{SOURCE['source_url']},chart,official,2026-03-02,S. Rossi,r\n"
        + f"DE,cets224,position,,,R-99,says,{SOURCE['source_url']},chart,official,2026-03-02,S. Rossi,r\n"
        + "DE,cets224,signature,2023-01-27,,,,,chart,official,,S. Rossi,r\n"
    )
    refused = _import(api, curators[0], CSV_HEADER + rows)
    assert refused.status_code == 400
    report = {row["row"]: row["problems"] for row in refused.json()["rows"]}
    assert sorted(report) == [2, 3, 4, 5]
    assert "state: 'XX' is not a State the reference data has a record of" in report[2]
    assert "date: '2026-02-31' is not a date (YYYY-MM-DD)" in report[3]
    assert "code: 'R-99' is not a known position code of CETS 224" in report[4]
    assert "source_url: every change needs the URL of its source" in report[5]
    assert any(p.startswith("as_of:") for p in report[5])
    assert not Change.objects.exists()


def test_an_import_row_that_would_make_the_data_invalid_refuses_the_whole_import(api: Api, curators: tuple[User, User]) -> None:
    eif = f"FR,cets224,entry_into_force,2026-06-01,,,,{SOURCE['source_url']},chart,official,2026-03-02,S. Rossi,r\n"
    refused = _import(api, curators[0], CSV_HEADER + GOOD_ROW + eif)
    assert refused.status_code == 400
    assert [row["row"] for row in refused.json()["rows"]] == [2]
    assert "never typed in" in refused.json()["rows"][0]["problems"][0]
    assert not Change.objects.exists()


def test_an_import_may_be_yaml(api: Api, curators: tuple[User, User]) -> None:
    text = "- " + json.dumps(FR_RATIFIES)
    made = _import(api, curators[0], text, "application/yaml")
    assert made.status_code == 201, made.json()


# -- export ------------------------------------------------------------------------------------


def test_the_export_holds_the_published_data_and_a_manifest_of_its_files(api: Api, curators: tuple[User, User]) -> None:
    change = _propose(api, curators[0]).json()
    api.post(f"/curation/changes/{change['id']}/publish", {}, curators[1])
    answer = api.get("/curation/export")
    assert (answer.status_code, answer["Content-Type"]) == (200, "application/zip")
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["data_version"].startswith(f"shipped-{shipped_fingerprint()[:12]}+curated-1-")
    assert manifest["changes"] == [{"source_id": change["source_id"], "file": "states/FR.yaml", "path": "cets224"}]
    for name, entry in manifest["files"].items():
        assert hashlib.sha256(archive.read(f"data/{name}")).hexdigest() == entry["sha256"]
    france = yamlio.load(archive.read("data/states/FR.yaml").decode())
    assert france["cets224"]["status"]["value"] == "party"
    assert change["source_id"] in yamlio.load(archive.read("data/sources.yaml").decode())


def test_a_raw_change_names_its_own_source_with_curation_new(api: Api, curators: tuple[User, User]) -> None:
    position = {"code": "D-8-4", "summary": "hypothetical", "source": "curation-new", "as_of": "2026-03-02", "verified": True}
    made = _propose(api, curators[0], {**SOURCE, "file": "states/RS.yaml", "path": "cets224.positions[D-8-4]", "value": position})
    assert made.status_code == 201, made.json()
    assert made.json()["new_value"]["source"] == made.json()["source_id"]
