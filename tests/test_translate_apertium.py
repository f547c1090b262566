"""The embedded Apertium engine: a real long-lived pipeline of the spa-eng mode's stages."""

from __future__ import annotations

import io
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mtrepair.errors import ModelError
from mtrepair.model import Segment, Span
from mtrepair.translate import NO_ENGINE_WARNING, open_translator, translate_spans
from mtrepair.translate.apertium import DEFAULT_MODE, ApertiumTranslator, parse_mode

pytestmark = pytest.mark.skipif(not DEFAULT_MODE.is_file(), reason="Apertium spa-eng is not installed")


@pytest.fixture(scope="module")
def apertium() -> Iterator[ApertiumTranslator]:
    engine = ApertiumTranslator()
    yield engine
    engine.close()


def test_mode_file_stages_get_null_flush() -> None:
    stages = parse_mode(DEFAULT_MODE)
    assert stages[0][0] == "lt-proc" and len(stages) >= 8
    assert all("-z" in stage for stage in stages)
    assert not any("$1" in arg or "$2" in arg for stage in stages for arg in stage)


def test_translates_a_sentence_and_keeps_order_of_a_pipelined_batch(apertium: ApertiumTranslator) -> None:
    batch = [f"El presidente dice que hay {n} médicos en el hospital." for n in range(200)]
    out = apertium.translate(batch)
    assert len(out) == 200
    for n, t in enumerate(out):
        assert t.text.startswith("The president says that there ")
        assert t.text.endswith(f" {n} doctors in the hospital.")
        assert t.confidence == 1.0  # every word known: the engine's share of known words


def test_reserved_characters_come_back_unchanged(apertium: ApertiumTranslator) -> None:
    source = r"precio ^1$ [nota] {x} a/b c\d @usuario <b> *importante* #tema ~casi | fin"
    out = apertium.translate([source])[0].text
    for ch in "^$[]{}/\\@<>*#~|":
        assert out.count(ch) == source.count(ch), (ch, out)
    assert "[note]" in out and "*important*" in out  # escaped text is still translated


def test_handles_hashtags_and_urls_are_masked_through_the_engine(apertium: ApertiumTranslator) -> None:
    text = "Lo dijo @usuario sobre #tema en https://www.gob.mx/imss/prensa?id=7, hoy."
    edits, _ = translate_spans(
        text, [Span(0, len(text), "es", text)], [Segment("d", 0, len(text), text)],
        protected=[], inner_edits=[], translator=apertium,
    )
    after = edits[0].after
    assert "@usuario" in after and "#tema" in after and "https://www.gob.mx/imss/prensa?id=7" in after
    assert after.startswith("It said ") and after.endswith(", today.")


def test_unknown_word_marks_are_removed_and_lower_the_confidence(apertium: ApertiumTranslator) -> None:
    known, unknown = apertium.translate(["El presidente habla.", "El chirimiento habla."])
    assert known.text == "The president speaks."
    assert unknown.text == "The chirimiento speaks."  # the word stays, its * mark goes
    assert "*" not in unknown.text
    assert unknown.confidence < known.confidence


def test_nul_and_control_characters_are_safe_and_do_not_desynchronise(apertium: ApertiumTranslator) -> None:
    dirty = "El presidente\x00 dice\x07 que\x1b[31m la casa\r\nes grande\x0c."
    out = apertium.translate([dirty, "La casa es grande."])
    assert "\x00" not in out[0].text and "\x1b" not in out[0].text
    assert "president" in out[0].text and "house" in out[0].text
    assert out[1].text == "The house is big."


def test_context_translation_cuts_the_span_out(apertium: ApertiumTranslator) -> None:
    window = (
        ("IMSS is the best school of Medicine, ", False),
        ("dice", True),
        (" Zoé Robledo in graduation", False),
    )
    [[says]] = apertium.translate_in_context([window])
    assert says.text == "says"  # alone Apertium says "It says"
    assert apertium.translate(["dice"])[0].text == "It says"


def test_pipeline_restarts_after_a_stage_dies(apertium: ApertiumTranslator) -> None:
    assert apertium.translate(["La casa es grande."])[0].text == "The house is big."
    pipe = apertium._pipe
    assert pipe is not None
    os.kill(pipe.procs[3].pid, signal.SIGKILL)
    pipe.procs[3].wait()
    before = apertium.restarts
    assert apertium.translate(["El perro come."])[0].text == "The dog eats."
    assert apertium.restarts == before + 1


def test_a_stuck_stage_times_out_and_the_span_stays(tmp_path: Path) -> None:
    # A real pipeline whose second stage never answers (sleep reads nothing).
    automorf = parse_mode(DEFAULT_MODE)[0]
    mode = tmp_path / "stuck.mode"
    mode.write_text(f"{automorf[0]} '{automorf[-1]}' | sleep 30\n", encoding="utf-8")
    engine = ApertiumTranslator(mode, timeout=0.5)
    try:
        [result] = engine.translate(["La casa es grande."])
        assert result.text == "" and result.confidence == 0.0
        text = "He said casa grande today."
        edits, records = translate_spans(
            text, [Span(8, 19, "es", "casa grande")], [Segment("d", 0, len(text), text)],
            protected=[], inner_edits=[], translator=engine,
        )
        assert edits[0].rule == "translate:failed" and not edits[0].applied and edits[0].confidence == 0.0
        assert records[0].status == "rejected"
    finally:
        engine.close()


def test_an_answer_out_of_step_is_caught(tmp_path: Path) -> None:
    """A stage that answers every block twice would shift every later answer onto the
    wrong span; the block ids catch it, and the pipeline restarts from the right block."""
    automorf = parse_mode(DEFAULT_MODE)[0]
    mode = tmp_path / "twice.mode"
    mode.write_text(
        f"{automorf[0]} '{automorf[-1]}' | gawk 'BEGIN {{ RS = \"\\0\"; ORS = \"\\0\" }} {{ print; print; fflush() }}'\n",
        encoding="utf-8",
    )
    engine = ApertiumTranslator(mode, timeout=5)
    try:
        words = ["casa", "perro", "gato"]
        out = engine.translate(words)
        for word, result in zip(words, out, strict=True):
            assert result.text.startswith(f"^{word}/"), result  # the analysis of its own word
        assert engine.restarts == 2
    finally:
        engine.close()


def test_missing_mode_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="apertium-eng-spa") as err:
        ApertiumTranslator(tmp_path / "spa-eng.mode")
    assert str(tmp_path) in str(err.value)


def test_apertium_not_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a real PATH without lt-proc & co.
    with pytest.raises(ModelError, match="lt-proc is not on PATH"):
        open_translator("apertium")
    warn = io.StringIO()
    assert open_translator("auto", warn=warn) is None
    assert warn.getvalue() == NO_ENGINE_WARNING + "\n"
    assert open_translator("none", warn=warn) is None
    assert warn.getvalue().count("\n") == 1


def test_unknown_engine_name() -> None:
    with pytest.raises(ModelError, match="unknown engine"):
        open_translator("google")


def test_ten_thousand_character_span(apertium: ApertiumTranslator) -> None:
    sentence = "El director del hospital dijo que Zoé Robledo visitó la clínica. "
    text = "Report: " + sentence * 154
    start, end = 8, len(text) - 1
    assert end - start >= 10_000
    names = [(i, i + len("Zoé Robledo")) for i in range(len(text)) if text.startswith("Zoé Robledo", i)]
    edits, _ = translate_spans(
        text, [Span(start, end, "es", text[start:end])], [Segment("d", 0, len(text), text)],
        protected=names, inner_edits=[], translator=apertium,
    )
    [edit] = edits
    assert edit.applied and edit.rule == "translate:apertium"
    assert edit.after.count("Zoé Robledo") == 154
    assert edit.after.count("hospital") == 154 and "\x00" not in edit.after


if sys.platform != "linux":  # pragma: no cover - the Debian packages are Linux-only
    pytestmark = pytest.mark.skip(reason="Apertium tests need Linux")
