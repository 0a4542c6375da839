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

from cyberspex.forms.dates import readable, readable_date
from cyberspex.forms.definitions import forms
from cyberspex.forms.document import CAPACITIES, Document, Line, Section, Signatory, SignatureBox
from cyberspex.forms.i18n import Catalogue, MissingText, catalogue, language_name
from cyberspex.forms.issues import json_path
from cyberspex.forms.model import FULL, FormDef, Node, SectionDef
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
        if node.type in ("date", "datetime") and isinstance(value, str):
            return readable(node.type, value, self.t)
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


def _title(t: Catalogue, section: SectionDef) -> str:
    """The section's heading in the document: with the Annex letter(s) the definition gives."""
    if section.annex is None:
        return t(f"section.{section.id}")
    heading = t(f"heading.{section.id}")
    letter = section.annex.letter
    if letter is None:
        return heading
    if "-" in letter:
        return t("ui.annex_sections", letters=letter.replace("-", "–"), heading=heading)
    return t("ui.annex_section", letter=letter, heading=heading)


def _heading_note(t: Catalogue, section: SectionDef) -> str | None:
    """For the issuing authority's own copy only: whether the heading is the official wording."""
    if section.annex is None:
        return None
    if not section.annex.verified:
        return t("ui.heading_unverified")
    if t.language not in section.annex.read_in:
        return t("ui.heading_translated")
    return None


def _signature_boxes(t: Catalogue, data: dict[str, Any], signatories: tuple[Signatory, ...]) -> tuple[SignatureBox, ...]:
    """One box per capacity: the issuing authority always, the validating authority when a
    signatory is given for it or the form names one. What is not known is left as a line to
    fill in by hand; the issuing authority's name comes from the form when no signatory says."""
    given = {s.capacity: s for s in signatories}
    known = {"issuing": data.get("issuing_authority"), "validating": data.get("validating_authority")}
    boxes = []
    for capacity in CAPACITIES:
        signatory = given.get(capacity)
        authority = known[capacity]
        if signatory is None and capacity == "validating" and not authority:
            continue
        signatory = signatory or Signatory(capacity)
        authority_name = signatory.authority or (str(authority.get("name", "")) if isinstance(authority, dict) else "")
        signed_on = readable_date(signatory.signed_on, t) if signatory.signed_on else ""
        rows = (
            (t("signature.name"), signatory.name),
            (t("signature.role"), signatory.role),
            (t("signature.authority"), authority_name),
            (t("signature.date"), signed_on),
        )
        boxes.append(SignatureBox(t(f"signature.{capacity}"), rows))
    return tuple(boxes)


def _check_signatories(signatories: tuple[Signatory, ...]) -> None:
    capacities = [s.capacity for s in signatories]
    unknown = sorted(set(capacities) - set(CAPACITIES))
    if unknown:
        raise ValueError(f"unknown signatory capacity {unknown[0]!r}: expected one of {', '.join(CAPACITIES)}")
    if len(capacities) != len(set(capacities)):
        raise ValueError("one signatory per capacity: the issuing and, where there is one, the validating authority")


def build_document(
    form_id: str,
    data: dict[str, Any],
    *,
    package: str,
    language: str,
    exercise: bool = False,
    signatories: tuple[Signatory, ...] = (),
) -> Document:
    """The translated document for one recipient, from the fields that package may hold;
    ``exercise`` marks it as an exercise, not a legal order (a draft made under what-if assumptions).

    The signature and seal block names ``signatories`` (the issuing and, where there is one,
    the validating authority); without them it has lines to sign by hand. Notes on what is not
    yet verified against the official text go only into the issuing authority's own copy
    (``full``): a recipient's document carries neither those notes nor any claim of verification.
    """
    _check_signatories(signatories)
    form = forms()[form_id]
    visible = package_data(form_id, data, package)
    t = catalogue(language)
    internal = package == FULL
    writer = _Writer(form, visible, t)
    sections = [_meta_section(writer, visible, form)]
    unverified = []
    boxes = _signature_boxes(t, visible, signatories)
    placed = False
    for section in form.sections:
        lines = [
            ln
            for node in section.fields
            if node.name in visible
            for ln in writer.lines(node, visible[node.name], [node.name], t(f"field.{node.name}"))
        ]
        signatures = boxes if section.signatures else ()
        if lines or signatures:
            note = _heading_note(t, section) if internal else None
            sections.append(Section(_title(t, section), tuple(lines), note, signatures))
            placed = placed or bool(signatures)
            if lines and not section.verified:
                unverified.append(_title(t, section))
    if not placed:
        sections.append(Section(t("section.signatures"), (), None, boxes))
    if "route_advice" in visible:
        sections.append(_route_section(t, visible["route_advice"]))
    if language in ADVISOR_LANGUAGES and language != "en":  # citations in the language's convention
        sections = [_cited_in(section, language) for section in sections]
    footer = []
    if internal and not form.verified:
        footer.append(t("ui.unverified_form"))
    elif internal and unverified:
        footer.append(t("ui.unverified_sections", sections="; ".join(unverified)))
    if writer.untranslated:
        name = language_name(str(visible.get("language")))
        footer.append(t("ui.translation_note", language=name, fields="; ".join(writer.untranslated)))
    # Like the other verification notes, the translation mark is for the issuing authority's file copy.
    if internal and form.id in ("eu-epoc", "eu-epoc-pr") and language != "en" and not t.labels_verified:
        footer.append(t("ui.unverified_translation"))
    if internal:  # a recipient gets the order itself: a note that it is not legal advice is for the file copy
        footer.append(t("ui.generated"))
    labels = {
        "page": t("ui.page"),
        "of": t("ui.of"),
        "citation": t("ui.citation"),
        "needs_translation": t("ui.needs_translation"),
        "signature": t("ui.signature"),
        "seal": t("ui.seal"),
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
