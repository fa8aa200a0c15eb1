"""Compare two sets of ``bench/matcher.py --json`` records, instance by instance.

usage: .venv/bin/python bench/matcher_compare.py --before A.json [B.json...]
           --after C.json [D.json...]

Records of the same instance found in several files are pooled (for runs made in turns, so
that both versions meet the same load on a shared machine). Each row gives, before -> after,
the medians of filled seats (or urgency weight), bound, gap ``(bound - filled) / filled``,
wall and CPU seconds and peak RSS, and the number of runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any


def pooled(paths: list[str]) -> dict[str, list[dict[str, Any]]]:
    runs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in paths:
        for name, records in json.loads(Path(path).read_text(encoding="utf-8")).items():
            runs[name].extend(records)
    return runs


def filled(m: dict[str, Any]) -> int:
    o = m["objective"]
    return o["filled"] if m["variant"] == "staffing" else o["urgency_weight"]


def medians(runs: list[dict[str, Any]]) -> dict[str, float]:
    gaps = [100.0 * (m["bound"]["value"] - filled(m)) / max(1, filled(m)) for m in runs]
    return {
        "filled": statistics.median(filled(m) for m in runs),
        "bound": statistics.median(m["bound"]["value"] for m in runs),
        "gap": statistics.median(gaps),
        "worst_gap": max(gaps),
        "wall": statistics.median(m["wall_s"] for m in runs),
        "cpu": statistics.median(m["cpu_s"] for m in runs),
        "rss": statistics.median(m["peak_rss_mb"] for m in runs),
        "load": statistics.median(m["load_avg"] for m in runs),
        "n": len(runs),
        "judged": all(m.get("judge", "ok") == "ok" for m in runs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", nargs="+", required=True)
    parser.add_argument("--after", nargs="+", required=True)
    args = parser.parse_args()
    before, after = pooled(args.before), pooled(args.after)
    print(
        "| instance | filled | bound | gap % (worst) | wall s | CPU s | peak RSS MB "
        "| load avg | runs | judge |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in sorted(set(before) & set(after), key=_order):
        b, a = medians(before[name]), medians(after[name])
        print(
            f"| {name} | {b['filled']:g} → {a['filled']:g} | {b['bound']:g} → {a['bound']:g} "
            f"| {b['gap']:.2f} ({b['worst_gap']:.2f}) → {a['gap']:.2f} ({a['worst_gap']:.2f}) "
            f"| {b['wall']:.1f} → {a['wall']:.1f} | {b['cpu']:.1f} → {a['cpu']:.1f} "
            f"| {b['rss']:.0f} → {a['rss']:.0f} | {b['load']:.1f} / {a['load']:.1f} "
            f"| {b['n']} / {a['n']} | {'ok' if b['judged'] and a['judged'] else 'FAIL'} |"
        )
    return 0


def _order(name: str) -> tuple[str, int, str]:
    stem, _, number = name.rpartition("-")
    sizes = {"small": "0", "medium": "1", "large": "2"}
    kind, _, size = stem.partition("-")
    return (kind + sizes.get(size, size), int(number) if number.isdigit() else 0, name)


if __name__ == "__main__":
    sys.exit(main())
