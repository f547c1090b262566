"""Text from articles and reviewers made safe to print on a terminal.

Article text is untrusted: an escape sequence in it could recolour, retitle or
rewrite the reader's terminal through ``clean --diff`` or ``corpus show`` (issue
12). Control characters other than tab and line feed are shown as visible escapes.
"""

from __future__ import annotations

import re

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(m: re.Match[str]) -> str:
    return f"\\x{ord(m.group(0)):02x}"


def safe_for_terminal(text: str) -> str:
    """``text`` with every control character (but tab and newline) written as ``\\xNN``."""
    return _CONTROL_RE.sub(_visible, text)
