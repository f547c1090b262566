"""Two-state Viterbi (English / Spanish) over per-word evidence.

The emission of a word is its log-likelihood ratio Spanish vs English (nats);
changing language costs ``switch`` nats. A short word that exists in both
languages ("el", "no", "me", "real", "mayor") therefore follows its neighbours,
and one isolated Spanish-looking word needs evidence above twice the switching
cost to be tagged Spanish. Pure Python, two floats per step: the hot loop of the
detector.
"""

from __future__ import annotations

from collections.abc import Sequence


def viterbi(emissions: Sequence[float], switch: float, start_es: float) -> list[bool]:
    """Most likely language sequence; True where Spanish.

    ``start_es`` is the log-odds of starting in Spanish (negative: English is
    the expected matrix language).
    """
    n = len(emissions)
    if n == 0:
        return []
    # back[i] holds two bits: bit 0 = previous state of "en at i" was es,
    # bit 1 = previous state of "es at i" was es.
    back = bytearray(n)
    v_en = 0.0
    v_es = start_es + emissions[0]
    for i in range(1, n):
        e_stay = v_en
        e_from_es = v_es - switch
        s_stay = v_es
        s_from_en = v_en - switch
        bits = 0
        if e_from_es > e_stay:
            v_en_new = e_from_es
            bits = 1
        else:
            v_en_new = e_stay
        # on a tie the Spanish stretch starts as late as it can: a word with no
        # evidence either way ("a" in "I have a sombrero") stays English
        if s_stay > s_from_en:
            v_es = s_stay + emissions[i]
            bits |= 2
        else:
            v_es = s_from_en + emissions[i]
        v_en = v_en_new
        back[i] = bits
    state = v_es > v_en
    out = [False] * n
    for i in range(n - 1, -1, -1):
        out[i] = state
        bits = back[i]
        state = bool(bits & 2) if state else bool(bits & 1)
    return out
