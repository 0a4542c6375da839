"""CETS 224 Art 7(7): after an Article 7 order is refused, lapses or is not answered in time,
the platform drafts the Article 8 order from it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request, State
from cyberspex.web.errors import ApplicationError
from tests.web.conftest import Org
from tests.web.helpers import NOW, make_case, make_request, move

# The Protocol is not in force yet: its orders are drafted under what-if assumptions, which only an
# instance in exercise mode may issue.
pytestmark = pytest.mark.usefixtures("exercise_instance")

IN_FORCE = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"}))


def issued_article_7(org: Org) -> Request:
    prosecutor = org[Role.PROSECUTOR]
    return move(prosecutor, make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US", what_if=IN_FORCE), "issued")


def test_a_refused_article_7_order_is_followed_by_an_article_8_draft_prefilled_from_it(fr: Org) -> None:
    source = move(fr[Role.PROSECUTOR], issued_article_7(fr), "refused")
    follow, created = services.request_follow_up(user=fr[Role.PROSECUTOR], request_id=source.pk, now=NOW)
    assert created
    assert (follow.form_id, follow.state, follow.case_id) == ("2ap-8-order", State.DRAFT, source.case_id)
    assert follow.data["provider"] == source.data["provider"]
    assert follow.data["other_means"]["sought"] is True
    assert f"request #{source.pk}" in follow.data["other_means"]["details"]


def test_asking_twice_gives_the_same_draft(fr: Org) -> None:
    source = move(fr[Role.PROSECUTOR], issued_article_7(fr), "lapsed")
    first, _ = services.request_follow_up(user=fr[Role.PROSECUTOR], request_id=source.pk, now=NOW)
    second, created = services.request_follow_up(user=fr[Role.PROSECUTOR], request_id=source.pk, now=NOW)
    assert (second.pk, created) == (first.pk, False)


def test_an_unanswered_order_is_followed_up_only_after_its_30_days(fr: Org) -> None:
    source = issued_article_7(fr)
    assert not services.follow_up_due(source, NOW + timedelta(days=29))
    assert services.follow_up_due(source, NOW + timedelta(days=30))


def test_an_order_still_running_cannot_be_followed_up(fr: Org) -> None:
    with pytest.raises(ApplicationError, match=r"Art 7\(7\)"):
        services.request_follow_up(user=fr[Role.PROSECUTOR], request_id=issued_article_7(fr).pk, now=NOW)


def test_another_organisation_cannot_follow_up(fr: Org, de: Org) -> None:
    source = move(fr[Role.PROSECUTOR], issued_article_7(fr), "refused")
    with pytest.raises(ApplicationError) as refused:
        services.request_follow_up(user=de[Role.PROSECUTOR], request_id=source.pk, now=NOW)
    assert refused.value.status == 404
