"""Plain-text rendering of a document: for terminals, e-mail bodies and golden tests."""

from __future__ import annotations

from cyberspex.forms.document import Document, SignatureBox

BLANK = "_" * 32  # a line to fill in by hand


def _box(box: SignatureBox, labels: dict[str, str]) -> list[str]:
    rows = [f"{label}: {value or BLANK}" for label, value in box.rows]
    return ["", f"-- {box.title}", *rows, f"{labels['signature']}: {BLANK}", f"{labels['seal']}:"]


def render_text(doc: Document) -> str:
    lines = ([doc.mark, ""] if doc.mark else []) + [doc.title, doc.subtitle, "", doc.statement]
    for section in doc.sections:
        lines += ["", f"== {section.title}"]
        if section.note:
            lines.append(f"({section.note})")
        for line in section.lines:
            flag = f" [{doc.labels['needs_translation']}]" if line.untranslated else ""
            cite = f"  <{line.citation}>" if line.citation else ""
            lines.append(f"{line.label}: {line.value}{flag}{cite}")
        for box in section.signatures:
            lines += _box(box, doc.labels)
    lines.append("")
    lines += [f"* {note}" for note in doc.footer]
    return "\n".join(lines) + "\n"
