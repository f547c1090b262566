"""Per-token evidence for the tagger: kinds, case, names, keep entries, scores.

One pass over the tokens of a segment. Words carry evidence, #hashtags a little;
numbers, punctuation, URLs, e-mails, @mentions and acronyms (IMSS, UMAE) are
transparent, so a Spanish span runs across them ("Ciclo Académico 2020-2021").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .lexicon import LOANWORD, SPANISH_FUNCTION_WORDS, SPANISH_ONLY, Lexicon, word_set
from .tokens import HASHTAG, NUM, PUNCT, WORD, tokenize

# Capitalized words mid-sentence are mostly names: their vocabulary says little
# about the language of the sentence around them ("the Instituto Politécnico
# Nacional (IPN)" in seed 000 is English prose).
CAP_WEIGHT: Final = 0.3
# A sentence's first word is capitalized by position, but in news it is often a
# surname ("Porras says ...", "Bayamón at heart", WMT newstest2013).
INITCAP_WEIGHT: Final = 0.6
# Hashtags glue words together ("#todossomoscarlosperez"); only the character
# model can read them, so they count for less than a word.
TAG_WEIGHT: Final = 0.5
LONE_CAPS_MIN: Final = 6
# Evidence that a Spanish span has begun: punctuation only Spanish uses.
INVERTED_MARK_LLR: Final = 3.0
# A word Spanish uses and English never writes is Spanish on its own, with English
# on both sides: "the number of contagios more than" (dev/real 02), "a viacrucis to
# be able to" (dev/real 11) lean only ~3.9 nats by frequency, below the two switches
# (detector.SWITCH_COST) an isolated word must pay.
SPANISH_ONLY_BONUS: Final = 2.0
# A word English uses often (zipf >= 2.5) never outweighs two switches alone: "500
# million pesos" (WMT newstest2013) stays English; inside a Spanish phrase its
# neighbours still carry it ("dice Zoé Robledo", seed 000). At the end of a segment
# one switch is enough, so there the cap is below one: "on your own, amigos."
LOAN_CAP: Final = 4.0
LOAN_EDGE_CAP: Final = 2.4
# A segment ending in a letter was cut off (12 of 21 dev/real pages end mid-word:
# "decis", "alli", "operat"); its last word is no evidence.
_SENTENCE_END_CHARS: Final = frozenset(".!?…:;)]}\"'”’»")
CUTOFF_MIN_LEN: Final = 5

# Lowercase particles inside names: "Universidad Nacional Autónoma de México",
# "Hospital de Oncología del Siglo XXI", "Bill de Blasio", "Ludwig van Beethoven".
# Spanish ones also join programme names: "Jóvenes Construyendo el Futuro".
NAME_CONNECTORS: Final = word_set("de del la las los el al en para por con y e da di do dos van von der du le des")
# "4 mil 158" (seed 000) is a number expression for the numbers stage, not Spanish
# prose to translate: next to a number these words are transparent.
SPANISH_NUMBER_WORDS: Final = word_set("mil millón millones billón billones")

# Foreign phrases English uses as its own. Their words are Spanish (or French)
# function words that would otherwise flag clean English news: "the de facto
# incapacitation", "they are en route", "c'est la vie" (WMT newstest2013).
ENGLISH_LOAN_PHRASES: Final = (
    "de facto",
    "de jure",
    "de rigueur",
    "de luxe",
    "en route",
    "en masse",
    "en bloc",
    "en passant",
    "en suite",
    "per se",
    "c'est la vie",
    "la carte",
    "à la",
    "et al",
    "vice versa",
    "que sera",
    "hasta la vista",
    "el niño",
    "la niña",
    "al fresco",
    "al dente",
    "coup de",
    "tour de",
    "joie de",
    "raison d'être",
    "pièce de",
    "cul de sac",
    "mano a mano",
    "con carne",
)


def _loan_table() -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in ENGLISH_LOAN_PHRASES:
        words = tuple(phrase.split())
        table.setdefault(words[0], []).append(words)
    for options in table.values():
        options.sort(key=len, reverse=True)
    return table


LOAN_FIRST: Final = _loan_table()

# After these a capitalized word is capitalized by position, not because it names.
_INITIAL_AFTER: Final = frozenset('.!?:…“"«¿¡—–•➡|')
_INVERTED: Final = frozenset("¿¡")

# Token flags.
CAP: Final = 1  # capitalized word that may belong to a name
ACRONYM: Final = 2  # all-caps word in mixed-case text: IMSS, UMAE, XXI
CONNECTOR: Final = 4  # lowercase particle between capitalized words
KEEP: Final = 8  # inside a glossary keep entry
INITIAL: Final = 16  # first word of the segment or of a sentence in it
INITCAP: Final = 32  # capitalized INITIAL word outside any name: "Porras says ..."
TAG: Final = 64  # a #hashtag, scored on its body
NUMWORD: Final = 128  # "mil" in "4 mil 158"
SPANISH_WORD: Final = 256  # INITCAP word that is a Spanish word, not a surname: "Cabe"
CUTOFF: Final = 512  # last word of a segment cut off mid-word: never part of an es span


@dataclass(slots=True)
class Analysis:
    """The tokens of one segment and what the tagger needs to know about each."""

    text: str
    tokens: list[tuple[int, int, int]]
    words: list[int]  # indices into tokens of WORD and HASHTAG tokens, in order
    lower: list[str]  # per word
    score: list[float]  # per word: unweighted LLR Spanish vs English
    emission: list[float]  # per word: what the tagger sees
    flags: list[int]  # per word
    groups: list[tuple[int, int]]  # capitalized sequences, [first, last] word positions
    keep: list[tuple[int, int]]  # keep matches, local character offsets
    caps_mode: bool  # the segment is written in capitals (a headline, "LEER MÁS")


def _mark_groups(flags: list[int], lower: list[str], adjacent: list[bool]) -> list[tuple[int, int]]:
    """Capitalized sequences: CAP/ACRONYM words joined by connectors (and nothing else)."""
    groups: list[tuple[int, int]] = []
    n = len(flags)
    i = 0
    while i < n:
        if not flags[i] & (CAP | ACRONYM) or flags[i] & KEEP:
            i += 1
            continue
        j = i
        while j + 1 < n and adjacent[j + 1]:
            nxt = flags[j + 1]
            if nxt & (CAP | ACRONYM) and not nxt & KEEP:
                j += 1
                continue
            # a run of connectors followed by a capitalized word: "de los", "del"
            k = j + 1
            while k < n and adjacent[k] and lower[k] in NAME_CONNECTORS and not flags[k] & (CAP | ACRONYM):
                k += 1
            if k > j + 1 and k < n and adjacent[k] and flags[k] & (CAP | ACRONYM) and not flags[k] & KEEP:
                for m in range(j + 1, k):
                    flags[m] |= CONNECTOR
                j = k
                continue
            break
        caps = sum(1 for m in range(i, j + 1) if flags[m] & (CAP | ACRONYM))
        # A lone word capitalized at the start of a sentence is not a name by its case.
        if caps >= 2 or not flags[i] & INITIAL:
            groups.append((i, j))
        else:
            flags[i] = (flags[i] & ~CAP) | INITCAP
        i = j + 1
    return groups


def analyze(text: str, lexicon: Lexicon, keep: list[tuple[int, int]]) -> Analysis:
    """Tokenize ``text`` and compute every word's evidence and flags."""
    tokens = tokenize(text)
    words: list[int] = []
    lower: list[str] = []
    score: list[float] = []
    flags: list[int] = []
    adjacent: list[bool] = []  # word follows the previous word with no token between
    inverted_before: list[bool] = []
    n_upper = 0
    initial = True
    pending_inverted = False
    prev_word_tok = -2
    lex_score = lexicon.score
    keep_iter = iter(keep)
    next_keep = next(keep_iter, None)
    for t, (s, e, kind) in enumerate(tokens):
        if kind == HASHTAG:
            # "#elvacilondelagatita": evidence, read by the character model.
            words.append(t)
            lower.append(text[s + 1 : e].lower())
            score.append(lex_score(lower[-1]))
            flags.append(TAG)
            adjacent.append(False)
            inverted_before.append(False)
            prev_word_tok = -2
            continue
        if kind != WORD:
            if kind == PUNCT:
                ch = text[s]
                if ch in _INITIAL_AFTER:
                    initial = True
                if ch in _INVERTED:
                    pending_inverted = True
            continue
        w = text[s:e]
        lw = w.lower()
        if "’" in lw:
            lw = lw.replace("’", "'")
        f = 0
        while next_keep is not None and next_keep[1] <= s:
            next_keep = next(keep_iter, None)
        if next_keep is not None and next_keep[0] < e:
            f |= KEEP
        if w[0].isupper():
            if len(w) > 1 and w.isupper():
                f |= ACRONYM
                n_upper += 1
            else:
                f |= CAP
        if initial:
            f |= INITIAL
            initial = False
        if lw in SPANISH_NUMBER_WORDS and (
            (t > 0 and tokens[t - 1][2] == NUM) or (t + 1 < len(tokens) and tokens[t + 1][2] == NUM)
        ):
            f |= NUMWORD
        words.append(t)
        lower.append(lw)
        score.append(lex_score(lw))
        flags.append(f)
        adjacent.append(prev_word_tok == t - 1)
        inverted_before.append(pending_inverted)
        pending_inverted = False
        prev_word_tok = t
    n = len(words)
    # A lone capitalized word is read when long enough not to be an acronym:
    # "FELICIDADES" is a tweet, "IMSS" or "UMAE" a name.
    plain = [lower[i] for i in range(n) if not flags[i] & TAG]
    caps_mode = n_upper * 10 >= len(plain) * 6 and (
        len(plain) >= 2 or (len(plain) == 1 and n_upper == 1 and len(plain[0]) >= LONE_CAPS_MIN)
    )
    groups: list[tuple[int, int]] = []
    if caps_mode:
        # "LEER MÁS: ...", all-caps headlines: case says nothing, read the words.
        for i in range(n):
            flags[i] &= ~(CAP | ACRONYM)
    else:
        groups = _mark_groups(flags, lower, adjacent)
    emission = list(score)
    word_class = lexicon.word_class
    for i in range(n):
        f = flags[i]
        if f & TAG:
            emission[i] *= TAG_WEIGHT
            continue
        if f & (ACRONYM | CONNECTOR | NUMWORD):
            emission[i] = 0.0
            continue
        if f & (CAP | KEEP):
            # A kept name is never part of an es span (spans.py), but it is still
            # context: "dice Zoé Robledo" (seed 000) reads Spanish because the
            # name beside the lone verb does.
            emission[i] *= CAP_WEIGHT
            continue
        if f & INITCAP and lower[i] not in SPANISH_FUNCTION_WORDS:
            if lexicon.spanish_word(lower[i]):
                flags[i] |= SPANISH_WORD
            else:
                emission[i] *= INITCAP_WEIGHT
        cls = word_class(lower[i])
        if cls == SPANISH_ONLY:
            emission[i] += SPANISH_ONLY_BONUS
        elif cls == LOANWORD:
            emission[i] = min(emission[i], LOAN_EDGE_CAP if i in (0, n - 1) else LOAN_CAP)
    if n and _cut_off(text, tokens, words[-1], lower[-1], lexicon):
        flags[-1] |= CUTOFF
        emission[-1] = min(emission[-1], 0.0)
    for i in range(n):
        if inverted_before[i]:
            emission[i] += INVERTED_MARK_LLR
        if lower[i] in LOAN_FIRST:
            _mask_loan_phrase(i, lower, adjacent, emission)
    return Analysis(text, tokens, words, lower, score, emission, flags, groups, keep, caps_mode)


def _cut_off(text: str, tokens: list[tuple[int, int, int]], last_word_tok: int, lw: str, lexicon: Lexicon) -> bool:
    """Whether the segment ends in the middle of its last word (a truncated page).

    The word counts as cut off unless it is a complete Spanish word English could not
    have been cut from: Spanish-only, long, and no common English word's beginning
    ("Secretaría de Salud estatal", a dev/real 02 headline, ends unpunctuated and whole).
    """
    if last_word_tok != len(tokens) - 1 or text.rstrip()[-1:] in _SENTENCE_END_CHARS:
        return False
    return not (len(lw) >= CUTOFF_MIN_LEN and lexicon.word_class(lw) == SPANISH_ONLY and not lexicon.english_prefix(lw))


def _mask_loan_phrase(i: int, lower: list[str], adjacent: list[bool], emission: list[float]) -> None:
    for phrase in LOAN_FIRST[lower[i]]:
        end = i + len(phrase)
        if end <= len(lower) and tuple(lower[i:end]) == phrase and all(adjacent[i + 1 : end]):
            for m in range(i, end):
                emission[m] = min(emission[m], -1.0)
            return
