"""Apertium as an embedded engine: one long-lived pipeline per process.

The stages come from the pair's mode file (``/usr/share/apertium/modes/spa-eng.mode``),
each started with ``-z`` so that it flushes its output at every NUL byte. Inputs are
written to the pipeline one NUL-terminated block each, many blocks in flight at once
(a writer thread feeds the pipeline while this thread reads), so the stages work in
parallel. Measured here (benchmarks/bench_translate.py): a fresh ``apertium`` process
costs ~220 ms per call, the pipeline well under 2 ms per sentence.

Several sentences per block would save a few flushes, but Apertium then treats them as
one text and changes the translation of about 1 % of them (a sentence-initial verb
loses its inserted subject pronoun, newstest2013 lines 11 and 20), so each input keeps a
block of its own: pipelining already gives the throughput.

Input is written in Apertium's stream format: reserved characters are backslash-escaped
as ``apertium-destxt`` does; ``~ * # @`` go into superblanks (``[...]``, copied verbatim)
because ``~`` is eaten by post-generation and ``* # @`` are the marks Apertium puts
before unknown words, so in the output every bare ``* # @`` is a mark and is removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from ..errors import ModelError
from ..stages import Translation
from .masking import PLACEHOLDER_RE, sanitize

DEFAULT_MODE = Path("/usr/share/apertium/modes/spa-eng.mode")  # also in __init__ (kept light)
INSTALL_HINT = (
    "install the Debian packages apertium and apertium-eng-spa, "
    "or use --engine ct2 --model DIR, or --engine none"
)

# Without -z a stage waits for EOF; these tool families all accept it.
_NULL_FLUSH_TOOLS = ("lt-", "apertium-", "lrx-", "cg-", "hfst-", "vislcg3")
_ESCAPED = frozenset("\\^$[]{}/<>")
_SUPERBLANKED = frozenset("~*#@")
# Unknown-word marks: unknown to the analyser (*), to the bilingual dictionary (@),
# to the generator (#).
_MARKS = frozenset("*#@")
_MARKER_RE = re.compile(r"\u27e6(\d{1,6})([se])\u27e7")
_WORD_RE = re.compile(r"\w+")
# An engine's confidence for Apertium is the share of source words it knew (an
# unknown word is copied in Spanish); spans.py turns it into the edit's raw score
# with the rest of the evidence (confidence.py).
BASE_CONFIDENCE = 1.0
# Accented vowels and ñ for respelling unknown words ("todavia" → "todavía", dev/real 02).
_ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú", "n": "ñ"}
_UNKNOWN_RE = re.compile(r"(?<![\\\w])\*(\w{2,40})")
# wordfreq zipf: a respelling must be a word of ordinary Spanish; a typo correction
# a common one, of a word long enough that one letter leaves it recognisable.
RESPELL_ZIPF = 3.0
TYPO_ZIPF = 4.0
TYPO_MIN_LETTERS = 5
_LETTERS = "abcdefghijklmnopqrstuvwxyzáéíóúñ"
_CONTEXT_MARK = -1


def parse_mode(mode_file: Path) -> list[list[str]]:
    """The stages of an Apertium mode file as argument lists, each with ``-z``."""
    try:
        text = mode_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"cannot read the Apertium mode file ({exc.strerror}): {INSTALL_HINT}",
                         path=str(mode_file)) from exc
    lexer = shlex.shlex(text, posix=True, punctuation_chars="|")
    lexer.whitespace_split = True
    stages: list[list[str]] = [[]]
    try:
        for token in lexer:
            if token == "|":
                stages.append([])
            elif token == "$1":
                stages[-1].append("-g")
            elif token != "$2":
                stages[-1].append(token)
    except ValueError as exc:
        raise ModelError(f"malformed Apertium mode file ({exc})", path=str(mode_file)) from exc
    stages = [s for s in stages if s]
    if not stages:
        raise ModelError("empty Apertium mode file", path=str(mode_file))
    for stage in stages:
        if Path(stage[0]).name.startswith(_NULL_FLUSH_TOOLS) and "-z" not in stage:
            stage.insert(1, "-z")
    return stages


def check_installed(mode_file: Path = DEFAULT_MODE) -> list[list[str]]:
    """The pipeline's stages, or ModelError saying what is missing and what to do."""
    if not mode_file.is_file():
        raise ModelError(f"Apertium spa-eng is not installed (no mode file): {INSTALL_HINT}",
                         path=str(mode_file))
    stages = parse_mode(mode_file)
    for stage in stages:
        if shutil.which(stage[0]) is None:
            raise ModelError(f"Apertium is not installed ({stage[0]} is not on PATH): {INSTALL_HINT}",
                             path=str(mode_file))
    return stages


def encode(text: str) -> str:
    """Plain text to Apertium stream format (see the module docstring)."""
    out: list[str] = []
    for ch in sanitize(text):
        if ch in _ESCAPED:
            out.append("\\" + ch)
        elif ch in _SUPERBLANKED:
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)


def _block_id(index: int) -> str:
    return f"[\u27e6b{index}\u27e7]"


def _marker(index: int, edge: str) -> str:
    return f"[\u27e6{index}{edge}\u27e7]"


def decode(stream: str) -> list[tuple[str, int, str]]:
    """Apertium output to text pieces, split at our markers.

    Returns ``(text, marker, raw)`` triples: ``marker`` is -1 for ordinary text, else
    ``2*i`` / ``2*i+1`` for the start / end marker of span ``i``; ``raw`` is the piece
    of the stream the text came from, for :func:`_confidence`. Unknown-word marks are
    dropped from ``text``.
    """
    pieces: list[tuple[str, int, str]] = []
    buf: list[str] = []
    piece_start = 0
    i, n = 0, len(stream)
    while i < n:
        ch = stream[i]
        if ch == "\\" and i + 1 < n:
            buf.append(stream[i + 1])
            i += 2
        elif ch == "[":
            j = i + 1
            content: list[str] = []
            while j < n and stream[j] != "]":
                if stream[j] == "\\" and j + 1 < n:
                    j += 1
                content.append(stream[j])
                j += 1
            inner = "".join(content)
            marker = _MARKER_RE.fullmatch(inner)
            if marker:
                pieces.append(("".join(buf), _CONTEXT_MARK, stream[piece_start:i]))
                buf = []
                pieces.append(("", 2 * int(marker.group(1)) + (marker.group(2) == "e"), ""))
                piece_start = j + 1
            else:
                buf.append(inner)
            i = j + 1
        elif ch in _MARKS:
            i += 1
        else:
            buf.append(ch)
            i += 1
    pieces.append(("".join(buf), _CONTEXT_MARK, stream[piece_start:]))
    return pieces


_STREAM_WORD_RE = re.compile(r"\[[^\]]*\]|([*#@]?)(\w[\w'-]*)")
_SOURCE_WORD_RE = re.compile(r"\w[\w'-]*")


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def fix_false_capital(stream: str, source: str) -> str:
    """Undo the capital Apertium gives the first word it knows after unknown words.

    Apertium capitalises the first word it translates in a block when only unknown
    words precede it: "XQ0 del Ciclo" → "*XQ0 Of the Cycle", "During the clausura" →
    "*During *the Closure" (seed 000). Unknown words are copied in order, so the n-th
    word of the output after n unknown ones stands for the n-th word of the source;
    if that one is lowercase, so is the translation.
    """
    unknown = 0
    for m in _STREAM_WORD_RE.finditer(stream):
        if m.group(2) is None:
            continue  # a superblank
        if m.group(1) == "*":
            unknown += 1
            continue
        word_start = m.start(2)
        if unknown == 0 or not stream[word_start].isupper():
            return stream
        words = _SOURCE_WORD_RE.findall(source)
        if len(words) > unknown and words[unknown][0].islower():
            return stream[:word_start] + stream[word_start].lower() + stream[word_start + 1 :]
        return stream
    return stream


def _confidence(stream: str) -> float:
    """BASE_CONFIDENCE scaled by the share of words Apertium knew; placeholders,
    unknown by design, and acronyms, copied as they should be ("el PRI"), do not count."""
    plain = re.sub(r"\[[^\]]*\]", " ", stream)
    unknown = 0
    total = 0
    for m in re.finditer(r"([*#@]?)(\w+)", plain):
        if PLACEHOLDER_RE.fullmatch(m.group(2)) or _is_acronym(m.group(2)):
            continue
        total += 1
        if m.group(1):
            unknown += 1
    if total == 0:
        return BASE_CONFIDENCE
    return round(BASE_CONFIDENCE * (1 - unknown / total), 4)


def _accent_variants(lower: str) -> list[str]:
    return [lower[:i] + _ACCENTED[ch] + lower[i + 1 :] for i, ch in enumerate(lower) if ch in _ACCENTED]


def _typo_variants(lower: str) -> list[list[str]]:
    """One letter replaced or two neighbours swapped; failing those, one letter dropped
    (a slip of one key keeps the length: "Casov" is "Casos" rather than "Caso")."""
    same_length = [lower[:i] + lower[i + 1] + lower[i] + lower[i + 2 :] for i in range(len(lower) - 1)]
    same_length += [lower[:i] + c + lower[i + 1 :] for i in range(len(lower)) for c in _LETTERS if c != lower[i]]
    return [same_length, [lower[:i] + lower[i + 1 :] for i in range(len(lower))]]


def respelling(word: str, *, typos: bool = False) -> str | None:
    """The right spelling of a word Apertium does not know, if Spanish has one.

    Mexican MT output and web copy drop accents ("todavia", dev/real 02; "alli");
    Apertium knows only "todavía". One vowel gains an acute accent (or an n becomes
    ñ); the respelling is taken when wordfreq's Spanish list has it as an ordinary
    word, commoner than the word as written. With ``typos`` (a lowercase word, or the
    first of a span: never a name), one wrong, missing or swapped letter is corrected
    when that gives a common Spanish word and the word as written is no word at all
    ("Casov de Covid-19", dev/real 02: "Casos").
    """
    from .confidence import spanish_zipf as zipf

    lower = word.lower()
    if any(ch in "áéíóúñü" for ch in lower):
        return None
    written = zipf(lower)
    best, best_zipf = None, max(RESPELL_ZIPF, written)
    for candidate in _accent_variants(lower):
        z = zipf(candidate)
        if z > best_zipf:
            best, best_zipf = candidate, z
    if best is None and typos and len(lower) >= TYPO_MIN_LETTERS and written < RESPELL_ZIPF - 1:
        for variants in _typo_variants(lower):
            best_zipf = TYPO_ZIPF
            for candidate in variants:
                z = zipf(candidate)
                if z > best_zipf:
                    best, best_zipf = candidate, z
            if best is not None:
                break
    if best is None:
        return None
    if word[:1].isupper():
        best = best[0].upper() + best[1:]
    return best.upper() if word.isupper() and len(word) > 1 else best


def _respelt(source: str, stream: str) -> str:
    """``source`` with the words Apertium marked unknown in ``stream`` respelt where
    :func:`respelling` finds a right spelling: lowercase words and the first word only,
    never a name."""
    first = _SOURCE_WORD_RE.search(source)
    out = source
    for unknown in dict.fromkeys(_UNKNOWN_RE.findall(stream)):
        if PLACEHOLDER_RE.fullmatch(unknown):
            continue
        ordinary = unknown[:1].islower() or (first is not None and first.group() == unknown)
        if not ordinary:
            continue  # a capital inside the text is a name: "Cesarea" stays (newstest2013.spa)
        fixed = respelling(unknown, typos=True)
        if fixed is not None:
            out = re.sub(rf"(?<!\w){re.escape(unknown)}(?!\w)", fixed, out)
    return out


class _Pipeline:
    """The running processes of one pipeline; stdin of the first, stdout of the last."""

    def __init__(self, stages: list[list[str]]) -> None:
        env = dict(os.environ, LC_ALL="C.UTF-8")
        # Shared by all stages; read back only to explain a failure.
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.procs: list[subprocess.Popen[bytes]] = []
        prev: IO[bytes] | int = subprocess.PIPE
        try:
            for k, argv in enumerate(stages):
                last = k == len(stages) - 1
                proc = subprocess.Popen(
                    argv, stdin=prev, stdout=subprocess.PIPE, stderr=self.stderr, env=env,
                    close_fds=True, start_new_session=True, bufsize=0,
                )
                if k > 0 and not isinstance(prev, int):
                    prev.close()  # the child holds it now
                self.procs.append(proc)
                if not last:
                    assert proc.stdout is not None
                    prev = proc.stdout
        except OSError as exc:
            self.kill()
            raise ModelError(f"cannot start Apertium stage {argv[0]} ({exc.strerror}): {INSTALL_HINT}") from exc
        first, final = self.procs[0], self.procs[-1]
        assert first.stdin is not None and final.stdout is not None
        self.stdin: IO[bytes] = first.stdin
        self.stdout: IO[bytes] = final.stdout
        self.pending = b""

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.procs)

    def error_tail(self) -> str:
        try:
            self.stderr.seek(0, os.SEEK_END)
            size = self.stderr.tell()
            self.stderr.seek(max(0, size - 300))
            return self.stderr.read().decode("utf-8", "replace").strip().replace("\n", " ")
        except (OSError, ValueError):
            return ""

    def kill(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.kill()
        for p in self.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=5)
            for stream in (p.stdin, p.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
        self.stderr.close()


class ApertiumTranslator:
    """Spanish → English through a persistent Apertium pipeline (see module docstring)."""

    name = "apertium"
    # Digits pass through Apertium unchanged, and masking them costs grammar; spans.py
    # checks them after translation instead (masking.same_numbers).
    keeps_numbers = True

    def __init__(self, mode_file: Path = DEFAULT_MODE, *, timeout: float = 20.0) -> None:
        self.mode_file = mode_file
        self.model_id = mode_file.stem
        self.timeout = timeout
        self._stages = check_installed(mode_file)
        self._lock = threading.Lock()
        self._pipe: _Pipeline | None = None
        self.restarts = 0

    # -- the Translator protocol ------------------------------------------------

    def translate(self, batch: Sequence[str]) -> list[Translation]:
        """Each text translated; a text with unknown words that have a right spelling
        (:func:`respelling`) is translated again respelt, and that translation kept."""
        sources = list(batch)
        streams = self._run([encode(text) for text in sources])
        again = {k: fixed for k, stream in enumerate(streams)
                 if stream is not None and (fixed := _respelt(sources[k], stream)) != sources[k]}
        if again:
            for k, stream in zip(again, self._run([encode(text) for text in again.values()]), strict=True):
                if stream is not None:
                    sources[k], streams[k] = again[k], stream
        out = []
        for source, stream in zip(sources, streams, strict=True):
            if stream is None:
                out.append(Translation("", 0.0))
                continue
            stream = fix_false_capital(stream, source)
            text = "".join(piece for piece, _, _ in decode(stream))
            out.append(Translation(text.strip(), _confidence(stream)))
        return out

    def close(self) -> None:
        with self._lock:
            if self._pipe is not None:
                self._pipe.kill()
                self._pipe = None

    # -- translation with context -----------------------------------------------

    def translate_in_context(self, windows: Sequence[Sequence[tuple[str, bool]]]) -> list[list[Translation] | None]:
        """Translate each window (pieces of text; ``True`` marks a span to keep) as one
        sentence and return the translations of its marked pieces, in order.

        A fragment such as "dice" or "el" inside an English sentence (seed 000) comes
        out as "It says" / "The" alone, because Apertium takes its input for a whole
        sentence; with its neighbours it comes out as "says" / "the". The span's part is
        cut out of the output at superblank markers, which Apertium copies in place.
        ``None`` for a window whose markers came back out of order.
        """
        blocks = []
        counts = []
        for window in windows:
            parts = []
            k = 0
            for text, is_span in window:
                if is_span:
                    parts.append(_marker(k, "s") + encode(text) + _marker(k, "e"))
                    k += 1
                else:
                    parts.append(encode(text))
            blocks.append("".join(parts))
            counts.append(k)
        results: list[list[Translation] | None] = []
        for window, stream, count in zip(windows, self._run(blocks), counts, strict=True):
            if stream is None:
                results.append(None)
            else:
                source = "".join(text for text, _ in window)
                results.append(_cut_spans(fix_false_capital(stream, source), count))
        return results

    # -- the pipeline -----------------------------------------------------------

    def _start(self) -> _Pipeline:
        if self._pipe is None or not self._pipe.alive():
            if self._pipe is not None:
                self._pipe.kill()
                self.restarts += 1
            self._pipe = _Pipeline(self._stages)
        return self._pipe

    def _run(self, blocks: Sequence[str]) -> list[str | None]:
        """Each block through the pipeline; ``None`` for one that made it hang or die
        twice. A dead pipeline is restarted and the unanswered blocks resubmitted."""
        # Each block starts with a superblank naming it, which Apertium copies to the front
        # of its answer: an answer out of step is caught, never attributed to another span.
        # The trailing empty superblank works around lt-proc -z dropping an unknown last
        # word right before the NUL ("in graduation\0" loses "graduation").
        payloads = [(_block_id(k) + b + "[]").encode("utf-8") + b"\0" for k, b in enumerate(blocks)]
        results: list[str | None] = [None] * len(payloads)
        with self._lock:
            todo = list(range(len(payloads)))
            failures: dict[int, int] = {}
            while todo:
                done, error = self._exchange(self._start(), [payloads[i] for i in todo])
                for k, out in enumerate(done):
                    results[todo[k]] = out
                todo = todo[len(done):]
                if error is None:
                    break
                # The first unanswered block is the suspect: after a second failure it
                # is given up (its span stays flagged) and the others go on.
                assert self._pipe is not None
                self._pipe.kill()
                self._pipe = None
                self.restarts += 1
                if todo:
                    failures[todo[0]] = failures.get(todo[0], 0) + 1
                    if failures[todo[0]] >= 2:
                        todo = todo[1:]
                if len(failures) > 20:
                    raise ModelError(f"Apertium keeps failing ({error}); check the installation: {INSTALL_HINT}",
                                     path=str(self.mode_file))
        return results

    def _exchange(self, pipe: _Pipeline, payloads: list[bytes]) -> tuple[list[str], str | None]:
        """Write all payloads (in a thread) while reading the answers; returns the
        answers received and, if the pipeline died or hung, why."""
        write_error: list[str] = []

        def write() -> None:
            try:
                for payload in payloads:
                    pipe.stdin.write(payload)
                pipe.stdin.flush()
            except (BrokenPipeError, ValueError, OSError) as exc:
                write_error.append(str(exc))

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answers: list[str] = []
        fd = pipe.stdout.fileno()
        selector = selectors.DefaultSelector()
        selector.register(fd, selectors.EVENT_READ)
        error: str | None = None
        try:
            deadline = time.monotonic() + self.timeout
            while len(answers) < len(payloads):
                while b"\0" in pipe.pending and len(answers) < len(payloads):
                    raw, _, pipe.pending = pipe.pending.partition(b"\0")
                    answer = raw.decode("utf-8", "replace")
                    expected = payloads[len(answers)].split(b"]", 1)[0].decode("utf-8") + "]"
                    if not answer.startswith(expected):
                        error = "an answer came back out of step"
                        break
                    answers.append(answer[len(expected) :])
                    deadline = time.monotonic() + self.timeout
                if error is not None or len(answers) == len(payloads):
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    error = f"no answer within {self.timeout:g} s"
                    break
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    tail = pipe.error_tail()
                    error = "the pipeline exited" + (f": {tail}" if tail else "")
                    break
                pipe.pending += chunk
        finally:
            selector.close()
        if error is not None:
            pipe.kill()  # unblocks the writer
        writer.join(timeout=5)
        return answers, error


def _cut_spans(stream: str, count: int) -> list[Translation] | None:
    expected = 0
    text: list[str] | None = None
    raw: list[str] = []
    spans: list[Translation] = []
    for piece, marker, piece_raw in decode(stream):
        if marker == _CONTEXT_MARK:
            if text is not None:
                text.append(piece)
                raw.append(piece_raw)
            continue
        if marker != expected:
            return None
        if marker % 2 == 0:
            text, raw = [], []
        else:
            assert text is not None
            spans.append(Translation("".join(text).strip(), _confidence("".join(raw))))
            text = None
        expected += 1
    if expected != 2 * count:
        return None
    return spans
