"""``cyberspex states``: the States in the reference data and their treaty status."""

from __future__ import annotations

import argparse
import json

from cyberspex.law.model import ReferenceData, Treaty


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true")


def rows(data: ReferenceData) -> list[dict[str, object]]:
    out = []
    for iso, record in sorted(data.states.items()):
        row: dict[str, object] = {"code": iso, "name": record.name, "eu_member": iso in data.eu.members}
        for treaty in Treaty:
            part = record.participation(treaty)
            consent = part.consent.when.isoformat() if part and part.consent and part.consent.when else None
            row[treaty.value] = {"relation": part.relation.value if part else "none", "consent": consent}
        out.append(row)
    return out


def run(data: ReferenceData, args: argparse.Namespace) -> str:
    table = rows(data)
    if args.json:
        return json.dumps(table, indent=2, ensure_ascii=False)
    lines = [f"{'code':<5}{'name':<34}{'EU':<4}{'ETS 185':<12}{'CETS 224':<12}"]
    for row in table:
        relations = [treaty["relation"] for treaty in (row["ets185"], row["cets224"]) if isinstance(treaty, dict)]
        eu = "yes" if row["eu_member"] else ""
        lines.append(f"{row['code']:<5}{row['name']!s:<34}{eu:<4}" + "".join(f"{r:<12}" for r in relations))
    lines.append(
        f"{len(table)} States with treaty data; any other ISO 3166-1 code is accepted and bound by none of the instruments."
    )
    return "\n".join(lines)
