"""What a line IS: features of one line and the registry of line classifiers.

Each classifier looks at one stripped line and answers with a Verdict (rule id,
confidence, and whether the evidence is weak) or None. Weak evidence (a short line
that is only half chrome words, a section label) counts only where chrome clusters:
above the first body paragraph or below the last one (``find_boilerplate`` decides
that, it knows the article). Strong evidence counts anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import grammar
from .vocab import CTA_ROLES, HEAD_ROLES, markers, vocabulary

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]{0,40}[^\W\d_])?")
# Closing quotes and brackets may follow a sentence's final mark.
_SENTENCE_END = re.compile(r"(?<!\.\.)[.!?…][\"'”’»)\]]{0,2}\Z")
# Any run of spaces after the mark: the whitespace stage makes "aa.    A" "aa. A", and the
# line must be judged the same in both cleans (found by fuzzing).
_INNER_SENTENCE = re.compile(r"[a-z]{2}[.!?][\"”’]?\s{1,40}[A-Z¿¡“\"]")
# Function words: they neither make a line chrome nor body.
STOP = frozenset(
    {
        "a", "an", "the", "in", "on", "of", "for", "to", "and", "or", "this", "that", "these", "those", "our",
        "your", "my", "us", "me", "you", "we", "it", "its", "by", "with", "at", "from", "about", "as", "be", "is",
        "are", "not", "no", "all", "any", "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "de", "del",
        "en", "al", "y", "o", "e", "u", "tu", "tus", "su", "sus", "nuestro", "nuestra", "nuestros", "nuestras",
        "este", "esta", "estos", "estas", "por", "para", "con", "le", "les", "te", "nos", "mi", "mis", "que", "se",
        "here", "now", "up", "aquí", "aqui", "ahora"
    }
)
# Finite-verb cues: a line with one of these is a statement, not a widget.
_AUX = frozenset(
    {
        "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "can", "could",
        "may", "might", "should", "must", "does", "did", "do", "says", "said", "es", "son", "fue", "fueron", "está",
        "están", "estaba", "ha", "han", "hay", "será", "serán", "dijo"
    }
)


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: str
    confidence: float
    weak: bool = False  # only at the edges of the article (above/below the body)
    marker: bool = False  # opens a block of teaser headlines
    top_only: bool = False  # weak, and only above the headline


@dataclass(frozen=True, slots=True)
class Features:
    text: str  # stripped
    words: tuple[str, ...]
    ends_sentence: bool
    inner_sentence: bool

    @property
    def n_words(self) -> int:
        return len(self.words)

    @property
    def content(self) -> tuple[str, ...]:
        return tuple(w for w in self.words if w.casefold() not in STOP)

    @property
    def verb_like(self) -> bool:
        voc = vocabulary()
        return any(
            w.casefold() in _AUX or (len(w) > 5 and w.casefold().endswith("ed") and not voc.has(w, *CTA_ROLES))
            for w in self.words
        )

    @property
    def body(self) -> bool:
        """A paragraph of article text: long, or a sentence of some length."""
        # A question or exclamation of a few words is a headline as often as a sentence
        # ("Sabotage in the health sector?" is a teaser, dev/real 17): only a full stop counts.
        full_stop = self.ends_sentence and re.search(r"(?<!\.\.)\.[\"'”’»)\]]{0,2}\Z", self.text) is not None
        return self.n_words >= 16 or (self.n_words >= 7 and (full_stop or self.inner_sentence))

    @property
    def headline_like(self) -> bool:
        """Short and not ended like a sentence: a teaser's title ("Sabotage in the health sector?" is one)."""
        return (
            0 < self.n_words <= 20
            and len(self.text) <= 160
            and not (self.text.endswith(".") and not self.text.endswith("..."))
            and not self.inner_sentence
        )


# A multiplier after a number is part of the number, not a word: "SHARE 1 MIL 0" is the
# counter "SHARE 1,000" the number stage makes of it, and must be judged the same in the
# first clean as in the second (found by fuzzing repair_text).
_NUMBER_WORDS = re.compile(
    r"(?<=\d)(?:[.,]\d{1,3}){0,3}\s{1,2}(?:mil|millones|millón|millon|thousand|million|millions)\b",
    re.IGNORECASE,
)


def features(line: str) -> Features:
    text = line.strip()
    return Features(
        text,
        tuple(_WORD.findall(_NUMBER_WORDS.sub(" ", text))),
        _SENTENCE_END.search(text) is not None,
        _INNER_SENTENCE.search(text) is not None,
    )


# --- classifiers -------------------------------------------------------------------

Classifier = Callable[[Features], Verdict | None]


def _server_warning(f: Features) -> Verdict | None:
    return Verdict("server-warning", 0.98) if grammar.SERVER_WARNING.fullmatch(f.text) else None


def _date_bar(f: Features) -> Verdict | None:
    if grammar.date_bar(f.text):
        return Verdict("date-bar", 0.95)
    return Verdict("date-bar", 0.9) if grammar.relative_time(f.text) else None


def _tag_list(f: Features) -> Verdict | None:
    return Verdict("tag-list", 0.9) if grammar.tag_list(f.text) else None


def _hashtags(f: Features) -> Verdict | None:
    return Verdict("hashtag-line", 0.95) if grammar.hashtag_line(f.text) else None


def _reading_time(f: Features) -> Verdict | None:
    return Verdict("reading-time", 0.95) if grammar.READING_TIME.fullmatch(f.text.rstrip(".")) else None


def _photo_credit(f: Features) -> Verdict | None:
    return Verdict("photo-credit", 0.9) if grammar.photo_credit(f.text) else None


def _counter(f: Features) -> Verdict | None:
    return Verdict("counter", 0.9) if grammar.counter(f.text) else None


def _site_byline(f: Features) -> Verdict | None:
    return Verdict("site-byline", 0.9) if grammar.site_byline(f.text) else None


def _breadcrumb(f: Features) -> Verdict | None:
    items = grammar.breadcrumb_items(f.text)
    if items is None:
        return None
    # A breadcrumb of ordinary words separated by "/" is weaker than one under "›" or "»".
    strong_sep = any(s in f.text for s in "›»>→|")
    return Verdict("breadcrumb", 0.85 if strong_sep else 0.7, weak=not strong_sep)


_MARK_TRAIL = " \t:.…»›>|-–—"
# After a marker: a colon or arrow, two or more spaces ("READ  Eminence in AIDS…", dev/real 09),
# or a single space after an all-capitals marker.
_SEP = re.compile(r"\s{0,3}[:»›>|–—-]\s{0,3}|\s{2,6}")


def _teaser_marker(f: Features) -> Verdict | None:
    """A marker on its own line ("You may also like", "We recommend you read:")."""
    m = markers()
    if m.marker.fullmatch(f.text.rstrip(_MARK_TRAIL)):
        return Verdict("teaser-marker", 0.9, marker=True)
    return None


def _teaser_inline(f: Features) -> Verdict | None:
    """A marker and a headline on one line: "See also  Three Outstanding Undergraduates" (dev/real 20)."""
    mk = markers()
    for pattern, conf in ((mk.marker, 0.85), (mk.label, 0.75)):
        m = pattern.match(f.text)
        if m is None or m.end() == 0:
            continue
        rest = f.text[m.end() :]
        sep_end = _separator_end(m.group(0), rest)
        if sep_end is None:
            continue
        title = features(rest[sep_end:])
        if title.n_words >= 2 and title.headline_like:
            return Verdict("teaser-inline", conf, marker=True)
    return None


def _separator_end(marker: str, rest: str) -> int | None:
    """Where the headline starts after a marker, or None when nothing separates them."""
    sep = _SEP.match(rest)
    if sep is not None and sep.end() > 0:
        return sep.end()
    if marker.isupper() and len(marker) > 2 and rest[:1] == " " and rest[1:2].isupper():
        return 1
    return None


def _cta(f: Features) -> Verdict | None:
    """A call to action or widget label: short, no sentence, made of chrome words ("Add Comment")."""
    if not f.words or f.n_words > 8 or len(f.text) > 80 or (f.ends_sentence and f.text.endswith(".")):
        return None
    voc = vocabulary()
    content = f.content
    if not content:
        return None
    heads = [w for w in content if voc.has(w, *HEAD_ROLES)]
    if not heads:
        return None
    hits = [w for w in content if voc.has(w, *CTA_ROLES)]
    if len(content) == 1:
        if content[0].casefold() in voc.alone:
            return Verdict("call-to-action", 0.8)
        return Verdict("call-to-action", 0.5, weak=True)
    share = len(hits) / len(content)
    if share == 1.0:
        return Verdict("call-to-action", 0.85)
    # Half chrome words is weak evidence, and only for a very short line: a headline
    # such as "Pension news for May" must not go even at the top of the article.
    if share >= 0.5 and len(content) <= 3 and f.n_words <= 5 and not f.verb_like:
        return Verdict("call-to-action", 0.55, weak=True)
    return None


# A chrome line that addresses the reader about the site: a verb inviting the reader,
# the site as "us/our/nuestro" and a widget noun ("Join our WhatsApp channel to receive
# the latest news", "Síguenos en Google News"). Article instructions ("Register on the
# Welfare portal") neither invite nor name an "us".
_FIRST_PLURAL = re.compile(r"\b(?:us|our|nuestr[oa]s?)\b", re.IGNORECASE)


def _site_cta(f: Features) -> Verdict | None:
    if not f.words or f.n_words > 25 or f.inner_sentence:
        return None
    voc = vocabulary()
    first = f.words[0]
    # "Síguenos": the site is in the verb's enclitic.
    if not voc.has(first, "invite") or not (_FIRST_PLURAL.search(f.text) or first.casefold().endswith("nos")):
        return None
    if not any(voc.has(w, "widget") for w in f.words[1:]):
        return None
    return Verdict("call-to-action", 0.85)


def _kicker(f: Features) -> Verdict | None:
    """A one- or two-word label in capitals above the headline ("EXCLUSIVE", "NACIONAL")."""
    if 1 <= f.n_words <= 2 and f.text.isupper() and not re.search(r"[\d.!?:;,]", f.text):
        return Verdict("section-label", 0.55, weak=True, top_only=True)
    return None


_LINK = re.compile(r"(?:https?://|www\.|pic\.)\S{1,300}|@\w{1,40}|[\w-]{1,60}(?:\.[\w-]{1,60}){1,5}/\S{0,300}")


def _link_line(f: Features) -> Verdict | None:
    """A line of bare links or handles ("https://t.co/…", "pic.twitter.com/…"): a source link at the
    edges; in the body it may be the address readers are told to visit, so the evidence is weak."""
    # A lone mark beside a link ("https://… .") is no word: the whitespace stage would
    # join it to the link, and the line must be judged the same before and after.
    tokens = [t.strip("()[]<>.,") for t in f.text.split()]
    tokens = [t for t in tokens if t]
    if tokens and len(tokens) <= 4 and all(_LINK.fullmatch(t) for t in tokens):
        return Verdict("link-line", 0.6, weak=True)
    return None


def _stray_symbols(f: Features) -> Verdict | None:
    """Icons and separators left by stripped widgets ("•", "|", "Δ" of a comment form)."""
    if len(f.text) <= 3 and not any(c.isascii() and c.isalnum() for c in f.text):
        return Verdict("stray-symbols", 0.6, weak=True)
    return None


def _section_label(f: Features) -> Verdict | None:
    """A section label above the headline ("Salud", "National News")."""
    content = f.content
    if not content or len(content) > 3 or f.ends_sentence:
        return None
    voc = vocabulary()
    if all(voc.has(w, "section", "widget") for w in content) and any(voc.has(w, "section") for w in content):
        return Verdict("section-label", 0.6, weak=True)
    return None


def _spanish_chrome(f: Features) -> Verdict | None:
    """A whole Spanish line of UI words left in the English article: removed, never translated."""
    if not f.words or f.n_words > 15 or (f.text.endswith(".") and f.n_words > 4):
        return None
    voc = vocabulary()
    content = f.content
    heads = [w for w in content if w.casefold() in voc.spanish and voc.has(w, *HEAD_ROLES)]
    # An untranslated Spanish headline may hold a UI noun ("... consultar tu cuenta"): the line
    # must open with a UI verb or be mostly UI words.
    if not heads or not (voc.has(f.words[0], "action", "invite") or len(heads) >= 0.4 * len(content)):
        return None
    from ..detect.langid import line_language

    return Verdict("spanish-chrome", 0.85) if line_language(f.text).spanish else None


# Order matters: the first verdict is the rule recorded. Grammars (what the line's
# shape proves) come before vocabulary shares (what its words suggest).
CLASSIFIERS: tuple[Classifier, ...] = (
    _server_warning,
    _date_bar,
    _hashtags,
    _reading_time,
    _photo_credit,
    _counter,
    _site_byline,
    _tag_list,
    _breadcrumb,
    _teaser_marker,
    _teaser_inline,
    _cta,
    _site_cta,
    _spanish_chrome,
    _section_label,
    _kicker,
    _link_line,
    _stray_symbols,
)


def classify(f: Features) -> Verdict | None:
    if not f.text or len(f.text) > 400:
        return None
    for fn in CLASSIFIERS:
        verdict = fn(f)
        if verdict is not None:
            return verdict
    return None


def is_marker(f: Features) -> bool:
    return _teaser_marker(f) is not None or _teaser_inline(f) is not None


# "…more people. You may be interested:Exige PAN-Senado…" (dev/real 01): a teaser
# glued to the end of the last paragraph, after a sentence's end, with a colon.
def inline_teaser_start(line: str) -> int | None:
    """Offset in ``line`` where a marker-with-colon after a sentence end begins, or None."""
    mk = markers()
    for m in re.finditer(r"(?<=[.!?”\"»)])\s{1,3}(?=\S)", line):
        pos = m.end()
        for pattern in (mk.marker, mk.label):
            mm = pattern.match(line, pos)
            if mm is None or mm.end() == pos:
                continue
            colon = re.compile(r"\s{0,2}:\s{0,3}").match(line, mm.end())
            if colon is None:
                continue
            rest = features(line[colon.end() :])
            if rest.n_words >= 2 and rest.n_words <= 60 and not (rest.text.endswith(".") or rest.text.endswith("!")):
                return pos
    return None
