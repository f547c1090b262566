"""From tagged words to ``es`` and ``name`` spans with document offsets.

Rules, each from a seed (shared/seeds, shared/dev/seed_gold.jsonl):

- A Spanish span runs across numbers and capitalized words inside it:
  "clausura del Ciclo Académico 2020-2021 de los Cursos de Especialización
  Médica" (seed 000) is one span.
- In a line that mixes languages, clause punctuation ends a span:
  "..., el Director-General" gives "Médica" and "el" as two spans, as the gold
  has them; each can be translated on its own.
- A capitalized sequence at the edge of a Spanish run is a name, not part of the
  Spanish, unless a Spanish article or preposition governs it: in "dice Zoé
  Robledo in graduation" (seed 000) "dice" is Spanish and "Zoé Robledo" a name;
  in "de los Cursos de Especialización Médica" the capitals stay Spanish.
- A capitalized sequence in English prose is a ``name`` when its words lean
  Spanish: "Instituto Politécnico Nacional", "La Raza" (but not "National Medical
  Center" after it), "Hospital de Oncología del Siglo XXI".
- A line that is Spanish throughout ("Deja una respuesta") is one ``es`` span; a
  line of capitalized words only ("Blanca Valdez", dev/real 13) is one only when
  langdetect does not rule Spanish out.
- A name inside a Spanish phrase stays inside its ``es`` span and is reported as a
  ``name`` span too, nested ("dijo Ángel Blanco Torres que ..."): repair.py makes name
  spans protected regions and translate/ masks them, so the phrase is translated
  around the name as written. A glossary keep entry instead ends the ``es`` span.
- The last word of a segment cut off mid-word (features.CUTOFF) is never in a span.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from ..model import Span, SpanLabel
from .features import ACRONYM, CAP, CONNECTOR, CUTOFF, INITCAP, INITIAL, KEEP, NUMWORD, SPANISH_WORD, TAG, Analysis
from .langid import LineLanguage
from .lexicon import SPANISH_FUNCTION_WORDS, Lexicon, word_set
from .tokens import EMAIL, HASHTAG, MENTION, MIXED, NUM, PUNCT, URL, WORD

_BREAK_PUNCT: Final = frozenset(',;:()[]{}“”"«».!?…—–-|•')
_BREAK_KINDS: Final = frozenset((URL, EMAIL, MENTION))
_CONTENT_KINDS: Final = frozenset((WORD, NUM, MIXED, HASHTAG))

# Spanish words that govern a following capitalized phrase, keeping it inside the
# Spanish span: "del Ciclo Académico", "de los Cursos de Especialización Médica".
GOVERNORS: Final = word_set(
    "de del la las los el al en a por para con sin sobre entre desde hasta hacia un una unos unas su sus y e o que"
)
SPANISH_CONNECTORS: Final = word_set("de del la las los y")
# Connectors that join a name to what follows it rather than build one.
CLAUSE_CONNECTORS: Final = word_set("para por con en al")

# A name's words must lean Spanish by at least this much (nats, summed), a
# Spanish particle or a Spanish-only proper name counting for NAME_BONUS each.
NAME_MIN: Final = 2.0
NAME_BONUS: Final = 2.0
# Edge words of a capitalized sequence that lean English this much are not part
# of a Spanish name: "La Raza National Medical Center" -> "La Raza".
NAME_TRIM: Final = -1.0
ENGLISH_WORD_FREQ: Final = 1e-6  # zipf 3
NAME_RARE_FREQ: Final = 10**-5.5  # zipf 3.5: rarer than this in both languages
# A capitalized phrase after a Spanish article or preposition stays in the
# Spanish span only if it leans Spanish itself: "del Ciclo Académico" does,
# "el Director-General of the ..." (seed 000) does not.
ATTACH_MIN: Final = 1.0
# A line of capitalized words is refused as Spanish only when langdetect gives
# Spanish less than this: "Blanca Valdez" gets 0; a tweet "Buenos Dias Amigos" 0.54.
NOT_SPANISH_BELOW: Final = 0.5
PERSON_MAX_WORDS: Final = 4
# _shared_name: English Zipf range and largest Spanish-English Zipf gap of a place name.
SHARED_NAME_EN_MIN: Final = 1.5
SHARED_NAME_EN_MAX: Final = 3.3
SHARED_NAME_GAP: Final = 2.1


def _breaks(an: Analysis, tok_a: int, tok_b: int) -> bool:
    """Whether a token strictly between token indices tok_a and tok_b ends a span."""
    text = an.text
    for t in range(tok_a + 1, tok_b):
        s, _, kind = an.tokens[t]
        if kind in _BREAK_KINDS or (kind == PUNCT and text[s] in _BREAK_PUNCT):
            return True
    return False


def _name_word(an: Analysis, lexicon: Lexicon, i: int) -> bool:
    """An acronym, a word rare in both languages, or a Spanish proper name."""
    lw = an.lower[i]
    return bool(
        an.flags[i] & ACRONYM
        or max(lexicon.en.get(lw, 0.0), lexicon.es.get(lw, 0.0)) < NAME_RARE_FREQ
        or _word(an, i) in lexicon.names_es
    )


def _name_like(an: Analysis, lexicon: Lexicon, first: int, last: int) -> bool:
    """Most words of a capitalized sequence are name words.

    "Zoé Robledo" is; "Saludos Chico" (a LinCE tweet) is made of everyday words.
    """
    rare = total = 0
    for i in range(first, last + 1):
        if an.flags[i] & CONNECTOR:
            continue
        total += 1
        rare += _name_word(an, lexicon, i)
    return rare * 2 > total


def _word(an: Analysis, i: int) -> str:
    s, e, _ = an.tokens[an.words[i]]
    return an.text[s:e]


def _english_beyond(an: Analysis, states: list[bool], i: int, step: int) -> bool:
    """Whether the nearest word past position i (in direction step) is English."""
    j = i + step
    while 0 <= j < len(states):
        if not an.flags[j] & TAG:
            return not states[j]
        j += step
    return False


def _whole_line(
    an: Analysis, states: list[bool], lexicon: Lexicon, lang: Callable[[], LineLanguage] | None
) -> tuple[int, int] | None:
    """Local offsets of the line when every word with evidence in it is Spanish.

    A line of capitalized words only ("Blanca Valdez", a byline in dev/real 13; "Saludos
    Chico", a LinCE tweet) says little by its words: langdetect decides.
    """
    has_free_word = False
    for i, f in enumerate(an.flags):
        if f & KEEP:
            return None
        if f & (ACRONYM | TAG | NUMWORD):
            continue
        if not states[i]:
            return None
        # a lone capitalized first word may be a place on its own line ("Guanajuato"),
        # or a dateline ("Monterrey, NL.", dev/real 02)
        if not f & (CAP | CONNECTOR) and not (
            f & INITCAP and (_name_word(an, lexicon, i) or _shared_name(lexicon, an.lower[i]))
        ):
            has_free_word = True
    if not has_free_word and (
        not any(not _name_like(an, lexicon, a, b) for a, b in an.groups) or (lang is not None and _not_spanish(lang()))
    ):
        return None
    content = [(s, e) for s, e, kind in an.tokens if kind in _CONTENT_KINDS]
    return content[0][0], content[-1][1]


def _not_spanish(line: LineLanguage) -> bool:
    """langdetect, able to judge the line, finds it unlike Spanish."""
    return line.reliable and line.es < NOT_SPANISH_BELOW


def _runs(an: Analysis, states: list[bool]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = -1
    for i, es in enumerate(states):
        if es and not an.flags[i] & (KEEP | CUTOFF):
            if start >= 0 and _breaks(an, an.words[i - 1], an.words[i]):
                runs.append((start, i - 1))
                start = -1
            if start < 0:
                start = i
        elif start >= 0:
            runs.append((start, i - 1))
            start = -1
    if start >= 0:
        runs.append((start, len(states) - 1))
    return runs


def _governed(an: Analysis, a: int, first: int, last: int) -> bool:
    """A Spanish article or preposition inside the run governs the group that follows it."""
    if first - 1 < a or an.lower[first - 1] not in GOVERNORS:
        return False
    lean = sum(an.score[i] for i in range(first, last + 1) if not an.flags[i] & CONNECTOR)
    return lean >= ATTACH_MIN


def _trim_run(
    an: Analysis, states: list[bool], lexicon: Lexicon, group_of: list[int], a: int, b: int
) -> tuple[int, int] | None:
    flags = an.flags
    changed = True
    while changed and a <= b:
        changed = False
        while a <= b and flags[a] & TAG:
            a += 1
        while a <= b and flags[b] & TAG:
            b -= 1
        if a > b:
            break
        g = group_of[a]
        if g >= 0:
            first, last = an.groups[g]
            if _name_like(an, lexicon, first, last) or _english_beyond(an, states, first, -1):
                a = last + 1
                changed = True
                continue
        g = group_of[b]
        if g >= 0:
            first, last = an.groups[g]
            if not _governed(an, a, first, last) and (
                _name_like(an, lexicon, first, last) or _english_beyond(an, states, last, 1)
            ):
                b = first - 1
                changed = True
    if a > b:
        return None
    # A Spanish span needs a word of its own that is not part of a name; a
    # capitalized first word alone ("Porras says", "Ha said Zico") is a name. In
    # capitals it needs two: "IMSS LAUNCHES CALL ..." is no Spanish.
    own = 0
    for i in range(a, b + 1):
        f = flags[i]
        if (
            group_of[i] < 0
            and not f & (ACRONYM | KEEP | TAG | NUMWORD)
            and an.score[i] > 0
            and (not f & INITCAP or f & SPANISH_WORD or an.lower[i] in SPANISH_FUNCTION_WORDS)
        ):
            own += 1
    return (a, b) if own >= (2 if an.caps_mode else 1) else None


def _name_inside(an: Analysis, lexicon: Lexicon, first: int, last: int) -> tuple[int, int] | None:
    """A name inside a Spanish phrase: "dijo Zoé Robledo que ...", "en Culiacán".

    It stays in the es span, so the phrase is translated as a whole, and is reported
    as a ``name`` span as well, which the translate stage masks (repair.py makes name
    spans protected regions): its translation never replaces or loses the name.
    Written in title case and made of name words; acronyms alone ("LEER MÁS", "IMSS")
    are left to the phrase, and so are everyday capitalized words ("Cursos de
    Especialización Médica", seed 000, is Spanish to translate). A sentence's first
    word is capitalized by position and is not part of the name unless it is a name
    word itself ("Según Elsie Monereau", "Y Galilea" in newstest2013.spa).
    """
    flags = an.flags
    while first <= last and (
        flags[first] & CONNECTOR or (flags[first] & INITIAL and not _inside_name_word(an, lexicon, first))
    ):
        first += 1
    while first <= last and flags[last] & CONNECTOR:
        last -= 1
    if first > last or not any(flags[i] & CAP for i in range(first, last + 1)):
        return None
    if _ungoverned_person(an, first, last):
        return first, last
    named = total = 0
    for i in range(first, last + 1):
        if flags[i] & CONNECTOR:
            continue
        total += 1
        named += _inside_name_word(an, lexicon, i)
    return (first, last) if named * 2 >= total else None


def _inside_name_word(an: Analysis, lexicon: Lexicon, i: int) -> bool:
    """A word of a name, by stricter tests than in English prose: an acronym, a word
    rare in both languages, or one both write about as often (a Mexican place). The
    hunspell name list is no test here: it holds everyday nouns ("Estado", "Tierra")
    and Spanish exonyms ("Egipto", "Marsella") that English writes otherwise, which
    the translation must translate (newstest2013.spa)."""
    lw = an.lower[i]
    if an.flags[i] & ACRONYM or max(lexicon.en.get(lw, 0.0), lexicon.es.get(lw, 0.0)) < NAME_RARE_FREQ:
        return True
    return _shared_name(lexicon, lw)


def _whole_group_is_span(an: Analysis, covered: list[bool], first: int, last: int) -> bool:
    """Whether the group is all its es span holds: no covered word right before or after."""
    before = first > 0 and covered[first - 1]
    after = last + 1 < len(covered) and covered[last + 1]
    return not before and not after


def _split_at_clause_words(an: Analysis, first: int, last: int) -> list[tuple[int, int]]:
    """The pieces of a capitalized sequence between prepositions names do not contain.

    Inside Spanish, "nota de Blanca Valdez para El Sol de Tlaxcala" joins a byline and
    an outlet through "para": two names, and "para" is Spanish to translate.
    """
    pieces: list[tuple[int, int]] = []
    start = first
    for i in range(first, last + 1):
        if an.flags[i] & CONNECTOR and an.lower[i] in CLAUSE_CONNECTORS:
            if start < i:
                pieces.append((start, i - 1))
            start = i + 1
    if start <= last:
        pieces.append((start, last))
    return [(a, b) for a, b in pieces if an.flags[a] & (CAP | ACRONYM) and an.flags[b] & (CAP | ACRONYM)]


def _ungoverned_person(an: Analysis, first: int, last: int) -> bool:
    """Two to four title-case words after a Spanish word that is no article or preposition.

    Spanish capitalizes only names mid-sentence, and an institution or a title takes an
    article ("la Secretaría de Salud", "del Ciclo Académico", seed 000), so "dijo Ángel
    Blanco Torres que ..." holds a person, made of everyday words Apertium would
    translate ("White Angel Torres").
    """
    if first == 0 or not 2 <= last - first + 1 <= PERSON_MAX_WORDS:
        return False
    if any(not an.flags[i] & CAP for i in range(first, last + 1)):
        return False
    before = first - 1
    return not an.flags[before] & (CAP | ACRONYM | TAG) and an.lower[before] not in GOVERNORS


def _shared_name(lexicon: Lexicon, lw: str) -> bool:
    """A word both languages write about as often: a place, not Spanish vocabulary.

    English text names Mexican places nearly as often as Spanish does ("Tlaxcala",
    "Culiacán", "Jalisco": Zipf gap 1.6-2.0); Spanish words English does not use lie
    further apart ("salud" 2.8, "secretaría" 3.3, "académico" 4.3); common English
    words ("hospital", "general") are not names by this test.
    """
    en, es = lexicon.zipfs(lw)
    return SHARED_NAME_EN_MIN <= en < SHARED_NAME_EN_MAX and es - en < SHARED_NAME_GAP


def _english(an: Analysis, lexicon: Lexicon, i: int) -> bool:
    """A common English word (not merely an unknown one: "Wiech" is a surname)."""
    return an.score[i] < NAME_TRIM and lexicon.en.get(an.lower[i], 0.0) >= ENGLISH_WORD_FREQ


def _name(an: Analysis, lexicon: Lexicon, a: int, b: int) -> tuple[int, int] | None:
    flags, score, lower = an.flags, an.score, an.lower
    while a <= b and (flags[a] & (CONNECTOR | ACRONYM) or _english(an, lexicon, a)):
        a += 1
    while a <= b and (flags[b] & CONNECTOR or (not flags[b] & ACRONYM and _english(an, lexicon, b))):
        b -= 1
    if a > b:
        return None
    caps = 0
    evidence = 0.0
    for i in range(a, b + 1):
        if flags[i] & CONNECTOR:
            if lower[i] in SPANISH_CONNECTORS:
                evidence += NAME_BONUS
            continue
        caps += 1
        # an unknown surname ("Wiech", seed 000) is weak evidence against a name
        evidence += max(score[i], NAME_TRIM)
        if _word(an, i) in lexicon.names_es:
            evidence += NAME_BONUS
    if caps < 2 or evidence < NAME_MIN:
        return None
    return a, b


def _with_marks(an: Analysis, first_tok: int, last_tok: int) -> tuple[int, int]:
    """Local offsets of tokens first..last, with a Spanish "¿...?" or "¡...!" around them.

    Translating "Qué pasó" out of "¿Qué pasó?" would leave "¿What happened?".
    """
    tokens, text = an.tokens, an.text
    start, end = tokens[first_tok][0], tokens[last_tok][1]
    if first_tok > 0 and tokens[first_tok - 1][2] == PUNCT and text[tokens[first_tok - 1][0]] in "¿¡":
        start = tokens[first_tok - 1][0]
        if last_tok + 1 < len(tokens) and tokens[last_tok + 1][2] == PUNCT and text[tokens[last_tok + 1][0]] in "?!":
            end = tokens[last_tok + 1][1]
    return start, end


def extract_spans(
    an: Analysis,
    states: list[bool],
    lexicon: Lexicon,
    offset: int,
    lang: Callable[[], LineLanguage] | None = None,
) -> tuple[Span, ...]:
    """``es`` and ``name`` spans of one analysed segment, in document offsets.

    ``lang`` gives langdetect's verdict on the whole segment, asked only when needed.
    """
    text = an.text
    out: list[tuple[int, int, SpanLabel]] = [(s, e, "name") for s, e in an.keep]
    n = len(an.words)
    whole = _whole_line(an, states, lexicon, lang) if n else None
    covered = [False] * n
    if whole is not None:
        out.append((whole[0], whole[1], "es"))
        covered = [True] * n
    elif n:
        group_of = [-1] * n
        for g, (ga, gb) in enumerate(an.groups):
            for i in range(ga, gb + 1):
                group_of[i] = g
        for ra, rb in _runs(an, states):
            trimmed = _trim_run(an, states, lexicon, group_of, ra, rb)
            if trimmed is None:
                continue
            a, b = trimmed
            for i in range(a, b + 1):
                covered[i] = True
            out.append((*_with_marks(an, an.words[a], an.words[b]), "es"))
    for ga, gb in an.groups:
        if any(an.flags[i] & KEEP for i in range(ga, gb + 1)):
            continue
        if any(covered[ga : gb + 1]):
            if all(covered[ga : gb + 1]):
                for a, b in _split_at_clause_words(an, ga, gb):
                    # never the whole phrase: "Saludos Chico" (LinCE) is Spanish, not a name
                    whole_span = (a, b) == (ga, gb) and _whole_group_is_span(an, covered, ga, gb)
                    named = None if whole_span else _name_inside(an, lexicon, a, b)
                    if named is not None:
                        out.append((an.tokens[an.words[named[0]]][0], an.tokens[an.words[named[1]]][1], "name"))
            continue
        named = _name(an, lexicon, ga, gb)
        if named is not None:
            a, b = named
            out.append((an.tokens[an.words[a]][0], an.tokens[an.words[b]][1], "name"))
    # a name nested in its es span sorts after it: spans in order of start, outer first
    out.sort(key=lambda x: (x[0], -x[1]))
    return tuple(Span(offset + s, offset + e, label, text[s:e]) for s, e, label in out)
