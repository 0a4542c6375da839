"""A new order as PDF, against LibreOffice converting the same order's DOCX; and DOCX against PDF.

    .venv/bin/python bench/pdf.py [--quick] [--runs 20] [--lo-runs 5]

In one process, each run builds a **new document**: the example EPOC (the issuing authority's
complete copy, two A4 pages) with another reference and another account identifier, as the
platform renders each order it issues. Re-rendering the same document would measure Typst's
memo cache, not a render: that is how ``bench/PDF_ENGINES.md`` once claimed 157x (the figure
"same order again" below shows the effect).

Figures (medians; each a ratio to a baseline measured in the same run):
- ``render_pdf`` of a new order against ``soffice --headless --convert-to pdf`` of that order's
  DOCX (``render_docx``), a fresh LibreOffice process per conversion (start-up included, as a
  user converting a file runs it; the profile folder made once by a warm-up). Target: at least
  10x faster, i.e. a ratio of at most 0.1. Without ``soffice`` on PATH the figure is skipped
  ("LibreOffice not installed") and the others are still measured.
- ``render_docx`` of a new order against ``render_pdf`` of the same order: recorded, no target.
- ``render_pdf`` of the same order again against a new order: Typst's cache, for information.

Results: ``bench/results/pdf.json``. Full run about 30 s (plus about 2 s per LibreOffice
conversion), ``--quick`` about 10 s. Exits 1 only when something cannot be measured.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from cyberspex.forms.document import Document
from cyberspex.forms.package import build_document
from cyberspex.forms.render_docx import render_docx
from cyberspex.forms.render_pdf import render_pdf
from harness import figure, record

TARGET_VS_LIBREOFFICE = 0.1  # at least 10x faster than the conversion users know


def example() -> dict[str, Any]:
    path = resources.files("cyberspex") / "data" / "forms" / "examples" / "eu-epoc.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def new_order(base: dict[str, Any], number: int) -> Document:
    """The example EPOC with its own reference and account: a document Typst has not seen."""
    data = copy.deepcopy(base)
    data["issuing_authority"]["reference"] = f"PAR-2026-{number:05d}"
    data["data_sought"]["identifiers"][0]["value"] = f"@bench_account_{number}"
    return build_document("eu-epoc", data, package="full", language="en")


def timed(call: Callable[[], bytes]) -> tuple[float, bytes]:
    started = time.perf_counter()
    out = call()
    return time.perf_counter() - started, out


def ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def convert(soffice: str, folder: Path, docx: bytes, number: int) -> float:
    """One fresh ``soffice --headless --convert-to pdf`` of ``docx``; the seconds it took."""
    source = folder / f"order-{number}.docx"
    source.write_bytes(docx)
    started = time.perf_counter()
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{folder / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    made = source.with_suffix(".pdf")
    if not made.read_bytes().startswith(b"%PDF"):
        raise RuntimeError(f"LibreOffice wrote no PDF for {source.name}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: few documents, 2 LibreOffice conversions")
    parser.add_argument("--runs", type=int, help="new documents rendered per renderer (default 20, 5 with --quick)")
    parser.add_argument("--lo-runs", type=int, help="LibreOffice conversions timed (default 5, 2 with --quick)")
    args = parser.parse_args()
    runs = args.runs or (5 if args.quick else 20)
    lo_runs = args.lo_runs or (2 if args.quick else 5)
    base = example()
    render_pdf(new_order(base, 0))  # warm-up: the compiler, the template and the fonts loaded once per process
    render_docx(new_order(base, 0))

    pdf_times, docx_times, digests = [], [], set()
    for number in range(1, runs + 1):
        doc = new_order(base, number)
        seconds, pdf = timed(lambda doc=doc: render_pdf(doc))
        if not pdf.startswith(b"%PDF"):
            raise RuntimeError("render_pdf returned something that is not a PDF")
        pdf_times.append(seconds)
        digests.add(hashlib.sha256(pdf).hexdigest())
        docx_times.append(timed(lambda doc=doc: render_docx(doc))[0])
    if len(digests) != runs:
        raise RuntimeError("two new orders gave the same PDF: the documents were not new")
    same = new_order(base, runs)
    render_pdf(same)
    same_times = [timed(lambda: render_pdf(same))[0] for _ in range(runs)]

    pdf_ms = ms(pdf_times)
    figures = []
    skipped = []
    details: dict[str, Any] = {"runs": runs, "document": "eu-epoc example, package full, English, 2 pages (Typst)"}
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        skipped.append("LibreOffice not installed: figure skipped (apt-get install libreoffice-writer-nogui)")
        print(skipped[-1], file=sys.stderr)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
            convert(soffice, Path(folder), render_docx(new_order(base, 0)), 0)  # warm-up: makes the profile
            lo_times = [convert(soffice, Path(folder), render_docx(new_order(base, n)), n) for n in range(1, lo_runs + 1)]
        details["libreoffice_runs"] = lo_runs
        details["libreoffice"] = subprocess.run(
            [soffice, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        figures.append(
            figure(
                "PDF of a new order (render_pdf, Typst)", pdf_ms, ms(lo_times), unit="ms",
                baseline_name="LibreOffice converting its DOCX (soffice --headless, fresh process)",
                target=TARGET_VS_LIBREOFFICE,
            )
        )  # fmt: skip
    figures.append(
        figure("DOCX of a new order (render_docx)", ms(docx_times), pdf_ms, unit="ms", baseline_name="PDF of the same orders")
    )
    figures.append(
        figure("PDF of the same order again (Typst's memo cache)", ms(same_times), pdf_ms, unit="ms",
               baseline_name="PDF of a new order")
    )  # fmt: skip
    path = record("pdf", figures, skipped=skipped, **details)
    for fig in figures:
        print(f"{fig['figure']}: {fig['value']} {fig['unit']} vs {fig['baseline']}: {fig['baseline_value']} -> {fig['ratio']}x")
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
