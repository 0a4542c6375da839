"""Benchmark: PDF engines for cyberspex.forms, measured in one run on one machine.

For the two-page sample order (``sample_document()``) and a long one (``repeat=10``), times
the rendering of one document, in process, after a warm-up. Every rendering, warm-up included,
is of a **new document**: the first value of every section carries the run's number
(``variant``), so no engine can answer from a cache of an earlier identical document (Typst
memoises layout: re-rendering the same document once made it look 157x faster than
LibreOffice). The engines:
- ``typst``: Typst (PyPI ``typst``), a fresh ``typst.compile`` per document, same template
  and data as ``render_pdf``;
- ``render_pdf``: the chosen engine as the project calls it (Typst, compiler kept between
  documents);
- ``weasyprint``: WeasyPrint on the page ``render_html`` makes (needs pango from the system);
- ``reportlab``: ReportLab platypus (a table per section, "Page X of Y" by a second pass over
  the pages), with DejaVu Sans from the system if present, else its own Vera;
- ``libreoffice``: the reference users know: ``render_docx`` then
  ``soffice --headless --convert-to pdf``, one process per document, start-up included.

Each engine's output is also checked: every value of the document found in the text pypdf
extracts (whitespace runs read as one space), a probe in Greek, Bulgarian Cyrillic, accented
Latin of all EU official languages and markup-special characters found as written, the same
bytes twice, and "Page X of Y". A fresh process per engine times import plus first document.

Targets: ``render_pdf`` under 100 ms median for the two-page order, and at least 10x faster
than the LibreOffice conversion (conversion alone, the lower LibreOffice number). The script
exits 1 when a target is missed or an engine needed for it is missing.

    .venv/bin/python bench/pdf_engines.py [--runs 30] [--lo-runs 5] [--output bench/results/pdf_engines.json]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import io
import json
import logging
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from cyberspex.forms.document import Document, Line, Section
from cyberspex.forms.package import build_document
from cyberspex.forms.render_docx import render_docx
from cyberspex.forms.render_html import render_html
from cyberspex.forms.sample import sample_document

SPEED_LIMIT_S = 0.100
RATIO_TARGET = 10.0
CHOSEN = "render_pdf"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

Render = Callable[[Document], bytes]

# Text every EU official language needs beyond ASCII, plus markup that must print as written.
PROBE_VALUES = {
    "bg": "Заповед за предоставяне на информация; Щ Ъ Ю Я ѝ",
    "el": "Εντολή για την αποκάλυψη πληροφοριών συνδρομητή· ΆΈΉΊΌΎΏ ΐΰ ς",
    "latin": "ąčęėįšųūž ĄČĘĖĮŠŲŪŽ āēģīķļņ őű ő ř ě ů ĺ ľ ŕ ș ț Ș Ț ă â î ħ ġ ċ ż ł ń ś ź õ ß ẞ æ ø å œ ç ð þ á é í ó ú ñ",
    "symbols": "€ § „quoted“ «guillemets» ‚single‘ – — … № °",
    "markup": "#set text(red) *bold* _it_ $x$ [a] \\ <lbl> @ref `code` // /* */ ~ -- 'q' \"dq\" & &amp; <b>",
}


def two_page_order() -> Document:
    """The example EPOC, complete copy (file of the issuing authority), in English."""
    path = resources.files("cyberspex") / "data" / "forms" / "examples" / "eu-epoc.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return build_document("eu-epoc", data, package="full", language="en")


def probe_document() -> Document:
    lines = tuple(Line(f"probe.{key}", key, value, "CETS 224 Art 7") for key, value in PROBE_VALUES.items())
    sample = sample_document()
    return Document(
        "probe", "provider", "bg", "Probe", "Unicode and markup", "Statement", (Section("Probe", lines),), (), sample.labels
    )


def normalized(text: str) -> str:
    return " ".join(text.split())


def extract(pdf: bytes) -> tuple[str, int]:
    from pypdf import PdfReader  # noqa: PLC0415 - optional, checked before use

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def missing_values(doc: Document, pdf: bytes) -> list[str]:
    text = normalized(extract(pdf)[0])
    return [line.value for section in doc.sections for line in section.lines if normalized(line.value) not in text]


# --- engines ----------------------------------------------------------------------------


def render_typst_fresh(doc: Document) -> bytes:
    import typst  # noqa: PLC0415

    from cyberspex.forms import render_pdf as module  # noqa: PLC0415

    pdf = typst.compile(
        module.TEMPLATE.read_bytes(),
        root=module.TEMPLATE.parent,
        ignore_system_fonts=True,
        format="pdf",
        sys_inputs={"document": module._data(doc)},
    )
    assert isinstance(pdf, bytes)
    return pdf


def render_chosen(doc: Document) -> bytes:
    from cyberspex.forms.render_pdf import render_pdf  # noqa: PLC0415

    return render_pdf(doc)


def render_weasyprint(doc: Document) -> bytes:
    import weasyprint  # noqa: PLC0415

    pdf = weasyprint.HTML(string=render_html(doc)).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


_REPORTLAB_FONTS: dict[str, str] = {}


def _reportlab_fonts() -> dict[str, str]:
    """Register DejaVu Sans (system) or else ReportLab's own Vera; return the font names."""
    if _REPORTLAB_FONTS:
        return _REPORTLAB_FONTS
    import reportlab  # noqa: PLC0415
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415

    if (DEJAVU / "DejaVuSans.ttf").exists():
        files = {
            "regular": DEJAVU / "DejaVuSans.ttf",
            "bold": DEJAVU / "DejaVuSans-Bold.ttf",
            "italic": DEJAVU / "DejaVuSans-Oblique.ttf",
        }
        family = "DejaVu"
    else:
        own = Path(reportlab.__file__).parent / "fonts"
        files = {"regular": own / "Vera.ttf", "bold": own / "VeraBd.ttf", "italic": own / "VeraIt.ttf"}
        family = "Vera"
    for style, path in files.items():
        name = f"{family}-{style}"
        pdfmetrics.registerFont(TTFont(name, str(path)))
        _REPORTLAB_FONTS[style] = name
    _REPORTLAB_FONTS["family"] = family
    return _REPORTLAB_FONTS


def render_reportlab(doc: Document) -> bytes:
    from xml.sax.saxutils import escape  # noqa: PLC0415

    from reportlab.lib import colors  # noqa: PLC0415
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415
    from reportlab.lib.styles import ParagraphStyle  # noqa: PLC0415
    from reportlab.lib.units import cm  # noqa: PLC0415
    from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # noqa: PLC0415

    fonts = _reportlab_fonts()
    body = ParagraphStyle("body", fontName=fonts["regular"], fontSize=10, leading=12.5)
    bold = ParagraphStyle("bold", parent=body, fontName=fonts["bold"])
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#4d4d4d"))
    marker = ParagraphStyle("marker", parent=small, fontName=fonts["bold"], textColor=colors.HexColor("#9a3412"))
    title = ParagraphStyle("title", parent=bold, fontSize=17, leading=21)
    h2 = ParagraphStyle("h2", parent=bold, fontSize=12.5, leading=16, spaceBefore=12, spaceAfter=5)
    italic = ParagraphStyle("italic", parent=body, fontName=fonts["italic"])
    labels = doc.labels

    class NumberedCanvas(Canvas):
        """Keeps every page until the end, then writes "Page X of Y" on each."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(fonts["regular"], 8.5)
                text = f"{labels['page']} {self._pageNumber} {labels['of']} {len(self._pages)}"
                self.drawRightString(A4[0] - 2 * cm, 1.2 * cm, text)
                super().showPage()
            super().save()

    story: list[Any] = [Paragraph(escape(doc.title), title), Paragraph(escape(doc.subtitle), italic), Spacer(1, 8)]
    story.append(Paragraph(escape(doc.statement), body))
    for section in doc.sections:
        rows = []
        for line in section.lines:
            value: list[Any] = [Paragraph(escape(line.value), body)]
            if line.untranslated:
                value.append(Paragraph(escape(labels["needs_translation"]), marker))
            rows.append([Paragraph(escape(line.label), bold), value, Paragraph(escape(line.citation), small)])
        table = Table(rows, colWidths=(4.6 * cm, 8.6 * cm, 3.8 * cm))
        table.setStyle(
            TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b3b3b3")), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        )
        heading = [Paragraph(escape(section.title), h2)]
        if section.note is not None:
            heading.append(Paragraph(escape(section.note), italic))
        story += [KeepTogether([*heading, table])]
    story.append(Spacer(1, 12))
    story += [Paragraph(escape(note), small) for note in doc.footer]
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2.2 * cm,
        title=doc.title, author="CyberSPEX", invariant=1,
    )  # fmt: skip
    template.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


@dataclass
class LibreOffice:
    """render_docx, then one soffice process per document, with its own profile folder."""

    soffice: str
    workdir: Path
    conversion_times: list[float]

    def render(self, doc: Document) -> bytes:
        source = self.workdir / "order.docx"
        target = self.workdir / "order.pdf"
        source.write_bytes(render_docx(doc))
        target.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run(
            [self.soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{self.workdir / 'profile'}",
             "--convert-to", "pdf", "--outdir", str(self.workdir), str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        self.conversion_times.append(time.perf_counter() - started)
        return target.read_bytes()


# --- measurement ------------------------------------------------------------------------


@dataclass
class Engine:
    name: str
    description: str
    render: Render | None
    skipped: str | None = None
    modules: tuple[str, ...] = ()
    office: LibreOffice | None = None


def engines(workdir: Path) -> list[Engine]:
    found = {name: importlib.util.find_spec(name) is not None for name in ("typst", "weasyprint", "reportlab")}
    result = [
        Engine("typst", "Typst, fresh compile per document", render_typst_fresh, modules=("typst",)),
        Engine(CHOSEN, "cyberspex render_pdf (Typst, compiler reused)", render_chosen, modules=("typst",)),
        Engine("weasyprint", "WeasyPrint on render_html's page", render_weasyprint, modules=("weasyprint",)),
        Engine("reportlab", "ReportLab platypus", render_reportlab, modules=("reportlab",)),
    ]
    for engine in result:
        for module in engine.modules:
            if not found[module]:
                engine.render, engine.skipped = None, f"Python package {module!r} is not installed in this environment"
        if engine.name == "weasyprint" and engine.render is not None:
            try:
                importlib.import_module("weasyprint")
            except OSError as error:  # pango, harfbuzz or fontconfig missing from the system
                engine.render, engine.skipped = None, f"WeasyPrint cannot load its system libraries: {error}"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        result.append(Engine("libreoffice", "render_docx + soffice --convert-to pdf", None, "soffice is not on PATH"))
    else:
        office = LibreOffice(soffice, workdir, [])
        result.append(Engine("libreoffice", "render_docx + soffice --convert-to pdf", office.render, office=office))
    return result


def variant(doc: Document, number: int) -> Document:
    """``doc`` with the run's number after the first value of every section: a new document."""
    sections = tuple(
        replace(section, lines=(replace(section.lines[0], value=f"{section.lines[0].value} {number}"), *section.lines[1:]))
        if section.lines
        else section
        for section in doc.sections
    )
    return replace(doc, sections=sections)


def timed(render: Render, doc: Document, runs: int, warmup: int) -> tuple[list[float], bytes, Document]:
    """Times of ``render`` on ``runs`` new variants of ``doc``; the last PDF and its document."""
    pdf, last = b"", doc
    for number in range(warmup):
        pdf = render(variant(doc, -1 - number))
    times = []
    for number in range(runs):
        last = variant(doc, number)
        started = time.perf_counter()
        pdf = render(last)
        times.append(time.perf_counter() - started)
    return times, pdf, last


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def cold_start(engine: str) -> float | None:
    """Seconds for import + first document of the sample in a fresh process."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--cold", engine]
    times = []
    for _ in range(3):
        result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=300)
        if result.returncode != 0:
            return None
        times.append(float(result.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def cold_child(engine: str) -> int:
    started = time.perf_counter()
    renders = {"typst": render_typst_fresh, CHOSEN: render_chosen, "weasyprint": render_weasyprint, "reportlab": render_reportlab}
    render = renders[engine]
    render(sample_document())
    print(f"{time.perf_counter() - started:.6f}")
    return 0


def page_numbers_ok(pdf: bytes, labels: dict[str, str]) -> bool:
    text, pages = extract(pdf)
    flat = normalized(text)
    return all(f"{labels['page']} {n} {labels['of']} {pages}" in flat for n in range(1, pages + 1))


def installed_size_mb(distributions: tuple[str, ...]) -> float | None:
    """Size on disk of the files these distributions installed, followed through their
    requirements (for the pip-only engines)."""
    seen: set[str] = set()
    todo = list(distributions)
    total = 0
    while todo:
        name = re.split(r"[\s<>=!~;\[]", todo.pop(), maxsplit=1)[0].lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        for file in dist.files or ():
            path = Path(str(file.locate()))
            if path.is_file():
                total += path.stat().st_size
        todo += [req for req in dist.requires or () if "extra ==" not in req]
    return round(total / 1e6, 1) if seen else None


def debian_size_mb(pattern: str) -> float | None:
    dpkg_query = shutil.which("dpkg-query")
    if dpkg_query is None:
        return None
    result = subprocess.run([dpkg_query, "-W", "-f=${Installed-Size}\n", pattern], capture_output=True, text=True, check=False)
    sizes = [int(size) for size in result.stdout.split() if size.isdigit()]
    return round(sum(sizes) / 1024, 1) if sizes else None


def bundled_font_coverage(engine: str) -> str:
    """Whether the fonts that come with the pip package alone cover the probe."""
    needed = {ch for value in PROBE_VALUES.values() for ch in value if not ch.isspace()}
    if engine in ("typst", CHOSEN):
        return "yes (fonts inside the wheel; system fonts ignored)"
    if engine == "weasyprint":
        return "no fonts of its own: uses the system's (fontconfig)"
    if engine == "libreoffice":
        return "system fonts (Debian packages)"
    if importlib.util.find_spec("fontTools") is None or importlib.util.find_spec("reportlab") is None:
        return "unknown (fontTools or reportlab missing)"
    import reportlab  # noqa: PLC0415
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    cmap = TTFont(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf").getBestCmap()
    missing = sorted(ch for ch in needed if ord(ch) not in cmap)
    scripts = sorted({"Greek" if "Ͱ" <= ch <= "Ͽ" else "Cyrillic" if "Ѐ" <= ch <= "ӿ" else "Latin/other" for ch in missing})
    return f"no: its Vera lacks {len(missing)} probe characters ({', '.join(scripts)})" if missing else "yes (Vera)"


# --- report -----------------------------------------------------------------------------


def measure(engine: Engine, documents: dict[str, Document], runs: int, lo_runs: int) -> dict[str, Any]:
    row: dict[str, Any] = {"engine": engine.name, "description": engine.description}
    if engine.render is None:
        row["skipped"] = engine.skipped
        return row
    render, office = engine.render, engine.office
    for label, doc in documents.items():
        if office is not None:
            office.conversion_times.clear()
        times, pdf, rendered = timed(render, doc, runs if office is None else lo_runs, 3 if office is None else 1)
        text, pages = extract(pdf)
        missing = missing_values(rendered, pdf)
        result = {
            "runs": len(times),
            "median_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(percentile(times, 0.95) * 1000, 2),
            "pages": pages,
            "bytes": len(pdf),
            "values_found": not missing,
            "missing_values": missing[:5],
            "page_numbers": page_numbers_ok(pdf, doc.labels),
            "characters_extracted": len(text),
        }
        if office is not None:
            conversion = office.conversion_times[-len(times) :]
            result["conversion_only_median_ms"] = round(statistics.median(conversion) * 1000, 2)
        row[label] = result
    probe = probe_document()
    probe_pdf = render(probe)
    row["probe_missing"] = missing_values(probe, probe_pdf)
    row["same_bytes_twice"] = render(probe) == probe_pdf
    row["pip_only_fonts"] = bundled_font_coverage(engine.name)
    if engine.name == "reportlab":
        row["font_used"] = _reportlab_fonts()["family"]
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--lo-runs", type=int, default=5)
    parser.add_argument("--output", default=str(Path(__file__).parent / "results" / "pdf_engines.json"))
    parser.add_argument("--cold", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold:
        return cold_child(args.cold)
    if importlib.util.find_spec("pypdf") is None:
        print("FAIL: pypdf is needed to check the text of the PDFs: .venv/bin/pip install pypdf==7.1.0", file=sys.stderr)
        return 1
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    # "sample": a real two-page order (the issuing authority's complete copy of the example
    # EPOC, two pages with Typst); "repeat10": a long synthetic document for volume.
    documents = {"sample": two_page_order(), "repeat10": sample_document(repeat=10)}
    rows = []
    with tempfile.TemporaryDirectory(prefix="pdf-engines-") as tmp:
        for engine in engines(Path(tmp)):
            print(f"measuring {engine.name} ...", file=sys.stderr, flush=True)
            row = measure(engine, documents, args.runs, args.lo_runs)
            if engine.render is not None and engine.name != "libreoffice":
                row["cold_start_ms"] = None if (cold := cold_start(engine.name)) is None else round(cold * 1000, 1)
            rows.append(row)
    sizes = {
        "typst": installed_size_mb(("typst",)),
        CHOSEN: installed_size_mb(("typst",)),
        "weasyprint": installed_size_mb(("weasyprint",)),
        "reportlab": installed_size_mb(("reportlab",)),
        "libreoffice": debian_size_mb("libreoffice*"),
    }
    for row in rows:
        row["installed_mb"] = sizes.get(row["engine"])
    docx_times, _, _ = timed(render_docx, documents["sample"], args.runs, 3)

    by_name = {row["engine"]: row for row in rows}
    chosen, office = by_name[CHOSEN], by_name["libreoffice"]
    failures = []
    if "skipped" in chosen:
        failures.append(f"{CHOSEN} could not run: {chosen['skipped']}")
    elif chosen["sample"]["median_ms"] >= SPEED_LIMIT_S * 1000:
        limit = f"limit {SPEED_LIMIT_S * 1000:.0f} ms"
        failures.append(f"{CHOSEN} takes {chosen['sample']['median_ms']} ms for the two-page order ({limit})")
    ratio = None
    if "skipped" in office:
        failures.append(f"no LibreOffice reference: {office['skipped']}")
    elif "skipped" not in chosen:
        ratio = round(office["sample"]["conversion_only_median_ms"] / chosen["sample"]["median_ms"], 1)
        if ratio < RATIO_TARGET:
            failures.append(f"{CHOSEN} is only {ratio}x faster than the LibreOffice conversion (target {RATIO_TARGET}x)")

    result = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, {_cores()} cores",
        "versions": versions(),
        "runs": args.runs,
        "libreoffice_runs": args.lo_runs,
        "chosen": CHOSEN,
        "render_docx_sample_median_ms": round(statistics.median(docx_times) * 1000, 2),
        "speedup_vs_libreoffice_conversion": ratio,
        "targets": {"median_ms_below": SPEED_LIMIT_S * 1000, "speedup_at_least": RATIO_TARGET},
        "failures": failures,
        "engines": rows,
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(result)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    if failures:
        return 1
    print(f"ok: {CHOSEN} {chosen['sample']['median_ms']} ms median for the two-page order, {ratio}x faster than LibreOffice")
    return 0


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in ("typst", "weasyprint", "reportlab", "python-docx", "pypdf"):
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    soffice = shutil.which("soffice")
    if soffice is not None:
        result = subprocess.run([soffice, "--version"], capture_output=True, text=True, check=False, timeout=120)
        found["libreoffice"] = result.stdout.strip() or None
    return found


def _cores() -> int:
    import os  # noqa: PLC0415

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


def print_table(result: dict[str, Any]) -> None:
    print(f"machine: {result['machine']}; in-process runs: {result['runs']} (LibreOffice: {result['libreoffice_runs']})")
    header = ("engine", "sample median", "p95", "pages", "repeat=10 median", "p95", "pages")
    header += ("cold", "text", "probe", "same bytes", "pages no.", "MB")
    print(" | ".join(header))
    for row in result["engines"]:
        if "skipped" in row:
            print(f"{row['engine']} | skipped: {row['skipped']}")
            continue
        short, long = row["sample"], row["repeat10"]
        cells = (
            row["engine"],
            f"{short['median_ms']:.1f} ms",
            f"{short['p95_ms']:.1f} ms",
            str(short["pages"]),
            f"{long['median_ms']:.1f} ms",
            f"{long['p95_ms']:.1f} ms",
            str(long["pages"]),
            "-" if row.get("cold_start_ms") is None else f"{row['cold_start_ms']:.0f} ms",
            "ok" if short["values_found"] and long["values_found"] else "MISSING",
            "ok" if not row["probe_missing"] else f"{len(row['probe_missing'])} missing",
            "yes" if row["same_bytes_twice"] else "no",
            "ok" if short["page_numbers"] and long["page_numbers"] else "no",
            "-" if row["installed_mb"] is None else f"{row['installed_mb']}",
        )
        print(" | ".join(cells))
        if "conversion_only_median_ms" in short:
            short_ms, long_ms = short["conversion_only_median_ms"], long["conversion_only_median_ms"]
            print(f"  libreoffice conversion alone: {short_ms:.1f} ms (2 pages), {long_ms:.1f} ms (long)")
    print(f"render_docx alone, 2 pages: {result['render_docx_sample_median_ms']:.1f} ms median")
    print(f"speed-up of {result['chosen']} over the LibreOffice conversion: {result['speedup_vs_libreoffice_conversion']}x")


if __name__ == "__main__":
    sys.exit(main())
