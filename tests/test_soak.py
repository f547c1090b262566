"""The soak run in short (issue 12, part 5): benchmarks/soak.py, a real script starting real processes.

8 reviewers × 25 operations on one glossary at once (the long run does 8 × 200 and 50
kills): every operation attempted is in the TSV afterwards, the history holds one record
per operation, and replaying it gives the TSV. Four writers killed with kill -9 leave it
consistent. A 2,500-concept TBX import goes in whole while another reviewer keeps editing.
Timing is printed by the benchmark, never asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_eight_reviewers_at_once_lose_no_edit_and_the_history_matches() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "soak.py"),
            "--processes",
            "8",
            "--edits",
            "25",
            "--kills",
            "4",
            "--corpus-kills",
            "0",
            "--imports",
            "2500",
            "--repeat",
            "1",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    edits = result["edits"]
    assert edits["errors"] == [] and edits["replay_problems"] == []
    assert edits["edits_attempted"] == edits["edits_succeeded"] == edits["edits_kept"] == 8 * 25
    assert edits["history_records"] == 8 * 25
    kills = result["kills"]
    assert kills["kills"] == 4 and kills["n_inconsistent"] == 0 and kills["stale_temps_after_next_write"] == 0
    assert kills["history_records"] == kills["tsv_entries"]  # only adds: one record per entry kept
    assert [row["entries"] for row in result["imports"]] == [2500]
    busy = result["reviewer_during_import"]
    assert busy["imported"] == 2500 and busy["other_reviewer_errors"] == [] and busy["other_reviewer_edits"] > 0
