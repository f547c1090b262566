"""The translate stage: a document's Spanish spans → English edits.

For every ``es`` span, in this order: an approved translation-memory entry, a glossary
term, a domain fragment rule (data/translate_domain.tsv), then the engine, batched over
all spans of the document. What goes to the engine is the span with the glossary and
number edits inside it applied, and with those outputs, names, keep entries, numbers
and URLs replaced by placeholders (masking.py). The translation is then fitted into its
sentence: capital letter only at sentence start, spacing and punctuation as around it.

The returned ``translation`` Edit covers the whole span, inner edits included: when it
is applied it replaces them; when it is not (flagged, or ``after == before`` when the
engine failed), the inner edits still apply on their own.

Every engine translation gets a raw confidence from its evidence (confidence.py) and
is applied only above the threshold; one that changed a name or a number, left most
of the span in Spanish, reads as no English, or translated a span that is no Spanish
(a French phrase, an English homograph alone) is refused: emitted flagged, with the
proposal in ``after`` for a reviewer, and rule ``translate:refused-<why>``.

Two engine-side repairs keep the output whole: a term placeholder travels through
Apertium as a carrier noun, so Spanish adjectives after it move before it; a
capitalized run the engine half translated ("Nuevo León" → "New León") is a name,
masked and translated again.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from ..model import Edit, EditStatus, Segment, Span, SpanTranslation, apply_edits
from ..regions import RegionSet, overlapping
from ..stages import (
    ContextTranslator,
    NumberKeepingTranslator,
    Region,
    TermLookup,
    TermMatcher,
    Translation,
    Translator,
)
from .confidence import (
    DEFAULT_THRESHOLD,
    ENGLISH_ZIPF,
    LANGID_LETTERS,
    NOT_SPANISH_KNOWN,
    Evidence,
    Origin,
    english_source_share,
    english_zipf,
    is_english_homograph,
    output_shares,
    raw_confidence,
    refusal,
)
from .domain import EMPTY_RULES, DomainRules, load_domain_rules
from .masking import PLACEHOLDER_RE, MaskedText, Slot, mask, restore, same_numbers, sanitize
from .memory import lookup, normalize_source

# Words of English kept on each side of a fragment so the engine sees its grammar.
CONTEXT_WORDS = 6
_OPENERS = "\"'“‘«¿¡([{—–- "
_SENTENCE_END = re.compile(r"[.!?…]\s*[\"'”’»)]*\s*$")
_CLOSERS = "\"'”’»)"
# A quantity right before a span that starts with "de": "1,5 millones de consultas"
# after the number stage reads "1.5 million de consultas"; English says "1.5 million
# consultations", so the partitive "of" the engine gives for "de" is dropped.
_QUANTITY_BEFORE = re.compile(r"(?:\d|\b(?:million|millions|billion|billions|thousand|millones|millón|mil))\s+\Z")
_PARTITIVE_DE = re.compile(r"^de[l]?\s", re.IGNORECASE)
_LEADING_OF = re.compile(r"^of\s+(?:the\s+)?", re.IGNORECASE)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?%)\]}»”’])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{«“‘¿¡])\s+")
_MULTISPACE = re.compile(r"[ \t]{2,}")
_WORD = re.compile(r"\S+")


@dataclass
class _Job:
    """One span on its way through the stage."""

    span: Span
    before: str
    segment: Segment | None
    sentence_initial: bool
    after_quantity: bool = False  # "1.5 million [de consultas]": English needs no "of"
    masked: MaskedText | None = None
    known_share: float = 1.0  # of the span alone: the context translation has no own marks
    terms: dict[int, bool] = field(default_factory=dict)  # term placeholder → Spanish plural
    result: Translation | None = None
    edit: Edit | None = None
    record: SpanTranslation | None = None


def translate_spans(
    text: str,
    spans: Sequence[Span],
    segments: Sequence[Segment],
    *,
    protected: Sequence[Region],
    inner_edits: Sequence[Edit],
    translator: Translator | None,
    memory: Mapping[str, str] | None = None,
    glossary: TermMatcher | None = None,
    rules: DomainRules | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    spans_are_lines: bool = False,
) -> tuple[list[Edit], list[SpanTranslation]]:
    """One ``translation`` Edit and one SpanTranslation per ``es`` span (see module doc).

    With ``translator`` None, memory and glossary still apply; other spans get no edit
    (they stay flagged for review) and a SpanTranslation with status ``untranslated``.
    An engine translation whose raw confidence is below ``threshold`` is emitted flagged.
    ``spans_are_lines``: the caller says every span is a Spanish line (``translate``),
    so langdetect, the costly check of whether a span is Spanish at all, is skipped.
    """
    engine_name = "none" if translator is None else translator.name
    if rules is None:
        rules = load_domain_rules() if translator is not None else EMPTY_RULES
    keeps_numbers = _keeps_numbers(translator)
    jobs = _make_jobs(text, spans, segments)
    near = _Nearby(jobs, protected, inner_edits)
    pending: list[_Job] = []
    for k, job in enumerate(jobs):
        if _resolve_without_engine(job, text, memory, glossary, rules, engine_name, translator):
            continue
        job.masked = _mask_span(job, text, near, k, rules, engine_name, keeps_numbers)
        if job.masked is None:
            _reject(job, "translate:overlap", engine_name)
        elif not _has_words(job.masked.text):
            # Nothing left to translate (the span is a number or a name): keep it.
            restored = restore(job.masked.text, job.masked) or job.before
            _accept(job, restored, "kept", "translate:" + engine_name, _engine_id(translator), rules, engine_name)
        else:
            pending.append(job)
    if pending and translator is not None:
        _run_engine(text, pending, translator)
        for job in pending:
            _finish(job, text, translator, rules, threshold, spans_are_lines)
    edits = [j.edit for j in jobs if j.edit is not None]
    records = [j.record for j in jobs if j.record is not None]
    return edits, records


def translate_lines(
    lines: Iterable[str],
    translator: Translator | None,
    *,
    glossary: TermMatcher | None = None,
    memory: Mapping[str, str] | None = None,
    rules: DomainRules | None = None,
    chunk: int = 256,
) -> Iterator[str]:
    """One Spanish line in, one English line out (``mtrepair translate``), through the
    same masking, glossary, memory and engine path as :func:`translate_spans`."""
    buffer: list[str] = []
    for line in lines:
        buffer.append(line.rstrip("\r\n"))
        if len(buffer) >= chunk:
            yield from _translate_chunk(buffer, translator, glossary, memory, rules)
            buffer = []
    if buffer:
        yield from _translate_chunk(buffer, translator, glossary, memory, rules)


def _translate_chunk(
    lines: list[str], translator: Translator | None, glossary: TermMatcher | None, memory: Mapping[str, str] | None,
    rules: DomainRules | None,
) -> list[str]:
    # The chunk becomes one document whose lines are segments and whole es spans;
    # newlines inside a line cannot occur (we split on them).
    text = "\n".join(lines)
    segments: list[Segment] = []
    spans: list[Span] = []
    pos = 0
    for line in lines:
        segments.append(Segment("-", pos, pos + len(line), line))
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped)
            spans.append(Span(start, start + len(stripped), "es", stripped))
        pos += len(line) + 1
    protected: list[Region] = []
    inner: list[Edit] = []
    for seg in segments:
        seg_protected = list(glossary.keep_regions(text, seg.start, seg.end)) if glossary is not None else []
        protected.extend(seg_protected)
        if glossary is not None:
            seg_spans = [s for s in spans if seg.start <= s.start < seg.end]
            for e in glossary.find_edits(text, seg, seg_spans, seg_protected):
                if any(s.start <= e.start and e.end <= s.end for s in seg_spans):
                    inner.append(e)
    edits, _ = translate_spans(
        text, spans, segments, protected=protected, inner_edits=inner,
        translator=translator, memory=memory, glossary=glossary, rules=rules, spans_are_lines=True,
    )
    applied = [_as_line_translation(e) for e in edits]
    applied = [e for e in applied if e.applied]
    # Where a line was not translated, its glossary/number edits still apply: each one that
    # overlaps neither a translation nor an edit already taken (a try/except around
    # apply_edits used to drop every such edit of the chunk when two of them overlapped).
    taken = RegionSet()
    for e in applied:
        taken.add(e.start, e.end)
    rest: list[Edit] = []
    for e in sorted((e for e in inner if e.applied), key=lambda e: (e.start, -e.end)):
        if not taken.overlaps(e.start, e.end):
            rest.append(e)
            taken.add(e.start, e.end)
    out = apply_edits(text, applied + rest)
    result = out.split("\n")
    if len(result) != len(lines):  # a translation cannot add a newline, but never misalign
        raise AssertionError("translate_lines produced a different number of lines")
    return result


# A whole line the user says is Spanish: the detector's doubts (one English-looking
# word, langdetect, words Apertium does not know) do not apply, a lost placeholder does.
_LINE_REFUSALS = ("translate:refused-protected",)


def _as_line_translation(e: Edit) -> Edit:
    if e.applied or e.after == e.before or e.rule in _LINE_REFUSALS:
        return e
    return replace(e, status="applied")


# -- stages of one span ------------------------------------------------------------


def _make_jobs(text: str, spans: Sequence[Span], segments: Sequence[Segment]) -> list[_Job]:
    segment_at = _segment_finder(segments)
    jobs: list[_Job] = []
    last_end = -1
    for span in sorted((s for s in spans if s.label == "es"), key=lambda s: (s.start, s.end)):
        if span.end <= span.start or span.start < last_end or span.end > len(text):
            continue  # empty, overlapping or out of range: nothing sane to replace
        last_end = span.end
        segment = segment_at(span.start)
        after_quantity = bool(_QUANTITY_BEFORE.search(text, max(0, span.start - 40), span.start))
        jobs.append(
            _Job(span, text[span.start : span.end], segment, _is_sentence_initial(text, span, segment), after_quantity)
        )
    return jobs


def _is_sentence_initial(text: str, span: Span, segment: Segment | None) -> bool:
    """Only openers before the span in its segment, or a sentence end right before it.

    Both are read backwards from the span and stop at the first character that decides,
    never at the segment's start: one sentence of a million characters (a scraped line
    with no full stop) made the whole-prefix version quadratic (issue 12).
    """
    seg_start = segment.start if segment is not None else 0
    k = span.start
    while k > seg_start and text[k - 1] in _OPENERS:
        k -= 1
    if k == seg_start:
        return True
    # _SENTENCE_END matches a mark followed only by spaces and closing quotes: the
    # mark can only be the last character before the span that is neither.
    k = span.start
    while k > seg_start and (text[k - 1].isspace() or text[k - 1] in _CLOSERS):
        k -= 1
    return bool(_SENTENCE_END.search(text, max(seg_start, k - 1), span.start))


def _keeps_numbers(translator: Translator | None) -> bool:
    return isinstance(translator, NumberKeepingTranslator) and translator.keeps_numbers


FRAGMENT_CONTEXT = 200  # characters each side a domain fragment rule may read


def _resolve_without_engine(
    job: _Job, text: str, memory: Mapping[str, str] | None, glossary: TermMatcher | None,
    rules: DomainRules, engine_name: str, translator: Translator | None,
) -> bool:
    hit = lookup(memory, job.before)
    if hit is not None:
        _set(job, hit, _rule_confidence("memory"), "memory", "memory", "approved")
        return True
    if isinstance(glossary, TermLookup):
        term = glossary.lookup_term(job.before)
        if term is not None:
            target, term_id = term, normalize_source(job.before)
            _set(job, _fit(target, job, ()), _rule_confidence("glossary"), f"glossary:{term_id}", "glossary",
                 "glossary")
            return True
    if translator is None:
        job.record = SpanTranslation(job.span.start, job.span.end, job.before, "", "none", 0.0, "untranslated")
        return True
    seg_start = job.segment.start if job.segment is not None else 0
    seg_end = job.segment.end if job.segment is not None else len(text)
    # A bounded window each side (domain.py reads 60 characters): the whole segment
    # each side of every span made one long sentence quadratic (issue 12).
    left = text[max(seg_start, job.span.start - FRAGMENT_CONTEXT) : job.span.start]
    right = text[job.span.end : max(min(seg_end, job.span.end + FRAGMENT_CONTEXT), job.span.end)]
    rule = rules.fragment(job.before, left, right, engine_name)
    if rule is not None:
        _set(job, _fit(rule.target, job, ()), _rule_confidence("domain"), "translate:domain",
             _engine_id(translator), "machine")
        return True
    return False


def _segment_finder(segments: Sequence[Segment]) -> Callable[[int], Segment | None]:
    """The first segment (in start order) holding a position; an empty segment holds its start.

    Segments of one document do not overlap (sentences, lines): a bisect finds the one
    that can hold the position. A scan of every segment per span made a long Spanish
    line quadratic (issue 12); overlapping segments (no caller makes them) keep the scan.
    """
    ordered = sorted(segments, key=lambda s: s.start)
    starts = [g.start for g in ordered]
    disjoint = all(b.start >= max(a.end, a.start + 1) for a, b in pairwise(ordered))

    def holds(g: Segment, pos: int) -> bool:
        return g.start <= pos < max(g.end, g.start + 1)

    def find(pos: int) -> Segment | None:
        if not disjoint:
            return next((g for g in ordered if holds(g, pos)), None)
        i = bisect.bisect_right(starts, pos) - 1
        return ordered[i] if i >= 0 and holds(ordered[i], pos) else None

    return find


class _Nearby:
    """What lies inside or across each job's span, found in one sweep over all jobs:
    the applied inner edits (by start) and the protected regions (as given) it meets."""

    def __init__(self, jobs: Sequence[_Job], protected: Sequence[Region], inner_edits: Sequence[Edit]) -> None:
        queries = [(j.span.start, j.span.end) for j in jobs]
        self.inner = sorted((e for e in inner_edits if e.applied), key=lambda e: e.start)
        self.protected = [r for r in protected if r[0] < r[1]]  # an empty region protects nothing
        self._inner_hits = overlapping(queries, [(e.start, e.end) for e in self.inner])
        self._protected_hits = overlapping(queries, self.protected)
        # (start, output) of every glossary edit: a slot holding one is a term.
        self.glossary_outputs = {(e.start, e.after) for e in inner_edits if e.kind == "glossary"}

    def inner_edits(self, k: int) -> list[Edit]:
        return [self.inner[i] for i in self._inner_hits[k]]

    def protected_regions(self, k: int) -> list[Region]:
        return [self.protected[i] for i in self._protected_hits[k]]


def _mask_span(
    job: _Job, text: str, near: _Nearby, k: int, rules: DomainRules, engine_name: str, keeps_numbers: bool,
) -> MaskedText | None:
    start, end = job.span.start, job.span.end
    slots: list[Slot] = []
    for e in near.inner_edits(k):
        if e.start < start or e.end > end:
            return None  # an inner edit crossing the span's edge: the two cannot both apply
        slots.append(Slot(e.start - start, e.end - start, e.after))
    for p_start, p_end in near.protected_regions(k):
        s, t = max(p_start, start), min(p_end, end)
        slots.append(Slot(s - start, t - start, text[s:t]))
    source = sanitize(job.before)
    slots.extend(rules.number_slots(source, engine_name))
    term_slots = rules.term_slots(source, engine_name)
    term_slots += [s for s in slots if (s.start + start, s.value) in near.glossary_outputs]
    slots.extend(term_slots)
    masked = mask(source, slots, numbers=not keeps_numbers)
    # A term kept as written (a place name: "Nuevo León") is a name, not a noun to carry.
    plural = {t.value: source[t.start : t.end].endswith("s") for t in term_slots if t.value != source[t.start : t.end]}
    job.terms = {n: plural[v] for n, v in enumerate(masked.values) if v in plural}
    return masked


def _has_words(masked_text: str) -> bool:
    return any(ch.isalpha() for ch in PLACEHOLDER_RE.sub(" ", masked_text))


def _run_engine(text: str, jobs: list[_Job], translator: Translator) -> None:
    """Fill ``job.result`` for each job: every span alone, and a fragment also in context.

    Apertium reads its input as a sentence: "dice" alone is "It says", while inside
    "Medicine, dice Zoé Robledo in graduation" (seed 000) it is "says", the subject
    being there. The English words around a fragment are unknown to a Spanish analyser,
    though, and can also mislead its tagger ("They saw the casa grande" gives "Marries
    big"), so the context translation of a fragment is taken only where it agrees with
    the translation alone up to a subject pronoun Apertium inserted; otherwise the span
    alone wins. A neural engine has no way to mark the span inside its output, so with
    it a span is always translated alone.
    """
    _translate_alone(jobs, translator)
    for job in jobs:
        job.known_share = job.result.confidence if job.result is not None else 0.0
    if not isinstance(translator, ContextTranslator):
        return
    fragments = [j for j in jobs if _is_fragment(text, j)]
    if not fragments:
        return
    groups = _group_by_window(text, fragments)
    answers = translator.translate_in_context([window for window, _ in groups])
    for (_, members), answer in zip(groups, answers, strict=True):
        if answer is None or len(answer) != len(members):
            continue  # markers scrambled: keep the translations alone
        for job, in_sentence in zip(members, answer, strict=True):
            if job.result is not None and _agrees(job.result.text, in_sentence.text):
                job.result = in_sentence


FRAGMENT_WORDS = 3
_SPANISH_SUBJECT_PRONOUNS = frozenset(
    {
        "yo", "tú", "tu", "él", "ella", "ello", "usted", "nosotros", "nosotras",
        "vosotros", "vosotras", "ellos", "ellas", "ustedes",
    }
)
_SUBJECT_PRONOUN = re.compile(r"^(?:it|he|she|they|we|you|i)\s+(?=\w)", re.IGNORECASE)


def _is_fragment(text: str, job: _Job) -> bool:
    """A short span with words of its sentence around it."""
    if len(job.before.split()) > FRAGMENT_WORDS or job.segment is None:
        return False
    seg = job.segment
    return _any_text(text, seg.start, job.span.start) or _any_text(text, job.span.end, seg.end)


def _any_text(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` has a non-space character, read from ``end`` backwards
    (a span's neighbour is near it; slicing the whole segment per span was quadratic)."""
    k = end
    while k > start and text[k - 1].isspace():
        k -= 1
    return k > start


def _agrees(alone: str, in_sentence: str) -> bool:
    def norm(t: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", t).casefold().split())

    a, c = norm(alone), norm(in_sentence)
    return bool(c) and (c == a or c == _SUBJECT_PRONOUN.sub("", a))


def _group_by_window(text: str, jobs: list[_Job]) -> list[tuple[tuple[tuple[str, bool], ...], list[_Job]]]:
    """One window per segment: its spans with up to CONTEXT_WORDS words around them.

    A span that is its whole segment (a ``translate`` line, a Spanish sentence) has no
    context: its window is just itself, which the engine translates like plain text.
    """
    by_segment: dict[int, list[_Job]] = {}
    for job in jobs:
        key = job.segment.start if job.segment is not None else -1 - job.span.start
        by_segment.setdefault(key, []).append(job)
    groups = []
    for members in by_segment.values():
        seg = members[0].segment
        seg_start = seg.start if seg is not None else members[0].span.start
        seg_end = max(seg.end if seg is not None else 0, members[-1].span.end)
        left = _last_words(text, seg_start, members[0].span.start, CONTEXT_WORDS)
        right = _first_words(text, members[-1].span.end, seg_end, CONTEXT_WORDS)
        pieces: list[tuple[str, bool]] = []
        if left.strip():
            pieces.append((sanitize(left), False))
        for k, job in enumerate(members):
            if k > 0:
                gap = text[members[k - 1].span.end : job.span.start]
                pieces.append((sanitize(gap), False))
            assert job.masked is not None
            pieces.append((job.masked.text, True))
        if right.strip():
            pieces.append((sanitize(right), False))
        groups.append((tuple(pieces), members))
    return groups


# First window of the word searches below; it doubles until it decides.
_WORD_WINDOW = 256


def _last_words(text: str, start: int, end: int, n: int) -> str:
    """The last ``n`` words of ``text[start:end]`` with what follows them; all of it when
    it has ``n`` words or fewer.

    Read in a window before ``end`` that doubles until it holds more than ``n`` words
    (then the n-th last is whole, a word before it being in the window too) or reaches
    ``start``: the words of a whole million-character sentence per span were quadratic.
    """
    width = _WORD_WINDOW
    while True:
        lo = max(start, end - width)
        words = list(_WORD.finditer(text, lo, end))
        if len(words) > n:
            return text[words[-n].start() : end]
        if lo == start:
            return text[start:end]
        width *= 2


def _first_words(text: str, start: int, end: int, n: int) -> str:
    """The first ``n`` words of ``text[start:end]`` with what precedes them; all of it when
    it has ``n`` words or fewer (a window after ``start``, as in ``_last_words``)."""
    width = _WORD_WINDOW
    while True:
        hi = min(end, start + width)
        words = list(_WORD.finditer(text, start, hi))
        if len(words) > n:
            return text[start : words[n - 1].end()]
        if hi == end:
            return text[start:end]
        width *= 2


# Spanish nouns Apertium knows whose English no news text has: a term placeholder is
# sent as one of them, so that the engine puts the Spanish adjective after it where
# English wants it ("los contagios graves" → "the grave infections", where a bare
# placeholder gives "the infections grave"), then the placeholder goes back.
_CARRIERS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("pingüino", "pingüinos", re.compile(r"\bpenguins?\b", re.IGNORECASE)),
    ("ornitorrinco", "ornitorrincos", re.compile(r"\bplatypus(?:es)?\b", re.IGNORECASE)),
    ("cocodrilo", "cocodrilos", re.compile(r"\bcrocodiles?\b", re.IGNORECASE)),
    ("hipopótamo", "hipopótamos", re.compile(r"\bhippopotamus(?:es)?\b", re.IGNORECASE)),
)


def _carried(job: _Job) -> tuple[str, list[int]] | None:
    """The span with its term placeholders as carrier nouns, and which placeholder each
    carrier stands for; None when there is no term or too many, or a carrier's own word
    is already in the span."""
    assert job.masked is not None
    text = job.masked.text
    if not job.terms or len(job.terms) > len(_CARRIERS) or any(
        c[0] in text.lower() for c in _CARRIERS
    ):
        return None
    order: list[int] = []
    for k, (n, plural) in enumerate(sorted(job.terms.items())):
        singular, plural_form, _ = _CARRIERS[k]
        text, count = re.subn(rf"\bXQ{n}\b", plural_form if plural else singular, text)
        if count != 1:
            return None
        order.append(n)
    return text, order


def _uncarried(result: Translation, order: list[int]) -> Translation | None:
    out = result.text
    for k, n in enumerate(order):
        pattern = _CARRIERS[k][2]
        if len(pattern.findall(out)) != 1:
            return None
        out = pattern.sub(f"XQ{n}", out)
    return Translation(out, result.confidence)


def _translate_alone(jobs: list[_Job], translator: Translator) -> None:
    """Fill ``job.result`` with the span translated alone, terms sent as carriers
    (Apertium only: a neural model copies a placeholder where it belongs)."""
    carried = [_carried(j) if translator.name == "apertium" else None for j in jobs]
    texts = [c[0] if c is not None else j.masked.text for j, c in zip(jobs, carried, strict=True)
             if j.masked is not None]
    retry: list[_Job] = []
    for job, c, result in zip(jobs, carried, translator.translate(texts), strict=True):
        back = _uncarried(result, c[1]) if c is not None else result
        if back is None:
            retry.append(job)  # the carrier did not come back once: plain placeholders
        job.result = back
    if retry:
        for job, result in zip(retry, translator.translate([j.masked.text for j in retry if j.masked]), strict=True):
            job.result = result


def _finish(job: _Job, text: str, translator: Translator, rules: DomainRules, threshold: float,
            spans_are_lines: bool = False) -> None:
    assert job.masked is not None
    engine_id = _engine_id(translator)
    result = job.result
    if result is None or not result.text.strip():
        _reject(job, "translate:failed", engine_id)
        return
    restored = restore(result.text, job.masked)
    if restored is None or (
        _keeps_numbers(translator) and not same_numbers(job.masked.text, result.text)
    ):
        # Refused, but the proposal stays visible for a reviewer.
        proposal = _fit(_restore_what_can_be(result.text, job.masked), job, job.masked.values)
        _set(job, proposal, 0.0, "translate:refused-protected", engine_id, "rejected", "flagged")
        return
    values = job.masked.values
    fitted = _fit(rules.post_edit(restored, translator.name), job, values)
    evidence = _evidence(job, text, fitted, spans_are_lines)
    if evidence.name_changed and _mask_half_translated_names(job, translator):
        _finish(job, text, translator, rules, threshold, spans_are_lines)  # the names are placeholders now
        return
    why = refusal(evidence)
    confidence = raw_confidence(evidence)
    if why is not None:
        _set(job, fitted, confidence, f"translate:refused-{why}", engine_id, "rejected", "flagged")
    elif confidence < threshold:
        _set(job, fitted, confidence, "translate:" + translator.name, engine_id, "flagged", "flagged")
    else:
        _set(job, fitted, confidence, "translate:" + translator.name, engine_id, "machine")


def _accept(job: _Job, restored: str, origin: Origin, rule: str, engine_id: str,
            rules: DomainRules, engine_name: str) -> None:
    values = job.masked.values if job.masked is not None else ()
    fitted = _fit(rules.post_edit(restored, engine_name), job, values)
    _set(job, fitted, _rule_confidence(origin), rule, engine_id, "machine")


def _rule_confidence(origin: Origin) -> float:
    return raw_confidence(Evidence(
        origin=origin, source_words=0, known_share=1.0, whole_line=False, english_homograph=False,
        english_source=0.0, copied_share=0.0, english_share=1.0, rare_share=0.0, protected_ok=True,
        name_changed=False, spanish=None,
    ))


def _evidence(job: _Job, text: str, fitted: str, spans_are_lines: bool = False) -> Evidence:
    """What confidence.py needs to know about this engine translation."""
    from ..detect.lexicon import SPANISH_FUNCTION_WORDS

    assert job.masked is not None
    source = job.before.strip()
    unmasked = PLACEHOLDER_RE.sub(" ", job.masked.text)
    copied, english, rare = output_shares(source, fitted, job.masked.values + tuple(_name_words(unmasked)))
    seg = job.segment
    whole_line = seg is not None and _stripped_equals(text, seg.start, seg.end, source)
    spanish: float | None = None
    # langdetect costs ~20 ms a span; it can only refuse a span with unknown words.
    if (not spans_are_lines and job.known_share < NOT_SPANISH_KNOWN
            and sum(ch.isalpha() for ch in unmasked) >= LANGID_LETTERS):
        from ..detect.langid import line_language

        spanish = line_language(source).es
    return Evidence(
        origin="engine",
        source_words=len(unmasked.split()),
        known_share=job.known_share,
        whole_line=whole_line,
        english_homograph=is_english_homograph(source, SPANISH_FUNCTION_WORDS),
        english_source=english_source_share(unmasked),
        copied_share=copied,
        english_share=english,
        rare_share=rare,
        protected_ok=True,
        # A whole Spanish line (``translate``) names its institutions in Spanish: "la
        # Comisión Charbonneau" is "the Commission Charbonneau" there (newstest2013.spa),
        # so only a span in English text is checked for half-translated names.
        name_changed=not spans_are_lines and _name_changed(unmasked, fitted),
        spanish=spanish,
        glossed=bool(_GLOSS_AFTER.match(text, job.span.end, min(len(text), job.span.end + 8))),
        foreign_context=not spans_are_lines and _in_foreign_phrase(text, job),
    )


FOREIGN_WORDS = 5  # words each side of a short span that langdetect reads with it
FOREIGN_MAX = 0.3  # neither Spanish nor English above this: a third language


def _stripped_equals(text: str, start: int, end: int, value: str) -> bool:
    """``text[start:end].strip() == value``, slicing only when the lengths agree (a
    segment of a million characters compared per span was quadratic)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return end - start == len(value) and text[start:end] == value


def _in_foreign_phrase(text: str, job: _Job) -> bool:
    """A short span inside a phrase of a third language: "en" in "comme on dit en
    France, c'est la vie" quoted in English news. The span alone is too short for
    langdetect; with its neighbours it is a line's worth."""
    if len(job.before.split()) > FRAGMENT_WORDS or job.segment is None:
        return False
    seg = job.segment
    left = _last_words(text, seg.start, job.span.start, FOREIGN_WORDS)
    right = _first_words(text, job.span.end, max(seg.end, job.span.end), FOREIGN_WORDS)
    window = left + job.before + right
    if sum(ch.isalpha() for ch in window) < LANGID_LETTERS:
        return False
    from ..detect.langid import line_language

    lang = line_language(window)
    return lang.es < FOREIGN_MAX and lang.en < FOREIGN_MAX


# A quoted word followed by its English in parentheses: Signs pointed to "Mexicanos"
# ("Mexicans") (newstest2013 l. 2147): the writer already translated it.
_GLOSS_AFTER = re.compile(r"[\"'”’»]{1,2}\s{0,2}\(")


def _restore_what_can_be(translated: str, masked: MaskedText) -> str:
    def value(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return masked.values[n] if n < len(masked.values) else m.group()

    return PLACEHOLDER_RE.sub(value, translated)


def _set(job: _Job, after: str, confidence: float, rule: str, engine: str, record_status: str,
         status: EditStatus = "applied") -> None:
    span = job.span
    job.edit = Edit(span.start, span.end, job.before, after, "translation", rule, confidence, engine, status)
    job.record = SpanTranslation(span.start, span.end, job.before, after, engine, confidence, record_status)


# -- names inside a Spanish span -----------------------------------------------------

# Two or more capitalized words in a row ("Nuevo León", "Mes Aynak"); bounded, every
# word at most 30 letters. Runs joined by "de" or "y" are left alone: "Estado de
# Indiana" → "State of Indiana" and "Lyon y Marsella" → "Lyon and Marseilles" are right
# (newstest2013.spa), and a run with an article is a noun phrase ("El Tabasqueño").
_CAPITALIZED_RUN = re.compile(r"(?<![\w'’-])[A-ZÁÉÍÓÚÑ][\w'’-]{0,30}(?:\s[A-ZÁÉÍÓÚÑ][\w'’-]{0,30}){1,4}(?![\w'’-])")
_CAPITALIZED_WORD = re.compile(r"(?<!\w)[A-ZÁÉÍÓÚÑ][\w'’-]{0,30}")


def _half_translated(source: str, output: str) -> list[re.Match[str]]:
    """Capitalized runs of ``source`` the engine half translated: a word copied that is
    no common English word (so a name: "León", "Aynak"), beside a word it translated
    ("Nuevo León" → "New León", dev/real 02 headline; "Mes Aynak" → "Month Aynak").
    A run translated whole ("Ciclo Académico" → "Academic Cycle") or whose copied word
    is also English ("Banco Central Europeo" → "Central Bank European") passes."""
    from ..detect.lexicon import SPANISH_FUNCTION_WORDS

    out_words = set(re.findall(r"[\w'’-]+", output))
    found = []
    first = re.search(r"\w", source)
    for m in _CAPITALIZED_RUN.finditer(source):
        caps = m.group().split()
        if first is not None and m.start() == first.start():
            caps = caps[1:]  # a sentence's first word is capitalized anyway: "Reporta Jalisco 500 casos"
        if len(caps) < 2 or PLACEHOLDER_RE.search(m.group()):
            continue
        if any(w.casefold() in SPANISH_FUNCTION_WORDS for w in caps):
            continue
        kept = [w for w in caps if w in out_words]
        if kept and len(kept) < len(caps) and any(english_zipf(w.casefold()) < ENGLISH_ZIPF for w in kept):
            found.append(m)
    return found


def _mask_half_translated_names(job: _Job, translator: Translator) -> bool:
    """Mask the capitalized runs the engine half translated and translate again: the
    half translation itself shows they are names."""
    assert job.masked is not None and job.result is not None
    masked = job.masked
    runs = _half_translated(masked.text, job.result.text)
    if not runs:
        return False
    values = list(masked.values)
    parts: list[str] = []
    pos = 0
    for m in runs:
        parts.append(masked.text[pos : m.start()] + f"XQ{len(values)}")
        values.append(m.group())
        pos = m.end()
    job.masked = MaskedText("".join(parts) + masked.text[pos:], tuple(values))
    _translate_alone([job], translator)
    return True


def _name_words(source: str) -> list[str]:
    """Capitalized words after the first of a span: names, copied on purpose."""
    caps = list(_CAPITALIZED_WORD.finditer(source))
    first = re.search(r"\w", source)
    return [m.group() for m in caps if first is None or m.start() > first.start()]


def _name_changed(source: str, output: str) -> bool:
    return bool(_half_translated(source, output))


def _reject(job: _Job, rule: str, engine: str) -> None:
    span = job.span
    job.edit = Edit(span.start, span.end, job.before, job.before, "translation", rule, 0.0, engine, "flagged")
    job.record = SpanTranslation(span.start, span.end, job.before, job.before, engine, 0.0, "rejected")


def _engine_id(translator: Translator | None) -> str:
    if translator is None:
        return "none"
    return f"{translator.name}/{translator.model_id}" if translator.model_id else translator.name


# -- fit ---------------------------------------------------------------------------


def _fit(translation: str, job: _Job, protected_values: Sequence[str]) -> str:
    """Make ``translation`` read right where the span was (see module doc)."""
    out = " ".join(translation.split("\n"))
    out = _MULTISPACE.sub(" ", out).strip()
    out = _SPACE_BEFORE_PUNCT.sub(r"\1", out)
    out = _SPACE_AFTER_OPEN.sub(r"\1", out)
    source = job.before.strip()
    if not out:
        return out
    # Engines end what they take for a sentence with a full stop; a span that did not
    # end with one ("clausura ... Médica," seed 000) must not gain one.
    if out.endswith(".") and not source.endswith((".", "!", "?", "…")) and not any(
        v.endswith(".") and out.endswith(v) for v in protected_values
    ):
        out = out[:-1].rstrip()
    if not job.sentence_initial and source.split(" ", 1)[0].lower() not in _SPANISH_SUBJECT_PRONOUNS:
        # Spanish drops the subject; Apertium supplies one ("dijo que" → "it said that").
        # In mid-sentence the English before the span already has the subject:
        # "Zoé Robledo, dijo que los derechohabientes …" must read "Zoé Robledo, said that …".
        dropped = _SUBJECT_PRONOUN.sub("", out, count=1)
        if dropped:
            out = dropped
    if job.after_quantity and _PARTITIVE_DE.match(source):
        out = _LEADING_OF.sub("", out, count=1) or out
    starts_protected = any(v and out.startswith(v) for v in protected_values)
    # A URL, handle or e-mail keeps its case even at sentence start; a term such as
    # "it is worth noting" (domain rules) is capitalized like any other word.
    starts_address = any(v and out.startswith(v) and _ADDRESS_CHARS.search(v) for v in protected_values)
    first = out[0]
    if job.sentence_initial:
        if first.islower() and not starts_address:
            out = first.upper() + out[1:]
    elif first.isupper() and not starts_protected and not _is_acronym_or_i(out) and (
        source[:1].islower() or (job.masked is not None and job.masked.text.lstrip().startswith("XQ"))
    ):
        # Apertium capitalises the first word of what it translates ("It says", "Closure")
        # even in mid-sentence; the source's lowercase start says it is no name. When the
        # span starts with a term, the output's first word is the engine's, not the term's
        # ("Secretaría de Salud estatal" → "State Ministry of Health", dev/real 02).
        out = first.lower() + out[1:]
    lead = job.before[: len(job.before) - len(job.before.lstrip())]
    trail = job.before[len(job.before.rstrip()) :]
    return lead + out + trail


_ADDRESS_CHARS = re.compile(r"[./@#:]")


def _is_acronym_or_i(text: str) -> bool:
    word = text.split(" ", 1)[0].strip(".,;:!?\"'")
    return word == "I" or (len(word) > 1 and word.isupper())
