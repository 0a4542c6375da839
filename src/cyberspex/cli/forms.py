"""``cyberspex forms``: list, schema, example, validate, prefill and render forms."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from cyberspex.cli.common import Parser, UsageError, parse_date, state_code, today
from cyberspex.cli.route import add_what_if, what_if_from
from cyberspex.forms.definitions import forms
from cyberspex.forms.document import Signatory
from cyberspex.forms.i18n import LanguageError, catalogue
from cyberspex.forms.issues import Issue, Severity
from cyberspex.forms.model import FormDef
from cyberspex.forms.package import PackageError, build_document, package_data
from cyberspex.forms.prefill import PrefillError, prefill
from cyberspex.forms.quality import QualityContext
from cyberspex.forms.render_text import render_text
from cyberspex.forms.schema import json_schema
from cyberspex.forms.signatories import SignatoryError, signatories_from_json
from cyberspex.forms.validate import validate
from cyberspex.law.advisor import assess
from cyberspex.law.model import ReferenceData
from cyberspex.law.scenario import DataCategory, EmergencyKind, Entity, Scenario, default_entity
from cyberspex.refdata.loader import load_reference_data

INVALID = 1
FORMATS = ("pdf", "docx", "json", "html", "txt")
MAX_DEPTH = 64  # a filled form is a few levels deep; deeper input is refused before any check
MAX_SPAN_DAYS = 36_525  # a hundred years: a wider warning threshold is a typing error


class InvalidContent(Exception):
    """The form data is not valid: exit status 1, with the issues."""

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="forms_command", required=True, parser_class=Parser)
    listing = sub.add_parser("list", help="the forms and their packages")
    listing.add_argument("--json", action="store_true")
    for name, text in (("schema", "print the JSON Schema (2020-12) of a form"), ("example", "print a complete, valid example")):
        sub.add_parser(name, help=text).add_argument("form_id", metavar="ID")
    check = sub.add_parser("validate", help="validate a filled form (exit 1 when invalid)")
    _form_and_file(check)
    check.add_argument("--json", action="store_true", help="print the issues as a JSON list")
    render = sub.add_parser("render", help="render a recipient package")
    _form_and_file(render)
    render.add_argument("--package", required=True, choices=["provider", "authority", "notification", "full"])
    render.add_argument("--format", required=True, choices=FORMATS)
    render.add_argument("--lang", default="en", help="language of the fixed texts (default en)")
    render.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write")
    render.add_argument(
        "--signatories",
        metavar="FILE",
        help='JSON list of {"capacity": "issuing"|"validating", "name", "role", "authority", "signed_on"} printed '
        "in the signature block (default: lines to sign by hand)",
    )
    fill = sub.add_parser("prefill", help="a form skeleton pre-filled from a route analysis")
    fill.add_argument("form_id", metavar="ID")
    fill.add_argument("--issuing", required=True, metavar="CODE")
    fill.add_argument("--provider-state", required=True, metavar="CODE")
    fill.add_argument("--data", choices=[d.value for d in DataCategory], help="default: the form's first data category")
    fill.add_argument(
        "--emergency",
        choices=[k.value for k in EmergencyKind],
        help="the kind of emergency, as for 'route' (default: none, or the kind an emergency-only form serves)",
    )
    add_what_if(fill)


def _form_and_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("form_id", metavar="ID")
    parser.add_argument("file", metavar="FILE", help="the filled form as JSON ('-' for standard input)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="today's date for the checks (default: today, UTC)")
    parser.add_argument("--max-span-days", type=int, default=92, help="warn when a time range is wider (default 92)")
    parser.add_argument("--assume-in-force", action="store_true", help="what-if for the route check")
    parser.add_argument("--assume-ratified", metavar="CODES", help="what-if for the route check")


def _form_id(value: str) -> str:
    if value not in forms():
        raise UsageError(f"unknown form id {value!r}: expected one of {', '.join(forms())}")
    return value


def _read_json(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path!r}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidContent(f"{path}: not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidContent(f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    except RecursionError:
        raise UsageError(f"{path}: JSON nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise UsageError(f"{path}: a value cannot be read: {error}") from None
    if _depth_exceeds(data, MAX_DEPTH):
        raise UsageError(f"{path}: JSON nested more than {MAX_DEPTH} levels deep")
    return data


def _read_signatories(path: str) -> tuple[Signatory, ...]:
    try:
        return signatories_from_json(_read_json(path))
    except SignatoryError as error:
        raise UsageError(f"{path}: {error}") from None


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (iterative: no recursion limit)."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            pending.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return False


def _context(data: ReferenceData, args: argparse.Namespace) -> QualityContext:
    if not 0 < args.max_span_days <= MAX_SPAN_DAYS:
        raise UsageError(f"invalid --max-span-days {args.max_span_days}: expected 1 to {MAX_SPAN_DAYS} days")
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else today()
    return QualityContext(data, as_of, args.max_span_days, what_if_from(data, args))


def _issues_text(issues: list[Issue]) -> str:
    return "\n".join(f"{i.severity}: {i.path}: {i.message} [{i.citation or 'no citation'}] ({i.code})" for i in issues)


def _verified(form: FormDef) -> bool:
    """True only when the form and every one of its elements rest on verified text."""
    return form.verified and all(section.verified for section in form.sections) and all(n.verified for n in form.fields())


def cmd_list(args: argparse.Namespace) -> tuple[int, str]:
    t = catalogue("en")
    if args.json:
        rows = [
            {
                "id": f.id,
                "title": t(f"form.{f.id}.title"),
                "route": f.route,
                "packages": list(f.packages),
                "verified": _verified(f),
            }
            for f in forms().values()
        ]
        return 0, json.dumps(rows, indent=2)
    width = max(len(f.id) for f in forms().values())
    lines = [
        f"{f.id:<{width}}  {t(f'form.{f.id}.title')}{'' if _verified(f) else ' (*)'}  [{', '.join(f.packages)}]"
        for f in forms().values()
    ]
    return 0, "\n".join([*lines, "(*) some elements rest on legal text not yet verified against the official text"])


def cmd_example(form_id: str) -> tuple[int, str]:
    path = resources.files("cyberspex") / "data" / "forms" / "examples" / f"{form_id}.json"
    return 0, path.read_text(encoding="utf-8").rstrip("\n")


def cmd_validate(args: argparse.Namespace) -> tuple[int, str]:
    form_id = _form_id(args.form_id)
    reference = load_reference_data()
    context = _context(reference, args)
    issues = validate(form_id, _read_json(args.file), context)
    errors = [i for i in issues if i.severity is Severity.ERROR]
    status = INVALID if errors else 0
    if args.json:
        return status, json.dumps([i.as_json() for i in issues], indent=2, ensure_ascii=False)
    verdict = f"{'INVALID' if errors else 'valid'}: {len(errors)} error(s), {len(issues) - len(errors)} warning(s)"
    return status, "\n".join(filter(None, [_issues_text(issues), verdict]))


def cmd_prefill(args: argparse.Namespace) -> tuple[int, str]:
    form_id = _form_id(args.form_id)
    reference = load_reference_data()
    form = forms()[form_id]
    category = DataCategory(args.data) if args.data else DataCategory(form.data_categories[0])
    scenario = Scenario(
        issuing=state_code(reference, args.issuing, "--issuing"),
        provider_state=state_code(reference, args.provider_state, "--provider-state"),
        data=category,
        as_of=parse_date(args.as_of, "--as-of") if args.as_of else today(),
        emergency=EmergencyKind(args.emergency) if args.emergency else (form.emergency[0] if form.emergency else None),
        entity=Entity.REGISTRAR if category is DataCategory.DOMAIN_REGISTRATION else default_entity(category),
        what_if=what_if_from(reference, args),
    )
    try:
        skeleton = prefill(reference, form_id, assess(reference, scenario))
    except PrefillError as error:
        raise UsageError(str(error)) from None
    return 0, json.dumps(skeleton, indent=2, ensure_ascii=False)


def _render_bytes(form_id: str, data: dict[str, Any], args: argparse.Namespace) -> bytes:
    if args.format == "json":
        body = {"package": args.package, "data": package_data(form_id, data, args.package)}
        return (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    signatories = _read_signatories(args.signatories) if args.signatories else ()
    document = build_document(form_id, data, package=args.package, language=args.lang, signatories=signatories)
    if args.format == "txt":
        return render_text(document).encode("utf-8")
    if args.format == "html":
        from cyberspex.forms.render_html import render_html  # noqa: PLC0415  # loaded only when asked for

        return render_html(document).encode("utf-8")
    if args.format == "docx":
        from cyberspex.forms.render_docx import render_docx  # noqa: PLC0415

        return render_docx(document)
    from cyberspex.forms.render_pdf import render_pdf  # noqa: PLC0415

    return render_pdf(document)


def _write_atomically(target: Path, content: bytes) -> None:
    """Write to a temporary file beside ``target`` and rename it: never a partial file."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {str(target)!r}: folder {str(folder)!r} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as error:
        raise UsageError(f"cannot write {str(target)!r}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        Path(temporary).replace(target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"cannot write {str(target)!r}: {error.strerror}") from None


def cmd_render(args: argparse.Namespace) -> tuple[int, str]:
    form_id = _form_id(args.form_id)
    if args.package not in forms()[form_id].packages:
        raise UsageError(f"form {form_id} has no {args.package!r} package (it has: {', '.join(forms()[form_id].packages)})")
    try:
        catalogue(args.lang)
    except LanguageError as error:
        raise UsageError(str(error)) from None
    reference = load_reference_data()
    data = _read_json(args.file)
    issues = validate(form_id, data, _context(reference, args))
    if any(i.severity is Severity.ERROR for i in issues):
        raise InvalidContent(f"{args.file}: the form is not valid; nothing was written", issues)
    try:
        content = _render_bytes(form_id, data, args)
    except PackageError as error:
        raise UsageError(str(error)) from None
    _write_atomically(Path(args.output), content)
    warnings = _issues_text(issues)
    return 0, "\n".join(
        filter(
            None, [warnings, f"wrote {args.output} ({len(content)} bytes, {args.package} package, {args.format}, {args.lang})"]
        )
    )


def run(args: argparse.Namespace) -> tuple[int, str]:
    command = args.forms_command
    if command == "list":
        return cmd_list(args)
    if command == "schema":
        return 0, json.dumps(json_schema(_form_id(args.form_id)), indent=2, ensure_ascii=False)
    if command == "example":
        return cmd_example(_form_id(args.form_id))
    if command == "prefill":
        return cmd_prefill(args)
    handlers = {"validate": cmd_validate, "render": cmd_render}
    return handlers[command](args)


__all__ = ["InvalidContent", "add_arguments", "run"]
