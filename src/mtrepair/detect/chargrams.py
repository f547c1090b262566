"""Character n-grams of a word: what the character model is trained and scored on.

Shared by build_data.py (training) and lexicon.py (scoring) so the two agree.
"""

from __future__ import annotations

from typing import Final

ORDERS: Final = (2, 3, 4)


def char_grams(word: str) -> list[str]:
    """n-grams (n = 2..4) of ``word`` with ``^`` and ``$`` marking its boundaries."""
    padded = "^" + word + "$"
    return [padded[i : i + n] for n in ORDERS for i in range(len(padded) - n + 1)]
