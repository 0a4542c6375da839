"""The reference data the web platform uses, its version, and results cached per version."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from cyberspex.refdata.loader import load_reference_data
from cyberspex.web.knowledge import cache, reference

pytestmark = pytest.mark.django_db  # the data version names the latest publication, kept in the database


def test_the_platform_uses_the_shipped_data_when_nothing_is_curated() -> None:
    assert reference.current_reference() is load_reference_data()


def test_the_data_version_names_the_shipped_files_by_their_fingerprint() -> None:
    version = reference.data_version()
    assert version.startswith("shipped-")
    assert reference.shipped_fingerprint().startswith(version.removeprefix("shipped-"))


def test_a_cached_result_is_computed_once_per_data_version_and_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    @cache.per_data_version(maxsize=4)
    def square(n: int) -> int:
        calls.append(n)
        return n * n

    assert square(3) == 9
    assert square(3) == 9
    assert calls == [3]
    monkeypatch.setattr(cache, "data_version", lambda: "another-version")
    assert square(3) == 9
    assert calls == [3, 3]


def test_the_oldest_cached_results_are_dropped_beyond_the_size_limit() -> None:
    calls: list[int] = []

    @cache.per_data_version(maxsize=2)
    def double(n: int) -> int:
        calls.append(n)
        return 2 * n

    for n in (1, 2, 3, 1):
        double(n)
    assert calls == [1, 2, 3, 1]


def test_the_data_version_costs_one_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        reference.data_version()


def test_a_cached_result_is_kept_per_language_because_it_holds_translated_text() -> None:
    @cache.per_data_version(maxsize=4)
    def label() -> str:
        return gettext("Yes")

    with translation.override("de"):
        assert label() == "Ja"
    with translation.override("en"):
        assert label() == "Yes"


def test_a_computation_without_interface_text_is_kept_once_for_every_language() -> None:
    calls: list[str] = []

    @cache.per_data_version(maxsize=4, per_language=False)
    def computed() -> int:
        calls.append(translation.get_language())
        return 1

    for language in ("en", "fr", "de"):
        with translation.override(language):
            computed()
    assert calls == ["en"]
