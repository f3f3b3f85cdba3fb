"""Hostile workbooks against reading them whole: refusal time and memory, and what a real one costs.

Each case runs ``reading.open_source`` (what the Data page's preview and ``ingest`` both call) in a
fresh subprocess; wall time, and peak RSS of that process (the server's side) and of the child
that reads the workbook (``RUSAGE_CHILDREN`` inside it), are printed per run; medians of
``--runs`` runs.

    python bench/hostile_bench.py --runs 3 --dir /tmp/hostile-bench

Cases: ``bomb`` (2 MB, one 2 GiB shared string), ``lying-bomb`` (the same, claiming 1000 bytes),
``3m-rows`` (3M small rows), ``far-cell`` (A1 and XFD1048576), and ``full-sheet`` (the baseline: a
real 13-column orders sheet of 1,048,575 rows, the most Excel holds, which must load; written once
with zipfile, inline strings as openpyxl writes them).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import workbooks  # noqa: E402

RUN = """
import json, resource, sys, time
from pathlib import Path
from salesdash.errors import InputError
from salesdash.ingest import reading
start = time.perf_counter()
try:
    with reading.open_source(Path(sys.argv[1]), full=True) as src:
        outcome = f"read: {len(src.header)} columns"
except InputError as exc:
    outcome = str(exc)
print(json.dumps({
    "wall_s": time.perf_counter() - start,
    "parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "outcome": outcome,
}))
"""
HEADER = [
    "order_id",
    "line_no",
    "order_date",
    "customer_id",
    "region",
    "channel",
    "sales_rep",
    "product",
    "category",
    "quantity",
    "unit_price",
    "revenue",
    "cost",
]


def _inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def full_sheet(path: Path, n_rows: int = 1_048_575) -> Path:
    """A realistic orders sheet of ``n_rows`` under a header, streamed into the zip."""
    if path.exists():
        return path
    rng = random.Random(1)
    start = date(2024, 1, 1)
    parts = {
        "[Content_Types].xml": workbooks.CONTENT_TYPES,
        "_rels/.rels": workbooks.ROOT_RELS,
        "xl/workbook.xml": workbooks.WORKBOOK,
        "xl/_rels/workbook.xml.rels": workbooks.WORKBOOK_RELS,
        "xl/sharedStrings.xml": workbooks.SST_OPEN + b"</sst>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as book:
        for name, data in parts.items():
            book.writestr(name, data)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(workbooks.SHEET_OPEN + workbooks.row(*HEADER))
            block = []
            for i in range(n_rows):
                q, p = rng.randint(1, 5), round(rng.uniform(10, 3000), 2)
                cells = [
                    _inline(f"SO{i:08d}"),
                    "<c><v>1</v></c>",
                    _inline((start + timedelta(days=i % 700)).isoformat()),
                    _inline(f"C{rng.randint(1, 5000):06d}"),
                    _inline(rng.choice(("East", "West", "North", "South", "Central"))),
                    _inline(rng.choice(("direct", "store", "online"))),
                    _inline(rng.choice(("Ann", "Bob", "Wang Ling", "Li Lei"))),
                    _inline(f"Product {rng.randint(1, 200)}"),
                    _inline("Office"),
                    f"<c><v>{q}</v></c>",
                    f"<c><v>{p}</v></c>",
                    f"<c><v>{round(q * p, 2)}</v></c>",
                    f"<c><v>{round(q * p * 0.6, 2)}</v></c>",
                ]
                block.append("<row>" + "".join(cells) + "</row>")
                if len(block) == 10_000:
                    sheet.write("".join(block).encode())
                    block = []
            sheet.write("".join(block).encode() + workbooks.SHEET_CLOSE)
    return path


CASES = {
    "bomb": workbooks.big_string_bomb,
    "lying-bomb": lambda p: workbooks.big_string_bomb(p, declared=1000),
    "3m-rows": lambda p: workbooks.many_rows(p, 3_000_000),
    "far-cell": workbooks.far_cell,
    "full-sheet": full_sheet,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/hostile-bench"))
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"load average at start: {os.getloadavg()}")
    for case in args.cases:
        path = CASES[case](args.dir / f"{case}.xlsx")
        runs = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, "-c", RUN, str(path)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=True,
            )
            runs.append(json.loads(done.stdout))
        median = {k: statistics.median(r[k] for r in runs) for k in ("wall_s", "parent_mb")}
        child = statistics.median(r["child_mb"] for r in runs)
        print(
            f"{case:<11} {path.stat().st_size / 2**20:8.1f} MB file  "
            f"{median['wall_s']:6.2f} s  server side {median['parent_mb']:6.0f} MB  "
            f"reader child {child:6.0f} MB  → {runs[0]['outcome'][:90]}"
        )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    started = time.time()
    main()
    print(f"total {time.time() - started:.0f} s")
