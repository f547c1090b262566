"""The pipeline: the only place that knows the order of the stages.

read ─► split ─► detect ─► glossary ─► numbers ─► glue ─► translate ─► assemble

Every stage proposes Edits against the original text; ``assemble`` picks a
non-overlapping set by stage priority and applies it, so the repaired text is
always the original with the reported edits applied.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypedDict

from .boilerplate import BoilerplateRules, find_boilerplate, find_metadata
from .calibration import Calibration
from .decisions import EditDecisions, apply_decisions
from .model import Document, Edit, Provenance, RepairResult, Segment, Span, SpanTranslation, apply_edits
from .regions import Containing, RegionSet
from .segment import kept_regions, split_lines, split_sentences
from .stages import Detector, Region, TermMatcher, Translator
from .version import __version__
from .whitespace import ControlView, find_control_edits, find_whitespace_edits

if TYPE_CHECKING:
    from .detect import Detector as ConcreteDetector
    from .glossary.matcher import Glossary
    from .translate.stage import SpanTranslationStage

# URLs and e-mail addresses are never edited or translated
# (seed 001: "medicosespecialistas.imssbienestar.gob.mx"). A control character ends a
# URL: a NUL inside one was otherwise protected from its removal (issue 12).
_PROTECTED_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"\x00-\x1f\x7f]{1,2000}"
    r"|[\w.+-]{1,200}@[\w-]{1,200}(?:\.[\w-]{1,200}){1,10}"
    r"|\b[\w-]{1,200}(?:\.[\w-]{1,200}){1,10}\.(?:mx|com|org|net|gob|edu|gov)(?:\.[a-z]{2})?\b(?:/[^\s\x00-\x1f\x7f]{0,2000})?",
    re.IGNORECASE,
)

# When two stages propose overlapping edits the earlier one in this list wins;
# a translation of a whole Spanish span supersedes the term and number edits
# inside it (they were applied to the source before translation).
_PRIORITY = {"boilerplate": 0, "translation": 1, "glossary": 2, "number": 3, "glue": 4, "whitespace": 5}

NumberFinder = Callable[[str, int, int, Sequence[Region]], list[Edit]]


@dataclass(frozen=True)
class Pipeline:
    """The stage objects one run uses; anything None is a stage that passes text through."""

    rules: BoilerplateRules
    detector: Detector | None = None
    glossary: TermMatcher | None = None
    find_numbers: NumberFinder | None = None
    find_glue: NumberFinder | None = None
    translation: SpanTranslationStage | None = None
    notices: tuple[str, ...] = field(default=())
    # Calibrated confidence below ``min_confidence`` leaves an edit as a review flag
    # (``Edit.flag()``): it is reported and changes nothing. 0.0 applies everything.
    calibration: Calibration | None = None
    min_confidence: float = 0.0
    # Reviewers' decisions about edits (``decisions.py``, from the corpus's edit review log):
    # a rejected repair is dropped, an accepted or rewritten one applied, before ``assemble``.
    decisions: EditDecisions = field(default_factory=EditDecisions)

    @property
    def translator(self) -> Translator | None:
        return self.translation.translator if self.translation is not None else None

    @property
    def provenance(self) -> Provenance:
        return Provenance(
            version=__version__,
            glossary_hash=self.glossary.content_hash if self.glossary is not None else "",
            engine=self.translation.engine if self.translation is not None else "none",
            model_id=self.translation.model_id if self.translation is not None else "",
        )

    def close(self) -> None:
        """Stop the engine (Apertium's process); the pipeline cannot translate afterwards."""
        if self.translation is not None:
            self.translation.close()


def find_protected(text: str, segment: Segment) -> list[Region]:
    return [(segment.start + m.start(), segment.start + m.end()) for m in _PROTECTED_RE.finditer(segment.text)]


@dataclass(frozen=True)
class Proposal:
    """Everything the stages proposed for one document, with their raw confidences.

    ``finish_repair`` turns it into a RepairResult under a calibration and threshold;
    the evaluator keeps it to try other thresholds without rerunning the stages.
    """

    document: Document
    edits: tuple[Edit, ...]
    segments: tuple[Segment, ...]
    spans: tuple[Span, ...]
    translations: tuple[SpanTranslation, ...]


def repair_document(doc: Document, pipeline: Pipeline) -> RepairResult:
    """Run every stage over one document and return the audited result."""
    return finish_repair(propose_edits(doc, pipeline), pipeline)


@dataclass(frozen=True)
class SegmentedDocument:
    """What ``detect`` needs: a document's segments and the detector's spans in them."""

    document: Document
    segments: tuple[Segment, ...]
    spans: tuple[Span, ...]


def segment_document(doc: Document, pipeline: Pipeline, *, lines: bool = False) -> SegmentedDocument:
    """Metadata, boilerplate and sentences, then the detector, as ``clean`` does them.

    ``lines``: every input line is one segment, with no boilerplate removed (tweets,
    one sentence a line).
    """
    controls = find_control_edits(doc.text)
    if controls:
        # the detector reads the control-free view, as in ``propose_edits``
        view = ControlView(doc.text, controls)
        inner = segment_document(replace(doc, text=view.text), pipeline, lines=lines)
        mapped = _from_view(view, Proposal(inner.document, (), inner.segments, inner.spans, ()), doc.text)
        return SegmentedDocument(mapped.document, mapped.segments, mapped.spans)
    if lines:
        segments = tuple(split_lines(doc.text, doc.doc_id))
    else:
        doc, _removed, _kept, segs = _split_document(doc, pipeline)
        segments = tuple(segs)
    spans: list[Span] = []
    if pipeline.detector is not None:
        for seg in segments:
            spans.extend(pipeline.detector.detect(seg))
    return SegmentedDocument(doc, segments, tuple(spans))


def translate_lines(lines: Iterable[str], pipeline: Pipeline) -> Iterator[str]:
    """What ``translate`` needs: one Spanish line in, one English line out, through the
    pipeline's translation stage (memory, glossary, masking, engine)."""
    if pipeline.translation is None:
        return iter(lines)
    return pipeline.translation.translate_lines(lines)


def _split_document(doc: Document, pipeline: Pipeline) -> tuple[Document, list[Edit], list[Region], list[Segment]]:
    text = doc.text
    meta, removed = find_metadata(text)
    removed += find_boilerplate(text, pipeline.rules, start=removed[0].end if removed else 0)
    kept = kept_regions(text, removed)
    segments = split_sentences(text, doc.doc_id, kept)
    if meta.get("date") and not doc.date:
        # replace(), not a positional rebuild: an HTML page keeps its markup (htmldoc)
        doc = replace(doc, date=meta["date"])
    return doc, removed, kept, segments


def propose_edits(doc: Document, pipeline: Pipeline) -> Proposal:
    """Every stage's proposals against the original text (nothing chosen or calibrated yet).

    Control characters and lone surrogates are taken out first and the stages run on
    the text without them (``whitespace.ControlView``); their edits come back in
    original offsets, so one clean repairs what a removal joins (issue 12 fuzzing).
    """
    controls = find_control_edits(doc.text)
    if not controls:
        return _propose(doc, pipeline)
    view = ControlView(doc.text, controls)
    inner = _propose(replace(doc, text=view.text), pipeline)
    return _from_view(view, inner, doc.text)


def _from_view(view: ControlView, inner: Proposal, original: str) -> Proposal:
    """A proposal made on the control-free view, in original offsets and text."""
    edits: list[Edit] = []
    for e in inner.edits:
        a, b = view.region(e.start, e.end)
        edits.append(replace(e, start=a, end=b, before=original[a:b]))
    covered = RegionSet()
    for e in sorted(edits, key=lambda e: (e.start, -e.end)):
        if e.end > e.start and not covered.overlaps(e.start, e.end):
            covered.add(e.start, e.end)
    # a control inside an edit of the view goes with that edit
    edits += [c for c in view.controls if not covered.overlaps(c.start, c.end)]
    segments = []
    for g in inner.segments:
        a, b = view.region(g.start, g.end)
        tokens = tuple(replace(t, start=r[0], end=r[1], text=original[r[0] : r[1]])
                       for t in g.tokens for r in [view.region(t.start, t.end)])
        segments.append(replace(g, start=a, end=b, text=original[a:b], tokens=tokens))
    spans = []
    for s in inner.spans:
        a, b = view.region(s.start, s.end)
        spans.append(replace(s, start=a, end=b, text=original[a:b]))
    translations = []
    for t in inner.translations:
        a, b = view.region(t.start, t.end)
        translations.append(replace(t, start=a, end=b, source=original[a:b]))
    return Proposal(
        replace(inner.document, text=original), tuple(edits), tuple(segments), tuple(spans), tuple(translations)
    )


def _propose(doc: Document, pipeline: Pipeline) -> Proposal:
    text = doc.text
    doc, removed, kept, segments = _split_document(doc, pipeline)

    spans: list[Span] = []
    proposed: list[Edit] = list(removed)
    protected_all: list[Region] = []
    for seg in segments:
        seg_spans = pipeline.detector.detect(seg) if pipeline.detector is not None else ()
        spans.extend(seg_spans)
        protected = find_protected(text, seg)
        if pipeline.glossary is not None:
            protected += pipeline.glossary.keep_regions(text, seg.start, seg.end)
        # Glue is not blocked by the detector's name spans: a name span swallows the word
        # glued to the name's end ("Herrera FloresHe", dev/real 10; "Sanchezgeneral", 13), and
        # the glue stage keeps the name itself whole. Spanish words are out-of-vocabulary
        # for English: never "unglue" them.
        no_glue = protected + [(s.start, s.end) for s in seg_spans if s.label == "es"]
        protected += [(s.start, s.end) for s in seg_spans if s.label == "name"]
        protected_all += protected
        if pipeline.glossary is not None:
            proposed += pipeline.glossary.find_edits(text, seg, seg_spans, protected)
        if pipeline.find_numbers is not None:
            proposed += pipeline.find_numbers(text, seg.start, seg.end, protected)
        if pipeline.find_glue is not None:
            proposed += pipeline.find_glue(text, seg.start, seg.end, no_glue)

    # Spacing runs per paragraph, not per sentence: "personnel. . The same" (seed 001)
    # straddles the sentence splitter's boundary.
    protected_all.sort()
    starts = [a for a, _ in protected_all]
    for para in split_lines(text, doc.doc_id, kept):
        # Protected regions come from the sentences inside a paragraph, so the ones
        # that touch it start inside it: a bisect finds them without a full scan.
        near = protected_all[bisect.bisect_left(starts, para.start) : bisect.bisect_left(starts, para.end)]
        proposed += find_whitespace_edits(text, para.start, para.end, near)

    translations: list[SpanTranslation] = []
    es_spans = [s for s in spans if s.label == "es"]
    if pipeline.translation is not None and es_spans:
        # One structure for all the edits: asking every span per edit made a long
        # Spanish line quadratic (issue 12).
        es_regions = Containing((s.start, s.end) for s in es_spans)
        inner = [e for e in proposed if e.kind in ("glossary", "number") and es_regions.holds(e.start, e.end)]
        t_edits, translations = pipeline.translation.translate_spans(
            text, es_spans, segments, protected=protected_all, inner_edits=inner
        )
        proposed += t_edits
    return Proposal(doc, tuple(proposed), tuple(segments), tuple(spans), tuple(translations))


def finish_repair(proposal: Proposal, pipeline: Pipeline) -> RepairResult:
    """Calibrate the proposals, flag those under the threshold, assemble and apply the rest."""
    text = proposal.document.text
    proposed = list(proposal.edits)
    if pipeline.calibration is not None:
        proposed = [pipeline.calibration.apply(e, text) for e in proposed]
    # A reviewer's word outranks the calibration: rejected repairs are never proposed
    # again, accepted or rewritten ones apply (the web app's review queue).
    proposed = apply_decisions(proposed, pipeline.decisions)
    edits = assemble(proposed, pipeline.min_confidence)
    if proposal.document.markup is not None:
        from .htmldoc import locate_edits

        # the element that holds each edit's text, for the report of an HTML article
        edits = list(locate_edits(proposal.document, edits))
    return RepairResult(
        document=proposal.document,
        edits=tuple(edits),
        text=apply_edits(text, edits),
        provenance=pipeline.provenance,
        segments=proposal.segments,
        spans=proposal.spans,
        translations=proposal.translations,
    )


def assemble(proposed: Sequence[Edit], min_confidence: float = 0.0) -> list[Edit]:
    """Choose non-overlapping edits, higher-priority stages first; refused repairs stay reported.

    An edit whose confidence is below ``min_confidence`` is flagged, not applied, and
    so does not block a lower-priority edit of the same text (a flagged translation of a
    span leaves the glossary and number edits inside it free to apply).
    """
    chosen: list[Edit] = []
    taken = RegionSet()
    for e in sorted(proposed, key=lambda e: (_PRIORITY[e.kind], e.start, -e.end)):
        if e.applied and e.confidence < min_confidence:
            e = e.flag()
        if not e.applied:
            chosen.append(e)
            continue
        if taken.overlaps(e.start, e.end):
            continue
        chosen.append(e)
        taken.add(e.start, e.end)
    return sorted(chosen, key=lambda e: (e.start, e.end))


def repair_text(text: str, pipeline: Pipeline, doc_id: str = "text") -> RepairResult:
    return repair_document(Document(doc_id=doc_id, text=text), pipeline)


class PipelineOptions(TypedDict, total=False):
    """``open_pipeline``'s keyword arguments as one picklable value: what a worker process
    or a Ray actor needs to open the same pipeline as the command that started it."""

    glossary_dir: str | None
    engine: str
    model_dir: str | None
    corpus_dir: str | None
    use_glossary: bool
    min_confidence: float | None
    calibrated: bool
    compute_type: str
    beam_size: int
    chrome_lines: tuple[str, ...]


def open_pipeline(
    *,
    glossary_dir: str | None = None,
    engine: str = "auto",
    model_dir: str | None = None,
    corpus_dir: str | None = None,
    use_glossary: bool = True,
    min_confidence: float | None = None,
    calibrated: bool = True,
    compute_type: str = "int8",
    beam_size: int = 4,
    chrome_lines: tuple[str, ...] = (),
) -> Pipeline:
    """Build a Pipeline with the real stages; the edges (files, Apertium, models) open here.

    ``calibrated``: map raw confidences through ``data/calibration.tsv``.
    ``chrome_lines``: lines a batch-level pass found repeated across the run's articles
    (``boilerplate.find_repeated_lines``): they are removed as site chrome.
    ``min_confidence``: apply edits at or above it, flag the rest; None means the
    table's data-chosen default (0.0, everything, when not calibrated).

    Raises MtrepairError subclasses for a glossary, model or corpus that cannot be used.
    """
    from pathlib import Path

    from .boilerplate import load_rules
    from .calibration import load_calibration
    from .glue import find_glue_edits
    from .numbers import find_number_edits
    from .translate import open_translator
    from .translate.stage import SpanTranslationStage

    notices: list[str] = []
    glossary = None
    extra_rules = None
    if use_glossary and glossary_dir is not None:
        from .glossary import load_glossary

        glossary = load_glossary(glossary_dir)
        extra_rules = Path(glossary_dir) / "boilerplate.tsv"
    # The engine's warnings (no Apertium installed) become notices the CLI prints with its
    # own prefix, instead of a bare line on stderr.
    warnings = io.StringIO()
    translator = open_translator(
        engine,
        Path(model_dir) if model_dir else None,
        compute_type=compute_type,
        beam_size=beam_size,
        warn=warnings,
    )
    notices += warnings.getvalue().splitlines()
    memory: Mapping[str, str] | None = None
    decisions = EditDecisions()
    if corpus_dir is not None:
        from .corpus import open_corpus
        from .decisions import load_decisions

        corpus = open_corpus(corpus_dir)
        memory = corpus.translation_memory()
        decisions = load_decisions(corpus)
    calibration = load_calibration() if calibrated else None
    if min_confidence is None:
        min_confidence = calibration.default_min_confidence if calibration is not None else 0.0
    return Pipeline(
        rules=load_rules(extra_rules).with_chrome(chrome_lines),
        detector=_detector_for(glossary),
        glossary=glossary,
        find_numbers=find_number_edits,
        find_glue=find_glue_edits,
        translation=SpanTranslationStage(translator, memory, glossary),
        notices=tuple(notices),
        calibration=calibration,
        min_confidence=min_confidence,
        decisions=decisions,
    )


def open_detector(glossary_dir: str | None) -> ConcreteDetector:
    """The detector alone (``eval detect``), with the glossary's keep list and terms."""
    if glossary_dir is None:
        return _detector_for(None)
    from .glossary import load_glossary

    return _detector_for(load_glossary(glossary_dir))


def _detector_for(glossary: Glossary | None) -> ConcreteDetector:
    """Names to keep teach the detector what is a name; term sources what is Spanish."""
    from .detect import build_detector

    if glossary is None:
        return build_detector()
    return build_detector(glossary.keep_strings(), [e.source for e in glossary.entries if e.kind == "term"])


def repair_file(path: str, pipeline: Pipeline) -> list[RepairResult]:
    """Read one article file (or a JSONL of articles) and repair each document in it."""
    from pathlib import Path

    from .ingest import Source, read_source

    docs = read_source(Source(path, Path(path).name))
    return [repair_document(d, pipeline) for d in docs]
