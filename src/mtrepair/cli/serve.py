"""``mtrepair serve``: the reviewer web app on the corpus store and the glossary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..corpus import DEFAULT_STORE
from .options import GLOSSARY_HELP, glossary_location
from .output import notice, status


def serve(
    corpus: Annotated[str, typer.Option("--corpus", help="Corpus store directory.")] = DEFAULT_STORE,
    glossary: Annotated[str | None, typer.Option("--glossary", help=GLOSSARY_HELP)] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; anything but loopback requires --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8765,
    token: Annotated[
        str | None, typer.Option("--token", help="Access token reviewers sign in with (required off loopback).")
    ] = None,
    generate_token: Annotated[
        bool, typer.Option("--generate-token", help="Make up a token, print it on stderr, and require it.")
    ] = False,
    low_confidence: Annotated[
        float, typer.Option("--low-confidence", min=0.0, max=1.0, help="Applied edits below this are queued too.")
    ] = 0.5,
    page_size: Annotated[int, typer.Option("--page-size", min=5, max=1000, help="Queue rows per page.")] = 50,
) -> None:
    """Start the reviewer web app: review queue, article view, glossary, term proposals, dashboard.

    Binds 127.0.0.1 by default. Any other --host refuses to start without --token (or
    --generate-token). Only the --corpus and --glossary folders are read or written.

    Example: mtrepair clean corpus/samples --corpus corpus/store && mtrepair serve
    """
    from ..web import ServeConfig, WebError, check_host
    from ..web import generate_token as make_token
    from ..web import serve as run

    if generate_token and token:
        raise WebError("give --token or --generate-token, not both")
    if generate_token:
        token = make_token()
        notice(f"token: {token}")  # shown even with -q: reviewers cannot sign in without it
    check_host(host, token)
    # The same glossary every other command would use; the shipped copy is served read-only.
    location = glossary_location(glossary)
    config = ServeConfig(
        corpus=Path(corpus),
        glossary=location.path,
        glossary_read_only=location.read_only,
        token=token or None,
        low_confidence=low_confidence,
        page_size=page_size,
    )
    shown = f"[{host}]" if ":" in host else host
    read_only = " (read-only)" if location.read_only else ""
    status(f"serving {corpus} and {location.path}{read_only} on http://{shown}:{port}/ (Ctrl-C stops)")
    run(config, host=host, port=port)
