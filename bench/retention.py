"""`cyberspex retention run` on many cases while another process keeps writing (SQLite).

    .venv/bin/python bench/retention.py [--cases 15000] [--batch-size N]

Seeds a fresh SQLite database in a temporary folder with ``--cases`` cases due for retention
(tests/reliability/retention_load.py), starts a writer that commits one row every 10 ms with a
2-second busy timeout, runs the command, and prints the figures as JSON: the run's wall time,
its batches and longest batch, and the writer's writes, writes refused with "database is
locked" and longest wait. Results go to bench/results/retention.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=15000)
    parser.add_argument("--batch-size", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "CYBERSPEX_DATA_DIR": folder,
            "SECRET_KEY": "bench",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        }
        seed = [sys.executable, "-m", "tests.reliability.retention_load", "seed", str(args.cases), "Bench-Sentinel"]
        subprocess.run(seed, env=env, cwd=ROOT, check=True)
        stop = Path(folder) / "stop"
        write = [sys.executable, "-m", "tests.reliability.retention_load", "write", str(stop)]
        writer = subprocess.Popen(write, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        time.sleep(1)
        options = ["--batch-size", str(args.batch_size)] if args.batch_size else []
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "cyberspex", "retention", "run", *options],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.monotonic() - started
        stop.touch()
        out, _ = writer.communicate(timeout=60)
    summary = run.stdout.splitlines()[-1]
    longest = re.search(r"the longest ([\d.]+) s", summary)
    figures = {
        "cases": args.cases,
        "batch_size": args.batch_size or "default",
        "run_seconds": round(seconds, 2),
        "summary": summary,
        "longest_batch_seconds": float(longest.group(1)) if longest else None,
        "writer": json.loads(out),
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(figures, indent=2))
    results = ROOT / "bench" / "results" / "retention.json"
    results.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
