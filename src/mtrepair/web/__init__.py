"""The reviewer web app (``mtrepair serve``): review queue, article view, glossary, term
proposals and dashboard, server-rendered with Starlette, Jinja2 and htmx.

The web layer holds no repair or glossary logic: every page reads through the corpus
store and glossary modules and every write is the same library call the CLI makes.
"""

from __future__ import annotations

from .app import create_app, serve
from .config import ServeConfig, WebError, check_host, generate_token, is_loopback

__all__ = ["ServeConfig", "WebError", "check_host", "create_app", "generate_token", "is_loopback", "serve"]
