#!/usr/bin/env python3
"""check_figures.py — the documentation quotes only measured figures.

Run by `make test-docs`, from anywhere:

    python3 tests/docs/check_figures.py

Every duration in nanoseconds or microseconds ("154 ns", "0.094 µs") that
README.md, docs/*.md or a binding's README.md states must appear, as the same
number and unit, in bench/results/summary.md: the summary `make bench` writes,
kept in the repository as the record of the run the docs quote. A figure typed
by hand, or left over from an older run, fails.

After a new `make bench` run, either commit its summary and update the figures
the docs quote, or restore the committed summary (git checkout
bench/results/summary.md).

Exit status 0 when every figure is in the summary, 1 otherwise.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import List, Set, Tuple

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = ROOT / "bench" / "results" / "summary.md"
# A number and a sub-millisecond unit; "us" is accepted as µs.
FIGURE = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s?(ns|µs|us)\b")


def pages() -> List[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "bindings").glob("*/README.md"))]


def figures(text: str) -> Set[Tuple[str, str]]:
    """The (number, unit) pairs of text, normalised: no thousands separators, µs for us."""
    return {(n.replace(",", ""), "µs" if u == "us" else u) for n, u in FIGURE.findall(text)}


def without_goals(lines: List[str]) -> List[str]:
    """lines with the cells of a table's "goal" column blanked: a goal is not
    a measurement."""
    out, goal = [], None
    for line in lines:
        if not line.startswith("|"):
            goal = None
            out.append(line)
            continue
        cells = line.strip().strip("|").split("|")
        names = [c.strip() for c in cells]
        if "goal" in names:
            goal = names.index("goal")
        if goal is not None and len(cells) > goal:
            cells[goal] = ""
        out.append("|".join(cells))
    return out


def main() -> int:
    measured: Set[Tuple[str, str]] = set()
    for line in without_goals(SUMMARY.read_text(encoding="utf-8").splitlines()):
        measured |= figures(line)
    problems = []
    for page in pages():
        for n, line in enumerate(without_goals(page.read_text(encoding="utf-8").splitlines()), 1):
            for number, unit in sorted(figures(line) - measured):
                problems.append(f"{page.relative_to(ROOT)}:{n}: {number} {unit} is not in {SUMMARY.relative_to(ROOT)}")
    for p in problems:
        print(f"FAIL {p}")
    print(f"figures: {'FAILED' if problems else 'every quoted figure is in the bench summary'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
