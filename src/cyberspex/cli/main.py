"""The ``cyberspex`` command line.

Start-up is part of every command's cost, so this module imports no command: the table below
names each command, its help line and the module that implements it, and a command's module is
imported only when that command runs (or its ``--help`` is asked for). ``cyberspex route``
therefore never loads Django, the forms or the web platform."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from cyberspex.cli.common import USAGE_ERROR, Parser, UsageError, fail
from cyberspex.law.errors import InvalidScenario
from cyberspex.law.record import Record

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


class Command(Record):
    """A (sub)command: its name and help line, and the functions of ``module`` that declare its
    arguments (``arguments``, given the command's parser; called only when the command is the one
    being run) and run it (``run``: given the reference data and the arguments if ``data``, the
    output to print; otherwise given the arguments, the exit status and the output)."""

    name: str
    help: str
    module: str = ""
    arguments: str = "add_arguments"
    run: str = "run"
    data: bool = False
    subcommands: tuple[Command, ...] = ()
    dest: str = ""  # where the chosen subcommand goes, if there are subcommands


def _web(name: str, help_line: str) -> Command:
    function = name.replace("-", "_")
    return Command(name, help_line, "cyberspex.cli.web", f"{function}_arguments", function)


COMMANDS = (
    Command("route", "which legal routes are open for one request", "cyberspex.cli.route", data=True),
    Command("route-matrix", "evaluate every pair of States (summary)", "cyberspex.cli.matrix", data=True),
    Command(
        "data",
        "reference data tools",
        dest="data_command",
        subcommands=(
            Command("check", "validate the data; report unverified and stale values", "cyberspex.cli.data", run="check"),
            Command(
                "export",
                "write the data (with published curated changes) and a manifest of SHA-256s",
                "cyberspex.cli.data",
                "add_export_arguments",
                "export",
            ),
        ),
    ),
    Command("states", "list the States and their treaty status", "cyberspex.cli.states", data=True),
    Command("demo", "print a few illustrative route analyses"),
    Command("forms", "machine-readable forms: schemas, validation, rendering", "cyberspex.cli.forms"),
    _web("serve", "run the web platform (migrations applied first)"),
    _web("worker", "send deadline reminders, in a loop"),
    _web("retention", "erase cases whose retention review date has passed"),
    _web("audit", "verify the audit trail, export a signed checkpoint, seal the chain with its key, or print the SQL roles"),
    _web("backup", "back up the database (SQLite online backup, or pg_dump) and verify the copy"),
    _web("restore", "restore the database from a backup, after verifying its audit trail"),
    _web("account", "the first administrator, and enrolment links for authenticators"),
    _web("bench-data", "seed the database (migrated first) with a data set for benchmarks (cyberspex/web/benchdata.py)"),
    _web("demo-code", "the current TOTP code of a demo user"),
    _web("instance", "this instance's signed identity document for its peers, or a new signing key"),
    _web("peers", "the instances this one trusts: add a signed identity document, list, remove"),
    _web("federation", "deliver the outbox's messages to the peers (docs/federation.md)"),
    _web("outbox", "the messages and files to other instances: list them, or send one again"),
)


def _chosen(argv: Sequence[str] | None) -> list[str] | None:
    """The command words at the start of ``argv`` (e.g. ``["data", "check"]``); None means all
    commands (a parser for documentation or tests)."""
    if argv is None:
        return None
    return [word for word in argv[:2] if not word.startswith("-")][:2]


def _add(sub: argparse._SubParsersAction[Parser], command: Command, chosen: list[str] | None) -> None:
    selected = chosen is None or (bool(chosen) and chosen[0] == command.name)

    def declare(parser: Parser) -> None:
        if command.subcommands:
            nested = parser.add_subparsers(dest=command.dest, required=True, parser_class=Parser)
            for subcommand in command.subcommands:
                _add(nested, subcommand, (chosen[1:] if selected else []) if chosen is not None else None)
        elif command.module and selected:
            getattr(importlib.import_module(command.module), command.arguments)(parser)

    if chosen is None:  # every parser whole, now
        declare(sub.add_parser(command.name, help=command.help))
    else:  # built if used: only the chosen command's (cli/common.py)
        sub.add_parser(command.name, help=command.help, declare=declare)


def parser(argv: Sequence[str] | None = None) -> Parser:
    """The parser of the command line. Given ``argv``, only the command it names gets its
    arguments (and its module imported); without, every command does."""
    top = Parser(prog="cyberspex", description="Route advice for cross-border requests for electronic evidence.")
    sub = top.add_subparsers(dest="command", required=True, parser_class=Parser)
    chosen = _chosen(argv)
    for command in COMMANDS:
        _add(sub, command, chosen)
    return top


def _demo() -> str:
    from cyberspex.cli import route  # noqa: PLC0415  # imported when its command runs
    from cyberspex.refdata.loader import load_reference_data  # noqa: PLC0415  # not needed for --help

    reference = load_reference_data()
    blocks = []
    for argv in DEMO:
        args = parser(["route", *argv]).parse_args(["route", *argv])
        blocks.append("$ cyberspex route " + " ".join(argv) + "\n" + route.run(reference, args))
    return "\n\n".join(blocks)


def _command(args: argparse.Namespace) -> Command:
    command = next(c for c in COMMANDS if c.name == args.command)
    if command.subcommands:
        command = next(c for c in command.subcommands if c.name == getattr(args, command.dest))
    return command


def dispatch(args: argparse.Namespace, *, started: Callable[[], None] = lambda: None) -> tuple[int, str]:
    """Run the command chosen; ``started`` is called once its module and the reference data are
    loaded, before it runs."""
    if args.command == "demo":
        started()
        return 0, _demo()
    command = _command(args)
    function: Callable[..., Any] = getattr(importlib.import_module(command.module), command.run)
    if command.data:
        from cyberspex.refdata.loader import load_reference_data  # noqa: PLC0415  # not needed for --help

        reference = load_reference_data()
        started()
        output: str = function(reference, args)
        return 0, output
    started()
    result: tuple[int, str] = function(args)
    return result


def _usage_errors() -> tuple[type[Exception], ...]:
    """The errors that end a command with one line and exit status 2. A web configuration error
    can only have been raised if the web's environment module was imported."""
    errors: tuple[type[Exception], ...] = (UsageError, InvalidScenario)
    if (web_env := sys.modules.get("cyberspex.web.env")) is not None:
        errors += (web_env.ConfigurationError,)
    return errors


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up (the modules, the reference data) creates objects that live as long as the
    # process, and the cyclic garbage collector would scan them again and again as they pile up
    # (about a tenth of a `route` run): it is paused until the command itself runs. Run as the
    # program (no argv given), those objects are then moved out of the collector's sight
    # (gc.freeze): otherwise its first collection once resumed would still scan every one of
    # them, all in its youngest generation (a twentieth of a `route` run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv, started=_resume_collection(freeze=argv is None) if collecting else lambda: None)
    finally:
        if collecting:
            gc.enable()


def _resume_collection(*, freeze: bool) -> Callable[[], None]:
    def resume() -> None:
        if freeze:
            gc.freeze()
        gc.enable()

    return resume


def _main(argv: Sequence[str] | None, *, started: Callable[[], None]) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    args = parser(words).parse_args(words)  # exits here for --help and for bad arguments
    from cyberspex.refdata.loader import ReferenceDataError  # noqa: PLC0415  # after parsing: --help does not need it

    prog = " ".join(
        filter(None, ["cyberspex", args.command, getattr(args, "data_command", None), getattr(args, "forms_command", None)])
    )
    forms = sys.modules.get("cyberspex.cli.forms")
    invalid_content: type[Exception] = forms.InvalidContent if forms is not None else _NeverRaised
    try:
        status, output = dispatch(args, started=started)
    except _usage_errors() as error:
        return fail(prog, str(error), USAGE_ERROR)
    except invalid_content as error:
        import json  # noqa: PLC0415  # only for this error

        found = getattr(error, "issues", None)
        issues = json.dumps([i.as_json() for i in found], indent=2, ensure_ascii=False) if found else ""
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


class _NeverRaised(Exception):
    """Stands for the forms' InvalidContent when the forms command was not imported."""


if __name__ == "__main__":
    sys.exit(main())
