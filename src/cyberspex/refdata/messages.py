"""Load the translations of the legal core's messages (src/cyberspex/data/messages/<lang>.yaml).

English is the source and lives in the code (``cyberspex.law.messages``); each other
language is one YAML file mapping message ids to texts with the same named parameters. The
States' names come from pycountry's ISO 3166-1 translations.
"""

from __future__ import annotations

import functools

from cyberspex.law.messages import DEFAULT_LANGUAGE, ENGLISH_MESSAGES, LANGUAGES, Messages
from cyberspex.refdata.loader import data_root

# YAML, gettext and pycountry are imported by the functions that read a translation: English,
# the default, needs none of them, and a command line in English does not pay for them.


class UnknownLanguage(ValueError):
    """The language has no catalogue of the advisor's messages."""

    def __init__(self, language: str) -> None:
        super().__init__(f"unsupported language {language!r}: expected one of {', '.join(LANGUAGES)}")
        self.language = language


def translations(language: str) -> dict[str, str]:
    """The catalogue file of ``language`` as read (message id -> text)."""
    from cyberspex.refdata.yamlio import load as load_yaml  # noqa: PLC0415  # see the imports above

    raw = load_yaml((data_root() / "messages" / f"{language}.yaml").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in (raw.get("messages") or {}).items()}


def state_names(language: str) -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> the State's common name in ``language`` (pycountry)."""
    import gettext  # noqa: PLC0415  # see the imports above

    import pycountry  # noqa: PLC0415

    found = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
    out = {}
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        out[country.alpha_2] = found.gettext(name)
    return out


@functools.cache
def messages(language: str = DEFAULT_LANGUAGE) -> Messages:
    """The advisor's messages in ``language`` (one of LANGUAGES); raise UnknownLanguage otherwise."""
    if language not in LANGUAGES:
        raise UnknownLanguage(language)
    if language == DEFAULT_LANGUAGE:
        return ENGLISH_MESSAGES
    return Messages(language, translations(language), state_names(language))
