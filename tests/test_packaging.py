"""The reference data ship inside the wheel and load from an installed copy, not from the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
DATA = ROOT / "src" / "cyberspex" / "data"


def test_the_wheel_contains_every_data_file_and_loads_them(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("cyberspex-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    files = (*DATA.rglob("*.yaml"), *(DATA / "geo").glob("*"))  # geo: the treaty map's outlines and their licence
    shipped = {f"cyberspex/data/{p.relative_to(DATA).as_posix()}" for p in files}
    assert shipped
    assert shipped <= names
    web = DATA.parent / "web"
    pages = {f"cyberspex/web/{p.relative_to(web).as_posix()}" for p in (*web.rglob("*.html"), *(web / "static").glob("*"))}
    assert pages - names == set()  # every template (also in sub-folders) and static file
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        f"import sys; sys.path.insert(0, {str(target)!r}); "
        "from cyberspex.refdata.loader import load_reference_data, data_root; "
        "print(len(load_reference_data().states), data_root())"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    count, root = result.stdout.split()
    assert count == "81"
    assert root.startswith(str(target))
