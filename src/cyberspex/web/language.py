"""The page's language for the legal core's texts (docs/i18n.md)."""

from __future__ import annotations

from django.utils.translation import get_language

from cyberspex.law.messages import DEFAULT_LANGUAGE, LANGUAGES, Messages
from cyberspex.refdata.messages import messages


def active_messages() -> Messages:
    """The advisor's messages in the active UI language (English where there is no catalogue)."""
    language = (get_language() or DEFAULT_LANGUAGE)[:2]
    return messages(language if language in LANGUAGES else DEFAULT_LANGUAGE)
