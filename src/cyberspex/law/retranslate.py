"""Texts the advisor wrote in English and that were stored (a draft's route advice, a
deadline's event), put into another language by recognising the catalogue text they were
made from.

Each English template of the catalogue becomes a pattern: its parameters match any text, a
State named "France (FR)" is named again in the target language, and a parameter that is
itself a catalogue text is translated in turn. A text no template matches is returned
unchanged (and :func:`Retranslator.translate` says so), never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property

from cyberspex.law.citations import translate_citation
from cyberspex.law.messages import Messages

_PARAM = re.compile(r"\{([a-z_0-9]+)\}")
_STATE = re.compile(r"^(?P<name>.+) \((?P<code>[A-Z]{2})\)$")
_CITED = re.compile(r"^(?P<body>.*) \[(?P<citation>[^\[\]]+)\]$", re.DOTALL)
_AMOUNT = re.compile(r"^(?P<n>\d+) (?P<unit>days|hours)$")


class Retranslator:
    """Translate stored English texts of the catalogue ``english`` (id -> text) into ``messages``."""

    def __init__(self, english: Mapping[str, str], messages: Messages) -> None:
        self.english = english
        self.m = messages

    @cached_property
    def _patterns(self) -> list[tuple[re.Pattern[str], str]]:
        out = []
        # The templates with the most fixed words first: the most specific wins. Templates that
        # are mostly parameters ("the {channel} ({citation}{condition})") would match anything.
        for key, text in sorted(self.english.items(), key=lambda kv: -_literal(kv[1])):
            if key not in self.m.texts or _literal(text) < MIN_LITERAL:
                continue
            pattern = "".join(f"(?P<{piece}>.+?)" if n % 2 else re.escape(piece) for n, piece in enumerate(_PARAM.split(text)))
            try:
                out.append((re.compile(f"^{pattern}$", re.DOTALL), key))
            except re.error:  # a parameter used twice in one template: match it literally elsewhere
                out.append((re.compile(f"^{_dedupe(text)}$", re.DOTALL), key))
        return out

    def _value(self, value: str) -> str:
        state = _STATE.match(value)
        if state and state["code"] in self.m.state_names:
            return f"{self.m.state_names[state['code']]} ({state['code']})"
        translated = self.translate(value)
        return translated if translated is not None else value

    def translate(self, text: str) -> str | None:
        """``text`` in the target language, or None when no catalogue template matches it."""
        if self.m.english:
            return text
        for pattern, key in self._patterns:
            match = pattern.match(text)
            if match is not None:
                values = {name: self._value(value) for name, value in match.groupdict().items() if value is not None}
                return self.m.polish(self.m.texts[key].format_map(_Keep(values)))
        return None

    def deadline(self, text: str) -> str:
        """A stored deadline line, "event: 10 days from start (if it applies) [citation]"."""
        cited = _CITED.match(text)
        body, citation = (cited["body"], cited["citation"]) if cited else (text, "")
        conditional = body.endswith(" (if it applies)")
        body = body.removesuffix(" (if it applies)")
        event, _, rest = body.partition(": ")
        amount, _, start = rest.partition(" from ")
        found = _AMOUNT.match(amount)
        amount_text = self.m(f"explain.{found['unit']}", n=found["n"]) if found else self.translate(amount)
        parts = [self.translate(event), amount_text, self.translate(start)]
        if any(p is None for p in parts):
            return text
        line = self.m("explain.deadline", event=parts[0], amount=parts[1], start=parts[2], citation="")
        line = line.split(": ", 1)[1].removesuffix(".").removesuffix(" []")  # without the label of --explain
        if conditional:
            line += f" ({self.m('word.if_it_applies')})"
        return f"{line} [{translate_citation(citation, self.m.language)}]" if citation else line


MIN_LITERAL = 10  # fixed characters a template needs to be recognised


def _literal(text: str) -> int:
    return len(_PARAM.sub("", text).strip())


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _dedupe(text: str) -> str:
    seen: set[str] = set()
    out = []
    for n, piece in enumerate(_PARAM.split(text)):
        if n % 2 == 0:
            out.append(re.escape(piece))
        elif piece in seen:
            out.append(f"(?P={piece})")
        else:
            seen.add(piece)
            out.append(f"(?P<{piece}>.+?)")
    return "".join(out)
