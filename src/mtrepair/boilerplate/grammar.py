"""Grammars of chrome lines whose shape says what they are: date bars, photo credits,
reading time, counters, site bylines, breadcrumbs, hashtag lines, server warnings.

Every pattern is anchored and built from bounded quantifiers, so a line costs linear
time whatever it holds.
"""

from __future__ import annotations

import re
from datetime import date

from .vocab import vocabulary

_MONTHS_EN = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]
_MONTHS_ES = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
]
MONTHS: dict[str, int] = {}
for _i, (_en, _es) in enumerate(zip(_MONTHS_EN, _MONTHS_ES, strict=True), start=1):
    MONTHS[_en] = MONTHS[_es] = MONTHS[_en[:3]] = MONTHS[_es[:3]] = _i
MONTHS.update({"sept": 9, "setiembre": 9, "set": 9})
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun"
    "|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|lun|mar|mi[eé]|jue|vie|s[aá]b|dom"
)
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WD = rf"(?:(?:{_WEEKDAYS})\.?,?\s{{1,3}})?"
# "5 de marzo de 2024", "5 marzo, 2024" (es); "March 5, 2024", "5 March 2024" (en); ISO; dd/mm/yyyy.
_DATE = (
    rf"(?:{_WD}(?P<d1>\d{{1,2}})(?:\s{{1,3}}de)?\s{{1,3}}(?P<m1>{_MONTH})\.?(?:,?\s{{1,3}}(?:de(?:l)?\s{{1,3}})?(?P<y1>\d{{4}}))?"
    rf"|{_WD}(?P<m2>{_MONTH})\.?\s{{1,3}}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s{{1,3}}(?P<y2>\d{{4}}))?"
    rf"|{_WD}(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})"
    rf"|{_WD}(?P<d4>\d{{1,2}})[/.](?P<m4>\d{{1,2}})[/.](?P<y4>\d{{4}}))"
)
_TIME = r"(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s{0,2}(?:[ap]\.?\s?m\.?|hrs?\.?|horas|h)?|\d{1,2}\s{0,2}[ap]\.?\s?m\.?)"
_ZONE = (
    r"(?:\s{0,2}\(?(?:utc|gmt|cst|cdt|cet|est|edt|pst|pdt|et|ct|pt|mt|hora del centro|tiempo del centro|cdmx)"
    r"(?:\s?[+-]\s?\d{1,2})?\)?)?"
)
_LABEL = (
    r"(?:(?:published|posted|updated|last updated|last modified|modified|date|publicado|actualizado|"
    r"[uú]ltima actualizaci[oó]n|[uú]ltima modificaci[oó]n|fecha|modificado)(?:\s{1,3}(?:on|el|at|a las))?"
    r"\s{0,2}:?\s{0,3})?"
)
# "Ciudad de México / 05.03.2024 10:32:12": a place in front of the bar, only with a slash or bar
# (a place and a comma is a dateline, which is article text).
_PLACE = r"(?:(?:[A-ZÁÉÍÓÚÑ][\w.]{0,20}\s{1,2}){0,2}[A-ZÁÉÍÓÚÑ][\w.]{0,20}\s{0,2}[/|]\s{0,3})?"
# "hace 2 horas", "5 hours ago"
_RELATIVE = re.compile(
    rf"{_LABEL}(?:hace\s{{1,3}}(?:\d{{1,3}}|un|una)\s{{1,3}}(?:minutos?|horas?|d[ií]as?|semanas?|mes(?:es)?)"
    r"|(?:\d{1,3}|an?)\s{1,3}(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s{1,3}ago)",
    re.IGNORECASE,
)
_SEP = r"\s{0,3}(?:[|,·•–—-]|\s(?:a las|at)\s)?\s{0,3}"
DATE_BAR = re.compile(
    rf"{_PLACE}{_LABEL}(?:{_TIME}{_ZONE}{_SEP})?(?:{_DATE})(?:{_SEP}{_TIME}{_ZONE})?\.?",
    re.IGNORECASE,
)


def date_bar(line: str) -> re.Match[str] | None:
    """The whole line is a date (and time): "Martes, 5 de marzo de 2024 | 10:32"."""
    return DATE_BAR.fullmatch(line.strip())


def relative_time(line: str) -> bool:
    """The whole line is a relative timestamp: "hace 2 horas", "Updated 5 hours ago"."""
    return _RELATIVE.fullmatch(line.strip().rstrip(".")) is not None


def date_bar_iso(match: re.Match[str]) -> str | None:
    """The date of a date bar as YYYY-MM-DD, or None when the year is missing or the day ambiguous."""
    g = match.groupdict()
    for n in "1234":
        year, month, day = g.get(f"y{n}"), g.get(f"m{n}"), g.get(f"d{n}")
        if not (year and month and day):
            continue
        m = int(month) if month.isdigit() else MONTHS[month.casefold()]
        d = int(day)
        if n == "4" and m <= 12 and d <= 12 and m != d:
            # 05/03/2024 is March 5 in Mexico and May 3 in the US: no date rather than a wrong one.
            return None
        try:
            return date(int(year), m, d).isoformat()
        except ValueError:
            return None
    return None


# "PHP Warning:  Undefined variable $x in /var/www/html/index.php on line 12"
SERVER_WARNING = re.compile(
    r"(?:php\s{1,3})?(?:warning|notice|deprecated|(?:catchable\s)?fatal error|parse error|strict standards)"
    r"\s{0,3}:\s{0,3}\S.{0,400}?(?:\son line\s{1,3}\d{1,7}|\.php\b.{0,200})\.?",
    re.IGNORECASE,
)

# "Reading time: 3 min", "3 min read", "Lectura: 2 minutos", "2 minutos de lectura"
READING_TIME = re.compile(
    r"(?:(?:estimated\s)?(?:reading|read)\stime|tiempo\sde\slectura|lectura)\s{0,3}:?\s{0,3}"
    r"(?:approx\.?\s{0,2}|aprox\.?\s{0,2}|less than\s|menos de\s)?\d{1,3}\s{0,2}(?:min(?:ute)?s?|minutos?)\.?"
    r"|(?:approx\.?\s{0,2}|aprox\.?\s{0,2})?\d{1,3}\s{0,2}(?:min(?:ute)?s?|minutos?)\.?\s{1,3}"
    r"(?:read|reading|de\slectura|lectura)",
    re.IGNORECASE,
)

def _words_pattern(role: str) -> str:
    return "|".join(re.escape(w) for w in sorted(vocabulary().words(role), key=len, reverse=True))


_credit_re: re.Pattern[str] | None = None
# Lowercase words a credit's names may contain.
_CREDIT_GLUE = frozenset({"de", "del", "la", "las", "los", "y", "and", "of", "the", "via", "vía", "/", "|", "-"})


def photo_credit(line: str) -> bool:
    """A credit on its own line: "Foto: Cuartoscuro", "Photo by Jane Doe", "(Imagen: Especial)"."""
    global _credit_re
    if _credit_re is None:
        heads = _words_pattern("credit")
        _credit_re = re.compile(
            rf"\(?(?:{heads})(?:\s{{1,3}}(?:by|de|por|credit|cortes[ií]a(?:\sde)?|courtesy(?:\sof)?|:))?"
            rf"\s{{0,3}}[:|/–—-]?\s{{0,3}}(?P<who>[\w@#(][^.!?]{{0,80}})\)?\.?",
            re.IGNORECASE,
        )
    m = _credit_re.fullmatch(line.strip())
    if m is None:
        return False
    head_and_sep = line.strip()[: m.start("who")]
    # "Photo: X" / "Foto de X" / "Photo by X": a separator or a credit preposition after the head;
    # a bare "Photos show the damage" is a sentence.
    if not re.search(r"[:|/–—-]|\s(?:by|de|por|courtesy|cortes[ií]a)\b", head_and_sep, re.IGNORECASE):
        return False
    # A credit names an agency or a person ("Cuartoscuro", "Galo Cañas / Cuartoscuro", "Especial");
    # "Photo: Zoé Robledo during the conference" is a caption, article text.
    who = m.group("who").split()
    if len(who) <= 3:
        return True
    named = [w for w in who if w.casefold() not in _CREDIT_GLUE]
    return len(who) <= 8 and sum(1 for w in named if not w[:1].islower()) >= 0.75 * len(named)


_counter_re: re.Pattern[str] | None = None


# A counter's abbreviated or Spanish multiplier: "1.2K shares", "3 mil vistas", "1 mil 200 vistas". Without it
# "0 mil SHARE" stayed in one clean and, once the number stage made it "0 SHARE", went
# in the next (not idempotent; found by fuzzing repair_text).
_MULTIPLIER = r"(?:[.,]\d{1,2})?\s{0,2}(?:k|m|mil|millones|millón|thousand|million)(?:\s{1,2}\d{1,3})?"


def counter(line: str) -> bool:
    """A counter on its own line: "0 comment", "12 views", "5 comentarios", "2,5 mil vistas"."""
    global _counter_re
    if _counter_re is None:
        nouns = _words_pattern("count")
        _counter_re = re.compile(
            rf"\d{{1,9}}(?:(?:[.,]\d{{3}}){{0,3}}|{_MULTIPLIER})\s{{1,40}}(?:{nouns})", re.IGNORECASE
        )
    return _counter_re.fullmatch(line.strip()) is not None


_byline_re: re.Pattern[str] | None = None


def site_byline(line: str) -> bool:
    """A byline naming a role of the site, not a person: "by Editor", "Por Redacción", "By admin | March 5, 2024"."""
    global _byline_re
    if _byline_re is None:
        staff = _words_pattern("staff")
        # "by Editor" (dev/real 07), "By News Desk", "Por Redacción", "Posted on March 5, 2024 by admin"
        _byline_re = re.compile(
            rf"(?P<before>.{{0,60}}?\s)?(?:(?:posted|written|published|publicado|escrito)\s{{1,3}})?"
            rf"(?:by|por|autor|author)\s{{0,3}}:?\s{{1,3}}(?:the\s|la\s|el\s)?(?:[A-Z][\w.]{{0,20}}\s{{1,2}}){{0,3}}"
            rf"(?:{staff})(?:\s{{1,3}}(?:{staff}))?(?P<rest>\s{{0,3}}[|,·•–—-].{{0,80}})?",
            re.IGNORECASE,
        )
    m = _byline_re.fullmatch(line.strip())
    if m is None:
        return False
    rest = (m.group("rest") or "").strip(" |,·•–—-")
    before = (m.group("before") or "").strip(" |,·•–—-")
    before = re.sub(r"^(?:posted|published|publicado)(?:\s(?:on|el))?\s", "", before, flags=re.IGNORECASE)
    return (not rest or date_bar(rest) is not None) and (not before or date_bar(before) is not None)


def hashtag_line(line: str) -> bool:
    """A line of hashtags: "#flu #vaccine #CDMX" (dev/real 04, 05)."""
    tokens = line.split()
    tags = sum(1 for t in tokens if len(t) > 1 and t[0] == "#" and any(c.isalpha() for c in t))
    return (tags >= 2 and tags >= 0.6 * len(tokens)) or (len(tokens) == 1 and tags == 1)


_HERE = re.compile(r"\A(?:you are here|est[aá]s en|usted est[aá] en)\s{0,3}:\s{0,3}", re.IGNORECASE)
_BREADCRUMB_SEP = re.compile(r"\s{0,3}(?:›|»|>|→|/|\||::)\s{0,3}")


def breadcrumb_items(line: str) -> list[str] | None:
    """The items of "Home › Health › IMSS": short capitalised items between separators."""
    line = _HERE.sub("", line.strip())
    # One trail uses one separator: "Inflation > 5% in March / April" is a sentence fragment.
    if len({m.group(0).strip() for m in _BREADCRUMB_SEP.finditer(line)}) != 1:
        return None
    items = [i for i in _BREADCRUMB_SEP.split(line) if i.strip()]
    if len(items) < 2 or len(items) > 8:
        return None
    voc = vocabulary()
    root = voc.has(items[0].split()[0], "root")
    if len(items) < 3 and not root:
        return None
    for item in items[:-1]:
        words = item.split()
        if len(words) > 4 or re.search(r"[.!?;:]", item):
            return None
        if not words[0][:1].isupper():
            return None
    last = items[-1].split()
    # The last item may be the headline itself, but not a sentence.
    if len(last) > 16 or last[-1][-1:] in ".!":
        return None
    return items


_tags_re: re.Pattern[str] | None = None


def tag_list(line: str) -> bool:
    """A labelled list of tags: "Tags: IMSS, pensions, welfare", "Filed under: Economy | Mexico"."""
    global _tags_re
    if _tags_re is None:
        _tags_re = re.compile(
            r"(?:tags?|topics|keywords|categories|category|filed under|etiquetas?|temas|categor[ií]as?|"
            r"palabras clave|archivado en)\s{0,3}:\s{0,3}(?P<items>.{1,300})",
            re.IGNORECASE,
        )
    m = _tags_re.fullmatch(line.strip())
    if m is None:
        return False
    items = [i.strip() for i in re.split(r"\s{0,3}[,|;·•/#]\s{0,3}|\s{2,}", m.group("items")) if i.strip()]
    return bool(items) and all(len(i.split()) <= 5 and not re.search(r"[.!?]\Z", i) for i in items)
