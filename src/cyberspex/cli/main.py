"""The ``cyberspex`` command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from cyberspex.cli import data as data_cmd
from cyberspex.cli import forms as forms_cmd
from cyberspex.cli import matrix, route, states, web
from cyberspex.cli.common import USAGE_ERROR, Parser, UsageError, fail
from cyberspex.law.errors import InvalidScenario
from cyberspex.refdata.loader import ReferenceDataError, load_reference_data
from cyberspex.web.env import ConfigurationError

DEMO = (
    ["--issuing", "FR", "--provider-state", "DE", "--data", "subscriber", "--as-of", "2026-11-28"],
    ["--issuing", "FR", "--provider-state", "US", "--data", "subscriber", "--as-of", "2026-11-28"],
    [
        "--issuing",
        "FR",
        "--provider-state",
        "US",
        "--data",
        "subscriber",
        "--as-of",
        "2026-11-28",
        "--assume-in-force",
        "--assume-ratified",
        "FR,US",
    ],
    [
        "--issuing",
        "DE",
        "--provider-state",
        "JP",
        "--data",
        "traffic",
        "--as-of",
        "2026-11-28",
        "--assume-in-force",
        "--assume-ratified",
        "DE",
    ],
)


def parser() -> Parser:
    top = Parser(prog="cyberspex", description="Route advice for cross-border requests for electronic evidence.")
    sub = top.add_subparsers(dest="command", required=True, parser_class=Parser)
    route.add_arguments(sub.add_parser("route", help="which legal routes are open for one request"))
    matrix.add_arguments(sub.add_parser("route-matrix", help="evaluate every pair of States (summary)"))
    data = sub.add_parser("data", help="reference data tools").add_subparsers(
        dest="data_command", required=True, parser_class=Parser
    )
    data_cmd.add_arguments(data.add_parser("check", help="validate the data; report unverified and stale values"))
    data_cmd.add_export_arguments(
        data.add_parser("export", help="write the data (with published curated changes) and a manifest of SHA-256s")
    )
    states.add_arguments(sub.add_parser("states", help="list the States and their treaty status"))
    sub.add_parser("demo", help="print a few illustrative route analyses")
    forms_cmd.add_arguments(sub.add_parser("forms", help="machine-readable forms: schemas, validation, rendering"))
    web.add_arguments(sub)
    return top


def _demo() -> str:
    reference = load_reference_data()
    blocks = []
    for argv in DEMO:
        args = parser().parse_args(["route", *argv])
        blocks.append("$ cyberspex route " + " ".join(argv) + "\n" + route.run(reference, args))
    return "\n\n".join(blocks)


def dispatch(args: argparse.Namespace) -> tuple[int, str]:
    if args.command == "data":
        return data_cmd.export(args) if args.data_command == "export" else data_cmd.check(args)
    if args.command == "demo":
        return 0, _demo()
    if args.command == "forms":
        return forms_cmd.run(args)
    web_commands = {
        "serve": web.serve,
        "worker": web.worker,
        "retention": web.retention,
        "audit": web.audit,
        "demo-code": web.demo_code,
        "account": web.account,
        "backup": web.backup,
        "restore": web.restore,
        "bench-data": web.bench_data,
    }
    if args.command in web_commands:
        return web_commands[args.command](args)
    commands = {"route": route.run, "route-matrix": matrix.run, "states": states.run}
    return 0, commands[args.command](load_reference_data(), args)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    prog = " ".join(
        filter(None, ["cyberspex", args.command, getattr(args, "data_command", None), getattr(args, "forms_command", None)])
    )
    try:
        status, output = dispatch(args)
    except (UsageError, InvalidScenario, ConfigurationError) as error:
        return fail(prog, str(error), USAGE_ERROR)
    except forms_cmd.InvalidContent as error:
        issues = json.dumps([i.as_json() for i in error.issues], indent=2, ensure_ascii=False) if error.issues else ""
        return fail(prog, str(error) + ("\n" + issues if issues else ""), 1)
    except ReferenceDataError as error:
        return fail(prog, "the shipped reference data is invalid; run 'cyberspex data check':\n" + str(error), 1)
    try:
        print(output)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `cyberspex route-matrix | head`: the reader left early
        # Point stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return status


if __name__ == "__main__":
    sys.exit(main())
