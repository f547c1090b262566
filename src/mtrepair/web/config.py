"""What ``mtrepair serve`` was started with, and the rule for which hosts need a token."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ..errors import MtrepairError

# Names that only this machine can reach: the app may run there without a token.
LOOPBACK_NAMES: Final = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
BODY_LIMIT: Final = 2 * 1024 * 1024  # every request body (forms)
IMPORT_LIMIT: Final = 16 * 1024 * 1024  # POST /glossary/import: a TBX of a large termbase
TOKEN_BYTES: Final = 24


class WebError(MtrepairError):
    """The web app cannot start as asked (a host reachable from other machines without a token)."""


@dataclass(frozen=True)
class ServeConfig:
    """The two folders the app reads and writes, and how it is protected.

    ``corpus`` and ``glossary`` come from the command line only: no URL reaches the file
    system. ``token``: reviewers sign in with it once; None only on a loopback host.
    ``low_confidence``: applied edits below it are in the review queue too.
    """

    corpus: Path
    glossary: Path
    glossary_read_only: bool = False  # the glossary shipped inside the package: never edited in place
    token: str | None = None
    low_confidence: float = 0.5
    page_size: int = 50
    body_limit: int = BODY_LIMIT
    import_limit: int = IMPORT_LIMIT


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_host(host: str, token: str | None) -> None:
    """Refuse a host other machines can reach unless a token protects it (issue 13)."""
    if not is_loopback(host) and not token:
        raise WebError(
            f"--host {host} is reachable from other machines and requires --token TEXT "
            "(or --generate-token, which prints one); without it the server does not start"
        )


def generate_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)
