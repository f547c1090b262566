"""The plain-text rendering of a CleanScore (what ``mtrepair eval clean`` prints)."""

from __future__ import annotations

from collections.abc import Sequence

from .clean import CleanScore, EditRecord
from .reliability import format_reliability


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({n / d:.1%})" if d else f"{n}/{d} (-)"


def _verdicts(records: Sequence[EditRecord]) -> str:
    c = {v: sum(1 for r in records if r.verdict == v) for v in ("correct", "wrong", "unjudged")}
    return f"{len(records)} ({c['correct']} correct, {c['wrong']} wrong, {c['unjudged']} unjudged)"


def _edit(r: EditRecord) -> str:
    return f"{r.doc}@{r.start} {r.rule} {r.confidence:.2f}: {r.before[:60]!r} -> {r.after[:60]!r} ({r.reason})"


def render_score(score: CleanScore, *, details: bool = True) -> list[str]:
    b = score.boilerplate
    out = [
        f"eval clean: {score.gold} on {score.articles}: {score.documents} documents, {score.segments} segments; "
        f"engine {score.engine}, {'calibrated' if score.calibrated else 'raw'} confidence, "
        f"min-confidence {score.min_confidence:.2f}",
        f"boilerplate: gold segments removed {_pct(b.removed, b.gold)}; body segments lost {_pct(len(b.lost), b.body)}",
    ]
    if details:
        out += [f"  kept: {x}" for x in b.kept] + [f"  LOST: {x}" for x in b.lost]
    for kind, item in score.items.items():
        out.append(f"{kind}: fixed exactly {_pct(item.fixed, item.gold)}")
        if details:
            out += [f"  missed: {x}" for x in item.missed]
    es = score.es
    out.append(
        f"es letters (non-boilerplate segments): precision {es.precision:.3f} recall {es.recall:.3f} "
        f"F1 {es.f1:.3f} (tp {es.tp}, fp {es.fp}, fn {es.fn})"
    )
    ch = score.chrf
    share = "-" if ch.share_of_oracle is None else f"{ch.share_of_oracle:.0%}"
    out.append(
        f"chrF against the reference ({len(ch.segments)} segments): mean gain {ch.mean_gain:+.2f}, "
        f"oracle (gold fixes only) {ch.oracle_mean_gain:+.2f}, {share} of the oracle; "
        f"{len(ch.worse)} segment(s) made worse"
    )
    out += [
        f"  worse: {s.doc}@{s.start} {s.source:.1f} -> {s.repaired:.1f}: {s.repaired_text[:100]!r}" for s in ch.worse
    ]
    applied = [r for r in score.edits if r.status == "applied"]
    flagged = [r for r in score.edits if r.status == "flagged"]
    out.append(f"edits applied: {_verdicts(applied)}; flagged for review: {_verdicts(flagged)}")
    out.append(
        f"applied edits at or above min-confidence {score.min_confidence:.2f} that the gold says are wrong: "
        f"{len(score.applied_wrong)}"
    )
    out += [f"  WRONG: {_edit(r)}" for r in score.applied_wrong]
    if details:
        out += [f"  flagged {r.verdict}: {_edit(r)}" for r in flagged]
    out.append("reliability (confidence as reported; correct share of the judged edits):")
    out += ["  " + line for line in format_reliability(score.reliability)]
    if score.newstest is not None:
        n = score.newstest
        out.append(f"newstest: {n.changed} of {n.lines} lines changed ({n.share:.2%}); rules: {n.rules}")
        if details:
            out += [f"  {x}" for x in n.examples]
    return out
