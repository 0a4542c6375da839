"""The page's language for the legal core's texts (docs/i18n.md)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language, gettext

from cyberspex.forms.issue_texts import issue_text
from cyberspex.law.messages import DEFAULT_LANGUAGE, LANGUAGES, Messages
from cyberspex.refdata.messages import messages


def active_messages() -> Messages:
    """The advisor's messages in the active UI language (English where there is no catalogue)."""
    language = (get_language() or DEFAULT_LANGUAGE)[:2]
    return messages(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def issue_message(issue: Mapping[str, str]) -> str:
    """A validation issue's message in the active language: in English as made; in another
    language the catalogue's text for its check and code, with the platform's note
    (cases/selectors.py _validated_on_the_platform) after it; as made where the catalogue has none."""
    m = active_messages()
    translated = None if m.english else issue_text(issue, m.texts)
    if translated is None:
        return str(issue.get("message", ""))
    if not issue.get("note"):
        return translated
    return gettext("%(problem)s: %(note)s") % {"problem": translated, "note": issue["note"]}
