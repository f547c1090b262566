"""CTranslate2 as the neural engine: any model directory with its SentencePiece models.

Layouts understood (see registry.py for importing them):

- CTranslate2 conversion of an OPUS-MT (Marian) model: ``model.bin``, ``config.json``,
  vocabularies, ``source.spm`` and ``target.spm``;
- an Argos Translate package: ``model/`` (the CTranslate2 directory) next to a shared
  ``sentencepiece.model``;
- either with an optional ``mtrepair.json`` giving ``source_prefix`` / ``target_prefix``
  tokens (NLLB and M2M100 need language tokens).

Inputs are batched by tokens (``max_batch_size`` with ``batch_type="tokens"``), decoded
with beam search, and the normalised log-probability CTranslate2 returns
(``return_scores``) becomes the confidence: exp(mean log-prob per token), a
probability-like number in 0..1. ctranslate2 and sentencepiece are imported only when a
model is opened.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ModelError
from ..stages import Translation
from .masking import sanitize

OPTIONS_FILE = "mtrepair.json"
_SENTENCE_BREAK = re.compile(r"(?<=[.!?;:])\s+")


@dataclass(frozen=True, slots=True)
class ModelLayout:
    """Where the parts of a model are and how inputs must be framed."""

    root: Path
    ct2_dir: Path
    source_spm: Path
    target_spm: Path
    append_eos: bool
    source_prefix: tuple[str, ...] = ()
    target_prefix: tuple[str, ...] = ()


def locate_model(path: Path) -> ModelLayout:
    """Find the CTranslate2 directory and SentencePiece models under ``path``."""
    if not path.is_dir():
        raise ModelError("not a model directory (give a CTranslate2 model directory)", path=str(path))
    if (path / "model.bin").is_file():
        ct2_dir = path
    elif (path / "model" / "model.bin").is_file():
        ct2_dir = path / "model"  # Argos Translate layout
    else:
        raise ModelError("no model.bin here or in model/: not a CTranslate2 model directory", path=str(path))
    source_spm = target_spm = None
    for base in (ct2_dir, path):
        if (base / "source.spm").is_file() and (base / "target.spm").is_file():
            source_spm, target_spm = base / "source.spm", base / "target.spm"
            break
        if (base / "sentencepiece.model").is_file():
            source_spm = target_spm = base / "sentencepiece.model"
            break
    if source_spm is None or target_spm is None:
        raise ModelError(
            "no SentencePiece model (source.spm + target.spm, or sentencepiece.model): "
            "copy them from the original model into this directory",
            path=str(path),
        )
    config = _read_json(ct2_dir / "config.json")
    options = _read_json(path / OPTIONS_FILE)
    # CTranslate2 >= 3 writes add_source_eos for Marian conversions; older conversions of
    # OPUS-MT models need the </s> appended by hand, as Marian itself does.
    append_eos = "add_source_eos" not in config and source_spm.name == "source.spm"
    append_eos = bool(options.get("append_eos", append_eos))
    return ModelLayout(
        root=path,
        ct2_dir=ct2_dir,
        source_spm=source_spm,
        target_spm=target_spm,
        append_eos=append_eos,
        source_prefix=tuple(str(t) for t in options.get("source_prefix", [])),
        target_prefix=tuple(str(t) for t in options.get("target_prefix", [])),
    )


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"unreadable JSON ({exc})", path=str(path)) from exc
    if not isinstance(data, dict):
        raise ModelError("expected a JSON object", path=str(path))
    return data


class CT2Translator:
    """Spanish → English with a CTranslate2 model (see module docstring)."""

    name = "ct2"

    def __init__(
        self,
        path: Path,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        beam_size: int = 4,
        max_batch_tokens: int = 4096,
        max_input_tokens: int = 200,
        intra_threads: int = 0,
    ) -> None:
        import ctranslate2
        import sentencepiece

        self.layout = locate_model(path)
        self.model_id = path.name
        self.beam_size = beam_size
        self.max_batch_tokens = max_batch_tokens
        self.max_input_tokens = max_input_tokens
        self.compute_type = compute_type
        try:
            self._source_sp = sentencepiece.SentencePieceProcessor(model_file=str(self.layout.source_spm))
            self._target_sp = (
                self._source_sp
                if self.layout.target_spm == self.layout.source_spm
                else sentencepiece.SentencePieceProcessor(model_file=str(self.layout.target_spm))
            )
        except (OSError, RuntimeError) as exc:
            raise ModelError(f"cannot load the SentencePiece model ({exc})",
                             path=str(self.layout.source_spm)) from exc
        try:
            self._model: Any = ctranslate2.Translator(
                str(self.layout.ct2_dir), device=device, compute_type=compute_type, intra_threads=intra_threads
            )
        except (RuntimeError, ValueError, OSError, IndexError, KeyError) as exc:
            # IndexError/KeyError: a model.bin of zeros names no variables ("variable
            # encoder/embeddings_0/weight not found" is an IndexError in ctranslate2 4.x).
            raise ModelError(
                f"cannot load the CTranslate2 model ({_first_line(exc)}): model.bin is corrupt or "
                "from an incompatible CTranslate2 version; re-import or re-convert it",
                path=str(self.layout.ct2_dir / "model.bin"),
            ) from exc

    def translate(self, batch: Sequence[str]) -> list[Translation]:
        # Long inputs are cut at sentence (then word) boundaries into pieces the model
        # was trained on; each text's pieces are translated in the same batch.
        owners: list[int] = []
        pieces: list[list[str]] = []
        for k, text in enumerate(batch):
            for piece in self._split(sanitize(text)):
                owners.append(k)
                pieces.append(piece)
        if not pieces:
            return [Translation("", 0.0) for _ in batch]
        sources = [list(self.layout.source_prefix) + p + (["</s>"] if self.layout.append_eos else []) for p in pieces]
        prefix = [list(self.layout.target_prefix)] * len(sources) if self.layout.target_prefix else None
        longest = max(len(s) for s in sources)
        try:
            results = self._model.translate_batch(
                sources,
                target_prefix=prefix,
                beam_size=self.beam_size,
                max_batch_size=self.max_batch_tokens,
                batch_type="tokens",
                return_scores=True,
                max_input_length=0,
                max_decoding_length=min(1024, 2 * longest + 10),
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"CTranslate2 failed ({_first_line(exc)})", path=str(self.layout.ct2_dir)) from exc
        texts: list[list[str]] = [[] for _ in batch]
        logprob = [0.0] * len(batch)
        length = [0] * len(batch)
        skip = len(self.layout.target_prefix)
        for owner, result in zip(owners, results, strict=True):
            tokens = result.hypotheses[0][skip:]
            texts[owner].append(self._target_sp.decode_pieces(tokens))
            n = max(1, len(tokens))
            logprob[owner] += float(result.scores[0]) * n
            length[owner] += n
        out = []
        for k in range(len(batch)):
            conf = math.exp(logprob[k] / length[k]) if length[k] else 0.0
            # A NaN score (NaN weights) must not pass as min(1.0, nan) == 1.0.
            conf = conf if math.isfinite(conf) else 0.0
            out.append(Translation(" ".join(t for t in texts[k] if t).strip(), round(min(1.0, conf), 4)))
        return out

    def close(self) -> None:
        self._model = None

    def _split(self, text: str) -> list[list[str]]:
        if not text.strip():
            return []
        tokens: list[str] = self._source_sp.encode(text, out_type=str)
        if len(tokens) <= self.max_input_tokens:
            return [tokens]
        pieces: list[list[str]] = []
        for sentence in _SENTENCE_BREAK.split(text):
            sent_tokens: list[str] = self._source_sp.encode(sentence, out_type=str)
            if len(sent_tokens) <= self.max_input_tokens:
                pieces.append(sent_tokens)
                continue
            current: list[str] = []
            for word in sentence.split(" "):
                word_tokens: list[str] = self._source_sp.encode(word, out_type=str)[: self.max_input_tokens]
                if current and len(current) + len(word_tokens) > self.max_input_tokens:
                    pieces.append(current)
                    current = []
                current.extend(word_tokens)
            if current:
                pieces.append(current)
        return pieces


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
