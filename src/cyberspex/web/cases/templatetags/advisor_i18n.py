"""Texts of the legal core and of the form checks in the page's language (docs/i18n.md).

Stored records (a request's deadlines, a draft's validation issues) keep the English text
they were made with, and their rule id; these filters show them in the active language:

    {% load advisor_i18n %}
    {{ row.deadline|deadline_event }}  {{ row.deadline.citation|citation }}
    {{ issue|issue_message }}  {{ step.channel|channel_name }}  {{ route.instrument|instrument_name }}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from cyberspex.law.citations import INSTRUMENT_NAMES, Instrument, translate_citation
from cyberspex.web import language
from cyberspex.web.language import active_messages

register = template.Library()


@register.filter
def citation(text: str) -> str:
    return translate_citation(str(text), active_messages().language)


@register.filter
def instrument_name(name: str) -> str:
    """An instrument's short name (route JSON ``instrument``, e.g. "Directive 2014/41/EU") in the page's language."""
    if str(name) not in {i.value for i in Instrument}:
        return str(name)
    return INSTRUMENT_NAMES.get(active_messages().language, {}).get(Instrument(str(name)), str(name))


@register.filter
def deadline_event(deadline: Any) -> str:
    """A stored deadline's event, by its rule id."""
    return active_messages().rule(str(deadline.rule), "event", str(deadline.event))


@register.filter
def channel_name(channel: str) -> str:
    """The short name of a fast channel in an emergency (route JSON ``emergency_first_steps``)."""
    return active_messages().get(f"channel.{channel}", str(channel))


@register.filter
def issue_message(issue: Mapping[str, str]) -> str:
    """A validation issue's message; in another language, the catalogue's text for its rule and code."""
    return language.issue_message(issue)
