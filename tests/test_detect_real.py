"""Spanish in body text, precisely (issue 9, part 6), on real MT pages and written cases.

Table-driven from the hand annotations of ../shared/dev/real and the seeds, read at
test time (their text must not ship): every gold ``es`` span found, no gold name
labelled ``es``, the letter score of the issue. Then English that must stay English
(homographs and loanwords, written here), pages cut off mid-word, whole Spanish lines,
and names inside a Spanish phrase.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mtrepair.detect import Detector, build_detector
from mtrepair.detect.evaluate import score_clean, score_letters
from mtrepair.model import Segment, Span

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL = SHARED / "dev" / "real"
REAL_GOLD = REAL / "gold.jsonl"
REAL_ARTICLES = REAL / "articles"
SEED_GOLD = SHARED / "dev" / "seed_gold.jsonl"
SEEDS = SHARED / "seeds"
NEWS = SHARED / "data" / "mt" / "newstest2013.eng"
GLOSSARY = ROOT / "glossary"

# Gold es spans the detector does not find, with why. "El Tabasqueño" (an epithet
# for the president) has the shape of a Spanish name ("El Universal", "La Jornada",
# "La Raza" in seed 003): article + capitalized word; PROVENANCE.md lists it as a
# judgement call.
KNOWN_MISSES = {
    "16_infobae_imss-bienestar-new-program.txt+444": "an epithet shaped like a name (El Universal, La Raza)",
}


def _records(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _body(path: Path, folder: Path) -> list[tuple[dict[str, Any], Path]]:
    return [(rec, folder) for rec in _records(path) if not rec.get("boiler")]


BODY = _body(REAL_GOLD, REAL_ARTICLES) + _body(SEED_GOLD, SEEDS)


def _es_cases() -> list[Any]:
    cases = []
    for rec, folder in BODY:
        for span in rec["spans"]:
            if span["label"] != "es":
                continue
            case_id = f"{rec['doc']}+{span['start']}"
            marks = [pytest.mark.xfail(reason=KNOWN_MISSES[case_id], strict=True)] if case_id in KNOWN_MISSES else []
            cases.append(pytest.param(rec, folder, span, id=case_id, marks=marks))
    return cases


def _name_cases() -> list[Any]:
    """Gold names in a segment that also holds gold Spanish: inside or beside it."""
    cases = []
    for rec, folder in BODY:
        if not any(s["label"] == "es" for s in rec["spans"]):
            continue
        for span in rec["spans"]:
            if span["label"] == "name":
                cases.append(pytest.param(rec, folder, span, id=f"{rec['doc']}+{span['start']}"))
    return cases


@pytest.fixture(scope="module")
def detector() -> Detector:
    """The detector as `mtrepair clean` builds it: with the project glossary's keep and term entries."""
    from mtrepair.glossary import load_glossary

    glossary = load_glossary(str(GLOSSARY))
    return build_detector(glossary.keep_strings(), [e.source for e in glossary.entries if e.kind == "term"])


_TEXTS: dict[Path, str] = {}


def _detect(detector: Detector, rec: dict[str, Any], folder: Path) -> tuple[str, tuple[Span, ...]]:
    path = folder / rec["doc"]
    text = _TEXTS.setdefault(path, path.read_text(encoding="utf-8"))
    start, end = rec["start"], rec["end"]
    return text, detector.detect(Segment(rec["doc"], start, end, text[start:end]))


def _letters(text: str, a: int, b: int) -> list[int]:
    return [k for k in range(a, b) if text[k].isalpha()]


# --- the gold, span by span ----------------------------------------------------------


@pytest.mark.skipif(not BODY, reason="../shared/dev is not beside the project")
@pytest.mark.parametrize(("rec", "folder", "span"), _es_cases())
def test_gold_es_span_is_found(detector: Detector, rec: dict[str, Any], folder: Path, span: dict[str, Any]) -> None:
    """At least 80% of the gold span's letters lie inside predicted es spans."""
    text, spans = _detect(detector, rec, folder)
    letters = _letters(text, span["start"], span["end"])
    es = [(s.start, s.end) for s in spans if s.label == "es"]
    hit = sum(1 for k in letters if any(a <= k < b for a, b in es))
    assert hit >= 0.8 * len(letters), (span["text"], [s.text for s in spans if s.label == "es"])


@pytest.mark.skipif(not BODY, reason="../shared/dev is not beside the project")
@pytest.mark.parametrize(("rec", "folder", "span"), _name_cases())
def test_gold_name_beside_spanish_is_never_es(
    detector: Detector, rec: dict[str, Any], folder: Path, span: dict[str, Any]
) -> None:
    _, spans = _detect(detector, rec, folder)
    assert not any(s.label == "es" and s.start < span["end"] and span["start"] < s.end for s in spans), span["text"]


@pytest.mark.skipif(not REAL_GOLD.is_file(), reason="../shared/dev/real is not beside the project")
def test_no_gold_name_anywhere_is_labelled_es(detector: Detector) -> None:
    wrong = []
    for rec, folder in _body(REAL_GOLD, REAL_ARTICLES) + _body(SEED_GOLD, SEEDS):
        _, spans = _detect(detector, rec, folder)
        es = [(s.start, s.end) for s in spans if s.label == "es"]
        wrong += [
            g["text"]
            for g in rec["spans"]
            if g["label"] == "name" and any(a < g["end"] and g["start"] < b for a, b in es)
        ]
    assert wrong == []


@pytest.mark.skipif(not REAL_GOLD.is_file(), reason="../shared/dev/real is not beside the project")
def test_letter_scores_meet_the_issue(detector: Detector) -> None:
    """Issue 9.6: es letter F1 >= 0.8 on dev/real body text; the seeds stay exact."""
    real = score_letters(REAL_GOLD, REAL_ARTICLES, detector)
    assert real["es_letters"]["f1"] >= 0.8, real
    assert real["names_as_es"] == []
    seeds = score_letters(SEED_GOLD, SEEDS, detector)
    assert seeds["es_letters"]["f1"] == 1.0, seeds


@pytest.mark.skipif(not REAL_GOLD.is_file(), reason="../shared/dev/real is not beside the project")
def test_a_page_cut_off_mid_word_leaves_no_spanish_at_its_end(detector: Detector) -> None:
    """12 of the 21 dev/real pages stop mid-word ("decis", "alli", "operat", "heal")."""
    last: dict[str, dict[str, Any]] = {}
    for rec in _records(REAL_GOLD):
        if rec["end"] > last.get(rec["doc"], {"end": -1})["end"]:
            last[rec["doc"]] = rec
    for rec in last.values():
        text, spans = _detect(detector, rec, REAL_ARTICLES)
        body = text[rec["start"] : rec["end"]].rstrip()
        if not body[-1:].isalpha():
            continue
        final_word_start = rec["start"] + len(body.rstrip("abcdefghijklmnopqrstuvwxyzáéíóúñü")) if body else 0
        assert not any(s.label == "es" and s.end > final_word_start for s in spans), (rec["doc"], body[-40:])


# --- English that stays English ------------------------------------------------------

# Written for these tests: English words that are also Spanish (mi, un, era, al, de,
# me, no, a, son, once, come, fin, red, sin, pie, dice, con, mesa, ...) and Spanish
# loanwords English news uses (pesos, amigos, fiesta, plaza, junta, cartel, ...).
ENGLISH = [
    pytest.param("The factory was 2 mi from the border and the road was closed.", id="mi-miles"),
    pytest.param("The UN agency sent an envoy to un-elected officials.", id="un"),
    pytest.param("It was the end of an era for the hospital.", id="era"),
    pytest.param("Al Gore said the plant would reopen next week.", id="al-name"),
    pytest.param("The de facto leader refused to comment.", id="de-facto"),
    pytest.param("Tell me what you saw, she asked the nurse.", id="me"),
    pytest.param("There is no reason to delay the vaccine.", id="no"),
    pytest.param("His son came home once a month.", id="son-once"),
    pytest.param("Come to the clinic before the fin of the day is a typo, not Spanish.", id="come-fin"),
    pytest.param("The red ambulance stopped at the corner.", id="red"),
    pytest.param("Gluttony is a sin, the pastor said, pointing at the apple pie.", id="sin-pie"),
    pytest.param("They rolled the dice and lost the bet.", id="dice"),
    pytest.param("The con artist was arrested at the airport.", id="con"),
    pytest.param("Weigh the pros and the con before you sign.", id="con-2"),
    pytest.param("The workers earn 300 pesos a day in the fields.", id="pesos"),
    pytest.param("I'm afraid you're on your own, amigos.", id="amigos-final"),
    pytest.param("The town threw a fiesta after the election.", id="fiesta"),
    pytest.param("Protesters gathered in the main plaza on Sunday.", id="plaza"),
    pytest.param("The mesa above the town is covered in snow.", id="mesa"),
    pytest.param("She ate a tortilla and took a siesta on the patio.", id="tortilla-siesta-patio"),
    pytest.param("The rodeo brought a bonanza of tourists to the county.", id="rodeo-bonanza"),
    pytest.param("The military junta seized power in 1973.", id="junta"),
    pytest.param("The drug cartel laundered money through a bank.", id="cartel"),
    pytest.param("He wore a sombrero and ordered salsa with his chips.", id="sombrero-salsa"),
    pytest.param("A vigilante group patrolled the streets at night.", id="vigilante"),
    pytest.param("The macho culture of the team was criticized.", id="macho"),
    pytest.param("The canyon and the mesa attract hikers every summer.", id="canyon"),
    pytest.param("The guerrilla fighters laid down their arms.", id="guerrilla"),
    pytest.param("The burrito chain opened a new store in Texas.", id="burrito"),
    pytest.param("The mosquito season started early this year.", id="mosquito"),
    pytest.param("The alligator was seen near the marina.", id="marina"),
    pytest.param("The armada sailed from the port at dawn.", id="armada"),
    pytest.param("Her bravado did not survive the first question.", id="bravado"),
    pytest.param("The tornado destroyed the barn and the corral.", id="tornado-corral"),
    pytest.param("They held a fiesta at the hacienda near the mesa.", id="hacienda"),
    pytest.param("Prices rose in Mexico, where the peso fell against the dollar.", id="peso"),
    pytest.param("Porras says the team will improve.", id="surname-initial"),
    pytest.param("Jalisco key points", id="state-headline"),
]


@pytest.mark.parametrize("line", ENGLISH)
def test_english_with_homographs_and_loanwords_has_no_es_span(detector: Detector, line: str) -> None:
    assert [s.text for s in detector.detect_text(line) if s.label == "es"] == []


@pytest.mark.skipif(not NEWS.is_file(), reason="../shared/data/mt/newstest2013.eng is not beside the project")
def test_professional_english_news_has_almost_no_es_span(detector: Detector) -> None:
    """Issue 9.6: es false positives on newstest2013 must be ~0 (the line left quotes
    Spanish signs: one for "Mexicanos", another for "Extranjeros")."""
    r = score_clean(NEWS, detector)
    assert r["lines_with_es"] <= 2, r["flagged"]


# --- Spanish words alone in English --------------------------------------------------

LONE = [
    pytest.param("Cabe points out that the group has maintained its numbers.", "Cabe", id="initial-verb"),
    pytest.param("the number of contagios rose more than during these days", "contagios", id="spanish-only"),
    pytest.param("it has been a viacrucis to fill the prescriptions", "viacrucis", id="spanish-only-2"),
    pytest.param("the clinic todavia has no doctors on weekends", "todavia", id="accentless"),
    pytest.param("the clinic tambien has no doctors on weekends", "tambien", id="accentless-2"),
    pytest.param("Las specialties in high demand are pediatrics and surgery.", "Las", id="article-initial"),
    pytest.param("Además, the hospital will open a new wing.", "Además", id="initial-adverb"),
    pytest.param("two strains of influenza AH1N1 y H3N2 are included", "y", id="conjunction"),
]


@pytest.mark.parametrize(("line", "word"), LONE)
def test_a_lone_spanish_word_in_english_is_found(detector: Detector, line: str, word: str) -> None:
    assert [s.text for s in detector.detect_text(line) if s.label == "es"] == [word]


# --- pages cut off mid-word ----------------------------------------------------------

CUT = [
    pytest.param("As of July, the office published the results and decis", [], id="decision"),
    pytest.param("this purchase is independent of the alli", [], id="alliance-alli-is-also-spanish"),
    pytest.param("The patients were sent to the hospi", [], id="hospital"),
    pytest.param("the establishments must have a heal", [], id="health"),
    pytest.param("the number of contagios", ["contagios"], id="complete-spanish-word-stays"),
    pytest.param(
        "Casos de Covid-19 bajan en Nuevo León; suben hospitalizaciones: Secretaría de Salud estatal",
        # "Nuevo León" is a glossary keep entry: the Spanish stops around it
        ["Casos de Covid-19 bajan en", "suben hospitalizaciones", "Secretaría de Salud estatal"],
        id="unpunctuated-spanish-headline",
    ),
    pytest.param("the number of contagios.", ["contagios"], id="punctuated"),
]


@pytest.mark.parametrize(("line", "want"), CUT)
def test_the_last_word_of_a_cut_off_page_is_never_es(detector: Detector, line: str, want: list[str]) -> None:
    assert [s.text for s in detector.detect_text(line) if s.label == "es"] == want


# --- whole Spanish lines -------------------------------------------------------------

SPANISH_LINES = [
    pytest.param("El director general del hospital dijo que no hay medicamentos suficientes", id="real-general"),
    pytest.param("La mayor parte de los pacientes tiene un problema real con el seguro popular", id="homographs"),
    pytest.param("Hace falta personal en las clínicas rurales, denunció el sindicato", id="comma"),
    pytest.param("Tu dirección de correo electrónico no será publicada", id="form"),
    pytest.param("Saludos Chico", id="capitalized-tweet"),
]


@pytest.mark.parametrize("line", SPANISH_LINES)
def test_a_spanish_line_is_one_es_span(detector: Detector, line: str) -> None:
    assert [(s.label, s.text) for s in detector.detect_text(line)] == [("es", line)]


def test_a_byline_of_capitalized_words_is_not_spanish(detector: Detector) -> None:
    """dev/real 13 opens with its byline alone on a line: a name, no Spanish."""
    assert [s for s in detector.detect_text("Blanca Valdez") if s.label == "es"] == []


# --- names inside a Spanish phrase ---------------------------------------------------

NAMES_INSIDE = [
    pytest.param(
        "Según el secretario de Salud, Jorge Alcocer Varela, la vacuna llegará el lunes a Culiacán.",
        "Según el secretario de Salud, Jorge Alcocer Varela, la vacuna llegará el lunes a Culiacán",
        ["Jorge Alcocer Varela", "Culiacán"],
        id="person-and-city",
    ),
    pytest.param(
        "The report said that dijo Hugo López-Gatell que los derechohabientes serán atendidos, and left.",
        "dijo Hugo López-Gatell que los derechohabientes serán atendidos",
        ["Hugo López-Gatell"],
        id="inside-english",
    ),
    pytest.param(
        "He said: “la clínica de Tlaxcala está cerrada”.",
        "la clínica de Tlaxcala está cerrada",
        ["Tlaxcala"],
        id="state-after-de",
    ),
    pytest.param(
        # Apertium alone gives "White Angel Torres": everyday words, yet a person
        "He said dijo Ángel Blanco Torres que no hay camas, and left.",
        "dijo Ángel Blanco Torres que no hay camas",
        ["Ángel Blanco Torres"],
        id="person-of-everyday-words",
    ),
    pytest.param(
        # the sentence's first word is capitalized by position, not part of the name
        "Según Elsie Monereau, la clínica está cerrada.",
        "Según Elsie Monereau, la clínica está cerrada",
        ["Elsie Monereau"],
        id="initial-word-not-in-name",
    ),
    pytest.param(
        # a Spanish exonym is translated ("Egypt"), not kept
        "Los médicos viajaron a Egipto con la delegación de Jalisco.",
        "Los médicos viajaron a Egipto con la delegación de Jalisco",
        ["Jalisco"],
        id="exonym-translated-mexican-state-kept",
    ),
    pytest.param(
        "Esta es una nota de Blanca Valdez para El Sol de Tlaxcala",
        "Esta es una nota de Blanca Valdez para El Sol de Tlaxcala",
        ["Blanca Valdez"],
        id="name-then-para",
    ),
]


@pytest.mark.parametrize(("line", "es", "names"), NAMES_INSIDE)
def test_a_name_inside_a_spanish_phrase_is_a_name_span_within_it(
    detector: Detector, line: str, es: str, names: list[str]
) -> None:
    spans = detector.detect_text(line)
    assert [s.text for s in spans if s.label == "es"] == [es]
    outer = next(s for s in spans if s.label == "es")
    inner = [s for s in spans if s.label == "name"]
    assert [s.text for s in inner] == names
    # nested: the translate stage masks a name span inside an es span (repair.py makes
    # name spans protected regions), so the translation keeps the name as written
    assert all(outer.start <= s.start and s.end <= outer.end for s in inner)


def test_everyday_capitalized_spanish_inside_a_phrase_is_translated_not_kept(detector: Detector) -> None:
    """Seed 000: "Ciclo Académico", "Cursos de Especialización Médica" are Spanish to translate."""
    line = "During the clausura del Ciclo Académico 2020-2021 de los Cursos de Especialización Médica, he spoke."
    assert [s.label for s in detector.detect_text(line)] == ["es"]
    line = "el Instituto Mexicano del Seguro Social informó que la Secretaría de Salud estatal"
    assert [(s.label, s.text) for s in detector.detect_text(line)] == [("es", line)]


def test_a_glossary_keep_name_splits_the_spanish_phrase_around_it(detector: Detector) -> None:
    """A keep entry (here "Zoé Robledo", project glossary) is never inside an es span:
    the span stops around it, and the name is a name span of its own."""
    line = "The report said that dijo Zoé Robledo que los derechohabientes serán atendidos, and left."
    assert [(s.label, s.text) for s in detector.detect_text(line)] == [
        ("es", "dijo"),
        ("name", "Zoé Robledo"),
        ("es", "que los derechohabientes serán atendidos"),
    ]
