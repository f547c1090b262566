"""The user's model directory: ``mtrepair model import|list|info``.

Each model lives in ``MODELS_DIR/NAME/`` in one of the layouts ct2.py reads, with a
``mtrepair-model.json`` describing where it came from. ``MODELS_DIR/default`` names the
model ``--engine auto`` uses; the first import becomes the default. An import is built
in a temporary directory inside MODELS_DIR and renamed into place, so a failed or
interrupted import leaves nothing half-written.

Sources ``import`` understands:

- a CTranslate2 model directory (``model.bin`` + SentencePiece models), copied;
- an Argos Translate package (``.argosmodel``, a zip), checked whole from its central
  directory before one byte is unpacked (member count, unpacked size, compression ratio:
  issue 12, a 3 MB zip unpacked 2.9 GB before failing; no absolute paths, no ``..``, no
  drive letters, no links, no duplicate names), unpacked with every member's bytes
  counted, and checked to translate es → en;
- an OPUS-MT Marian directory (``decoder.yml``, ``*.npz``, ``source.spm``, ``target.spm``),
  converted with ctranslate2's OpusMTConverter (needs only numpy and PyYAML);
- a Hugging Face Marian directory (``config.json`` + weights), converted with
  ctranslate2's TransformersConverter when ``transformers`` is importable.

A directory whose symbolic links lead outside it is refused (its copy would carry files
from elsewhere). Whatever the source, the result is test-loaded before it is registered
or becomes the default: CTranslate2's ``Translator`` on the CPU with the SentencePiece
models, then one short sentence translated with a finite score. Corrupt weights (issue 12:
such a model imported and became the default engine) are one ModelError naming the
source, and nothing is installed.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..atomic import write_atomic
from ..errors import ModelError
from .ct2 import locate_model

META_FILE = "mtrepair-model.json"
DEFAULT_FILE = "default"
MAX_UNPACKED_BYTES = 8 << 30
"""NLLB-3.3B in int8, the largest model the README suggests, is about 3.3 GB."""
MAX_MEMBERS = 10_000
"""An Argos package holds a few dozen files (model, tokenizer, stanza)."""
MAX_RATIO = 20
"""Unpacked / packed bytes: model weights barely compress (int8 about 1.1x, float 1.1x)."""
RATIO_FLOOR = 64 << 20
"""Below this unpacked size the ratio is not checked (small text files compress well)."""
_CHUNK = 1 << 20
_PROBE = "El instituto atiende a los pacientes en el hospital."
_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str
    path: Path
    kind: str
    source: str
    imported: str
    size_bytes: int
    is_default: bool
    details: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "kind": self.kind,
            "source": self.source,
            "imported": self.imported,
            "size_bytes": self.size_bytes,
            "default": self.is_default,
            **self.details,
        }


def default_model(models_dir: Path) -> Path | None:
    """The model ``--engine auto`` uses, if one is configured and present."""
    marker = models_dir / DEFAULT_FILE
    if not marker.is_file():
        return None
    name = marker.read_text(encoding="utf-8").strip()
    path = models_dir / name
    return path if name and (path / META_FILE).is_file() else None


def resolve_model_dir(path: Path) -> Path:
    """A model directory as given, or the default model of a user model directory."""
    if (path / "model.bin").is_file() or (path / "model" / "model.bin").is_file():
        return path
    chosen = default_model(path) if path.is_dir() else None
    if chosen is not None:
        return chosen
    if path.is_dir() and (path / DEFAULT_FILE).exists():
        raise ModelError("the default model named here is missing: run `mtrepair model list`", path=str(path))
    return path  # locate_model gives the precise complaint


def list_models(models_dir: Path) -> list[ModelInfo]:
    if not models_dir.is_dir():
        return []
    default = default_model(models_dir)
    return [
        _info(p, p == default)
        for p in sorted(models_dir.iterdir())
        if p.is_dir() and not p.name.startswith(".") and (p / META_FILE).is_file()
    ]


def model_info(models_dir: Path, name: str) -> ModelInfo:
    path = models_dir / name
    if not (path / META_FILE).is_file():
        raise ModelError(f"no model named {name!r}: run `mtrepair model list`", path=str(models_dir))
    info = _info(path, path == default_model(models_dir))
    layout = locate_model(path)
    details = dict(info.details)
    config = (
        json.loads((layout.ct2_dir / "config.json").read_text(encoding="utf-8"))
        if (layout.ct2_dir / "config.json").is_file()
        else {}
    )
    details["ct2_config"] = config
    details["sentencepiece"] = sorted({layout.source_spm.name, layout.target_spm.name})
    details["vocabulary_size"] = _spm_size(layout.source_spm)
    return ModelInfo(
        info.name, info.path, info.kind, info.source, info.imported, info.size_bytes, info.is_default, details
    )


def import_model(
    source: Path,
    models_dir: Path,
    *,
    name: str | None = None,
    make_default: bool = False,
    quantization: str = "int8",
) -> ModelInfo:
    """Install ``source`` into ``models_dir`` (see module docstring); returns its info."""
    if not source.exists():
        raise ModelError("no such file or directory", path=str(source))
    kind = _detect_kind(source)
    name = _NAME_RE.sub("-", name or source.name.removesuffix(".argosmodel")).strip(".-") or "model"
    models_dir.mkdir(parents=True, exist_ok=True)
    final = models_dir / name
    if final.exists():
        raise ModelError(f"a model named {name!r} is already installed: pass --name or remove it", path=str(final))
    work = Path(tempfile.mkdtemp(prefix=f".import-{name}-", dir=models_dir))
    try:
        target = work / "model"
        _INSTALLERS[kind](source, target, quantization)
        locate_model(target)  # the SentencePiece models and model.bin are there
        _check_loads(target, source)
        meta = {
            "name": name,
            "kind": kind,
            "source": str(source.resolve()),
            "imported": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        }
        (target / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        os.rename(target, final)
    except (OSError, EOFError, NotImplementedError, zipfile.BadZipFile, zlib.error) as exc:
        # What zipfile raises on a damaged package: a bad CRC or header (BadZipFile), a
        # truncated (EOFError) or corrupt (zlib.error) stream, an unknown compression.
        raise ModelError(
            f"cannot import the model ({getattr(exc, 'strerror', None) or exc})", path=str(source)
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if make_default or default_model(models_dir) is None:
        set_default(models_dir, name)
    return _info(final, default_model(models_dir) == final)


def set_default(models_dir: Path, name: str) -> None:
    if not (models_dir / name / META_FILE).is_file():
        raise ModelError(f"no model named {name!r}: run `mtrepair model list`", path=str(models_dir))
    write_atomic(models_dir / DEFAULT_FILE, name + "\n")


# -- kinds of source -----------------------------------------------------------------


def _detect_kind(source: Path) -> str:
    if source.is_file():
        if zipfile.is_zipfile(source):
            return "argos"
        raise ModelError("not a model: expected a directory or an .argosmodel (zip) package", path=str(source))
    if (source / "model.bin").is_file() or (source / "model" / "model.bin").is_file():
        return "ctranslate2"
    if (source / "decoder.yml").is_file() and any(source.glob("*.npz")):
        return "opus-mt"
    if (source / "config.json").is_file() and any(
        (source / f).is_file() for f in ("pytorch_model.bin", "model.safetensors", "tf_model.h5")
    ):
        return "transformers"
    raise ModelError(
        "not a model directory: expected model.bin (CTranslate2), decoder.yml + *.npz (OPUS-MT "
        "Marian) or config.json + weights (Hugging Face)",
        path=str(source),
    )


def _copy_ct2(source: Path, target: Path, quantization: str) -> None:
    _refuse_outside_links(source)
    shutil.copytree(source, target, symlinks=False)


def _unpack_argos(package: Path, target: Path, quantization: str = "") -> None:
    with zipfile.ZipFile(package) as zf:
        members = [m for m in zf.infolist() if not m.is_dir()]
        names = _check_archive(package, zf.infolist(), members)
        # Argos packages hold one top-level directory; strip it.
        tops = {p.parts[0] for p in names if len(p.parts) > 1}
        strip = 1 if len(tops) == 1 and all(len(p.parts) > 1 for p in names) else 0
        target.mkdir(parents=True)
        root = target.resolve()
        for m, p in zip(members, names, strict=True):
            rel = PurePosixPath(*p.parts[strip:])
            dest = target.joinpath(*rel.parts)
            if not dest.resolve().is_relative_to(root):
                raise ModelError(f"unsafe path in package: {m.filename!r}", path=str(package))
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(m) as src, open(dest, "xb") as dst:
                _copy_bounded(src, dst, m, package)
    _argos_pair(package, target)


def _check_archive(package: Path, infos: list[zipfile.ZipInfo], members: list[zipfile.ZipInfo]) -> list[PurePosixPath]:
    """Refuse a package from its central directory alone, before anything is unpacked."""
    if len(infos) > MAX_MEMBERS:
        raise ModelError(
            f"refused: the package has {len(infos):,} members, more than {MAX_MEMBERS:,}", path=str(package)
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ModelError(
            f"refused: the package unpacks to {unpacked:,} bytes, more than {MAX_UNPACKED_BYTES:,}", path=str(package)
        )
    packed = max(1, package.stat().st_size)
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * packed:
        raise ModelError(
            f"refused: the package unpacks to {unpacked:,} bytes from {packed:,} "
            f"(over {MAX_RATIO}x; model weights barely compress): a zip bomb or not a model",
            path=str(package),
        )
    names: list[PurePosixPath] = []
    seen: set[str] = set()
    for m in infos:
        p = PurePosixPath(m.filename)
        is_link = (m.external_attr >> 16) & 0o170000 == 0o120000
        drive = bool(p.parts) and ":" in p.parts[0]
        if p.is_absolute() or ".." in p.parts or is_link or drive or "\\" in m.filename or "\0" in m.filename:
            raise ModelError(f"unsafe path in package: {m.filename!r}", path=str(package))
        key = str(p).casefold()
        if key in seen:
            raise ModelError(f"the package holds {m.filename!r} twice", path=str(package))
        seen.add(key)
        if not m.is_dir():
            names.append(p)
    return names


def _copy_bounded(src: Any, dst: Any, member: zipfile.ZipInfo, package: Path) -> None:
    """Copy one member, never more bytes than its header declares."""
    written = 0
    while chunk := src.read(_CHUNK):
        written += len(chunk)
        if written > member.file_size:
            raise ModelError(
                f"refused: {member.filename!r} unpacks to more than the {member.file_size:,} bytes its header declares",
                path=str(package),
            )
        dst.write(chunk)


def _refuse_outside_links(source: Path) -> None:
    root = source.resolve()
    for path in source.rglob("*"):
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            raise ModelError(f"refused: {path.relative_to(source)} links outside the model directory", path=str(source))


def _argos_pair(package: Path, target: Path) -> None:
    """An Argos package names its language pair: refuse one that is not es → en."""
    meta_path = target / "metadata.json"
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"unreadable metadata.json ({exc})", path=str(package)) from exc
        pair = (meta.get("from_code"), meta.get("to_code"))
        if pair != ("es", "en"):
            raise ModelError(
                f"this package translates {pair[0]} → {pair[1]}; mtrepair needs es → en", path=str(package)
            )


def _convert_opus_mt(source: Path, target: Path, quantization: str) -> None:
    from ctranslate2.converters import OpusMTConverter

    try:
        OpusMTConverter(str(source)).convert(str(target), quantization=quantization)
    except (KeyError, ValueError, RuntimeError, NotImplementedError, OSError) as exc:
        raise ModelError(f"cannot convert the OPUS-MT model ({exc})", path=str(source)) from exc
    for spm_name in ("source.spm", "target.spm"):
        if not (source / spm_name).is_file():
            raise ModelError(f"missing {spm_name} next to the Marian model", path=str(source))
        shutil.copy(source / spm_name, target / spm_name)


def _convert_transformers(source: Path, target: Path, quantization: str) -> None:
    if importlib.util.find_spec("transformers") is None:
        raise ModelError(
            "this is a Hugging Face model; converting it needs the transformers package "
            "(pip install transformers torch), or convert it yourself with "
            "ct2-transformers-converter and import the result",
            path=str(source),
        )
    from ctranslate2.converters import TransformersConverter

    try:
        TransformersConverter(str(source)).convert(str(target), quantization=quantization)
    except Exception as exc:  # the converter raises whatever transformers raises
        raise ModelError(f"cannot convert the Hugging Face model ({exc})", path=str(source)) from exc
    for spm_name in ("source.spm", "target.spm"):
        if (source / spm_name).is_file():
            shutil.copy(source / spm_name, target / spm_name)


# How each kind of source (``_detect_kind``) becomes a model directory at ``target``.
_INSTALLERS: dict[str, Callable[[Path, Path, str], None]] = {
    "ctranslate2": _copy_ct2,
    "argos": _unpack_argos,
    "opus-mt": _convert_opus_mt,
    "transformers": _convert_transformers,
}


def _check_loads(path: Path, source: Path) -> None:
    """Load the model as ``translate`` will (CPU, SentencePiece) and translate one sentence."""
    from .ct2 import CT2Translator

    try:
        engine = CT2Translator(path, beam_size=1)
        try:
            result = engine.translate([_PROBE])[0]
        finally:
            engine.close()
    except ModelError as exc:
        raise ModelError(f"the model does not load: {exc.message}", path=str(source)) from exc
    # A finite log-probability gives a confidence above 0 for any real model, even one
    # with random weights; -inf or NaN (NaN in the weights: every token <unk>) gives 0.
    if not result.confidence > 0.0 or not result.text.strip():
        raise ModelError(
            "the model loads but does not translate (empty output or a score of -inf/NaN): "
            "its weights are corrupt; re-download or re-convert it",
            path=str(source),
        )


# -- info ----------------------------------------------------------------------------


def _info(path: Path, is_default: bool) -> ModelInfo:
    try:
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"unreadable {META_FILE} ({exc})", path=str(path)) from exc
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    details = {k: v for k, v in meta.items() if k not in ("name", "kind", "source", "imported")}
    return ModelInfo(
        path.name,
        path,
        str(meta.get("kind", "?")),
        str(meta.get("source", "?")),
        str(meta.get("imported", "?")),
        size,
        is_default,
        details,
    )


def _spm_size(path: Path) -> int:
    import sentencepiece

    return int(sentencepiece.SentencePieceProcessor(model_file=str(path)).get_piece_size())
