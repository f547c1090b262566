"""Detect the Spanish left in English text (``es`` spans) and Spanish names (``name``).

    from mtrepair.detect import build_detector
    spans = build_detector(keep=["IMSS-Bienestar"]).detect(segment)

Importing this package loads nothing; word lists load on the first
``build_detector`` call.
"""

from __future__ import annotations

from .detector import Detector, build_detector

__all__ = ["Detector", "build_detector"]
