"""``mtrepair serve``: the reviewer web app on the corpus store and the glossary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..corpus import DEFAULT_STORE
from .output import notice, status

DEFAULT_GLOSSARY = "glossary"


def serve(
    corpus: Annotated[str, typer.Option("--corpus", help="Corpus store directory.")] = DEFAULT_STORE,
    glossary: Annotated[str, typer.Option("--glossary", help="Glossary folder (holding glossary.tsv).")] = (
        DEFAULT_GLOSSARY
    ),
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

    Errors (a non-loopback --host without a token) are MtrepairErrors: the command group prints
    them as one line and exits 1.
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
    config = ServeConfig(
        corpus=Path(corpus),
        glossary=Path(glossary),
        token=token or None,
        low_confidence=low_confidence,
        page_size=page_size,
    )
    shown = f"[{host}]" if ":" in host else host
    status(f"serving {corpus} and {glossary} on http://{shown}:{port}/ (Ctrl-C stops)")
    run(config, host=host, port=port)
