"""``cyberspex route``: which legal routes are open for one request, with reasons."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cyberspex.cli.common import UsageError, parse_date, state_code, today
from cyberspex.forms.route_answer import route_body, route_renderer, what_if_of
from cyberspex.law.errors import InvalidScenario
from cyberspex.law.explain import amount, explain
from cyberspex.law.messages import DEFAULT_LANGUAGE, LANGUAGES
from cyberspex.law.model import ReferenceData
from cyberspex.law.report import Renderer
from cyberspex.law.scenario import (
    ALL_SIGNATORIES,
    DataCategory,
    EmergencyKind,
    Entity,
    Measure,
    Scenario,
    WhatIf,
    default_entity,
)

UNVERIFIED_MARK = " (*)"


def add_what_if(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="date of the assessment (default: today, UTC)")
    parser.add_argument("--assume-in-force", action="store_true", help="what-if: treat CETS 224 as in force")
    parser.add_argument(
        "--assume-ratified",
        metavar="CODES",
        help=f"what-if: comma-separated State codes, or {ALL_SIGNATORIES}, treated as Parties to CETS 224",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--issuing", required=True, metavar="CODE", help="issuing State (ISO 3166-1 alpha-2)")
    parser.add_argument("--provider-state", required=True, metavar="CODE", help="State where the provider or its addressee is")
    parser.add_argument("--data", required=True, choices=[d.value for d in DataCategory], help="data category")
    parser.add_argument("--measure", default=Measure.PRODUCTION.value, choices=[m.value for m in Measure])
    parser.add_argument(
        "--emergency",
        choices=[k.value for k in EmergencyKind],
        help="an emergency, by what it threatens: 'life' (an imminent threat to the life, physical "
        "integrity or safety of a person: an emergency under Reg 2023/1543 Art 3(18) and CETS 224 "
        "Art 3(2)(c)) or 'infrastructure' (an imminent threat to a critical infrastructure: an "
        "emergency under the Regulation only, not under CETS 224 Arts 9 and 10)",
    )
    parser.add_argument(
        "--offence-threshold",
        choices=["met", "not-met"],
        help="traffic or content data under Reg 2023/1543 Art 5(4): does the offence meet the threshold?",
    )
    parser.add_argument(
        "--entity",
        choices=[e.value for e in Entity],
        help="default: registrar for domain_registration, else service_provider",
    )
    add_what_if(parser)
    parser.add_argument("--json", action="store_true", help="print the JSON contract (docs/route-json.md)")
    parser.add_argument("--explain", action="store_true", help="print the reasoning as plain sentences")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=DEFAULT_LANGUAGE,
        help="language of the texts (reasons, deadlines, requirements, citations); codes and ids do not change",
    )


def what_if_from(data: ReferenceData, args: argparse.Namespace) -> WhatIf:
    return what_if_of(
        data,
        args.assume_ratified,
        assume_in_force=args.assume_in_force,
        parameter="--assume-ratified",
        state_code=state_code,
        invalid=UsageError,
    )


def scenario_from(data: ReferenceData, args: argparse.Namespace) -> Scenario:
    category = DataCategory(args.data)
    return Scenario(
        issuing=state_code(data, args.issuing, "--issuing"),
        provider_state=state_code(data, args.provider_state, "--provider-state"),
        data=category,
        as_of=parse_date(args.as_of, "--as-of") if args.as_of else today(),
        measure=Measure(args.measure),
        emergency=EmergencyKind(args.emergency) if args.emergency else None,
        entity=Entity(args.entity) if args.entity else default_entity(category),
        what_if=what_if_from(data, args),
        offence_threshold={None: None, "met": True, "not-met": False}[args.offence_threshold],
    )


def _headline(r: Renderer, route: dict[str, Any]) -> str:
    """The first reason of a closed route, or the main deadline of an open one."""
    if route["reasons"] and route["status"] != "available":
        # The what-if switches are named in a warning above the table: show the first other reason.
        reason = next((r for r in route["reasons"] if r["code"] != "assumption"), route["reasons"][0])
        return str(reason["message"]) + ("" if reason["verified"] else UNVERIFIED_MARK)
    applicable = [d for d in route["deadlines"] if d["applies"] is True]
    numeric = [d for d in route["deadlines"] if "days" in d or "hours" in d]
    for deadline in numeric or applicable[:1]:
        mark = "" if deadline["verified"] else UNVERIFIED_MARK
        return r.m(
            "summary.deadline", event=deadline["event"], amount=amount(r.m, deadline), citation=deadline["citation"], mark=mark
        )
    return ""


def summary_lines(r: Renderer) -> list[str]:
    m = r.m
    body = r.as_json()
    data = body["scenario"]["data"] if m.english else m(f"word.data.{body['scenario']['data']}")
    lines = [m("summary.head", issuing=r.values["issuing"], provider=r.values["provider"], data=data, as_of=body["as_of"])]
    lines += [m("summary.warning", warning=w) for w in body["warnings"]]
    width = max(len(route["id"]) for route in body["routes"])
    statuses = {route["status"]: m(f"word.status.{route['status']}") for route in body["routes"]}
    column = max(11, *(len(s) for s in statuses.values()))
    for route in body["routes"]:
        lines.append(f"  {route['id']:<{width}}  {statuses[route['status']]:<{column}}  {_headline(r, route)}".rstrip())
    recommended = body["recommended"]
    if recommended:
        lines.append(m("summary.recommended", route=recommended, status=m(f"word.status.{body['recommended_status']}")))
    else:
        lines.append(m("summary.recommended_none"))
    if body["emergency_first_steps"]:
        lines.append(m("summary.first_steps"))
        for number, step in enumerate(body["emergency_first_steps"], start=1):
            key = "summary.first_step_conditional" if step["applies"] == "conditional" else "summary.first_step"
            mark = "" if step["verified"] else UNVERIFIED_MARK
            channel = r.channel_name(step["channel"])
            fields = {"sender": step["from"], "recipient": step["to"], "citation": step["citation"], "mark": mark}
            lines.append(m(key, number=number, channel=channel, **fields))
    lines.append(m("summary.legend"))
    return lines


def run(data: ReferenceData, args: argparse.Namespace) -> str:
    """Return the command's output; raise UsageError or InvalidScenario on bad input."""
    scenario = scenario_from(data, args)
    language = getattr(args, "lang", DEFAULT_LANGUAGE)
    if args.json:  # the API's answer (forms/route_answer.py), pretty-printed
        # The standard library's encoder, not orjson: importing orjson imports dataclasses,
        # inspect, uuid and platform, which cost a command several times what encoding one
        # answer does (bench/README.md).
        body = route_body(data, scenario, language, explanation=args.explain)
        return json.dumps(body, indent=2, ensure_ascii=False)
    renderer = route_renderer(data, scenario, language)
    return "\n".join(explain(renderer) if args.explain else summary_lines(renderer))


__all__ = ["InvalidScenario", "add_arguments", "add_what_if", "run", "what_if_from"]
