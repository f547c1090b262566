"""Scoring the detector: LinCE-style CoNLL files, span gold, clean English.

Every scorer feeds the detector exactly what ``mtrepair detect - --jsonl --lines``
feeds it: the input is one document, each line one Segment whose offsets are the
line's offsets in that document.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Segment, Span
from ..stages import Detector

SCORED_TAGS = ("lang1", "lang2")  # LinCE: lang1 = English, lang2 = Spanish


@dataclass(frozen=True, slots=True)
class ConllSentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    line: int  # line number of its first token in the file


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file; give the path of an existing file", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}); convert it to UTF-8", path=str(path)) from None


def read_conll(path: str | Path) -> list[ConllSentence]:
    """Sentences of a LinCE-style file: ``token<TAB>tag`` lines, blank line between sentences."""
    p = Path(path)
    sentences: list[ConllSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    first = 0
    for lineno, raw in enumerate(_read_text(p).splitlines(), start=1):
        if raw.startswith("# "):
            continue
        if not raw.strip():
            if tokens:
                sentences.append(ConllSentence(tuple(tokens), tuple(tags), first))
                tokens, tags = [], []
            continue
        parts = raw.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise InputError("expected 'token<TAB>tag'; fix or remove this line", path=str(p), line=lineno)
        if not tokens:
            first = lineno
        tokens.append(parts[0])
        tags.append(parts[1])
    if tokens:
        sentences.append(ConllSentence(tuple(tokens), tuple(tags), first))
    return sentences


def line_segments(text: str, doc_id: str = "-") -> Iterator[Segment]:
    """One Segment per line of ``text``, offsets into ``text`` (the ``--lines`` contract)."""
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        yield Segment(doc_id=doc_id, start=pos, end=pos + len(body), text=body)
        pos += len(line)


def _f1(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def conll_text(sentences: list[ConllSentence]) -> str:
    """The text a CoNLL file stands for: tokens joined by single spaces, one sentence a line."""
    return "".join(" ".join(s.tokens) + "\n" for s in sentences)


def _score_tokens(sentences: list[ConllSentence], es_per_line: list[list[tuple[int, int]]]) -> dict[str, Any]:
    """Confusion over lang1/lang2 tokens; ``es_per_line`` holds document offsets."""
    counts = {(g, p): 0 for g in SCORED_TAGS for p in SCORED_TAGS}
    n_tokens = 0
    pos = 0
    for sentence, es in zip(sentences, es_per_line, strict=True):
        for token, tag in zip(sentence.tokens, sentence.tags, strict=True):
            start, end = pos, pos + len(token)
            pos = end + 1  # the joining space, or the newline after the last token
            n_tokens += 1
            if tag not in SCORED_TAGS:
                continue
            spanish = any(s < end and start < e for s, e in es)
            counts[(tag, "lang2" if spanish else "lang1")] += 1
    scored = sum(counts.values())
    correct = counts[("lang1", "lang1")] + counts[("lang2", "lang2")]
    per_label = {}
    for label in SCORED_TAGS:
        other = "lang2" if label == "lang1" else "lang1"
        per_label[label] = _f1(counts[(label, label)], counts[(other, label)], counts[(label, other)])
    support = {t: counts[(t, "lang1")] + counts[(t, "lang2")] for t in SCORED_TAGS}
    weighted = sum(float(per_label[t]["f1"]) * support[t] for t in SCORED_TAGS) / max(scored, 1)
    return {
        "sentences": len(sentences),
        "tokens": n_tokens,
        "scored_tokens": scored,
        "accuracy": round(correct / max(scored, 1), 4),
        "weighted_f1": round(weighted, 4),
        "per_label": per_label,
    }


def score_conll(path: str | Path, detector: Detector) -> dict[str, Any]:
    """Token accuracy over lang1/lang2 tokens, tokens inside ``es`` spans counting as Spanish.

    Tokens are joined by single spaces, one sentence per line, and the whole file
    is one document, as ``mtrepair detect - --jsonl --lines`` would see it.
    Also per-label precision/recall/F1 and the detector's speed on this text.
    """
    sentences = read_conll(path)
    text = conll_text(sentences)
    started = time.perf_counter()
    spans_per_line = [detector.detect(seg) for seg in line_segments(text)]
    seconds = time.perf_counter() - started
    result = _score_tokens(sentences, [[(s.start, s.end) for s in sp if s.label == "es"] for sp in spans_per_line])
    result["seconds"] = round(seconds, 3)
    result["tokens_per_second"] = round(result["tokens"] / seconds) if seconds > 0 else 0
    return result


def score_conll_jsonl(conll_path: str | Path, jsonl_path: str | Path) -> dict[str, Any]:
    """Score the output of ``mtrepair detect - --jsonl --lines`` run on ``conll_text``.

    The JSONL must hold one record per line of that text, in order, with
    document offsets; a record whose text or offsets disagree is an error.
    """
    sentences = read_conll(conll_path)
    lines = conll_text(sentences).splitlines()
    out_path = Path(jsonl_path)
    es_per_line: list[list[tuple[int, int]]] = []
    pos = 0
    raw_lines = [r for r in _read_text(out_path).splitlines() if r.strip()]
    if len(raw_lines) != len(lines):
        raise InputError(
            f"{len(raw_lines)} records for {len(lines)} sentences; run detect with --lines on the joined text",
            path=str(out_path),
        )
    for lineno, (raw, line) in enumerate(zip(raw_lines, lines, strict=True), start=1):
        try:
            rec = json.loads(raw)
            ok = rec["text"] == line and int(rec["start"]) == pos
            spans = [(int(s["start"]), int(s["end"])) for s in rec["spans"] if s["label"] == "es"]
        except (ValueError, KeyError, TypeError):
            ok = False
        if not ok:
            raise InputError(
                "record does not match the sentence at this position; run detect with --lines",
                path=str(out_path),
                line=lineno,
            )
        es_per_line.append(spans)
        pos += len(line) + 1
    return _score_tokens(sentences, es_per_line)


def _read_gold(path: Path) -> list[dict[str, Any]]:
    records = []
    for lineno, raw in enumerate(_read_text(path).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw)
            int(rec["start"]), int(rec["end"]), str(rec["doc"]), list(rec["spans"])
        except (ValueError, KeyError, TypeError):
            raise InputError(
                "not a gold record (JSON with doc, start, end, spans); fix this line", path=str(path), line=lineno
            ) from None
        rec["_line"] = lineno
        records.append(rec)
    return records


def score_gold(path: str | Path, seeds_dir: str | Path, detector: Detector) -> dict[str, Any]:
    """Exact-match span precision/recall/F1 for ``es`` and ``name`` against span gold.

    Each gold record names a seed file and the [start, end) of one segment of
    it; the detector sees that segment with the seed file as the document.
    Also reports gold ``es`` spans missed and gold ``name`` spans overlapped by a
    predicted ``es`` span (both must be empty).
    """
    gold_path = Path(path)
    seeds = Path(seeds_dir)
    texts: dict[str, str] = {}
    tallies = {label: [0, 0, 0] for label in ("es", "name")}
    missed_es: list[str] = []
    names_as_es: list[str] = []
    predicted_all: list[dict[str, Any]] = []
    for rec in _read_gold(gold_path):
        doc = rec["doc"]
        if doc not in texts:
            texts[doc] = _read_text(seeds / doc)
        text = texts[doc]
        start, end = int(rec["start"]), int(rec["end"])
        if not 0 <= start <= end <= len(text):
            raise InputError(
                f"segment [{start}, {end}) lies outside {doc}; fix the offsets", path=str(gold_path), line=rec["_line"]
            )
        spans: tuple[Span, ...] = detector.detect(Segment(doc, start, end, text[start:end]))
        predicted = {(s.start, s.end, s.label) for s in spans}
        gold = {(int(s["start"]), int(s["end"]), str(s["label"])) for s in rec["spans"]}
        for label, tally in tallies.items():
            p = {x for x in predicted if x[2] == label}
            g = {x for x in gold if x[2] == label}
            tally[0] += len(p & g)
            tally[1] += len(p - g)
            tally[2] += len(g - p)
        for gs, ge, label in sorted(gold):
            if label == "es" and (gs, ge, "es") not in predicted:
                missed_es.append(f"{doc}:{gs}-{ge} {text[gs:ge]!r}")
            if label == "name" and any(s.label == "es" and s.start < ge and gs < s.end for s in spans):
                names_as_es.append(f"{doc}:{gs}-{ge} {text[gs:ge]!r}")
        predicted_all.extend({"doc": doc, **s.to_json()} for s in spans)
    return {
        "es": _f1(*tallies["es"]),
        "name": _f1(*tallies["name"]),
        "missed_es": missed_es,
        "names_as_es": names_as_es,
        "predicted": predicted_all,
    }


def score_clean(path: str | Path, detector: Detector) -> dict[str, Any]:
    """Share of lines of a clean English file (one sentence per line) given any ``es`` span."""
    p = Path(path)
    text = _read_text(p)
    flagged: list[str] = []
    lines = 0
    for seg in line_segments(text):
        if not seg.text.strip():
            continue
        lines += 1
        es = [s.text for s in detector.detect(seg) if s.label == "es"]
        if es:
            flagged.append(f"{seg.text[:80]!r} -> {es}")
    return {
        "lines": lines,
        "lines_with_es": len(flagged),
        "rate": round(len(flagged) / max(lines, 1), 4),
        "flagged": flagged,
    }


def _letters(text: str, a: int, b: int, regions: list[tuple[int, int]] | None = None) -> int:
    """Letters of text[a:b], only those inside ``regions`` when given."""
    return sum(1 for k in range(a, b) if text[k].isalpha() and (regions is None or any(s <= k < e for s, e in regions)))


def score_letters(
    path: str | Path, articles_dir: str | Path, detector: Detector, *, body_only: bool = True
) -> dict[str, Any]:
    """es letter precision/recall/F1 against span gold, boilerplate segments left out.

    Exact span match punishes a span one word short as hard as a missed one; what the
    reader sees is how much Spanish is left, so this counts letters: a letter of a gold
    segment is a true positive when it lies inside both a gold and a predicted ``es``
    span. Also lists each gold ``es`` span's share of letters found, false-positive
    spans, and gold names overlapped by a predicted ``es`` span.
    """
    gold_path = Path(path)
    folder = Path(articles_dir)
    texts: dict[str, str] = {}
    tp = fp = fn = 0
    found: list[dict[str, Any]] = []
    false_pos: list[str] = []
    names_as_es: list[str] = []
    for rec in _read_gold(gold_path):
        if body_only and rec.get("boiler"):
            continue
        doc = rec["doc"]
        if doc not in texts:
            texts[doc] = _read_text(folder / doc)
        text = texts[doc]
        start, end = int(rec["start"]), int(rec["end"])
        spans = detector.detect(Segment(doc, start, end, text[start:end]))
        pred = [(s.start, s.end) for s in spans if s.label == "es"]
        gold = [(int(s["start"]), int(s["end"])) for s in rec["spans"] if s["label"] == "es"]
        for gs, ge in gold:
            total = _letters(text, gs, ge)
            hit = _letters(text, gs, ge, pred)
            tp += hit
            fn += total - hit
            found.append({"id": f"{doc}+{gs}", "text": text[gs:ge], "share": round(hit / max(total, 1), 3)})
        for ps, pe in pred:
            extra = _letters(text, ps, pe) - _letters(text, ps, pe, gold)
            fp += extra
            if extra:
                false_pos.append(f"{doc}:{ps}-{pe} {text[ps:pe]!r}")
        for s in rec["spans"]:
            gs, ge = int(s["start"]), int(s["end"])
            if s["label"] == "name" and any(a < ge and gs < b for a, b in pred):
                names_as_es.append(f"{doc}:{gs}-{ge} {text[gs:ge]!r}")
    return {"es_letters": _f1(tp, fp, fn), "gold_es": found, "false_positives": false_pos, "names_as_es": names_as_es}
