"""Translation catalogues of the forms' fixed texts, one YAML file per EU official language."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from cyberspex.refdata.yamlio import load as load_yaml


class LanguageError(Exception):
    """The language is not an EU official language, or its catalogue is not complete."""


class MissingText(LookupError):
    """The catalogue has no text for ``key``: e.g. a choice that is not one of the form's
    (``enum.<value>``), in a draft that was never validated. ``path`` is the JSON path of the
    value, when the caller knows it."""

    def __init__(self, key: str, path: str = "") -> None:
        super().__init__(key)
        self.key = key
        self.path = path

    def __str__(self) -> str:
        where = f" for the value at {self.path}" if self.path else ""
        return f"no text {self.key!r}{where}: the value is not one the form knows"


@dataclass(frozen=True, slots=True)
class Catalogue:
    language: str
    name: str
    texts: dict[str, str]
    # Whether the names of the EPOC and EPOC-PR were read in the official language version of
    # Annexes I and II of Regulation (EU) 2023/1543 (the catalogue's ``labels``); documents in a
    # language where they were not say "unverified translation".
    labels_verified: bool = False

    def __call__(self, key: str, **values: str) -> str:
        if key not in self.texts:
            raise MissingText(key)
        return self.texts[key].format(**values) if values else self.texts[key]


@functools.cache
def catalogues() -> dict[str, Catalogue]:
    folder = resources.files("cyberspex.forms") / "i18n"
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            raw = load_yaml(entry.read_text(encoding="utf-8"))
            labels = raw.get("labels") or {}
            out[raw["language"]] = Catalogue(
                raw["language"], raw["name"], dict(raw["texts"] or {}), labels_verified=labels.get("verified") is True
            )
    return out


def reference_keys() -> frozenset[str]:
    """The keys every complete catalogue has: those of the English one."""
    return frozenset(catalogues()["en"].texts)


def complete_languages() -> tuple[str, ...]:
    keys = reference_keys()
    return tuple(code for code, cat in catalogues().items() if keys <= set(cat.texts))


def catalogue(language: str) -> Catalogue:
    """The catalogue for ``language``; raise :class:`LanguageError` if it cannot be used."""
    all_catalogues = catalogues()
    complete = ", ".join(complete_languages())
    if language not in all_catalogues:
        raise LanguageError(
            f"unsupported language {language!r}: expected one of the EU official languages with a complete catalogue ({complete})"
        )
    missing = reference_keys() - set(all_catalogues[language].texts)
    if missing:
        raise LanguageError(
            f"the {all_catalogues[language].name} catalogue ({language}) is incomplete: {len(missing)} of "
            f"{len(reference_keys())} texts missing; complete catalogues: {complete}"
        )
    return all_catalogues[language]


def language_name(code: str) -> str:
    """The name of ``code`` as its own catalogue spells it (e.g. "français")."""
    found = catalogues().get(code)
    return found.name if found else code
