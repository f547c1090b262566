"""The opened corpus store and glossary, reused across requests until someone writes.

Opening a Delta table reads its log; doing that for every page would cost more than
the page. A table's ``_delta_log`` folder gains a file with every commit (from this
app, the CLI or another reviewer's server), so the modification times of those
folders tell when the store changed: then, and only then, the Corpus is refreshed, and
a derived frame is computed again only when a table it reads changed (a decision about
an edit leaves the large queue frames alone). The glossary is re-read when its TSV's
size or modification time changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..corpus.schema import TABLES
from ..corpus.store import Corpus, open_store
from ..glossary.entry import Entry
from ..glossary.tsvfile import GLOSSARY_FILE

T = TypeVar("T")
ALL_TABLES = tuple(TABLES)


def _quiet(message: str) -> None:
    """Store notices (waiting for a lock, migrating) are not a page's business."""


class Stores:
    """One per app: the corpus and glossary folders given on the command line."""

    def __init__(self, corpus_dir: Path, glossary_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self.glossary_dir = glossary_dir
        self._lock = threading.RLock()
        self._corpus: Corpus | None = None
        self._corpus_stamps: dict[str, tuple[int, int]] = {}
        self._stale = False
        self._writes: dict[str, int] = {}
        self._derived: dict[str, tuple[Hashable, Any]] = {}
        self._entries: list[Entry] = []
        self._glossary_stamp: tuple[int, int] | None = None

    # -- the corpus ------------------------------------------------------------------------------

    def _stamps(self) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for table in TABLES:
            try:
                mtime = (self.corpus_dir / table / "_delta_log").stat().st_mtime_ns
            except OSError:
                mtime = 0
            out[table] = (mtime, self._writes.get(table, 0))
        return out

    def corpus(self) -> Corpus:
        """The store at its latest version (refreshed only when a table's log changed)."""
        return self._current()[0]

    def _current(self) -> tuple[Corpus, dict[str, tuple[int, int]]]:
        with self._lock:
            stamps = self._stamps()
            if self._corpus is None:
                self._corpus = open_store(self.corpus_dir, notify=_quiet)
                self._corpus_stamps = stamps
            elif stamps != self._corpus_stamps or self._stale:
                self._corpus.refresh()
                self._corpus_stamps = stamps
            self._stale = False
            return self._corpus, self._corpus_stamps

    def changed(self, *tables: str) -> None:
        """After this app wrote to ``tables``: refresh on the next read even if no modification
        time moved (two commits within one file-system time tick)."""
        with self._lock:
            self._stale = True
            for table in tables:
                self._writes[table] = self._writes.get(table, 0) + 1

    def cached(
        self, name: str, build: Callable[[Corpus], T], tables: Sequence[str] = ALL_TABLES, extra: Hashable = None
    ) -> T:
        """``build(corpus)``, computed again only when one of ``tables`` changed or ``extra`` (what
        else the value depends on) differs; one value per ``name``."""
        corpus, stamps = self._current()
        key = (tuple(stamps[t] for t in tables), extra)
        with self._lock:
            found = self._derived.get(name)
            if found is not None and found[0] == key:
                value: T = found[1]
                return value
        value = build(corpus)
        with self._lock:
            self._derived[name] = (key, value)
        return value

    # -- the glossary ----------------------------------------------------------------------------

    @property
    def glossary_tsv(self) -> Path:
        return self.glossary_dir / GLOSSARY_FILE

    def entries(self) -> list[Entry]:
        """Every glossary entry (any status); [] before the glossary exists."""
        from ..glossary.review import current_entries

        try:
            st = self.glossary_tsv.stat()
        except OSError:
            return []
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            if stamp != self._glossary_stamp:
                self._entries = current_entries(self.glossary_dir)
                self._glossary_stamp = stamp
            return list(self._entries)

    def glossary_changed(self) -> None:
        with self._lock:
            self._glossary_stamp = None
