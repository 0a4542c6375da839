"""The answer to a route query (docs/route-json.md), computed once for every interface.

``cyberspex route`` and ``GET /api/v1/routes`` both call these functions: the scenario is
assessed once and rendered once, in the language asked for. The command line pretty-prints
the body; the API sends :func:`route_bytes`, the same body as compact JSON (orjson), without
decoding and re-encoding it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cyberspex.law.advisor import assess
from cyberspex.law.explain import explain
from cyberspex.law.messages import DEFAULT_LANGUAGE
from cyberspex.law.model import ReferenceData
from cyberspex.law.report import Renderer
from cyberspex.law.scenario import ALL_SIGNATORIES, Scenario, WhatIf
from cyberspex.refdata.messages import messages


def what_if_of(
    data: ReferenceData,
    assume_ratified: str | None,
    *,
    assume_in_force: bool,
    parameter: str,
    state_code: Callable[[ReferenceData, str, str], str],
    invalid: Callable[[str], Exception],
) -> WhatIf:
    """The what-if of a route query: ``assume_ratified`` holds State codes separated by commas,
    or ``all-signatories``. The interface that asks names its what-if ``parameter`` in its
    messages: a State code it does not know raises what its ``state_code(data, code, parameter)``
    raises, a list without a code raises what ``invalid`` makes of the message."""
    raw = (assume_ratified or "").strip()
    if raw == ALL_SIGNATORIES:
        return WhatIf(assume_in_force=assume_in_force, assume_all_signatories=True)
    codes = frozenset(state_code(data, c, parameter) for c in raw.split(",") if c.strip())
    if raw and not codes:
        raise invalid(f"invalid {parameter} {raw!r}: expected State codes separated by commas, or {ALL_SIGNATORIES}")
    return WhatIf(assume_in_force=assume_in_force, assume_ratified=codes)


def route_renderer(data: ReferenceData, scenario: Scenario, language: str = DEFAULT_LANGUAGE) -> Renderer:
    """The scenario assessed once and bound to the messages of ``language``; raise
    InvalidScenario for a scenario that cannot be evaluated, UnknownLanguage for a language
    without a catalogue."""
    return Renderer(data, assess(data, scenario), messages(language))


def route_body(
    data: ReferenceData, scenario: Scenario, language: str = DEFAULT_LANGUAGE, *, explanation: bool = False
) -> dict[str, Any]:
    """The JSON contract of the answer (docs/route-json.md); with ``explanation``, the reasoning
    as plain sentences under ``"explanation"`` too."""
    renderer = route_renderer(data, scenario, language)
    body = renderer.as_json()
    if explanation:
        body["explanation"] = explain(renderer)
    return body


def route_bytes(data: ReferenceData, scenario: Scenario, language: str = DEFAULT_LANGUAGE) -> bytes:
    """The JSON contract as compact UTF-8 bytes, ready to send."""
    import orjson  # noqa: PLC0415  # imported by the API only: `cyberspex route` does without (cli/route.py)

    return orjson.dumps(route_body(data, scenario, language))
