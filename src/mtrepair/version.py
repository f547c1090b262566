"""The version, on the ground floor: every layer may import it without importing upward."""

from __future__ import annotations

__version__ = "0.1.0"
