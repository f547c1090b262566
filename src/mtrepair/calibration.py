"""Calibrated edit confidence: each stage's raw confidence mapped to an observed correct rate.

``data/calibration.tsv`` holds, per calibration key (the rule; every glossary entry
shares the key ``glossary``, since entries are data and a per-entry rate would only
describe the dev files) and per raw-confidence bin, how many edits the gold judged and
how many were correct (``mtrepair eval calibrate`` writes it). The raw confidence
already carries the stage's evidence: Apertium's unknown-word marks lower it
(translate/apertium.py), the number rules grade their own patterns, so binning on it
keeps that evidence. Where the stage's confidence cannot see the context, an
evidence function registered per kind adds it to the key: a number edit next to a
number it did not take in ("6 thousand three", dev/real 03; "four 1,192 million",
dev/real 20) cut a longer expression short, and is wrong far more often.

The map is Beta smoothing with the raw confidence as the prior mean, per key and bin:
``p = (correct_bin + A * raw) / (n_bin + A)``. A rule seen a few times moves only part
of the way from what its stage claimed. In a bin the key was never seen in, the other
bins' record may only lower the stage's claim, never raise it:
``p = min(raw, (correct_rule + A * raw) / (n_rule + A))``; so a translation Apertium
scores low (many unknown words) is not lifted by the good record of the confident ones.
A key not in the table keeps its raw confidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .errors import MtrepairError
from .model import Edit

DEFAULT_TABLE = Path(__file__).parent / "data" / "calibration.tsv"
BINS = 4  # raw confidence quartiles: few dev observations per rule, so coarse bins
PRIOR_STRENGTH = 4.0  # pseudo-observations the raw confidence is worth
ALL_BINS = "*"
DEFAULT_MIN_CONFIDENCE = 0.5  # used only when the table does not state one
_THRESHOLD_KEY = "# default_min_confidence:"


@dataclass(frozen=True, slots=True)
class Counts:
    n: int
    correct: int


@dataclass(frozen=True, slots=True)
class Calibration:
    rules: Mapping[str, Counts] = field(default_factory=dict)
    bins: Mapping[tuple[str, int], Counts] = field(default_factory=dict)
    default_min_confidence: float = DEFAULT_MIN_CONFIDENCE
    prior: float = PRIOR_STRENGTH

    def confidence(self, edit: Edit, text: str = "") -> float:
        return self.map(calibration_key(edit, text), edit.confidence)

    def map(self, key: str, raw: float) -> float:
        """The calibrated confidence of an edit with this key and raw confidence."""
        rule = self.rules.get(key)
        if rule is None:
            return raw
        b = self.bins.get((key, confidence_bin(raw)))
        if b is not None:
            p = (b.correct + self.prior * raw) / (b.n + self.prior)
        else:
            p = min(raw, (rule.correct + self.prior * raw) / (rule.n + self.prior))
        return min(1.0, max(0.0, p))

    def apply(self, edit: Edit, text: str = "") -> Edit:
        return replace(edit, confidence=self.confidence(edit, text))


# English number words and digit-led tokens: what a complete number expression would
# have swallowed. Bounded look-around of one token each side.
_NUMBER_TOKEN = re.compile(
    r"(?:\d[\d.,]{0,30}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty|"
    r"hundred|thousand|million|billion)",
    re.IGNORECASE,
)
_LEFT_TOKEN = re.compile(r"(\S{1,40}) ?$")
_RIGHT_TOKEN = re.compile(r"^ ?(\S{1,40})")


def _number_evidence(edit: Edit, text: str) -> str:
    left = _LEFT_TOKEN.search(text[max(0, edit.start - 42) : edit.start])
    right = _RIGHT_TOKEN.match(text[edit.end : edit.end + 42])
    for m in (left, right):
        if m is not None and _NUMBER_TOKEN.fullmatch(m.group(1).strip(".,;:()")):
            return "cut"
    return ""


EVIDENCE: dict[str, Callable[[Edit, str], str]] = {"number": _number_evidence}


def calibration_key(edit: Edit, text: str = "") -> str:
    """The rule (``glossary`` for every glossary entry), plus ``|evidence`` where a kind has some."""
    key = "glossary" if edit.kind == "glossary" else edit.rule
    evidence = EVIDENCE.get(edit.kind)
    tag = evidence(edit, text) if evidence is not None and text else ""
    return f"{key}|{tag}" if tag else key


def confidence_bin(raw: float) -> int:
    return min(BINS - 1, max(0, int(raw * BINS)))


def parse_calibration(text: str, where: str = "calibration.tsv") -> Calibration:
    rules: dict[str, Counts] = {}
    bins: dict[tuple[str, int], Counts] = {}
    threshold = DEFAULT_MIN_CONFIDENCE
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.startswith(_THRESHOLD_KEY):
            threshold = float(line[len(_THRESHOLD_KEY) :])
            continue
        if not line.strip() or line.startswith("#") or line.startswith("key\t"):
            continue
        parts = line.split("\t")
        try:
            key, bin_, n, correct = parts[0], parts[1], int(parts[2]), int(parts[3])
        except (IndexError, ValueError):
            raise MtrepairError("expected 'key<TAB>bin<TAB>n<TAB>correct'", path=where, line=lineno) from None
        if bin_ == ALL_BINS:
            rules[key] = Counts(n, correct)
        else:
            bins[(key, int(bin_))] = Counts(n, correct)
    return Calibration(rules, bins, threshold)


@lru_cache(maxsize=4)
def load_calibration(path: str | None = None) -> Calibration:
    """The shipped table (or ``path``); a missing table means raw confidences."""
    p = Path(path) if path is not None else DEFAULT_TABLE
    if not p.is_file():
        return Calibration()
    return parse_calibration(p.read_text(encoding="utf-8"), str(p))


def format_calibration(
    rules: Mapping[str, Counts], bins: Mapping[tuple[str, int], Counts], threshold: float, header: str
) -> str:
    """The TSV ``parse_calibration`` reads: comment header, threshold line, one row per key and bin."""
    lines = [f"# {h}" if h else "#" for h in header.splitlines()]
    lines.append(f"{_THRESHOLD_KEY} {threshold:.4f}")
    lines.append("key\tbin\tn\tcorrect")
    for key in sorted(rules):
        c = rules[key]
        lines.append(f"{key}\t{ALL_BINS}\t{c.n}\t{c.correct}")
        for b in range(BINS):
            bc = bins.get((key, b))
            if bc is not None:
                lines.append(f"{key}\t{b}\t{bc.n}\t{bc.correct}")
    return "\n".join(lines) + "\n"
