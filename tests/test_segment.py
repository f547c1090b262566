"""Sentences and tokens keep exact offsets into the original text."""

from __future__ import annotations

from pathlib import Path

from mtrepair.model import Edit
from mtrepair.segment import kept_regions, split_lines, split_sentences, tokenize


def test_sentences_slice_the_original_text(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        segments = split_sentences(text, path.name)
        assert segments
        for seg in segments:
            assert text[seg.start : seg.end] == seg.text
            assert seg.text == seg.text.strip()


def test_abbreviations_do_not_end_sentences() -> None:
    text = "It was given to Dr. Rafael Medrano Guzmán. Head of the UMF No. 58 \u201cLas Margaritas\u201d, in Mexico."
    assert [s.text for s in split_sentences(text, "d")] == [
        "It was given to Dr. Rafael Medrano Guzmán.",
        "Head of the UMF No. 58 \u201cLas Margaritas\u201d, in Mexico.",
    ]


def test_removed_regions_are_not_segmented() -> None:
    text = " date 2022-02-27 Guanajuato has 245 new specialists.\n\nLeave a Reply\n\nEnd here."
    removed = [Edit(0, 17, text[:17], "", "boilerplate", "m"), Edit(54, 69, text[54:69], "", "boilerplate", "b")]
    segs = split_sentences(text, "d", kept_regions(text, removed))
    assert [s.text for s in segs] == ["Guanajuato has 245 new specialists.", "End here."]


def test_lines_mode_is_one_segment_per_nonblank_line() -> None:
    text = "yo no se\n\n  I love it. Really.  \n"
    assert [(s.start, s.end, s.text) for s in split_lines(text, "d")] == [(0, 8, "yo no se"), (12, 30, "I love it. Really.")]


def test_tokens_map_back_to_offsets() -> None:
    text = "Then “the best medical school”By haber formed al 60 per cent (IMSS), Zoé."
    [seg] = split_sentences(text, "d")
    tokens = tokenize(seg)
    assert [t.text for t in tokens][:6] == ["Then", "“", "the", "best", "medical", "school"]
    for t in tokens:
        assert text[t.start : t.end] == t.text
    assert "Zoé" in [t.text for t in tokens]
