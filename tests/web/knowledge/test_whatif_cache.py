"""The what-if comparison is computed once per data version and normalised query."""

from __future__ import annotations

from datetime import date

import pytest

from cyberspex.law.scenario import WhatIf
from cyberspex.web.knowledge import cache, whatif

pytestmark = pytest.mark.django_db  # the data version counts the curated publications

TODAY = date(2026, 11, 28)


def _query(ratified: str, **more: str) -> whatif.Query:
    params = {"ratified": [ratified], "as_of": ["2026-11-28"], "data": ["subscriber"], **{k: [v] for k, v in more.items()}}
    return whatif.parse_query(params, today=TODAY)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[WhatIf]:
    """The keys the law layer is asked to compare (the cache emptied first)."""
    whatif.comparison.cache_clear()  # type: ignore[attr-defined]
    calls: list[WhatIf] = []
    real = whatif.compare

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(kwargs["what_if"])  # type: ignore[arg-type]  # a WhatIf
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(whatif, "compare", spy)
    return calls


def test_the_same_query_is_not_computed_again(computed: list[WhatIf]) -> None:
    first = whatif.comparison_for(_query("FR,DE", in_force="true"))
    again = whatif.comparison_for(_query("FR,DE", in_force="true"))
    assert again is first
    assert len(computed) == 1


def test_codes_in_another_order_case_or_through_an_alias_are_the_same_query(computed: list[WhatIf]) -> None:
    first = whatif.comparison_for(_query("FR,EL"))
    assert whatif.comparison_for(_query("gr, fr")) is first
    assert whatif.comparison_for(_query("GR,FR,FR")) is first
    assert len(computed) == 1


def test_a_keyword_and_the_codes_it_stands_for_share_one_computation(computed: list[WhatIf]) -> None:
    keyword = _query("all-eu")
    codes = _query(",".join(keyword.codes))
    assert keyword.key == codes.key
    assert whatif.comparison_for(codes) is whatif.comparison_for(keyword)
    assert len(computed) == 1


def test_another_query_is_computed(computed: list[WhatIf]) -> None:
    whatif.comparison_for(_query("FR"))
    whatif.comparison_for(_query("FR", in_force="true"))
    whatif.comparison_for(_query("FR", data="subscriber,traffic"))
    assert len(computed) == 3


def test_a_new_data_version_computes_the_same_query_again(computed: list[WhatIf], monkeypatch: pytest.MonkeyPatch) -> None:
    query = _query("FR,DE")
    whatif.comparison_for(query)
    monkeypatch.setattr(cache, "data_version", lambda: "curated-after-a-publication")
    whatif.comparison_for(query)
    whatif.comparison_for(query)
    assert len(computed) == 2
