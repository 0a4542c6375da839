"""Load the form definitions (``cyberspex/data/forms/*.yaml``) and the shared vocabulary."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cyberspex.forms.model import FULL, LEAF_TYPES, PACKAGES, AnnexSection, FormDef, Node, SectionDef, Statement
from cyberspex.law.scenario import EmergencyKind
from cyberspex.refdata.loader import data_root
from cyberspex.refdata.yamlio import load as load_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VocabField(_Strict):
    type: str
    required: bool = False
    list: bool = False
    values: tuple[str, ...] = ()


class Override(_Strict):
    citation: str | None = None
    element: str | None = None
    recipients: tuple[str, ...] | None = None
    verified: bool | None = None


class FieldSpec(_Strict):
    name: str
    type: str
    required: bool = False
    list: bool = False
    values: tuple[str, ...] = ()
    citation: str
    element: str
    recipients: tuple[str, ...] | None = None
    verified: bool | None = None
    sub: dict[str, Override] = Field(default_factory=dict)


class AnnexSpec(_Strict):
    letter: str | None = None
    heading: str
    verified: bool
    source: str | None = None
    read_in: tuple[str, ...] = ()  # languages in which the heading was read in the official text


class SectionSpec(_Strict):
    id: str
    recipients: tuple[str, ...]
    verified: bool | None = None
    annex: AnnexSpec | None = None
    signatures: bool = False
    fields: tuple[FieldSpec, ...]


class StatementSpec(_Strict):
    element: str
    citation: str
    verified: bool | None = None


class WithheldSpec(_Strict):
    """Elements cited to ``citation`` (or to one of its points) may never reach ``package``."""

    citation: str
    package: str
    rule: str  # the provision that keeps them from that recipient


class FormSpec(_Strict):
    id: str
    route: str
    verified: bool
    # The kinds of emergency the instrument serves; empty: not an emergency-only instrument.
    emergency: tuple[EmergencyKind, ...] = ()
    packages: tuple[str, ...]
    data_categories: tuple[str, ...]
    statement: StatementSpec
    withheld: tuple[WithheldSpec, ...] = ()
    sections: tuple[SectionSpec, ...]


class DefinitionError(Exception):
    """A form definition refers to an unknown type, package or field."""


class _Builder:
    def __init__(self, vocabulary: dict[str, dict[str, VocabField]]) -> None:
        self.vocabulary = vocabulary

    def node(self, spec: FieldSpec | VocabField, *, name: str, inherited: Override, sub: dict[str, Override]) -> Node:
        if spec.type not in LEAF_TYPES and spec.type not in self.vocabulary:
            raise DefinitionError(f"field {name!r}: unknown type {spec.type!r}")
        recipients = frozenset((*(inherited.recipients or ()), FULL))
        if not recipients <= set(PACKAGES):
            raise DefinitionError(f"field {name!r}: unknown package in {sorted(recipients)}")
        children: tuple[Node, ...] = ()
        if spec.type in self.vocabulary:
            children = tuple(
                self.node(child, name=child_name, inherited=_merge(inherited, sub.get(child_name)), sub={})
                for child_name, child in self.vocabulary[spec.type].items()  # child: VocabField
            )
        for child in children:
            if not child.recipients <= recipients:
                raise DefinitionError(f"field {name!r}: sub-field {child.name!r} may not reach packages its parent cannot")
        return Node(
            name=name,
            type=spec.type,
            citation=inherited.citation or "",
            element=inherited.element or "",
            recipients=recipients,
            verified=bool(inherited.verified),
            required=spec.required,
            list=spec.list,
            values=spec.values,
            children=children,
        )

    def form(self, spec: FormSpec) -> FormDef:
        sections = []
        for section in spec.sections:
            fields = []
            for field in section.fields:
                verified = (
                    field.verified
                    if field.verified is not None
                    else (section.verified if section.verified is not None else spec.verified)
                )
                inherited = Override(
                    citation=field.citation,
                    element=field.element,
                    recipients=field.recipients or section.recipients,
                    verified=verified,
                )
                unknown = set(field.sub) - set(self.vocabulary.get(field.type, {}))
                if unknown:
                    raise DefinitionError(f"{spec.id}: field {field.name!r} overrides unknown sub-fields {sorted(unknown)}")
                fields.append(self.node(field, name=field.name, inherited=inherited, sub=field.sub))
            annex = section.annex
            if annex is not None and annex.verified and annex.source is None:
                raise DefinitionError(f"{spec.id}: section {section.id!r} has a verified heading without its source")
            sections.append(
                SectionDef(
                    section.id,
                    section.verified if section.verified is not None else spec.verified,
                    tuple(fields),
                    None
                    if annex is None
                    else AnnexSection(annex.letter, annex.heading, annex.verified, annex.source, annex.read_in),
                    section.signatures,
                )
            )
        statement = spec.statement
        verified = statement.verified if statement.verified is not None else spec.verified
        form = FormDef(
            id=spec.id,
            route=spec.route,
            verified=spec.verified,
            emergency=spec.emergency,
            packages=(*spec.packages, FULL),
            data_categories=spec.data_categories,
            statement=Statement(statement.element, statement.citation, verified),
            sections=tuple(sections),
        )
        if sum(section.signatures for section in form.sections) > 1:
            raise DefinitionError(f"{spec.id}: more than one section holds the signature block")
        names = [node.name for node in form.fields()]
        if len(names) != len(set(names)):
            raise DefinitionError(f"{spec.id}: a field name is used twice")
        for withheld in spec.withheld:
            for node in _walk(form.fields()):
                if _cited_to(node.citation, withheld.citation) and node.visible_in(withheld.package):
                    raise DefinitionError(
                        f"{spec.id}: {node.name!r} ({node.citation}) may not reach the {withheld.package} "
                        f"package ({withheld.rule})"
                    )
        return form


def _walk(nodes: Iterable[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _cited_to(citation: str, provision: str) -> bool:
    """Whether ``citation`` is ``provision`` or one of its points ("Art 8(3)(b)(ii)" is in "Art 8(3)(b)")."""
    return citation == provision or citation.startswith(f"{provision}(")


def _merge(parent: Override, child: Override | None) -> Override:
    if child is None:
        return parent
    return Override(
        citation=child.citation or parent.citation,
        element=child.element or parent.element,
        recipients=child.recipients if child.recipients is not None else parent.recipients,
        verified=child.verified if child.verified is not None else parent.verified,
    )


def _read(name: str) -> Any:
    return load_yaml((data_root() / "forms" / name).read_text(encoding="utf-8"))


ORDER = (
    "2ap-6-request",
    "2ap-7-order",
    "2ap-8-order",
    "2ap-9-request",
    "2ap-10-request",
    "bc-29-request",
    "eu-epoc",
    "eu-epoc-pr",
)


@functools.cache
def forms() -> dict[str, FormDef]:
    """Every form definition, by id, in the order of ``ORDER`` (then any other by name)."""
    raw = _read("vocabulary.yaml")["types"]
    vocabulary = {t: {k: VocabField.model_validate(v) for k, v in fields.items()} for t, fields in raw.items()}
    builder = _Builder(vocabulary)
    out = {}
    for entry in sorted((data_root() / "forms").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml") and entry.name != "vocabulary.yaml":
            spec = FormSpec.model_validate(_read(entry.name))
            if f"{spec.id}.yaml" != entry.name:
                raise DefinitionError(f"{entry.name}: id {spec.id!r} does not match the file name")
            out[spec.id] = builder.form(spec)
    return dict(sorted(out.items(), key=lambda item: (ORDER.index(item[0]) if item[0] in ORDER else len(ORDER), item[0])))
