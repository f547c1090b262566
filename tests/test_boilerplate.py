"""Boilerplate and metadata: patterns from the data file, one Edit per dropped line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtrepair.boilerplate import find_boilerplate, find_metadata, load_rules
from mtrepair.errors import InputError
from mtrepair.model import apply_edits


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return load_rules()


def test_every_gold_boiler_segment_is_covered_by_one_edit(gold: list[dict], seeds_dir: Path, rules) -> None:  # type: ignore[no-untyped-def]
    for item in gold:
        text = (seeds_dir / item["doc"]).read_text(encoding="utf-8")
        _, meta = find_metadata(text)
        edits = find_boilerplate(text, rules, start=meta[0].end if meta else 0)
        covering = [e for e in edits if e.start <= item["start"] and item["end"] <= e.end]
        if item["boiler"]:
            assert covering, f"{item['doc']}: {item['source']!r} not dropped"
            assert covering[0].kind == "boilerplate" and covering[0].after == ""
        else:
            overlapping = [e for e in edits if e.start < item["end"] and item["start"] < e.end]
            assert not overlapping, f"{item['doc']}: {item['source']!r} wrongly dropped by {overlapping[0].rule}"


@pytest.mark.parametrize(
    "line",
    [
        "Deja una respuesta",
        "Tu dirección de correo electrónico no será publicada. Los campos obligatorios están marcados con *",
        "LEER MÁS: El IMSS cumple 78 años",
        "Lee también: Zoé Robledo inaugura hospital",
        "➡️ Únete al canal de El Sol de México en WhatsApp para no perderte la información más importante",
        "Suscríbete",
        "Share this:",
        "Compartir",
        "Número de vistas 12",
        "Califica esta publicación",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Publicidad",
        "Advertisement",
        "Comments are closed.",
        "Listen to this article",
        "Tiempo de lectura: 3 min",
        "Facebook Twitter WhatsApp Telegram",
        "Copiar enlace",
        "You may also be interested in: IMSS opens 20 hospitals",
        "Noticias relacionadas",
        "Actualizado el 12 de mayo de 2023, 10:45",
        "Follow us on Google News",
    ],
)
def test_english_and_spanish_widgets_are_dropped(rules, line: str) -> None:  # type: ignore[no-untyped-def]
    text = f"IMSS opens a hospital in Oaxaca.\n\n{line}\n\nThe hospital has 90 beds.\n"
    edits = find_boilerplate(text, rules)
    assert len(edits) == 1 and edits[0].before.strip() == line
    assert apply_edits(text, edits) == "IMSS opens a hospital in Oaxaca.\n\nThe hospital has 90 beds.\n"


@pytest.mark.parametrize(
    "line",
    [
        "Read more about the program on the IMSS website, which lists every hospital.",
        "The event was shared on social networks by thousands of users.",
        "Comments from the union were positive.",
        "Views of the director were clear: the hospital opens in May.",
        "Advertising for the program will run on radio and television until May 2024.",
        "Published figures show 4,158 doctors graduated in 2021, the most in six years.",
        "Facebook and Twitter users shared the video more than 20,000 times.",
        "The comments of the director were welcomed by the union.",
    ],
)
def test_article_sentences_that_mention_widget_words_stay(rules, line: str) -> None:  # type: ignore[no-untyped-def]
    text = f"Title line\n\n{line}\n"
    assert find_boilerplate(text, rules) == []


def test_author_block_runs_to_the_end_and_leaves_no_trailing_blank_lines(rules) -> None:  # type: ignore[no-untyped-def]
    text = "Headline\n\nBody sentence one.\n\nAuthor Profile\n\nNathan Rivera\nAllow me to introduce myself.\n"
    edits = find_boilerplate(text, rules)
    assert [e.rule for e in edits] == [
        "boilerplate:author-profile",
        "boilerplate:author-profile:block",
        "boilerplate:author-profile:block",
    ]
    assert apply_edits(text, edits) == "Headline\n\nBody sentence one.\n"


def test_metadata_date_becomes_a_field_and_an_edit(seeds_dir: Path) -> None:
    text = (seeds_dir / "002_dbae9789e0361efb.txt").read_text(encoding="utf-8")
    meta, edits = find_metadata(text)
    assert meta == {"date": "2022-02-27"}
    assert edits[0].before == " date 2022-02-27 " and edits[0].kind == "boilerplate"
    assert apply_edits(text, edits).startswith("Guanajuato has 245 new medical specialists")


def test_reviewer_file_extends_rules_and_bad_rows_name_the_line(tmp_path: Path) -> None:
    extra = tmp_path / "boilerplate.tsv"
    extra.write_text("id\tscope\tpattern\tnote\nmy-site\tline\tVisit example\\.mx now!?\tour site's footer\n", encoding="utf-8")
    rules = load_rules(extra)
    assert len(find_boilerplate("Body.\n\nVisit example.mx now\n", rules)) == 1
    extra.write_text("id\tscope\tpattern\tnote\nbroken\tline\t(unclosed\tx\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"boilerplate\.tsv:2: bad pattern for broken"):
        load_rules(extra)
    extra.write_text("id\tscope\tpattern\tnote\nbad\tsomewhere\tx\tx\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"boilerplate\.tsv:2: scope must be line or tail"):
        load_rules(extra)


def test_catastrophic_reviewer_pattern_is_bounded(tmp_path: Path) -> None:
    extra = tmp_path / "boilerplate.tsv"
    extra.write_text("id\tscope\tpattern\tnote\nevil\tline\t(a+)+b\tbacktracks\n", encoding="utf-8")
    rules = load_rules(extra)
    text = "Body.\n\n" + "a" * 60 + "\n"
    # Without the match budget this line would take longer than the universe's age.
    assert find_boilerplate(text, rules) == []
