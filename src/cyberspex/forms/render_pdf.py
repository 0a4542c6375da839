"""Render a :class:`Document` as PDF with Typst (the ``typst`` wheel: compiler and fonts inside).

Why Typst: see ``bench/PDF_ENGINES.md`` (measured against WeasyPrint, ReportLab and
LibreOffice). The layout is ``templates/document.typ``; the document goes to it as JSON in
``sys.inputs``, so every text is data that Typst prints as written, never markup to parse:
no escaping to get wrong.

Properties the tests hold it to:
- only the fonts embedded in the compiler are used (Libertinus Serif: Latin, Greek and
  Cyrillic, so all EU official languages), never the machine's, so the output is the same
  everywhere;
- the same document gives the same bytes: no creation date, and Typst derives the PDF
  identifiers from the content;
- text extracts as written (no hyphenation, justification or ligatures), with "Page X of Y"
  on every page; the PDF is tagged, with the document's language and title.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
from functools import cache
from pathlib import Path

import typst

from cyberspex.forms.document import Document

__all__ = ["TEMPLATE", "render_pdf"]

TEMPLATE = Path(__file__).parent / "templates" / "document.typ"
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_LABELS = frozenset({"page", "of", "needs_translation", "signature", "seal"})  # the labels the template prints
# A Compiler keeps the parsed template, the fonts and Typst's caches between documents
# (5-10% faster than a fresh compile for a new document; the same document again is much
# faster, from Typst's memo cache: bench/PDF_ENGINES.md);
# it may not be used by two threads at once.
_LOCK = threading.Lock()


@cache
def _compiler() -> tuple[typst.Compiler, bytes]:
    source = TEMPLATE.read_bytes()
    return typst.Compiler(input=source, root=TEMPLATE.parent, ignore_system_fonts=True), source


def _data(doc: Document) -> str:
    missing = sorted(_LABELS - doc.labels.keys())
    if missing:  # a clear error here rather than Typst's from inside the template
        raise KeyError(f"Document.labels lacks {', '.join(missing)}")
    payload = dataclasses.asdict(doc)
    # Typst takes a two- or three-letter ISO 639 code and stops on anything else;
    # "und" (undetermined) keeps a malformed code from costing the whole document.
    language = doc.language.lower()
    payload["language"] = language if _LANGUAGE.fullmatch(language) else "und"
    return json.dumps(payload, ensure_ascii=False)


def render_pdf(doc: Document) -> bytes:
    """The PDF as bytes; the same document always gives the same bytes."""
    data = _data(doc)
    compiler, source = _compiler()
    with _LOCK:
        pdf = compiler.compile(input=source, format="pdf", sys_inputs={"document": data})
    if not isinstance(pdf, bytes):  # pragma: no cover - one PDF, never a list of pages
        raise TypeError(f"Typst returned {type(pdf).__name__}, not the bytes of one PDF")
    return pdf
