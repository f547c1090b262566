"""Build tiny real CTranslate2 Transformer models and SentencePiece models at test time.

No model weights can be downloaded here, so the tests of the CTranslate2 engine make
their own: a SentencePiece model trained on a few hundred lines of Spanish (built from
wordfreq's word list, a runtime dependency), and a Transformer whose weights are either

- random (a real model that translates into noise: batching, scoring and the rejection
  of lost placeholders run on it), or
- set by hand so that it copies its input (a one-layer Transformer whose cross-attention
  attends from target position t to source position t, with one-hot token and position
  subspaces): it makes restoration of placeholders testable end to end.

Both go through ctranslate2's own converter machinery (a Converter subclass whose
``_load`` fills a TransformerSpec) and are saved with int8 quantization.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import sentencepiece as spm
from ctranslate2.converters.converter import Converter
from ctranslate2.specs import transformer_spec

# Every character the tests feed the model must be in these lines, or it maps to <unk>.
_EXTRA_LINES = [
    "XQ0 XQ1 XQ2 XQ3 XQ4 XQ5 XQ6 XQ7 XQ8 XQ9 XQ10 XQ11 XQ12",
    "El IMSS dice que 2020-2021 es el ciclo. ¿Qué? ¡Sí! 60 por ciento, 4,158 médicos.",
    "Zoé Robledo, Instituto Politécnico Nacional: Universidad Nacional Autónoma de México.",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 áéíóúñü ÁÉÍÓÚÑÜ",
]


def spanish_lines(n: int = 400, seed: int = 7) -> list[str]:
    """``n`` pseudo-sentences of real Spanish words (wordfreq's frequency list)."""
    from wordfreq import top_n_list

    words = [w for w in top_n_list("es", 3000) if w.isalpha()]
    rng = random.Random(seed)
    lines = []
    for _ in range(n):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14)))
        lines.append(sentence[0].upper() + sentence[1:] + ".")
    return lines + _EXTRA_LINES * 5


def train_sentencepiece(directory: Path, *, vocab_size: int = 200, name: str = "sentencepiece.model") -> Path:
    """Train a small unigram SentencePiece model; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    corpus = directory / "spm-train.txt"
    corpus.write_text("\n".join(spanish_lines()) + "\n", encoding="utf-8")
    prefix = directory / "spm"
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        character_coverage=1.0,
        model_type="unigram",
        bos_id=1,
        eos_id=2,
        unk_id=0,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    corpus.unlink()
    out = directory / name
    Path(str(prefix) + ".model").replace(out)
    Path(str(prefix) + ".vocab").unlink()
    return out


def vocabulary(spm_path: Path) -> list[str]:
    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


class _TinyConverter(Converter):
    def __init__(self, vocab: list[str], *, copy: bool, seed: int, max_positions: int) -> None:
        self.vocab = vocab
        self.copy = copy
        self.seed = seed
        self.max_positions = max_positions

    def _load(self) -> transformer_spec.TransformerSpec:
        spec = transformer_spec.TransformerSpec.from_config(1, 1, pre_norm=True)
        v = len(self.vocab)
        if self.copy:
            _fill_copy(spec, v, self.max_positions)
        else:
            _fill_random(spec, v, self.seed, self.max_positions)
        spec.register_source_vocabulary(self.vocab)
        spec.register_target_vocabulary(self.vocab)
        spec.config.add_source_eos = True
        return spec


def build_model(
    out_dir: Path,
    spm_path: Path,
    *,
    copy: bool,
    layout: str = "opus",
    seed: int = 0,
    max_positions: int = 256,
    quantization: str = "int8",
) -> Path:
    """Write a tiny model in the ``opus`` (source.spm/target.spm beside model.bin) or
    ``argos`` (model/ + sentencepiece.model) layout; returns ``out_dir``. The copy model
    copies inputs of up to ``max_positions`` - 1 tokens."""
    ct2_dir = out_dir / "model" if layout == "argos" else out_dir
    _TinyConverter(vocabulary(spm_path), copy=copy, seed=seed, max_positions=max_positions).convert(
        str(ct2_dir), quantization=quantization, force=True
    )
    if layout == "argos":
        shutil.copy(spm_path, out_dir / "sentencepiece.model")
    else:
        shutil.copy(spm_path, out_dir / "source.spm")
        shutil.copy(spm_path, out_dir / "target.spm")
    return out_dir


def _ln(spec: object, d: int) -> None:
    spec.gamma = np.ones(d, dtype=np.float32)  # type: ignore[attr-defined]
    spec.beta = np.zeros(d, dtype=np.float32)  # type: ignore[attr-defined]


def _linear(spec: object, weight: np.ndarray) -> None:
    spec.weight = weight.astype(np.float32)  # type: ignore[attr-defined]
    spec.bias = np.zeros(weight.shape[0], dtype=np.float32)  # type: ignore[attr-defined]


def _fill_copy(spec: transformer_spec.TransformerSpec, v: int, p: int) -> None:
    """Weights of a model that outputs its input: residual = [token one-hot | position one-hot]."""
    d = v + p
    ffn = 4
    emb = np.zeros((v, d), dtype=np.float32)
    emb[:, :v] = np.eye(v)
    pos = np.zeros((p, d), dtype=np.float32)
    pos[:, v:] = np.eye(p)
    for side in (spec.encoder, spec.decoder):
        side.scale_embeddings = False
        side.position_encodings.encodings = pos
        _ln(side.layer_norm, d)
    spec.encoder.embeddings[0].weight = emb
    spec.decoder.embeddings.weight = emb
    zero_sq = np.zeros((d, d), dtype=np.float32)
    layers = [*spec.encoder.layer, *spec.decoder.layer]
    for layer in layers:
        _ln(layer.self_attention.layer_norm, d)
        _linear(layer.self_attention.linear[0], np.zeros((3 * d, d), dtype=np.float32))
        _linear(layer.self_attention.linear[1], zero_sq)  # self-attention adds nothing
        _ln(layer.ffn.layer_norm, d)
        _linear(layer.ffn.linear_0, np.zeros((ffn, d), dtype=np.float32))
        _linear(layer.ffn.linear_1, np.zeros((d, ffn), dtype=np.float32))
    for layer in spec.decoder.layer:
        att = layer.attention
        _ln(att.layer_norm, d)
        select_pos = np.zeros((d, d), dtype=np.float32)
        select_pos[v:, v:] = 4.0 * np.eye(p)  # queries and keys: position only
        select_tok = np.zeros((d, d), dtype=np.float32)
        select_tok[:v, :v] = np.eye(v)  # values: token only
        _linear(att.linear[0], select_pos)
        _linear(att.linear[1], np.concatenate([select_pos, select_tok]))
        _linear(att.linear[2], 4.0 * select_tok)  # the copied token outweighs the input one
    projection = np.zeros((v, d), dtype=np.float32)
    projection[:, :v] = 8.0 * np.eye(v)
    _linear(spec.decoder.projection, projection)


def _fill_random(spec: transformer_spec.TransformerSpec, v: int, seed: int, p: int) -> None:
    rng = np.random.default_rng(seed)
    d = 32
    ffn = 64

    def rand(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32)

    for side in (spec.encoder, spec.decoder):
        side.position_encodings.encodings = rand(p, d)
        _ln(side.layer_norm, d)
    spec.encoder.embeddings[0].weight = rand(v, d)
    spec.decoder.embeddings.weight = rand(v, d)
    for layer in [*spec.encoder.layer, *spec.decoder.layer]:
        _ln(layer.self_attention.layer_norm, d)
        _linear(layer.self_attention.linear[0], rand(3 * d, d))
        _linear(layer.self_attention.linear[1], rand(d, d))
        _ln(layer.ffn.layer_norm, d)
        _linear(layer.ffn.linear_0, rand(ffn, d))
        _linear(layer.ffn.linear_1, rand(d, ffn))
    for layer in spec.decoder.layer:
        _ln(layer.attention.layer_norm, d)
        _linear(layer.attention.linear[0], rand(d, d))
        _linear(layer.attention.linear[1], rand(2 * d, d))
        _linear(layer.attention.linear[2], rand(d, d))
    _linear(spec.decoder.projection, rand(v, d))


def build_marian_dir(out_dir: Path, spm_path: Path, *, seed: int = 1) -> Path:
    """A tiny OPUS-MT release directory as Marian writes it: ``model.npz`` (random
    post-norm Transformer weights and its ``special:model.yml``), ``vocab.yml``,
    ``decoder.yml``, ``source.spm`` and ``target.spm``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary(spm_path)
    v, d, ffn = len(vocab), 16, 32
    rng = np.random.default_rng(seed)

    def rand(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) / np.sqrt(shape[0])).astype(np.float32)

    weights: dict[str, np.ndarray] = {"encoder_Wemb": rand(v, d), "decoder_Wemb": rand(v, d)}

    def attention(scope: str) -> None:
        for name in ("q", "k", "v", "o"):
            weights[f"{scope}_W{name}"] = rand(d, d)
            weights[f"{scope}_b{name}"] = np.zeros((1, d), dtype=np.float32)
        weights[f"{scope}_Wo_ln_scale"] = np.ones((1, d), dtype=np.float32)
        weights[f"{scope}_Wo_ln_bias"] = np.zeros((1, d), dtype=np.float32)

    def feed_forward(scope: str) -> None:
        weights[f"{scope}_W1"], weights[f"{scope}_b1"] = rand(d, ffn), np.zeros((1, ffn), dtype=np.float32)
        weights[f"{scope}_W2"], weights[f"{scope}_b2"] = rand(ffn, d), np.zeros((1, d), dtype=np.float32)
        weights[f"{scope}_ffn_ln_scale"] = np.ones((1, d), dtype=np.float32)
        weights[f"{scope}_ffn_ln_bias"] = np.zeros((1, d), dtype=np.float32)

    attention("encoder_l1_self")
    feed_forward("encoder_l1_ffn")
    attention("decoder_l1_self")
    attention("decoder_l1_context")
    feed_forward("decoder_l1_ffn")
    weights["decoder_ff_logit_out_b"] = np.zeros((1, v), dtype=np.float32)
    config = (
        "type: transformer\nenc-depth: 1\ndec-depth: 1\ntransformer-heads: 1\n"
        "transformer-ffn-activation: relu\ntransformer-preprocess: ''\ntransformer-postprocess: dan\n"
        "transformer-postprocess-emb: d\ntransformer-decoder-autoreg: self-attention\n"
        "transformer-no-projection: false\ntransformer-guided-alignment-layer: last\n"
    )
    weights["special:model.yml"] = np.frombuffer((config + "\0").encode(), dtype=np.int8)
    np.savez(out_dir / "model.npz", **weights)  # type: ignore[arg-type]
    lines = []
    for i, token in enumerate(vocab):
        escaped = token.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'"{escaped}": {i}')
    (out_dir / "vocab.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out_dir / "decoder.yml").write_text(
        "models:\n  - model.npz\nvocabs:\n  - vocab.yml\n  - vocab.yml\n", encoding="utf-8"
    )
    shutil.copy(spm_path, out_dir / "source.spm")
    shutil.copy(spm_path, out_dir / "target.spm")
    return out_dir
