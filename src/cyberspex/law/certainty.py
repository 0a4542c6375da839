"""Sentences that carry their certainty.

A rule answers true, false or unknown (``None``): unknown when it rests on a fact the
reference data do not record, such as a reservation a State may or may not have made. Its
message must then never state that fact: "Japan (JP) has reserved ..." becomes "Japan (JP)
may have reserved ... (not recorded: Japan (JP): CETS 224 R-8-13)". :func:`qualify` is the
one function that does this, for every message the advisor renders (reasons, requirements,
notifications, first steps: in the JSON, ``--explain``, the table and the web page) and for
the form checks that quote them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cyberspex.law.messages import ENGLISH_MESSAGES, Messages

# Statements and their modal form, tried in order: "<State> (XX) has not ...", "... has ...",
# "... is not yet ...", "... is not ...", "<State> (XX) [also] requires ...".
_MODAL: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?P<who>.+?\([A-Z]{2}\)) has not (?P<rest>.*)$", re.DOTALL), "{who} may not have {rest}"),
    (re.compile(r"^(?P<who>.+?\([A-Z]{2}\)) has (?P<rest>.*)$", re.DOTALL), "{who} may have {rest}"),
    (re.compile(r"^(?P<who>.+?) is not yet (?P<rest>.*)$", re.DOTALL), "{who} may not yet be {rest}"),
    (re.compile(r"^(?P<who>.+?) is not (?P<rest>.*)$", re.DOTALL), "{who} may not be {rest}"),
    (
        re.compile(r"^(?P<who>.+?\([A-Z]{2}\)) (?P<also>also )?(?P<verb>[a-z]+s) (?P<rest>.*)$", re.DOTALL),
        "{who} may {also}{verb} {rest}",
    ),
)
# Messages that already say they depend on something.
_HEDGED = re.compile(r"\bmay\b|\bmight\b|^Depends\b|^Whether\b|^If\b|^Where\b|\bdepends on\b", re.IGNORECASE)
# Words by which a message says itself what it depends on.
_CONDITIONAL = re.compile(r"\bunless\b|\bif\b|\bwhere\b|\bwhether\b", re.IGNORECASE)
# The same two tests for the translations: a translated message is hedged by its own wording
# (the catalogue's "hedged" text) or, failing that, by the catalogue's "Possibly: ..." form.
_HEDGED_IN = {
    "fr": re.compile(r"\bpeu[tv]\w*\b|\bpourrai\w*\b|\bdépend\w*\b|^Selon\b|^Si\b|^S'il\b|^Lorsque\b", re.IGNORECASE),
    "de": re.compile(r"\bkann\b|\bkönn\w*\b|\bhängt\b|\babhängig\b|^Ob\b|^Wenn\b|^Falls\b|^Sofern\b", re.IGNORECASE),
}
_CONDITIONAL_IN = {
    "fr": re.compile(r"\bsauf\b|\bsi\b|\bs'il\b|\blorsque\b|\bselon que\b", re.IGNORECASE),
    "de": re.compile(r"\bes sei denn\b|\bwenn\b|\bfalls\b|\bsofern\b|\bob\b", re.IGNORECASE),
}
# A fact value that says the data do not settle the fact.
# ("date not recorded; known by ..." is a date known well enough, not an unknown fact.)
_UNRECORDED = re.compile(r"^not recorded|is not recorded|not recorded\)|unknown|^date not recorded$", re.IGNORECASE)
# The note qualify() appends; its presence makes qualify() idempotent.
_NOTED = re.compile(r"\((?:not recorded: |not established\))")
# The end of the first sentence of a message of several: the note follows the statement it qualifies.
_FIRST_STOP = re.compile(r"\.\s+(?=[A-ZÀ-Ý])")


def _base_form(verb: str) -> str:
    """'requires' -> 'require', 'applies' -> 'apply', 'reaches' -> 'reach'."""
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes", "zes")):
        return verb[:-2]
    return verb[:-1]


def hedge(message: str, messages: Messages = ENGLISH_MESSAGES) -> str:
    """``message`` as a possibility: the modal form where the sentence allows it."""
    if not messages.english:
        if _HEDGED_IN[messages.language].search(message):
            return message
        return messages("certainty.possibly", message=message)
    if _HEDGED.search(message):
        return message
    for pattern, template in _MODAL:
        if match := pattern.match(message):
            parts = {k: v or "" for k, v in match.groupdict().items()}
            if "verb" in parts:
                parts["verb"] = _base_form(parts["verb"])
            return template.format(**parts)
    return f"Possibly: {message}"


def unrecorded(facts: Iterable[tuple[str, str]]) -> list[str]:
    """The labels of the facts, given as (label, value), that the reference data do not record."""
    out: list[str] = []
    for label, value in facts:
        if _UNRECORDED.search(value) and label not in out:
            out.append(label)
    return out


def not_recorded_note(facts: Iterable[tuple[str, str]], messages: Messages = ENGLISH_MESSAGES) -> str | None:
    """ "not recorded: <label>; <label>" for the facts the data do not record, if any."""
    labels = unrecorded(facts)
    return messages("certainty.not_recorded", facts="; ".join(labels)) if labels else None


def _noted(message: str, messages: Messages) -> bool:
    if messages.english:
        return bool(_NOTED.search(message))
    prefix = messages("certainty.not_recorded", facts="")
    return f"({prefix}" in message or f"({messages('certainty.not_established')})" in message


def _says_what_it_depends_on(message: str, messages: Messages) -> bool:
    if messages.english:
        return bool(_HEDGED.search(message) or _CONDITIONAL.search(message))
    language = messages.language
    return bool(_HEDGED_IN[language].search(message) or _CONDITIONAL_IN[language].search(message))


def qualify(
    message: str,
    *,
    known: bool,
    facts: Iterable[tuple[str, str]] = (),
    hedged: str | None = None,
    messages: Messages = ENGLISH_MESSAGES,
) -> str:
    """The message of a rule's finding, carrying its certainty.

    ``known``: the rule's answer is established (true). Otherwise the message is put as a
    possibility (``hedged``, the rule's own modal wording, or else :func:`hedge`) and the
    facts it rests on that are not recorded are named after its first sentence. A message
    that rests on no unrecorded fact and already says what it depends on ("may", "unless",
    "whether" ...) is left as it is; any other gets "(not established)". Idempotent: a
    message already qualified is returned unchanged.
    """
    if known or _noted(message, messages):
        return message
    note = not_recorded_note(facts, messages)
    if note is None and _says_what_it_depends_on(message, messages):
        return message  # the sentence already says what it depends on
    body = (hedged or message).rstrip()
    tag = f" ({note or messages('certainty.not_established')})"
    if stop := _FIRST_STOP.search(body):
        # The first sentence states what is unknown; the others are left as they are.
        first = body[: stop.start()] if hedged else hedge(body[: stop.start()] + ".", messages).rstrip(".")
        return first + tag + body[stop.start() :]
    body = body if hedged else hedge(body, messages)
    period = body.endswith(".")
    return f"{body.rstrip('.')}{tag}{'.' if period else ''}"
