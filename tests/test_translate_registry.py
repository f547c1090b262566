"""`mtrepair model import|list|info|default` on tiny real models built here."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import tinymodel
from mtrepair.cli.model import model_app
from mtrepair.errors import ModelError
from mtrepair.translate import open_translator
from mtrepair.translate.registry import default_model, import_model, list_models, model_info


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sources")
    spm_path = tinymodel.train_sentencepiece(root / "spm")
    argos_dir = tinymodel.build_model(root / "argos-src" / "translate-es_en-1_0", spm_path, copy=False, layout="argos")
    (argos_dir / "metadata.json").write_text(json.dumps({"from_code": "es", "to_code": "en"}), encoding="utf-8")
    package = root / "translate-es_en-1_0.argosmodel"
    _zip_dir(argos_dir, package)
    return {
        "ct2": tinymodel.build_model(root / "copy-es-en", spm_path, copy=True),
        "argos": package,
        "argos_dir": argos_dir,
        "marian": tinymodel.build_marian_dir(root / "opus-mt-es-en", spm_path),
    }


def _zip_dir(directory: Path, package: Path, extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(package, "w") as zf:
        for f in sorted(directory.rglob("*")):
            if f.is_file():
                zf.write(f, f"{directory.name}/{f.relative_to(directory)}")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)


def _leftovers(models_dir: Path) -> list[str]:
    return [p.name for p in models_dir.iterdir() if p.name.startswith(".import")] if models_dir.exists() else []


def test_import_each_kind_list_info_and_default(sources: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "models"
    first = import_model(sources["ct2"], home)
    assert first.kind == "ctranslate2" and first.is_default
    argos = import_model(sources["argos"], home)
    assert argos.kind == "argos" and argos.name == "translate-es_en-1_0" and not argos.is_default
    assert (argos.path / "model" / "model.bin").is_file() and (argos.path / "sentencepiece.model").is_file()
    marian = import_model(sources["marian"], home, make_default=True)
    assert marian.kind == "opus-mt" and (marian.path / "model.bin").is_file()
    assert [m.name for m in list_models(home)] == ["copy-es-en", "opus-mt-es-en", "translate-es_en-1_0"]
    assert default_model(home) == marian.path
    info = model_info(home, "copy-es-en").to_json()
    assert info["vocabulary_size"] == 200 and info["ct2_config"]["add_source_eos"] is True
    assert _leftovers(home) == []
    # --engine auto with the user model directory opens its default model.
    engine = open_translator("auto", home)
    assert engine is not None and engine.name == "ct2" and engine.model_id == "opus-mt-es-en"
    assert engine.translate(["hola"])[0].confidence > 0
    engine.close()


def test_import_refuses_duplicates_and_non_models(sources: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "models"
    import_model(sources["ct2"], home)
    with pytest.raises(ModelError, match="already installed"):
        import_model(sources["ct2"], home)
    with pytest.raises(ModelError, match="not a model directory"):
        import_model(tmp_path, home)
    hf = tmp_path / "hf-marian"
    hf.mkdir()
    (hf / "config.json").write_text('{"model_type": "marian"}', encoding="utf-8")
    (hf / "pytorch_model.bin").write_bytes(b"\0" * 16)
    with pytest.raises(ModelError, match="needs the transformers package"):
        import_model(hf, home)
    assert _leftovers(home) == [] and [m.name for m in list_models(home)] == ["copy-es-en"]


def test_unsafe_or_wrong_argos_packages(sources: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "models"
    evil = tmp_path / "evil.argosmodel"
    _zip_dir(sources["argos_dir"], evil, {"../escape.txt": b"x"})
    with pytest.raises(ModelError, match="unsafe path"):
        import_model(evil, home)
    assert not (tmp_path / "escape.txt").exists()
    wrong = tmp_path / "wrong-pair"
    wrong.mkdir()
    for f in sources["argos_dir"].rglob("*"):
        if f.is_file():
            dest = wrong / f.relative_to(sources["argos_dir"])
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(f.read_bytes())
    (wrong / "metadata.json").write_text(json.dumps({"from_code": "en", "to_code": "de"}), encoding="utf-8")
    package = tmp_path / "en_de.argosmodel"
    _zip_dir(wrong, package)
    with pytest.raises(ModelError, match="translates en → de"):
        import_model(package, home)
    not_zip = tmp_path / "broken.argosmodel"
    not_zip.write_bytes(b"PK\x03\x04 but not really a zip")
    with pytest.raises(ModelError):
        import_model(not_zip, home)
    assert _leftovers(home) == [] and list_models(home) == []


def test_model_cli_commands(sources: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "models"
    app = typer.Typer()
    app.add_typer(model_app)
    runner = CliRunner()
    result = runner.invoke(app, ["model", "import", str(sources["ct2"]), "--name", "tiny", "--models-dir", str(home)])
    assert result.exit_code == 0, result.output
    assert "imported ctranslate2 model tiny (default)" in result.output
    result = runner.invoke(app, ["model", "list", "--json", "--models-dir", str(home)])
    listed = json.loads(result.output)  # a JSON array (one JSON object per line before issue 11)
    assert [m["name"] for m in (listed if isinstance(listed, list) else [listed])] == ["tiny"]
    result = runner.invoke(app, ["model", "info", "tiny", "--models-dir", str(home)])
    assert json.loads(result.output)["kind"] == "ctranslate2"
    result = runner.invoke(app, ["model", "info", "missing", "--models-dir", str(home)])
    assert result.exit_code == 1 and "no model named 'missing'" in result.output


# -- hostile and corrupt packages (issue 12 part 4) ----------------------------------------------


def _leaves_nothing(home: Path) -> bool:
    return _leftovers(home) == [] and list_models(home) == [] and default_model(home) is None


def test_a_zip_bomb_is_refused_from_its_directory_before_unpacking(tmp_path: Path) -> None:
    """A few hundred KB that unpack to 200 MB (the ratio of issue 12's 3 MB → 2.9 GB)."""
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("translate-es_en/metadata.json", json.dumps({"from_code": "es", "to_code": "en"}))
        with zf.open("translate-es_en/model/model.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(block)
    assert bomb.stat().st_size < 1 << 20
    home = tmp_path / "models"
    with pytest.raises(ModelError, match=r"refused: the package unpacks to 209,715,[0-9]{3} bytes from") as info:
        import_model(bomb, home)
    assert "\n" not in str(info.value) and str(bomb) in str(info.value)
    assert _leaves_nothing(home)


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    package = tmp_path / "many.argosmodel"
    with zipfile.ZipFile(package, "w") as zf:
        for i in range(10_001):
            zf.writestr(f"p/f{i}", b"")
    with pytest.raises(ModelError, match=r"has 10,001 members, more than 10,000"):
        import_model(package, tmp_path / "models")
    assert _leaves_nothing(tmp_path / "models")


def _link(zf: zipfile.ZipFile, name: str, target: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    zf.writestr(info, target)


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        pytest.param({"/etc/cron.d/x": b"x"}, "unsafe path", id="absolute"),
        pytest.param({"../escape.txt": b"x"}, "unsafe path", id="dot-dot"),
        pytest.param({"translate-es_en-1_0/a/../../../escape.txt": b"x"}, "unsafe path", id="dot-dot-inside"),
        pytest.param({"C:/Windows/x": b"x"}, "unsafe path", id="drive-letter"),
        pytest.param({"translate-es_en-1_0\\..\\..\\x": b"x"}, "unsafe path", id="backslashes"),
        pytest.param({"link": None}, "unsafe path", id="symlink"),
        pytest.param({"translate-es_en-1_0/metadata.json": b"{}"}, "twice", id="duplicate-name"),
    ],
)
def test_unsafe_members_are_refused(
    sources: dict[str, Path], tmp_path: Path, extra: dict[str, bytes | None], why: str
) -> None:
    import warnings

    package = tmp_path / "evil.argosmodel"
    _zip_dir(sources["argos_dir"], package)
    with warnings.catch_warnings(), zipfile.ZipFile(package, "a") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        for name, data in extra.items():
            if data is None:
                _link(zf, name, "/etc/passwd")
            else:
                zf.writestr(name, data)
    home = tmp_path / "models"
    with pytest.raises(ModelError, match=why):
        import_model(package, home)
    assert not (tmp_path / "escape.txt").exists() and _leaves_nothing(home)


def test_a_member_larger_than_its_header_says_is_refused(sources: dict[str, Path], tmp_path: Path) -> None:
    package = tmp_path / "liar.argosmodel"
    _zip_dir(sources["argos_dir"], package)
    data = bytearray(package.read_bytes())
    # Halve the declared size of model.bin in the central directory entry.
    name = b"translate-es_en-1_0/model/model.bin"
    central = data.rindex(b"PK\x01\x02", 0, data.rindex(name))
    size = int.from_bytes(data[central + 24 : central + 28], "little")
    data[central + 24 : central + 28] = (size // 2).to_bytes(4, "little")
    package.write_bytes(bytes(data))
    home = tmp_path / "models"
    with pytest.raises(ModelError):
        import_model(package, home)
    assert _leaves_nothing(home)


def test_a_model_directory_linking_outside_is_refused(sources: dict[str, Path], tmp_path: Path) -> None:
    import shutil

    source = tmp_path / "linked"
    shutil.copytree(sources["ct2"], source)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    (source / "notes.txt").symlink_to(secret)
    with pytest.raises(ModelError, match=r"notes\.txt links outside the model directory"):
        import_model(source, tmp_path / "models")
    assert _leaves_nothing(tmp_path / "models")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _zeros(path: Path) -> None:
    path.write_bytes(b"\0" * path.stat().st_size)


def _header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[0:16] = b"\xa5" * 16
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [pytest.param(_truncate, id="truncated"), pytest.param(_zeros, id="zeros"), pytest.param(_header, id="header")],
)
@pytest.mark.parametrize("kind", [pytest.param("ct2", id="directory"), pytest.param("argos", id="argos-package")])
def test_corrupt_weights_are_one_error_and_nothing_is_registered(
    sources: dict[str, Path], tmp_path: Path, damage: Any, kind: str
) -> None:
    import shutil

    base = sources["ct2"] if kind == "ct2" else sources["argos_dir"]
    broken = tmp_path / base.name
    shutil.copytree(base, broken)
    damage(next(broken.rglob("model.bin")))
    source = broken
    if kind == "argos":
        source = tmp_path / "broken.argosmodel"
        _zip_dir(broken, source)
    home = tmp_path / "models"
    with pytest.raises(ModelError, match="does not load") as info:
        import_model(source, home, make_default=True)
    assert "\n" not in str(info.value) and str(info.value).startswith(f"{source}: ")
    assert _leaves_nothing(home)


def test_nan_weights_are_caught_by_the_test_translation(tmp_path: Path) -> None:
    """Weights that load but make every score -inf (NaN in a projection): not registered."""
    import struct

    spm_path = tinymodel.train_sentencepiece(tmp_path / "spm")
    model = tinymodel.build_model(tmp_path / "nan-model", spm_path, copy=False, quantization="float32")
    weights = model / "model.bin"
    data = bytearray(weights.read_bytes())
    at = len(data) // 2 // 4 * 4
    data[at : at + 400] = struct.pack("<f", float("nan")) * 100
    weights.write_bytes(bytes(data))
    home = tmp_path / "models"
    with pytest.raises(ModelError, match="loads but does not translate"):
        import_model(model, home)
    assert _leaves_nothing(home)


def test_a_zip_bomb_is_one_line_through_the_cli(tmp_path: Path) -> None:
    from conftest import run_cli

    bomb = tmp_path / "bomb.argosmodel"
    with (
        zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("p/model.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(100):
            member.write(b"\0" * (1 << 20))
    result = run_cli("model", "import", str(bomb), "--models-dir", str(tmp_path / "models"))
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "refused: the package unpacks to" in lines[0] and "Traceback" not in lines[0]
    assert _leaves_nothing(tmp_path / "models")
