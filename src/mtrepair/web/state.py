"""The opened corpus store and glossary, reused across requests until someone writes.

Opening a Delta table reads its log; doing that for every page would cost more than
the page. A table's ``_delta_log`` folder gains a file with every commit (from this
app, the CLI or another reviewer's server), so the modification times of those
folders tell when the store changed: then, and only then, the Corpus is refreshed and
the derived frames cached for its version are dropped. The glossary is re-read when
its TSV's size or modification time changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..corpus.schema import TABLES
from ..corpus.store import Corpus, open_store
from ..glossary.entry import Entry
from ..glossary.tsvfile import GLOSSARY_FILE

T = TypeVar("T")


def _quiet(message: str) -> None:
    """Store notices (waiting for a lock, migrating) are not a page's business."""


class Stores:
    """One per app: the corpus and glossary folders given on the command line."""

    def __init__(self, corpus_dir: Path, glossary_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self.glossary_dir = glossary_dir
        self._lock = threading.RLock()
        self._corpus: Corpus | None = None
        self._corpus_stamp: tuple[int, ...] | None = None
        self._derived: dict[str, Any] = {}
        self._entries: list[Entry] = []
        self._glossary_stamp: tuple[int, int] | None = None

    # -- the corpus ------------------------------------------------------------------------------

    def _stamp(self) -> tuple[int, ...]:
        out: list[int] = []
        for table in TABLES:
            log = self.corpus_dir / table / "_delta_log"
            try:
                st = log.stat()
                out += [st.st_mtime_ns, st.st_nlink]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def corpus(self) -> Corpus:
        """The store at its latest version (refreshed only when a table's log changed)."""
        with self._lock:
            stamp = self._stamp()
            if self._corpus is None:
                self._corpus = open_store(self.corpus_dir, notify=_quiet)
                self._corpus_stamp = stamp
            elif stamp != self._corpus_stamp:
                self._corpus.refresh()
                self._corpus_stamp = stamp
                self._derived.clear()
            return self._corpus

    def changed(self) -> None:
        """After this app wrote: the next read refreshes (a write within the same mtime tick too)."""
        with self._lock:
            self._corpus_stamp = None
            self._derived.clear()
            if self._corpus is not None:
                self._corpus.refresh()
                self._corpus_stamp = self._stamp()

    def cached(self, name: str, build: Callable[[Corpus], T]) -> T:
        """``build(corpus)``, computed once per store version."""
        corpus = self.corpus()
        with self._lock:
            if name in self._derived:
                found: T = self._derived[name]
                return found
        value = build(corpus)
        with self._lock:
            self._derived[name] = value
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
