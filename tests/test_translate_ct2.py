"""The CTranslate2 engine on tiny real models built here (tests/tinymodel.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import tinymodel
from mtrepair.errors import ModelError
from mtrepair.model import Edit, Segment, Span, apply_edits
from mtrepair.translate import CachedTranslator, open_translator, translate_spans
from mtrepair.translate.ct2 import CT2Translator, locate_model
from mtrepair.translate.domain import EMPTY_RULES


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("ct2")
    spm_path = tinymodel.train_sentencepiece(root / "spm")
    return {
        "spm": spm_path,
        "copy": tinymodel.build_model(root / "copy-opus", spm_path, copy=True, layout="opus"),
        "random": tinymodel.build_model(root / "random-argos", spm_path, copy=False, layout="argos", seed=3),
    }


def test_layouts_are_located(models: dict[str, Path]) -> None:
    opus = locate_model(models["copy"])
    assert opus.ct2_dir == models["copy"] and opus.source_spm.name == "source.spm"
    assert not opus.append_eos  # config.json says add_source_eos: CTranslate2 adds it
    argos = locate_model(models["random"])
    assert argos.ct2_dir == models["random"] / "model" and argos.source_spm.name == "sentencepiece.model"


def test_int8_model_loads_with_int8_compute(models: dict[str, Path], tmp_path: Path) -> None:
    engine = CT2Translator(models["copy"])
    assert engine.compute_type == "int8"
    assert engine._model.compute_type.startswith("int8")
    float_dir = tinymodel.build_model(tmp_path / "f32", models["spm"], copy=True, quantization="float32")
    # int8 weights take a quarter of the space of float32 ones.
    assert (models["copy"] / "model.bin").stat().st_size < 0.4 * (float_dir / "model.bin").stat().st_size


@pytest.mark.slow
def test_batch_of_1000_spans_with_placeholders_restored(models: dict[str, Path]) -> None:
    """The copy model returns its (masked) input: every name, number and glossary output
    comes back in place through the real tokenise → translate_batch → detokenise path,
    batched by tokens over several batches."""
    engine = CachedTranslator(CT2Translator(models["copy"], max_batch_tokens=2048, beam_size=2, max_input_tokens=60))
    words = ["casa", "perro", "ciclo", "médico", "grande", "nuevo", "año", "país", "mundo", "vida",
             "tiempo", "gobierno", "hospital", "escuela", "ciudad", "trabajo", "familia", "agua", "salud", "día"]
    # 1,000 distinct sources (numbers are masked, so the words make them differ).
    lines = [
        f"Zoé Robledo: 4 mil {100 + k % 900} {words[k % 20]} {words[k // 20 % 20]} {words[k // 400]}."
        for k in range(1000)
    ]
    text = "\n".join(lines)
    spans, segments, protected, inner = [], [], [], []
    pos = 0
    for line in lines:
        spans.append(Span(pos, pos + len(line) - 1, "es"))
        segments.append(Segment("d", pos, pos + len(line), line))
        name = pos + line.index("Zoé Robledo")
        protected.append((name, name + 11))
        n = pos + line.index("4 mil ")
        inner.append(Edit(n, n + 9, text[n : n + 9], "4," + text[n + 6 : n + 9], "number", "number:mil", 1.0, "n"))
        pos += len(line) + 1
    edits, records = translate_spans(
        text, spans, segments, protected=protected, inner_edits=inner, translator=engine
    )
    assert len(edits) == 1000 and engine.calls == 1000
    for k, edit in enumerate(edits):
        assert edit.rule.startswith("translate:") and edit.engine == "ct2/copy-opus"
        assert edit.after == lines[k][:-1].replace(" 4 mil ", " 4,")
        # The copy is Spanish, not a translation: its evidence says so.
        assert edit.confidence < 0.95
    assert len(records) == 1000
    engine.close()


def test_random_model_scores_and_lost_placeholders_are_rejected(models: dict[str, Path]) -> None:
    engine = CT2Translator(models["random"], beam_size=2)
    out = engine.translate(["El IMSS dice que el ciclo es largo.", "Hola."])
    assert all(t.text and 0.0 < t.confidence < 0.5 for t in out)
    text = "IMSS says: el director Zoé Robledo habla."
    span = Span(11, len(text) - 1, "es")
    name = text.index("Zoé")
    edits, records = translate_spans(
        text, [span], [Segment("d", 0, len(text), text)], protected=[(name, name + 11)], inner_edits=[],
        translator=engine,
    )
    [edit] = edits
    # Refused and flagged: the proposal is there for a reviewer, the text is unchanged.
    assert edit.rule == "translate:refused-protected"
    assert edit.status == "flagged" and edit.confidence == 0.0 and not edit.applied
    assert apply_edits(text, edits) == text
    assert records[0].status == "rejected"


def test_ten_thousand_character_span_is_split_and_restored(models: dict[str, Path]) -> None:
    engine = CT2Translator(models["copy"], beam_size=1, max_input_tokens=60)
    sentence = "El IMSS dice que Zoé Robledo tiene 60 por ciento."
    source = " ".join([sentence] * 201)
    assert len(source) > 10_000
    [result] = engine.translate([source])
    assert result.text == source and result.confidence > 0.95


def test_control_characters_and_nul_in_a_span(models: dict[str, Path]) -> None:
    engine = CT2Translator(models["copy"], beam_size=1, max_input_tokens=60)
    text = "Note: el\x00 IMSS\x07 dice\x1b que\r\nsí."
    edits, _ = translate_spans(
        text, [Span(6, len(text), "es")], [Segment("d", 0, len(text), text)], protected=[], inner_edits=[],
        translator=engine,
    )
    # The proposal is clean; being a copy of the Spanish, it is refused, not applied.
    assert "\x00" not in edits[0].after and "\x1b" not in edits[0].after
    assert edits[0].after == "el IMSS dice que sí."
    assert edits[0].rule == "translate:refused-untranslated" and not edits[0].applied


def test_model_without_sentencepiece_is_a_clear_error(models: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "no-spm"
    shutil.copytree(models["copy"], broken)
    (broken / "source.spm").unlink()
    (broken / "target.spm").unlink()
    with pytest.raises(ModelError, match="no SentencePiece model") as err:
        CT2Translator(broken)
    assert str(broken) in str(err.value)


def test_corrupt_model_bin_is_a_clear_error(models: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "corrupt"
    shutil.copytree(models["copy"], broken)
    data = (broken / "model.bin").read_bytes()
    (broken / "model.bin").write_bytes(data[: len(data) // 3])
    with pytest.raises(ModelError, match=r"model\.bin is corrupt") as err:
        CT2Translator(broken)
    assert str(broken / "model.bin") in str(err.value)
    (broken / "model.bin").write_bytes(b"not a model at all")
    with pytest.raises(ModelError, match="corrupt"):
        CT2Translator(broken)


def test_directory_without_model_bin(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"no model\.bin"):
        CT2Translator(tmp_path)


def test_open_translator_picks_ct2_when_a_model_is_given(models: dict[str, Path]) -> None:
    engine = open_translator("auto", models["copy"])
    assert engine is not None and engine.name == "ct2" and engine.model_id == "copy-opus"
    engine.close()
    with pytest.raises(ModelError, match="needs --model"):
        open_translator("ct2", None)


def test_short_fragment_with_a_neural_engine_is_translated_alone(models: dict[str, Path]) -> None:
    engine = CachedTranslator(CT2Translator(models["copy"], beam_size=1, max_input_tokens=60))
    text = "The director, dice the IMSS, is here."
    start = text.index("dice")
    edits, _ = translate_spans(
        text, [Span(start, start + 4, "es")], [Segment("d", 0, len(text), text)], protected=[], inner_edits=[],
        translator=engine, rules=EMPTY_RULES,
    )
    # The copy model copies; "dice" alone is also an English word, so it is refused.
    assert edits[0].rule == "translate:refused-homograph" and edits[0].after == "dice"
    assert not edits[0].applied
    assert engine.calls == 1  # no context window: a neural model cannot mark the span
    engine.close()
