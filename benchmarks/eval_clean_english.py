"""How much `mtrepair clean --engine none` changes clean English news (issue 4 target: <= 0.5%).

Feeds ../shared/data/mt/newstest2013.eng (3,000 professionally translated English
sentences, one per line) through the real CLI as one article, then counts the lines
that differ and lists every rule that fired. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/eval_clean_english.py
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "data" / "mt" / "newstest2013.eng"


def main() -> None:
    lines = NEWS.read_text(encoding="utf-8").split("\n")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "r.jsonl"
        proc = subprocess.run(
            [sys.executable, "-m", "mtrepair", "clean", str(NEWS), "--engine", "none", "--stdout", "--report", str(report)],
            capture_output=True,
            cwd=ROOT,
            check=True,
        )
        edits = [json.loads(x) for x in report.read_text(encoding="utf-8").splitlines()]
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    changed: dict[int, list[dict]] = collections.defaultdict(list)
    import bisect

    for e in edits:
        if e["before"] != e["after"]:
            changed[bisect.bisect_right(starts, e["start"]) - 1].append(e)
    total = sum(1 for line in lines if line.strip())
    print(f"newstest2013.eng: {len(changed)} of {total} sentences changed ({len(changed) / total:.2%}); goal <= 0.5%")
    print("rules fired:", dict(collections.Counter(e["rule"] for es in changed.values() for e in es)))
    for i, es in sorted(changed.items()):
        print(f"  line {i + 1}: " + "; ".join(f"{e['rule']}: {e['before']!r} -> {e['after']!r}" for e in es))
    out = proc.stdout.decode("utf-8").split("\n")
    print(f"output lines: {len(out)} (input {len(lines)})")


if __name__ == "__main__":
    main()
