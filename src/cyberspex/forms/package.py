"""Recipient packages: what each recipient may see, and the document built from it.

:func:`package_data` is the only place that decides which fields reach a package: it
keeps a field only if the field's ``x-recipients`` (``Node.visible_in``) allow it.
Documents are built from its output alone, so no renderer can leak a field.
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import replace
from typing import Any

import pycountry

from cyberspex.forms.definitions import forms
from cyberspex.forms.document import Document, Line, Section
from cyberspex.forms.i18n import Catalogue, MissingText, catalogue, language_name
from cyberspex.forms.issues import json_path
from cyberspex.forms.model import FULL, FormDef, Node
from cyberspex.law.citations import translate_citation
from cyberspex.law.message_ids import english_catalogue
from cyberspex.law.messages import LANGUAGES as ADVISOR_LANGUAGES
from cyberspex.law.retranslate import Retranslator
from cyberspex.refdata.loader import load_reference_data
from cyberspex.refdata.messages import messages as advisor_messages

META_FIELDS = ("form", "language", "recipient_languages", "issuing_state", "recipient_state", "emergency")


@functools.cache
def _country_names(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str) -> str:
    """The State's name in ``language`` (Debian iso-codes translations shipped with pycountry)."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return f"{_country_names(language).gettext(country.name)} ({code})"


class PackageError(Exception):
    """The form has no such package."""


def _filter(node: Node, value: Any, package: str) -> Any:
    if not node.visible_in(package):
        return None
    if node.list and isinstance(value, list):
        return [v for item in value if (v := _filter_item(node, item, package)) is not None]
    return _filter_item(node, value, package)


def _filter_item(node: Node, value: Any, package: str) -> Any:
    if node.leaf or not isinstance(value, dict):
        return value
    children = {c.name: c for c in node.children}
    return {k: v for k, item in value.items() if k in children and (v := _filter(children[k], item, package)) is not None}


def package_data(form_id: str, data: dict[str, Any], package: str) -> dict[str, Any]:
    """The form data as the recipient of ``package`` may see it."""
    form = forms()[form_id]
    if package not in form.packages:
        raise PackageError(f"form {form_id} has no {package!r} package (it has: {', '.join(form.packages)})")
    out = {k: data[k] for k in META_FIELDS if k in data}
    if package == FULL and "route_advice" in data:
        out["route_advice"] = data["route_advice"]
    for node in form.fields():
        if node.name in data and (value := _filter(node, data[node.name], package)) is not None:
            out[node.name] = value
    return out


class _Writer:
    def __init__(self, form: FormDef, data: dict[str, Any], text: Catalogue) -> None:
        self.form, self.data, self.t = form, data, text
        accepted = data.get("recipient_languages") or [text.language]
        self.translate = data.get("language") not in accepted
        self.untranslated: list[str] = []

    def value(self, node: Node, value: Any) -> str:
        if isinstance(value, bool):
            return self.t("ui.yes" if value else "ui.no")
        if node.type == "enum":
            return self.t(f"enum.{value}")
        if node.type == "country":
            return country_name(str(value), self.t.language)
        return str(value)

    def lines(self, node: Node, value: Any, path: list[str | int], label: str) -> list[Line]:
        if node.list and isinstance(value, list):
            many = len(value) > 1
            return [
                ln
                for i, item in enumerate(value)
                for ln in self._one(node, item, [*path, i], f"{label} {i + 1}" if many else label)
            ]
        return self._one(node, value, path, label)

    def _one(self, node: Node, value: Any, path: list[str | int], label: str) -> list[Line]:
        if not node.leaf and isinstance(value, dict):
            children = {c.name: c for c in node.children}
            return [
                ln for k, v in value.items() for ln in self.lines(children[k], v, [*path, k], f"{label}: {self.t('sub.' + k)}")
            ]
        flagged = node.type == "free_text" and self.translate
        if flagged:
            self.untranslated.append(label)
        try:
            shown = self.value(node, value)
        except MissingText as error:
            raise MissingText(error.key, json_path(path)) from None
        return [Line(json_path(path), label, shown, node.citation, flagged)]


def _meta_section(writer: _Writer, data: dict[str, Any], form: FormDef) -> Section:
    t = writer.t
    lines = []
    for key in ("issuing_state", "recipient_state"):
        if key in data:
            lines.append(Line(f"$.{key}", t(f"field.{key}"), country_name(data[key], t.language), form.statement.citation))
    if "language" in data:
        lines.append(
            Line(
                "$.language",
                t("field.language"),
                language_name(data["language"]),
                form.statement.citation,
            )
        )
    if "emergency" in data:
        lines.append(
            Line(
                "$.emergency",
                t("field.emergency"),
                t(f"emergency.{data['emergency']}" if data["emergency"] else "ui.no"),
                form.statement.citation,
            )
        )
    return Section(t("section.meta"), tuple(lines))


def _cited_in(section: Section, language: str) -> Section:
    lines = tuple(replace(line, citation=translate_citation(line.citation, language)) for line in section.lines)
    return replace(section, lines=lines)


@functools.cache
def _retranslator(language: str) -> Retranslator:
    return Retranslator(english_catalogue(load_reference_data()), advisor_messages(language))


def _route_section(t: Catalogue, advice: dict[str, Any]) -> Section:
    """The route advisor's answer stored in the draft (in English), in the document's language
    where the advisor has a catalogue for it (law/retranslate.py); else as stored."""
    channel = advice.get("channel") or {}
    status, ends = str(advice.get("status")), [str(channel.get("from", "")), str(channel.get("to", ""))]
    deadlines_list = [str(d.get("text", "")) for d in advice.get("deadlines", [])]
    citations = [str(advice.get("citation", "")), str(channel.get("citation", ""))]
    if t.language in ADVISOR_LANGUAGES and t.language != "en":
        r = _retranslator(t.language)
        status = r.m.get(f"word.status.{status}", status)
        ends = [r.translate(end) or end for end in ends]
        deadlines_list = [r.deadline(d) for d in deadlines_list]
        citations = [translate_citation(c, t.language) for c in citations]
    deadlines = "; ".join(deadlines_list)
    lines = (
        Line(
            "$.route_advice.route",
            t("field.route_status"),
            f"{advice.get('route')} ({status})",
            citations[0],
        ),
        Line(
            "$.route_advice.channel",
            t("field.route_channel"),
            f"{ends[0]} → {ends[1]}",
            citations[1],
        ),
        Line("$.route_advice.deadlines", t("field.route_deadlines"), deadlines or "—", ""),
    )
    return Section(t("section.route_advice"), lines)


def build_document(form_id: str, data: dict[str, Any], *, package: str, language: str, exercise: bool = False) -> Document:
    """The translated document for one recipient, from the fields that package may hold;
    ``exercise`` marks it as an exercise, not a legal order (a draft made under what-if assumptions)."""
    form = forms()[form_id]
    visible = package_data(form_id, data, package)
    t = catalogue(language)
    writer = _Writer(form, visible, t)
    sections = [_meta_section(writer, visible, form)]
    unverified = []
    for section in form.sections:
        lines = [
            ln
            for node in section.fields
            if node.name in visible
            for ln in writer.lines(node, visible[node.name], [node.name], t(f"field.{node.name}"))
        ]
        if lines:
            sections.append(Section(t(f"section.{section.id}"), tuple(lines)))
            if not section.verified:
                unverified.append(t(f"section.{section.id}"))
    if "route_advice" in visible:
        sections.append(_route_section(t, visible["route_advice"]))
    if language in ADVISOR_LANGUAGES and language != "en":  # citations in the language's convention
        sections = [_cited_in(section, language) for section in sections]
    footer = []
    if not form.verified:
        footer.append(t("ui.unverified_form"))
    elif unverified:
        footer.append(t("ui.unverified_sections", sections="; ".join(unverified)))
    if writer.untranslated:
        name = language_name(str(visible.get("language")))
        footer.append(t("ui.translation_note", language=name, fields="; ".join(writer.untranslated)))
    if form.id in ("eu-epoc", "eu-epoc-pr") and language != "en" and not t.labels_verified:
        footer.append(t("ui.unverified_translation"))
    footer.append(t("ui.generated"))
    labels = {
        "page": t("ui.page"),
        "of": t("ui.of"),
        "citation": t("ui.citation"),
        "needs_translation": t("ui.needs_translation"),
    }
    return Document(
        form_id=form.id,
        package=package,
        language=language,
        title=t(f"form.{form.id}.title"),
        subtitle=t(f"package.{package}"),
        statement=t(f"form.{form.id}.statement"),
        sections=tuple(sections),
        footer=tuple(footer),
        labels=labels,
        mark=t("ui.exercise") if exercise else "",
    )
