"""The guided form editor, generated from a form definition (``cyberspex.forms``): one widget
per node of the definition, in the definition's order, with its label from the forms'
catalogue in the page's language, a plain-language help line, its citation and whether that
provision is verified. The same tree reads the posted form back into form data.

No page is written per form: a field added to a definition appears here, in the JSON Schema
and in the API validation alike. The names of the inputs are the dotted paths of the values
(``data_sought.identifiers.0.value``), so every validation issue (``$.data_sought.identifiers[0].value``)
finds its field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils.translation import gettext as _

from cyberspex.forms.definitions import forms
from cyberspex.forms.i18n import Catalogue, catalogues, language_name
from cyberspex.forms.issue_texts import issue_text
from cyberspex.forms.model import FormDef, Node
from cyberspex.law.scenario import EmergencyKind
from cyberspex.web.cases.editor_help import field_help
from cyberspex.web.language import active_messages, issue_message

Path = tuple[str | int, ...]
# The cross-border details every form has (forms/schema.py ``_meta``), edited in a first section.
META_SECTION = "meta"
NO_EMERGENCY = "no"  # the editor's value for ``emergency: false``
BLANK = ""


def _help(kind: str) -> str:
    """How to fill a value of ``kind``, in plain words (translated)."""
    texts = {
        "text": _("One line."),
        "free_text": _("In your own words. It is sent in the language you write it in."),
        "date": _("Day, month and year."),
        "datetime": _(
            "Date and time as observed, with its time zone (e.g. UTC, Europe/Paris or +01:00); it is stored with its offset."
        ),
        "integer": _("A whole number."),
        "boolean": _("Answer yes or no."),
        "country": _("Choose the State."),
        "language": _("Choose the language."),
        "languages": _("Choose every language the recipient accepts (hold Ctrl or Cmd to choose more than one)."),
        "email": _("An e-mail address, e.g. name@example.org."),
        "phone": _("A telephone number with its country code, e.g. +33123456789."),
        "url": _("A web address, e.g. https://example.org/page."),
        "enum": _("Choose one."),
        "group": _("Fill in the parts below."),
        "list": _("Add as many as needed."),
    }
    return texts.get(kind, "")


def _joined(*texts: str) -> str:
    return " ".join(t for t in texts if t)


@dataclass
class Widget:
    """One field of the editor: a leaf input, a group of sub-fields, or a repeatable list."""

    path: Path
    node_name: str
    kind: str  # text, textarea, date, datetime, number, select, multiselect, boolean, group, list
    label: str
    help: str
    citation: str
    verified: bool
    required: bool
    value: Any = BLANK  # the value shown (a string for inputs; a list for multiselect)
    zone: str = "UTC"  # datetime: the time zone shown next to the local time
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list[Widget] = field(default_factory=list)  # group: its fields; list: its items (groups)
    errors: list[str] = field(default_factory=list)
    item_of_list: bool = False

    @property
    def name(self) -> str:
        return ".".join(str(p) for p in self.path)

    @property
    def anchor(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.name)

    @property
    def described_by(self) -> str:
        """The ids of the help line and of each problem shown under the field."""
        return " ".join([f"{self.anchor}-help", *(f"{self.anchor}-error-{n}" for n in range(1, len(self.errors) + 1))])

    @property
    def filled(self) -> bool:
        if self.kind in ("group", "list"):
            return any(child.filled for child in self.children)
        return self.value not in (BLANK, None, [])

    def walk(self) -> Iterator[Widget]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class EditorSection:
    id: str
    title: str
    verified: bool
    widgets: list[Widget]

    @property
    def anchor(self) -> str:
        return f"section-{self.id}"

    def required_filled(self) -> tuple[int, int]:
        """(filled, total) of the required top-level fields of the section."""
        required = [w for w in self.widgets if w.required]
        return sum(1 for w in required if w.filled), len(required)


@dataclass
class Editor:
    form: FormDef
    title: str
    sections: list[EditorSection]
    unverified_form: bool
    language: str = "en"

    def field_label(self, name: str) -> str:
        """The catalogue's label of a top-level element, also of those the editor does not show."""
        return _Texts(self.language).label(name, top=True)

    def widgets(self) -> Iterator[Widget]:
        for section in self.sections:
            for widget in section.widgets:
                yield from widget.walk()

    def by_name(self) -> dict[str, Widget]:
        return {w.name: w for w in self.widgets()}

    def progress(self) -> tuple[int, int]:
        """(filled, total) of the required top-level fields of the whole form."""
        counts = [s.required_filled() for s in self.sections]
        return sum(c[0] for c in counts), sum(c[1] for c in counts)

    def attach(self, issues: list[dict[str, str]]) -> list[dict[str, str]]:
        """Put each issue next to its field (the nearest one the editor shows); return the issues
        with the anchor and label of that field added, in the editor's order."""
        named = self.by_name()
        out = []
        for issue in issues:
            parts = _parts(issue.get("path", "$"))
            while parts and ".".join(str(p) for p in parts) not in named:
                parts = parts[:-1]
            widget = named.get(".".join(str(p) for p in parts))
            message = plain(issue)
            if widget is not None:
                widget.errors.append(message)
            label = self.label_path(parts) if widget else ""
            out.append({**issue, "message": message, "anchor": widget.anchor if widget else "", "label": label})
        return out

    def label_path(self, parts: list[str | int]) -> str:
        """The field's label after those of the groups it is in ("Data sought › Description");
        a list is named by its item ("Identifier 1"), not twice."""
        named = self.by_name()
        labels = []
        for end in range(1, len(parts) + 1):
            found = named.get(".".join(str(p) for p in parts[:end]))
            if found is not None and not (found.kind == "list" and end < len(parts)):
                labels.append(found.label)
        return " › ".join(labels)


def plain(issue: Mapping[str, str]) -> str:
    """The issue's message in plain words where the validator's is technical; in another
    language than English, the catalogue's text for its check and code (docs/i18n.md), with
    the platform's note (selectors._validated_on_the_platform) after it."""
    if issue.get("code") == "missing_element":
        return _("Required, and still empty.")
    m = active_messages()
    if issue.get("code") == "invalid_type":
        detail = issue.get("message", "") if m.english else issue_text(issue, m.texts) or issue.get("message", "")
        return _("This value is not of the expected kind (%(detail)s).") % {"detail": detail}
    return issue_message(issue)


def _parts(json_path: str) -> list[str | int]:
    """``$.a.b[2].c`` -> ["a", "b", 2, "c"]."""
    out: list[str | int] = []
    for name, index in re.findall(r"\.([^.\[\]]+)|\[(\d+)\]", json_path):
        out.append(int(index) if index else name)
    return out


# -- building ------------------------------------------------------------------------------


class _Texts:
    """Labels from the forms' catalogue in the page's language; English for a text it lacks."""

    def __init__(self, language: str) -> None:
        self.catalogue: Catalogue = catalogues().get(language) or catalogues()["en"]

    def text(self, key: str, fallback: str) -> str:
        return self.catalogue.texts.get(key) or catalogues()["en"].texts.get(key) or fallback

    def label(self, node_name: str, *, top: bool) -> str:
        human = node_name.replace("_", " ").capitalize()
        return self.text(f"field.{node_name}", human) if top else self.text(f"sub.{node_name}", human)


@dataclass(frozen=True)
class Choices:
    states: list[tuple[str, str]]  # (code, name) of every State in the reference data
    languages: list[tuple[str, str]]  # (code, name) of the forms' complete catalogues


def _kind(node: Node) -> str:
    if node.children:
        return "group"
    return {
        "free_text": "textarea",
        "date": "date",
        "datetime": "datetime",
        "integer": "number",
        "boolean": "boolean",
        "country": "select",
        "language": "select",
        "enum": "select",
    }.get(node.type, "text")


class _Builder:
    def __init__(self, form: FormDef, texts: _Texts, choices: Choices) -> None:
        self.form, self.texts, self.choices = form, texts, choices

    def widget(self, node: Node, path: Path, value: Any, *, top: bool) -> Widget:
        if node.list:
            items = value if isinstance(value, list) and value else [None]
            item_widgets = [self.item(node, (*path, index), item, top=top) for index, item in enumerate(items)]
            return Widget(
                path=path,
                node_name=node.name,
                kind="list",
                label=self.texts.label(node.name, top=top),
                help=_joined(field_help(node.name), _help("list")),
                citation=node.citation,
                verified=node.verified,
                required=node.required,
                children=item_widgets,
            )
        return self.single(node, path, value, top=top)

    def item(self, node: Node, path: Path, value: Any, *, top: bool) -> Widget:
        made = self.single(node, path, value, top=False)
        made.item_of_list = True
        made.help = "" if node.children else _help(node.type)  # the list says what each item is
        made.label = _("%(label)s %(number)d") % {"label": self.texts.label(node.name, top=top), "number": int(path[-1]) + 1}
        return made

    def single(self, node: Node, path: Path, value: Any, *, top: bool) -> Widget:
        kind = _kind(node)
        made = Widget(
            path=path,
            node_name=node.name,
            kind=kind,
            label=self.texts.label(node.name, top=top),
            help=_joined(
                field_help(node.name),
                "" if node.children and field_help(node.name) else _help("group" if node.children else node.type),
            ),
            citation=node.citation,
            verified=node.verified,
            required=node.required,
        )
        if node.children:
            given = value if isinstance(value, dict) else {}
            made.children = [self.widget(child, (*path, child.name), given.get(child.name), top=False) for child in node.children]
            return made
        made.choices = self.leaf_choices(node, value)
        if kind == "datetime":
            made.value, made.zone = _datetime_shown(value)
        elif kind == "boolean":
            made.value = {True: "yes", False: "no"}.get(value, BLANK) if isinstance(value, bool) else _shown(value)
        else:
            made.value = _shown(value)
        return made

    def leaf_choices(self, node: Node, value: Any) -> list[tuple[str, str]]:
        if node.type == "country":
            found = self.choices.states
        elif node.type == "language":
            found = self.choices.languages
        elif node.type == "enum":
            values = node.values
            if node.name == "category" and self.form.data_categories:  # only what the form can carry
                values = tuple(v for v in node.values if v in self.form.data_categories)
            found = [(v, self.texts.text(f"enum.{v}", v)) for v in values]
        else:
            return []
        if isinstance(value, str) and value and value not in {code for code, _name in found}:
            found = [*found, (value, value)]  # a value the draft holds is never silently dropped
        return [("", _("(choose)")), *found]


def _shown(value: Any) -> str:
    if value is None:
        return BLANK
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _datetime_shown(value: Any) -> tuple[str, str]:
    """A stored ISO 8601 date-time as (local time for the input, its zone or offset)."""
    if not isinstance(value, str) or not value:
        return BLANK, "UTC"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value, "UTC"  # shown as typed; validation names the problem
    offset = moment.utcoffset()
    local = moment.replace(tzinfo=None).isoformat(timespec="minutes" if moment.second == 0 else "seconds")
    if offset is None or offset == timedelta(0):
        return local, "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return local, f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _meta_nodes(form: FormDef) -> tuple[Node, ...]:
    """The cross-border details every form has, as nodes (their schema: forms/schema.py ``_meta``)."""
    statement, full = form.statement, frozenset(form.packages)

    def meta(name: str, kind: str, *, required: bool = False, many: bool = False, values: tuple[str, ...] = ()) -> Node:
        return Node(
            name=name,
            type=kind,
            citation=statement.citation,
            element=statement.element,
            recipients=full,
            verified=statement.verified,
            required=required,
            list=many,
            values=values,
        )

    return (
        meta("recipient_state", "country", required=True),
        meta("language", "language", required=True),
        meta("recipient_languages", "language", many=True),
        meta("emergency", "enum", values=(NO_EMERGENCY, *(kind.value for kind in EmergencyKind))),
    )


def form_title(form_id: str, language: str) -> str:
    """The form's title from the catalogue of ``language`` (English where it is incomplete)."""
    return _Texts(language).text(f"form.{form_id}.title", form_id)


def editor_for(form_id: str, data: Mapping[str, Any], *, language: str, choices: Choices) -> Editor:
    """The editor of ``form_id`` showing ``data``, labelled in ``language``."""
    form = forms()[form_id]
    texts = _Texts(language)
    builder = _Builder(form, texts, choices)
    meta = EditorSection(
        META_SECTION,
        texts.text("section.meta", "Cross-border details"),
        form.statement.verified,
        [_meta_widget(builder, node, data) for node in _meta_nodes(form)],
    )
    sections = [meta]
    for section in form.sections:
        widgets = [builder.widget(node, (node.name,), data.get(node.name), top=True) for node in section.fields]
        sections.append(EditorSection(section.id, texts.text(f"section.{section.id}", section.id), section.verified, widgets))
    title = form_title(form.id, language)
    return Editor(form=form, title=title, sections=sections, unverified_form=not form.verified, language=language)


def _meta_widget(builder: _Builder, node: Node, data: Mapping[str, Any]) -> Widget:
    if node.name == "recipient_languages":
        value = data.get(node.name)
        chosen = [str(v) for v in value] if isinstance(value, list) else []
        return Widget(
            path=(node.name,),
            node_name=node.name,
            kind="multiselect",
            label=builder.texts.label(node.name, top=True),
            help=_joined(field_help(node.name), _help("languages")),
            citation=node.citation,
            verified=node.verified,
            required=False,
            value=chosen,
            choices=builder.choices.languages,
        )
    if node.name == "emergency":
        value = data.get(node.name)
        made = builder.single(node, (node.name,), NO_EMERGENCY if value is False else value, top=True)
        labels = {NO_EMERGENCY: _("No emergency")} | {
            kind.value: builder.texts.text(f"emergency.{kind.value}", kind.value) for kind in EmergencyKind
        }
        made.choices = [(code, labels.get(code, name)) for code, name in made.choices]
        return made
    return builder.single(node, (node.name,), data.get(node.name), top=True)


def language_choices() -> list[tuple[str, str]]:
    """The EU official languages (one forms catalogue each, complete or not), named in themselves."""
    return sorted(((code, language_name(code)) for code in catalogues()), key=lambda item: item[1].casefold())


# -- reading the posted form back ----------------------------------------------------------


class EditorInputError(Exception):
    """A value that cannot be read as its type; ``name`` is the input's dotted path."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


@dataclass
class Posted:
    """The form data read from the editor, with the values that could not be read."""

    data: dict[str, Any]
    problems: dict[str, str]  # input name -> message


def read_posted(form_id: str, post: Mapping[str, Any], *, remove: str = "", add: str = "") -> Posted:
    """The form data the editor posted (``post``: a QueryDict or a dict of lists). ``remove``
    names an item of a list to leave out (``offences.1``); ``add`` a list to give one more item."""
    form = forms()[form_id]
    reader = _Reader(post, remove=remove, add=add)
    data: dict[str, Any] = {}
    for node in _meta_nodes(form) + tuple(form.fields()):
        value = reader.value(node, (node.name,))
        if value is not None:
            data[node.name] = value
    if data.get("emergency") == NO_EMERGENCY:
        data["emergency"] = False
    if isinstance(data.get("recipient_languages"), list):
        data["recipient_languages"] = [v for v in data["recipient_languages"] if v]
    return Posted(data, reader.problems)


class _Reader:
    def __init__(self, post: Mapping[str, Any], *, remove: str, add: str) -> None:
        self.post, self.remove, self.add = post, remove, add
        self.problems: dict[str, str] = {}

    def get(self, name: str) -> str:
        getter = getattr(self.post, "get", None)
        raw = getter(name, "") if getter else ""
        return str(raw if raw is not None else "").strip()

    def get_list(self, name: str) -> list[str]:
        getlist = getattr(self.post, "getlist", None)
        if getlist is not None:
            return [str(v) for v in getlist(name)]
        raw = self.post.get(name, [])
        return [str(v) for v in raw] if isinstance(raw, list) else [str(raw)]

    def value(self, node: Node, path: Path) -> Any:
        name = ".".join(str(p) for p in path)
        if node.list and node.type == "language" and not node.children:
            chosen = [v for v in self.get_list(name) if v]
            return chosen or None
        if node.list:
            return self.items(node, path, name)
        return self.single(node, path, name)

    def items(self, node: Node, path: Path, name: str) -> list[Any] | None:
        pattern = re.compile(re.escape(name) + r"\.(\d+)(?:\.|$)")
        indices = sorted({int(m.group(1)) for key in self.post if (m := pattern.match(str(key)))})
        out = []
        for index in indices:
            if f"{name}.{index}" == self.remove:
                continue
            item = self.single(node, (*path, index), f"{name}.{index}")
            if item is not None:
                out.append(item)
        if self.add == name:
            out.append({} if node.children else "")
        return out or None

    def single(self, node: Node, path: Path, name: str) -> Any:
        if node.children:
            found = {}
            for child in node.children:
                value = self.value(child, (*path, child.name))
                if value is not None:
                    found[child.name] = value
            return found or None
        raw = self.get(name)
        if node.type == "datetime":
            return self.moment(name, raw, self.get(f"{name}.zone") or "UTC")
        if not raw:
            return None
        if node.type == "integer":
            return self.integer(name, raw)
        if node.type == "boolean":
            return {"yes": True, "no": False, "true": True, "false": False}.get(raw, raw)
        return raw

    def integer(self, name: str, raw: str) -> Any:
        try:
            return int(raw)
        except ValueError:
            self.problems[name] = _("Give a whole number, e.g. 3 (you typed “%(value)s”).") % {"value": raw}
            return raw

    def moment(self, name: str, raw: str, zone: str) -> Any:
        if not raw:
            return None
        try:
            local = datetime.fromisoformat(raw)
        except ValueError:
            self.problems[name] = _("Give a date and a time, e.g. 2026-11-20 14:32.")
            return raw
        if local.tzinfo is not None:
            return local.isoformat()
        tz = time_zone(zone)
        if tz is None:
            self.problems[name] = _("Unknown time zone “%(zone)s”: give e.g. UTC, Europe/Paris or +01:00.") % {"zone": zone}
            return raw
        return local.replace(tzinfo=tz).isoformat()


OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def time_zone(text: str) -> timezone | ZoneInfo | None:
    """``UTC``, ``Z``, an offset (``+01:00``) or an IANA zone name; None if it is none of these."""
    text = text.strip()
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    if match := OFFSET.match(text):
        sign = 1 if match.group(1) == "+" else -1
        hours, minutes = int(match.group(2)), int(match.group(3))
        if hours > 23 or minutes > 59:
            return None
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    if text not in zone_names():
        return None
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        return None


_ZONES: list[str] = []


def zone_names() -> list[str]:
    if not _ZONES:
        _ZONES.extend(sorted(available_timezones()))
    return _ZONES


def merge(stored: Mapping[str, Any], posted: Mapping[str, Any], form_id: str) -> dict[str, Any]:
    """The stored data with every value the editor edits replaced by the posted one (an emptied
    field is removed); values the editor does not show (route advice, the form id) are kept."""
    form = forms()[form_id]
    edited = {node.name for node in _meta_nodes(form)} | {node.name for node in form.fields()}
    out = {k: v for k, v in stored.items() if k not in edited}
    out.update(posted)
    return out
