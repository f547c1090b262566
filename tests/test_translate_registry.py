"""`mtrepair model import|list|info|default` on tiny real models built here."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

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
    argos_dir = tinymodel.build_model(root / "argos-src" / "translate-es_en-1_0", spm_path, copy=False,
                                      layout="argos")
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
    assert json.loads(result.output.strip())["name"] == "tiny"
    result = runner.invoke(app, ["model", "info", "tiny", "--models-dir", str(home)])
    assert json.loads(result.output)["kind"] == "ctranslate2"
    result = runner.invoke(app, ["model", "info", "missing", "--models-dir", str(home)])
    assert result.exit_code == 1 and "no model named 'missing'" in result.output
