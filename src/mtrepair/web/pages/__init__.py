"""The app's pages; importing this package registers every route (``routing.REGISTRY``)."""

from __future__ import annotations

from . import article, auth, dashboard, glossary, proposals, queue

__all__ = ["article", "auth", "dashboard", "glossary", "proposals", "queue"]
