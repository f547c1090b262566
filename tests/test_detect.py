"""The detector on real text: seed articles with exact offsets, headlines, tweets, edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtrepair.detect import Detector, build_detector
from mtrepair.detect.evaluate import line_segments
from mtrepair.detect.tagger import viterbi
from mtrepair.detect.tokens import ABBREV, EMAIL, HASHTAG, MENTION, MIXED, NUM, PUNCT, URL, WORD, tokenize
from mtrepair.model import Segment, Span

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"


@pytest.fixture(scope="module")
def detector() -> Detector:
    return build_detector()


def es_spans(detector: Detector, text: str) -> list[str]:
    return [s.text for s in detector.detect_text(text) if s.label == "es"]


def labelled(detector: Detector, text: str) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in detector.detect_text(text)]


# --- seeds: exact spans, document offsets -----------------------------------------

# (file, segment start, segment end, the es spans exactly, names that must be found)
SEED_CASES = [
    ("000_2e8fdd939f08f812.txt", 0, 88, [(37, 41, "dice")], [(42, 53, "Zoé Robledo")]),
    (
        "000_2e8fdd939f08f812.txt",
        90,
        418,
        [
            (101, 179, "clausura del Ciclo Académico 2020-2021 de los Cursos de Especialización Médica"),
            (181, 183, "el"),
            (365, 370, "haber"),
            (378, 380, "al"),
        ],
        [],
    ),
    # "4 mil 158" is the numbers stage's business, not Spanish prose
    ("000_2e8fdd939f08f812.txt", 420, 694, [], []),
    (
        "000_2e8fdd939f08f812.txt",
        1721,
        1986,
        [],
        [
            (1813, 1843, "Instituto Politécnico Nacional"),
            (1851, 1872, "Arturo Reyes Sandoval"),
            (1918, 1957, "Universidad Nacional Autónoma de México"),
            (1966, 1985, "Enrique Graue Wiech"),
        ],
    ),
    ("000_2e8fdd939f08f812.txt", 2380, 2536, [(2524, 2535, "chirimiento")], []),
    ("001_5724677a762a89f5.txt", 0, 77, [], [(61, 77, "El Sol de México")]),
    ("001_5724677a762a89f5.txt", 2883, 2896, [], []),  # "Leave a Reply"
    (
        "003_51a4ab63d0b55e58.txt",
        554,
        1005,
        [],
        [
            (638, 661, "Guillermo Careaga Reyna"),
            (703, 710, "La Raza"),
            (866, 887, "Rafael Medrano Guzmán"),
            (905, 940, "Hospital de Oncología del Siglo XXI"),
        ],
    ),
    ("004_c347115ea5c58886.txt", 806, 811, [], []),  # "Zoo ."
]


@pytest.mark.parametrize(("name", "start", "end", "want_es", "want_names"), SEED_CASES)
def test_seed_segment_spans_are_exact(
    detector: Detector,
    name: str,
    start: int,
    end: int,
    want_es: list[tuple[int, int, str]],
    want_names: list[tuple[int, int, str]],
) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    spans = detector.detect(Segment(name, start, end, text[start:end]))
    for s in spans:
        assert s.text == text[s.start : s.end]
        assert start <= s.start < s.end <= end
    assert [(s.start, s.end, s.text) for s in spans if s.label == "es"] == want_es
    names = {(s.start, s.end, s.text) for s in spans if s.label == "name"}
    assert set(want_names) <= names


def test_every_gold_es_span_found_and_no_gold_name_labelled_es(detector: Detector, gold: list[dict]) -> None:
    texts: dict[str, str] = {}
    for rec in gold:
        text = texts.setdefault(rec["doc"], (SAMPLES / rec["doc"]).read_text(encoding="utf-8"))
        spans = detector.detect(Segment(rec["doc"], rec["start"], rec["end"], text[rec["start"] : rec["end"]]))
        found = {(s.start, s.end) for s in spans if s.label == "es"}
        gold_es = {(g["start"], g["end"]) for g in rec["spans"] if g["label"] == "es"}
        assert gold_es <= found, rec["source"]
        for g in rec["spans"]:
            if g["label"] == "name":
                assert not any(a < g["end"] and g["start"] < b for a, b in found), g["text"]
        # and no Spanish is invented in the seeds' English
        assert found <= gold_es, rec["source"]


def test_offsets_are_document_offsets(detector: Detector) -> None:
    line = "During the clausura del Ciclo Académico 2020-2021 de los Cursos, the director spoke."
    spans = detector.detect(Segment("d", 5000, 5000 + len(line), line))
    assert spans == (Span(5011, 5063, "es", "clausura del Ciclo Académico 2020-2021 de los Cursos"),)
    # numbers inside a span stay, numbers at its edge stay out, as in the gold ("al" of "al 60")
    assert es_spans(detector, "formed al 60 per cent") == ["al"]


def test_segment_tokens_are_not_needed(detector: Detector) -> None:
    line = "dice Zoé Robledo in graduation"
    bare = detector.detect(Segment("d", 0, len(line), line))
    assert [(s.label, s.text) for s in bare] == [("es", "dice"), ("name", "Zoé Robledo")]


# --- whole Spanish lines, Spanish inside English -----------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Deja una respuesta",
        "Tu dirección de correo electrónico no será publicada",
        "LEER MÁS: IMSS cumple 78 años y está en proceso de modernización",
        "la mayor parte de la gente no me dijo nada",
    ],
)
def test_a_spanish_line_is_one_es_span(detector: Detector, line: str) -> None:
    assert labelled(detector, line) == [("es", line)]


def test_spanish_line_inside_an_english_article(detector: Detector) -> None:
    doc = (
        "IMSS completes 78 years and is undergoing modernization.\n"
        "LEER MÁS: IMSS cumple 78 años y está en proceso de modernización\n"
        "The Institute has 69 medical and surgical specialties.\n"
    )
    found = [(seg.start, s) for seg in line_segments(doc) for s in build_detector().detect(seg)]
    assert len(found) == 1
    seg_start, span = found[0]
    assert span.label == "es"
    assert seg_start == doc.index("LEER")
    assert (span.start, span.end) == (doc.index("LEER"), doc.index("modernización\n") + len("modernización"))
    assert doc[span.start : span.end] == span.text


def test_spanish_phrase_in_english_sentence(detector: Detector) -> None:
    assert es_spans(detector, "Sin embargo, the officials said.") == ["Sin embargo"]
    assert es_spans(detector, "the patients will be attended por el personal médico of the unit.") == [
        "por el personal médico"
    ]
    assert es_spans(detector, "Robledo called it “un éxito rotundo”, and left.") == ["un éxito rotundo"]
    assert es_spans(detector, "¿Qué pasó? the reporter asked.") == ["¿Qué pasó?"]


# --- names -------------------------------------------------------------------------


def test_spanish_names_in_english_are_names(detector: Detector) -> None:
    assert labelled(detector, "He works at Banco del Bienestar and La Jornada reported it.") == [
        ("name", "Banco del Bienestar"),
        ("name", "La Jornada"),
    ]
    assert labelled(detector, "The programme Jóvenes Construyendo el Futuro was expanded.") == [
        ("name", "Jóvenes Construyendo el Futuro")
    ]
    # an English name is neither Spanish nor a Spanish name
    assert labelled(detector, "the Mexican Social Security Institute (IMSS) said") == []


def test_keep_entries_are_names_never_spanish() -> None:
    keeper = build_detector(keep=["IMSS-Bienestar", "Zoé Robledo"])
    line = "Zoé Robledo dice que el IMSS-Bienestar contratará a 13 mil médicos."
    assert labelled(keeper, line) == [
        ("name", "Zoé Robledo"),
        ("es", "dice que el"),
        ("name", "IMSS-Bienestar"),
        ("es", "contratará a 13 mil médicos"),
    ]
    # a keep string must match whole words: no "IMSS-Bienestar" inside a longer token
    assert labelled(keeper, "the IMSS-Bienestarx program") == []


# --- case, hashtags, URLs, e-mails -------------------------------------------------


def test_all_caps_headlines(detector: Detector) -> None:
    assert labelled(detector, "IMSS LAUNCHES CALL TO HIRE 13 THOUSAND MEDICAL SPECIALISTS") == []
    assert labelled(detector, "READ MORE: IMSS COMPLETES 78 YEARS") == []
    assert labelled(detector, "LEER MÁS: IMSS CUMPLE 78 AÑOS") == [("es", "LEER MÁS: IMSS CUMPLE 78 AÑOS")]
    assert labelled(detector, "IMSS Launches Call To Hire 13 Thousand Medical Specialists – El Sol de México") == [
        ("name", "El Sol de México")
    ]


def test_hashtags_urls_emails_mentions_are_not_spanish(detector: Detector) -> None:
    assert labelled(detector, "Follow #QuédateEnCasa and #StayHome on social media.") == []
    assert labelled(detector, "Follow @Tu_IMSS and #IMSS on Twitter") == []
    line = "Visit https://www.imss.gob.mx/prensa/archivo/202201/015 or write to comunicacion@imss.gob.mx for more."
    assert labelled(detector, line) == []
    # a Spanish span stops at a URL instead of swallowing it
    line = "He said you can register en la página medicosespecialistas.imssbienestar.gob.mx before Friday."
    assert es_spans(detector, line) == ["en la página"]


def test_english_words_with_accents(detector: Detector) -> None:
    assert labelled(detector, "She ordered a café and updated her résumé before the meeting.") == []
    assert labelled(detector, "The fiancée sent the résumé to the café owner's protégé.") == []


@pytest.mark.parametrize(
    "line",
    [
        "The mayor said the real problem is the no vote.",
        "He has a son and a fine red van.",
        "the de facto ruler was en route to the capital",
        "Tell me if you come, Al.",
        "They paid 500 million pesos to the mayor.",
        "In every era we can find a hero, i.e. a leader, e.g. Napoleon.",
    ],
)
def test_spanish_words_that_are_also_english_stay_english(detector: Detector, line: str) -> None:
    assert es_spans(detector, line) == []


def test_shared_words_follow_their_neighbours(detector: Detector) -> None:
    # "no", "me", "a" are English and Spanish; here the sentence around them decides
    assert es_spans(detector, "I said no and they told me to wait") == []
    assert es_spans(detector, "no me digas que ya se fue a su casa") == ["no me digas que ya se fue a su casa"]


# --- edges -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\t", "...", "X", "https://t.co/abc", "😂😂"])
def test_empty_or_wordless_input(detector: Detector, text: str) -> None:
    assert detector.detect(Segment("d", 0, len(text), text)) == ()


def test_hundred_thousand_tokens_in_one_segment(detector: Detector) -> None:
    unit = (
        "During the clausura del Ciclo Académico 2020-2021 de los Cursos de Especialización Médica, "
        "el Director-General of the IMSS spoke about Zoé Robledo. "
    )
    per_unit = len(tokenize(unit))
    repeats = 100_000 // per_unit + 1
    text = unit * repeats
    assert len(tokenize(text)) >= 100_000
    spans = detector.detect(Segment("big", 7, 7 + len(text), text))
    es = [s for s in spans if s.label == "es"]
    assert len(es) == 2 * repeats
    assert {s.text for s in es} == {
        "clausura del Ciclo Académico 2020-2021 de los Cursos de Especialización Médica",
        "el",
    }
    last = 0
    for s in spans:
        assert s.start >= last  # sorted, no overlaps
        assert text[s.start - 7 : s.end - 7] == s.text
        last = s.end


# --- the parts ---------------------------------------------------------------------


def test_tokenizer_kinds_and_offsets() -> None:
    text = "Covid-19, e.g. @Tu_IMSS #Salud https://imss.gob.mx/x a@b.mx 2020-2021 don’t ¿Qué?"
    toks = [(text[s:e], kind) for s, e, kind in tokenize(text)]
    assert toks == [
        ("Covid-19", MIXED),
        (",", PUNCT),
        ("e.g.", ABBREV),
        ("@Tu_IMSS", MENTION),
        ("#Salud", HASHTAG),
        ("https://imss.gob.mx/x", URL),
        ("a@b.mx", EMAIL),
        ("2020-2021", NUM),
        ("don’t", WORD),
        ("¿", PUNCT),
        ("Qué", WORD),
        ("?", PUNCT),
    ]


def test_viterbi_switching_cost() -> None:
    assert viterbi([], 2.5, -1.0) == []
    # one Spanish-leaning word between English ones needs more than two switches' worth
    assert viterbi([-3.0, 4.0, -3.0], 2.5, -1.0) == [False, False, False]
    assert viterbi([-3.0, 6.0, -3.0], 2.5, -1.0) == [False, True, False]
    # a weak English word inside Spanish follows its neighbours
    assert viterbi([5.0, -1.0, 5.0], 2.5, -1.0) == [True, True, True]


def test_glossary_terms_are_spanish_evidence_for_lone_words() -> None:
    # The brief's "the camas of the hospital": camas is also a rare English plant,
    # so frequencies alone leave a lone one English; a reviewed term makes it Spanish.
    from mtrepair.detect import build_detector

    text = "The director said the camas of the hospital are enough for the derechohabientes of the region."
    plain = build_detector().detect_text(text)
    assert "camas" not in [s.text for s in plain if s.label == "es"]
    taught = build_detector(terms=["camas", "derechohabientes", "Cursos de Especialización"]).detect_text(text)
    assert [s.text for s in taught if s.label == "es"] == ["camas", "derechohabientes"]
    # a term that is a common English word is not forced: context still decides
    assert build_detector(terms=["hospital"]).detect_text("The hospital opened.") == ()
