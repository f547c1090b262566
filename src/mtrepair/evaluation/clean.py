"""``mtrepair eval clean``: the real ``clean`` pipeline scored against segment gold (issue 9).

Per kind: boilerplate segments removed and body segments lost; numbers, terms and
glued words fixed exactly (the repaired text of the item's region equals the gold
fix); Spanish letters found (precision/recall/F1 of the letters inside ``es`` spans,
on the non-boilerplate segments); the mean segment chrF gain against the reference,
beside the gain of an oracle that applies only the gold fixes, and every segment made
worse; every edit judged (judge.py) with a reliability table per kind; optionally the
share of lines of a clean English file that ``clean`` changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..calibration import calibration_key
from ..model import Edit, RepairResult
from ..repair import Pipeline, Proposal, finish_repair, propose_edits, repair_text
from .chrf import chrf
from .gold import GoldSegment, GoldSet, articles_folder, read_gold
from .judge import judge_edit
from .reliability import ReliabilityBin, reliability_table
from .render import Change, changes, render

ITEM_KINDS = ("numbers", "terms", "glued")


@dataclass(frozen=True, slots=True)
class ItemScore:
    gold: int
    fixed: int
    missed: tuple[str, ...]  # "doc@start: 'text' -> 'got' (gold 'fix')"

    @property
    def share(self) -> float:
        return self.fixed / self.gold if self.gold else 1.0


@dataclass(frozen=True, slots=True)
class BoilerScore:
    gold: int
    removed: int
    body: int
    lost: tuple[str, ...]  # body segments an applied boilerplate edit removed text from
    kept: tuple[str, ...]  # gold boilerplate segments left in

    @property
    def share(self) -> float:
        return self.removed / self.gold if self.gold else 1.0


@dataclass(frozen=True, slots=True)
class LetterScore:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class SegmentChrf:
    doc: str
    start: int
    source: float
    repaired: float
    oracle: float
    repaired_text: str

    @property
    def gain(self) -> float:
        return self.repaired - self.source


@dataclass(frozen=True, slots=True)
class ChrfScore:
    segments: tuple[SegmentChrf, ...]

    @property
    def mean_gain(self) -> float:
        return sum(s.gain for s in self.segments) / len(self.segments) if self.segments else 0.0

    @property
    def oracle_mean_gain(self) -> float:
        return sum(s.oracle - s.source for s in self.segments) / len(self.segments) if self.segments else 0.0

    @property
    def share_of_oracle(self) -> float | None:
        o = self.oracle_mean_gain
        return self.mean_gain / o if o > 0 else None

    @property
    def worse(self) -> tuple[SegmentChrf, ...]:
        return tuple(s for s in self.segments if s.repaired < s.source - 1e-9)


@dataclass(frozen=True, slots=True)
class EditRecord:
    doc: str
    start: int
    end: int
    kind: str
    rule: str
    confidence: float
    status: str
    before: str
    after: str
    verdict: str
    reason: str
    key: str  # the calibration key (rule and evidence), see calibration.py
    raw_confidence: float  # the stage's own, before calibration


@dataclass(frozen=True, slots=True)
class NewstestScore:
    lines: int
    changed: int
    rules: dict[str, int]
    examples: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.changed / self.lines if self.lines else 0.0


@dataclass(frozen=True, slots=True)
class CleanScore:
    gold: str
    articles: str
    engine: str
    calibrated: bool
    min_confidence: float
    documents: int
    segments: int
    boilerplate: BoilerScore
    items: dict[str, ItemScore]
    es: LetterScore
    chrf: ChrfScore
    edits: tuple[EditRecord, ...]
    newstest: NewstestScore | None = None
    reliability: dict[str, tuple[ReliabilityBin, ...]] = field(default_factory=dict)

    def kind_scores(self) -> dict[str, float]:
        """One 0..1 figure per kind (1.0 everywhere is the seeds' target)."""
        out = {"boilerplate": self.boilerplate.share if not self.boilerplate.lost else 0.0}
        out.update({k: v.share for k, v in self.items.items()})
        out["es_f1"] = self.es.f1
        return out

    @property
    def applied_wrong(self) -> tuple[EditRecord, ...]:
        """Applied edits (all at or above the threshold) that the gold says are wrong."""
        return tuple(e for e in self.edits if e.status == "applied" and e.verdict == "wrong")

    def verdicts(self, status: str) -> Counter[str]:
        return Counter(e.verdict for e in self.edits if e.status == status)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind_scores"] = {k: round(v, 4) for k, v in self.kind_scores().items()}
        data["es"].update(precision=self.es.precision, recall=self.es.recall, f1=self.es.f1)
        data["chrf"] = {
            "segments": len(self.chrf.segments),
            "mean_gain": self.chrf.mean_gain,
            "oracle_mean_gain": self.chrf.oracle_mean_gain,
            "share_of_oracle": self.chrf.share_of_oracle,
            "worse": [asdict(s) for s in self.chrf.worse],
        }
        data["applied"] = dict(self.verdicts("applied"))
        data["flagged"] = dict(self.verdicts("flagged"))
        data["applied_wrong"] = len(self.applied_wrong)
        data["reliability"] = {
            k: [{**asdict(b), "correct_share": b.correct_share} for b in bins] for k, bins in self.reliability.items()
        }
        if self.newstest is not None:
            data["newstest"]["share"] = self.newstest.share
        return data


def evaluate_clean(
    gold_path: str | Path,
    articles_dir: str | Path | None = None,
    *,
    engine: str = "auto",
    glossary_dir: str | None = None,
    model_dir: str | None = None,
    min_confidence: float | None = None,
    calibrated: bool = True,
    newstest: str | Path | None = None,
) -> CleanScore:
    """Open the pipeline exactly as ``mtrepair clean`` does, repair the gold's articles, score them."""
    from ..repair import open_pipeline

    folder = Path(articles_dir) if articles_dir is not None else articles_folder(gold_path)
    gold = read_gold(gold_path, folder)
    pipeline = open_pipeline(
        glossary_dir=glossary_dir,
        engine=engine,
        model_dir=model_dir,
        min_confidence=min_confidence,
        calibrated=calibrated,
    )
    try:
        return score_pipeline(gold, pipeline, str(gold_path), str(folder), newstest)
    finally:
        if pipeline.translator is not None:
            pipeline.translator.close()


def score_pipeline(
    gold: GoldSet, pipeline: Pipeline, gold_name: str = "-", articles: str = "-", newstest: str | Path | None = None
) -> CleanScore:
    return score_proposals(gold, propose_all(gold, pipeline), pipeline, gold_name, articles, newstest)


def propose_all(gold: GoldSet, pipeline: Pipeline) -> dict[str, Proposal]:
    """The stages' proposals for every gold article (the slow part: detection, translation)."""
    return {doc: propose_edits(d, pipeline) for doc, d in gold.documents.items()}


def _raw_key(e: Edit) -> tuple[int, int, str, str, str]:
    return (e.start, e.end, e.kind, e.rule, e.after)


def score_proposals(
    gold: GoldSet,
    proposals: dict[str, Proposal],
    pipeline: Pipeline,
    gold_name: str = "-",
    articles: str = "-",
    newstest: str | Path | None = None,
) -> CleanScore:
    """Score the proposals as ``pipeline`` (its calibration and threshold) would apply them."""
    results = {doc: finish_repair(p, pipeline) for doc, p in proposals.items()}
    by_doc = gold.by_doc()
    applied = {doc: [e for e in r.edits if e.applied] for doc, r in results.items()}
    records: list[EditRecord] = []
    for doc, r in results.items():
        text = r.document.text
        raw = {_raw_key(e): e.confidence for e in proposals[doc].edits}
        for e in r.edits:
            if e.before == e.after:
                continue  # a refused repair: nothing was proposed to change
            j = judge_edit(e, text, by_doc[doc], applied[doc])
            status = "applied" if e.applied else "flagged"
            records.append(
                EditRecord(
                    doc,
                    e.start,
                    e.end,
                    e.kind,
                    e.rule,
                    e.confidence,
                    status,
                    e.before,
                    e.after,
                    j.verdict,
                    j.reason,
                    calibration_key(e, text),
                    raw.get(_raw_key(e), e.confidence),
                )
            )
    return CleanScore(
        gold=gold_name,
        articles=articles,
        engine=pipeline.provenance.engine,
        calibrated=pipeline.calibration is not None,
        min_confidence=pipeline.min_confidence,
        documents=len(results),
        segments=len(gold.segments),
        boilerplate=_boilerplate(gold.segments, results, applied),
        items={k: _items(gold.segments, results, applied, k) for k in ITEM_KINDS},
        es=_letters(gold.segments, results),
        chrf=_chrf(gold.segments, results, applied),
        edits=tuple(records),
        newstest=newstest_share(newstest, pipeline) if newstest is not None else None,
        reliability=reliability_table((e.kind, e.confidence, e.verdict, e.status == "applied") for e in records),
    )


def _where(seg: GoldSegment, start: int | None = None) -> str:
    return f"{seg.doc}@{seg.start if start is None else start}"


def _boilerplate(
    segments: Sequence[GoldSegment], results: dict[str, RepairResult], applied: dict[str, list[Edit]]
) -> BoilerScore:
    removed, lost, kept = 0, [], []
    for seg in segments:
        text = results[seg.doc].document.text
        cut = [e for e in applied[seg.doc] if e.kind == "boilerplate" and e.start < seg.end and seg.start < e.end]
        if seg.boiler:
            if render(text, seg.start, seg.end, changes(cut)).strip() == "":
                removed += 1
            else:
                kept.append(f"{_where(seg)}: {seg.source[:60]!r}")
        elif any(text[max(e.start, seg.start) : min(e.end, seg.end)].strip() for e in cut):
            lost.append(f"{_where(seg)}: {seg.source[:60]!r}")
    body = sum(1 for s in segments if not s.boiler)
    return BoilerScore(sum(1 for s in segments if s.boiler), removed, body, tuple(lost), tuple(kept))


def _items(
    segments: Sequence[GoldSegment], results: dict[str, RepairResult], applied: dict[str, list[Edit]], field: str
) -> ItemScore:
    gold, fixed, missed = 0, 0, []
    for seg in segments:
        # An item inside site chrome is scored with the chrome: removing the segment is
        # its repair (dev/real 01's teaser holds "100 thousand" and "issuanceThe").
        if seg.boiler:
            continue
        text = results[seg.doc].document.text
        for item in seg.items:
            if item.field != field:
                continue
            gold += 1
            got = render(text, item.start, item.end, changes(applied[seg.doc]))
            if got == item.fix:
                fixed += 1
            else:
                missed.append(f"{_where(seg, item.start)}: {item.text!r} -> {got!r} (gold {item.fix!r})")
    return ItemScore(gold, fixed, tuple(missed))


def _letter_positions(text: str, spans: Sequence[tuple[int, int]], lo: int, hi: int) -> set[int]:
    return {i for a, b in spans for i in range(max(a, lo), min(b, hi)) if text[i].isalpha()}


def _letters(segments: Sequence[GoldSegment], results: dict[str, RepairResult]) -> LetterScore:
    tp = fp = fn = 0
    for seg in segments:
        if seg.boiler:
            continue
        r = results[seg.doc]
        found = _letter_positions(
            r.document.text, [(s.start, s.end) for s in r.spans if s.label == "es"], seg.start, seg.end
        )
        gold = _letter_positions(r.document.text, [(s.start, s.end) for s in seg.es], seg.start, seg.end)
        tp += len(found & gold)
        fp += len(found - gold)
        fn += len(gold - found)
    return LetterScore(tp, fp, fn)


def _chrf(
    segments: Sequence[GoldSegment], results: dict[str, RepairResult], applied: dict[str, list[Edit]]
) -> ChrfScore:
    out: list[SegmentChrf] = []
    for seg in segments:
        if seg.reference is None or seg.boiler:
            continue
        text = results[seg.doc].document.text
        repaired = render(text, seg.start, seg.end, changes(applied[seg.doc]))
        oracle = render(text, seg.start, seg.end, [Change(i.start, i.end, i.fix or "") for i in seg.fixes()])
        out.append(
            SegmentChrf(
                seg.doc,
                seg.start,
                chrf(seg.source, seg.reference),
                chrf(repaired, seg.reference),
                chrf(oracle, seg.reference),
                repaired,
            )
        )
    return ChrfScore(tuple(out))


def newstest_share(path: str | Path, pipeline: Pipeline, examples: int = 20) -> NewstestScore:
    """Lines of a clean English file (one sentence a line) that the pipeline changes at all."""
    lines = [line for line in Path(path).read_text(encoding="utf-8").split("\n") if line.strip()]
    changed = 0
    rules: Counter[str] = Counter()
    shown: list[str] = []
    for i, line in enumerate(lines, start=1):
        r = repair_text(line, pipeline, doc_id=f"line{i}")
        fired = [e for e in r.edits if e.applied]
        if not fired:
            continue
        changed += 1
        rules.update(e.rule for e in fired)
        if len(shown) < examples:
            shown.append(f"line {i}: " + "; ".join(f"{e.rule}: {e.before!r} -> {e.after!r}" for e in fired))
    return NewstestScore(len(lines), changed, dict(rules.most_common()), tuple(shown))
