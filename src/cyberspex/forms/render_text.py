"""Plain-text rendering of a document: for terminals, e-mail bodies and golden tests."""

from __future__ import annotations

from cyberspex.forms.document import Document


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
    lines.append("")
    lines += [f"* {note}" for note in doc.footer]
    return "\n".join(lines) + "\n"
