"""A page body over the upload limit is answered with a page in the layout (413) that says nothing
was saved and that the text is still in the browser, not with Django's bare "Bad Request"."""

from __future__ import annotations

from django.test import Client, override_settings

from cyberspex.web.accounts.models import Role
from tests.web.conftest import Org
from tests.web.helpers import make_case, make_request
from tests.web.pages.conftest import logged_in


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversize_draft_gets_a_clear_page_and_nothing_is_saved(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    draft = make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US")
    logged_in(browser, prosecutor)
    response = browser.post(f"/requests/{draft.pk}/edit/", {"intent": "save", "legal_grounds": "x" * 5000})
    assert response.status_code == 413
    page = response.content.decode()
    assert "nothing was saved" in page
    assert "Back button" in page
    assert 'class="site-header"' in page  # in the layout
    draft.refresh_from_db()
    assert "x" * 5000 not in str(draft.data)
