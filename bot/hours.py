"""German free-text consultation hours -> OpenStreetMap ``opening_hours`` syntax.

County pages write hours in endless shapes ("Di 9-16Uhr, Do 9-16Uhr",
"montags bis donnerstags 8 bis 17 Uhr", "jeden 2. und 4. Mittwoch im Monat").
This module reads them with a small grammar instead of one pattern per example,
so shapes not seen yet still work:

1. the text is split into tokens: days, times, ordinals, connectors, words;
2. tokens are grouped into clauses: a day selector and what holds on those days
   (time spans, "bis 19 Uhr", "geschlossen", "nach Vereinbarung");
3. the clauses are applied to one schedule per weekday (so "Mo-Fr 8-12, Mo-Do 13-16"
   adds up instead of overriding);
4. the schedule is written as canonical OSM.

It never guesses. A word it does not know, an open end ("ab 18 Uhr"), a
fortnightly rhythm, clauses that contradict each other or an impossible time make
the whole text uncertain: ``osm`` is None and ``problems`` says why, and the
caller keeps the text as it is. Partial certainty is not certainty.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeGuard

import opening_hours

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_ALL_DAY = (0, 24 * 60)

_DAY_WORDS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        ("mo", "mon", "montag", "montags"),
        ("di", "dienstag", "dienstags"),
        ("mi", "mittwoch", "mittwochs"),
        ("do", "don", "donnerstag", "donnerstags"),
        ("fr", "fre", "freitag", "freitags"),
        ("sa", "sam", "samstag", "samstags", "sonnabend", "sonnabends"),
        ("so", "son", "sonntag", "sonntags"),
    )
):
    for _name in _names:
        _DAY_WORDS[_name] = _i

#: Words for several days at once. "werktags" is Monday to Saturday in German usage
#: (Saturday is a Werktag by law, e.g. BUrlG § 3); "wochentags" is Monday to Friday.
_DAY_GROUPS: dict[str, tuple[int, ...]] = {
    "werktags": (0, 1, 2, 3, 4, 5),
    "werktag": (0, 1, 2, 3, 4, 5),
    "wochentags": (0, 1, 2, 3, 4),
    "täglich": (0, 1, 2, 3, 4, 5, 6),
    "taeglich": (0, 1, 2, 3, 4, 5, 6),
    "wochenende": (5, 6),
    "wochenenden": (5, 6),
}

_GENERAL = "Sprechzeit"
#: What kind of hours a label names. Texts that mix kinds ("Ausgabe Di 10-13,
#: telefonisch Mo 9-11") describe different services and are not merged into one.
_LABELS: dict[str, str] = {
    **dict.fromkeys(
        (
            "sprechstunde", "sprechstunden", "sprechzeit", "sprechzeiten", "sprechstundenzeiten",
            "öffnungszeit", "öffnungszeiten", "oeffnungszeiten", "geöffnet", "geoeffnet", "offen",
            "bürozeit", "bürozeiten", "buerozeiten", "servicezeit", "servicezeiten", "beratung",
            "beratungszeit", "beratungszeiten", "zeiten", "besetzt",
        ),
        _GENERAL,
    ),
    **dict.fromkeys(("telefonisch", "telefon", "telefonzeit", "telefonzeiten", "erreichbar"), "Telefon"),
    **dict.fromkeys(("persönlich", "persoenlich"), "persönlich"),
    **dict.fromkeys(("ausgabe", "ausgabezeit", "ausgabezeiten", "lebensmittelausgabe"), "Ausgabe"),
}

#: Words that carry no time information and may be skipped safely.
_FILLER = {
    "uhr", "h", "jeden", "jede", "jeder", "jedem", "immer", "von", "am", "an", "den", "der", "die", "das",
    "zur", "jeweils", "auch", "zusätzlich", "außerdem", "ausserdem", "regelmäßig", "ganzjährig",
}

#: Words that make a time vague; named in the problem so the admin sees why.
_VAGUE: dict[str, str] = {
    **dict.fromkeys(
        ("vormittags", "vormittag", "nachmittags", "nachmittag", "abends", "morgens", "mittags",
         "nachts", "tagsüber", "ganztags", "ganztägig", "früh", "spät"),
        "ungefähre Tageszeit statt Uhrzeit",
    ),
    **dict.fromkeys(("ca.", "ca", "circa", "etwa", "gegen", "ungefähr"), "ungefähre Uhrzeit"),
    **dict.fromkeys(
        ("ferien", "schulferien", "sommer", "winter", "sommerpause", "saison", "urlaub", "derzeit",
         "zurzeit", "momentan", "aktuell", "vorübergehend", "wieder", "ausnahme", "ausnahmen"),
        "gilt nur zeitweise oder ändert sich",
    ),
    "oder": "Alternative ist nicht eindeutig",
}

_APPOINTMENT = re.compile(
    r"(?:\b(?:oder|bzw)\.?\s+)?"
    r"(?:(?:termine?|beratung|gespräche?)\s+)?(?:auch\s+)?(?:nur\s+)?(?:nach|mit|per)\s+"
    r"(?:vorheriger\s+|telefonischer\s+|tel\.\s*|telef\.\s*|telefon\.\s*|individueller\s+)?"
    r"(?:vereinbarung|vereinb\.|absprache|terminvereinbarung|terminabsprache|termin|anmeldung|voranmeldung)"
    r"|\bn\.\s?v\.(?!\w)"
    r"|\b(?:telefonische\s+)?(?:termin)?(?:vor)?anmeldung\s+(?:ist\s+)?(?:erforderlich|erbeten|erwünscht|notwendig)"
    r"|\b(?:telefonische\s+)?terminvereinbarung(?:\s+(?:ist\s+)?(?:erforderlich|erbeten|erwünscht|notwendig))?"
    r"|\bterminvergabe"
    r"|\btermine\s+(?:nach|auf)\s+anfrage"
    r"|\btermine\s+(?:sind\s+)?auch\s+außerhalb\s+(?:der|dieser)\s+(?:sprech|öffnungs)zeiten(?:\s+möglich)?",
    re.IGNORECASE,
)
_APPT = "appt"

_ALWAYS_CORE = re.compile(
    r"rund\s+um\s+die\s+uhr|tag\s+und\s+nacht|24\s*/\s*7|24\s+stunden(?:\s+am\s+tag)?|"
    r"(?:an\s+)?365\s+tagen?(?:\s+im\s+jahr)?|(?:auch\s+)?(?:an\s+)?sonn-\s*und\s+feiertag(?:en|e)",
    re.IGNORECASE,
)
#: What may stand around "rund um die Uhr" without adding time information.
_ALWAYS_REST = {"erreichbar", "geöffnet", "besetzt", "täglich", "und", "auch", "immer", "durchgehend"}

_RHYTHM = re.compile(
    r"14[\s-]*tägig\w*|vierzehntägig\w*|zweiwöchentlich\w*|alle\s+(?:zwei|2|drei|3|vier|4)\s+wochen|"
    r"(?:un)?gerade[nr]?\s+(?:kalender)?wochen?|jede\s+zweite\s+woche|im\s+wechsel",
    re.IGNORECASE,
)
_OPEN_END = re.compile(r"\bab\s+(?>\d{1,2}(?:[:.]\d{2})?(?:\s*uhr)?)(?!\s*(?:-|–|—|bis\b))", re.IGNORECASE)
_DATE = re.compile(r"\b\d{1,2}\.\s?(?:0?[1-9]|1[0-2])\.(?!\d)|\b(?:januar|februar|märz|april|mai|juni|juli|"
                   r"august|september|oktober|november|dezember)\b", re.IGNORECASE)

_ORDINALS = {
    "ersten": 1, "erster": 1, "erste": 1, "zweiten": 2, "zweiter": 2, "dritten": 3, "dritter": 3,
    "vierten": 4, "vierter": 4, "fünften": 5, "fuenften": 5, "letzten": -1, "letzter": -1,
}

#: Words that must not hide in a dropped place remark.
_NOT_PLACE = {
    *_DAY_WORDS, *_DAY_GROUPS, *_VAGUE, *_ORDINALS,
    "geschlossen", "zu", "nur", "bis", "ab", "uhr", "außer", "ausser", "nicht", "keine", "termin", "termine",
}

#: A place remark such as "im Rathaus" or "(in der Beratungsstelle, Raum 2.14)". It is
#: dropped only when its head noun is certainly a place, never a time ("im Monat",
#: "in den Ferien" do not end in a place word; "im Zeitraum" is refused by _TIME_NOUN).
_PLACE_NOUN = (
    r"[\wäöüß-]*(?:haus|häuser|amt|zentrum|stelle|büro|buero|raum|räumen|saal|treff|gebäude|verwaltung|"
    r"halle|schule|kirche|gemeinde|heim|hof|platz|straße|strasse|zimmer|etage|geschoss|bibliothek|kita|"
    r"laden|café|cafe|praxis|klinik|werkstatt|garten|markt|filiale)"
)
_PLACE = (
    r"(?:(?:im|in\s+der|in\s+den|in\s+dem|in|beim|bei\s+der|bei\s+dem|bei)\s+"
    r"(?:[\wäöüß.-]+\s+){0,3}" + _PLACE_NOUN + r"\b(?:\s+[\wäöüß-]+){0,3}"
    r"|(?:raum|zimmer|zi\.)\s+[\w./-]*\d[\w./-]*|vor\s+ort)"
)
_PLACES = _PLACE + r"(?:\s*,?\s*" + _PLACE + r")*"
_PLACE_IN_PARENS = re.compile(r"\(\s*(" + _PLACES + r")\s*\)", re.IGNORECASE)
_PLACE_AT_END = re.compile(r"(?:^|\s)(" + _PLACES + r")\s*$", re.IGNORECASE)
_TIME_NOUN = re.compile(r"zeit|ferien|monat|woche|jahr|sommer|winter|feiertag", re.IGNORECASE)

_TOKEN = re.compile(
    r"(?P<ord>[1-5]\.)(?=\s*(?:und\b|u\.|,|/|\+|&|[a-zäöü]))"
    r"|(?P<time>\d{1,2}(?:[:.]\d{2})?)"
    r"|(?P<range>-|bis\b)"
    r"|(?P<list>,|\+|&|/|\bund\b|\bu\.|\bsowie\b)"
    r"|(?P<semi>;|\||\.)"
    r"|(?P<word>[a-zäöüß]+\.?)",
    re.IGNORECASE,
)


@dataclass
class ParsedHours:
    """The reading of one hours text."""

    #: OSM opening_hours string, or None when the text could not be read with certainty.
    osm: str | None
    #: "nach Vereinbarung", "Termin", ...: appointments possible or required.
    by_appointment: bool = False
    #: Why the text could not be read with certainty (German, for admins).
    problems: list[str] = field(default_factory=list)
    #: Parts left out of ``osm`` because they are certainly not about time
    #: ("im Rathaus"); the renderer should show them with the hours.
    remarks: list[str] = field(default_factory=list)


class _Uncertain(Exception):
    """The text cannot be read with certainty; the message says why (German)."""


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str


Span = tuple[int, int]


# --- text -> tokens ----------------------------------------------------------------------


def _split_place_remarks(text: str) -> tuple[str, list[str]]:
    """Cut place remarks out: in parentheses anywhere, or at the end of a comma/semicolon segment."""
    remarks: list[str] = []

    def cut(match: re.Match[str]) -> str:
        words = {w.rstrip(".") for w in re.findall(r"[a-zäöüß.]+", match.group(1).lower())}
        if _TIME_NOUN.search(match.group(1)) or words & _NOT_PLACE:
            return match.group()
        remarks.append(match.group(1).strip())
        return " "

    text = _PLACE_IN_PARENS.sub(cut, text)
    parts = re.split(r"([,;])", text)
    for index in range(0, len(parts), 2):
        match = _PLACE_AT_END.search(parts[index])
        # The first segment must keep some hours; later ones may be only a place ("..., Zimmer 112").
        if match and (index or parts[index][: match.start()].strip()):
            parts[index] = _PLACE_AT_END.sub(cut, parts[index])
    return "".join(parts), remarks


def _normalise(text: str) -> str:
    text = re.sub("[\u2010-\u2015\u2212]", "-", text).replace("\u00a0", " ")
    text = re.sub(r"[()\[\]]", " ", text)
    text = re.sub(r"(\d)\s*uhr\b", r"\1 uhr", text, flags=re.IGNORECASE)
    # "Sonn- und Feiertage", "Sonn-/Feiertags": elided compounds.
    text = re.sub(r"\bsonn-\s*(?:und|/|u\.)\s*feiertag\w*", " so ph ", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(?:an\s+)?feiertag(?:e|en|s)?\b", " ph ", text, flags=re.IGNORECASE)
    text = re.sub(r"\bim\s+monat\b|\bdes\s+monats\b|\bmonatlich\b", " monat ", text, flags=re.IGNORECASE)
    # "Montag:" -> "Montag"; a colon inside a time stays.
    return re.sub(r"(?<=[a-zäöüß.])\s*:", " ", text, flags=re.IGNORECASE)


def _several_day_groups(tokens: list[_Tok]) -> bool:
    """Days named again after a time: "Mo 9-12, Di 9-12" (a label after that belongs to which?)."""
    seen_time = False
    for tok in tokens:
        if tok.kind == "time":
            seen_time = True
        elif seen_time and tok.kind == "word" and (tok.text in _DAY_WORDS or tok.text in _DAY_GROUPS):
            return True
    return False


def _tokenize(text: str) -> list[_Tok]:
    """Tokens without filler and label words.

    Labels ("Sprechzeit", "telefonisch", "Ausgabe") are checked here: two kinds in
    one text, or a special kind introducing later hours ("Mo-Fr 9-12, telefonisch
    Mo-Do 8-16"), mean the text describes several services, which are not merged.
    """
    tokens: list[_Tok] = []
    kinds: set[str] = set()
    special_after_hours = False
    pos = 0
    for match in _TOKEN.finditer(text):
        gap = text[pos : match.start()]
        if gap.strip():
            raise _Uncertain(f"unbekanntes Zeichen {gap.strip()!r}")
        pos = match.end()
        kind, value = match.lastgroup or "", match.group().lower()
        if kind == "word":
            value = value.rstrip(".")
            if value in _LABELS:
                kinds.add(_LABELS[value])
                special = _LABELS[value] != _GENERAL and any(t.kind == "time" for t in tokens)
                if special and _several_day_groups(tokens):
                    raise _Uncertain(f"unklar, für welche Tage {value!r} gilt")
                special_after_hours |= special
                continue
            if value in _FILLER:
                continue
        elif kind == "time" and special_after_hours:
            raise _Uncertain("verschiedene Arten von Zeiten (z. B. persönlich und telefonisch) in einem Text")
        tokens.append(_Tok(kind, value))
    if text[pos:].strip(" .\t\n"):
        raise _Uncertain(f"unbekanntes Zeichen {text[pos:].strip()!r}")
    # A vague word is the best explanation even when other words are unknown too.
    for tok in tokens:
        if tok.kind == "word" and tok.text in _VAGUE:
            raise _Uncertain(f"{_VAGUE[tok.text]} ({tok.text!r})")
    if len(kinds) > 1:
        raise _Uncertain(f"verschiedene Arten von Zeiten ({', '.join(sorted(kinds))}) in einem Text")
    return tokens


def _minutes(text: str) -> int:
    hours, _, minutes = text.replace(".", ":").partition(":")
    value = int(hours) * 60 + int(minutes or 0)
    if int(hours) > 24 or int(minutes or 0) > 59 or value > 24 * 60:
        raise _Uncertain(f"unmögliche Uhrzeit {text!r}")
    return value


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _span(start: int, end: int) -> Span:
    if end == 0:
        end = 24 * 60  # "18-0 Uhr": until midnight
    if end <= start:
        raise _Uncertain(f"Zeitspanne {_fmt(start)}-{_fmt(end)} endet nicht nach dem Beginn (über Mitternacht?)")
    return (start, end)


# --- tokens -> clauses -------------------------------------------------------------------


@dataclass
class _Clause:
    """Days (or holidays, or the n-th weekday of the month) and what holds on them."""

    days: list[int] = field(default_factory=list)
    ph: bool = False
    nth: list[int] = field(default_factory=list)
    monthly: bool = False
    spans: list[Span] = field(default_factory=list)
    #: "Di bis 19 Uhr": the day's hours end at this time instead.
    until: int | None = None
    closed: bool = False
    #: "nur": these spans replace the day's earlier ones.
    only: bool = False
    #: "Mittagspause 12-13 Uhr": taken out of the clause's spans.
    breaks: list[Span] = field(default_factory=list)
    appointment: bool = False
    #: Days named only through a range or group ("Mo-Fr", "werktags").
    ranged: set[int] = field(default_factory=set)
    except_days: list[int] = field(default_factory=list)
    except_ph: bool = False
    #: Times came before the days ("9-12 Uhr Mo-Fr").
    days_after_times: bool = False

    def has_body(self) -> bool:
        return bool(self.spans or self.until is not None or self.closed or self.appointment)

    def appointment_only(self) -> bool:
        """ "Mi nach Vereinbarung": no fixed hours on these days."""
        return self.appointment and not (self.spans or self.closed or self.until is not None)

    def is_empty(self) -> bool:
        return not (self.days or self.ph or self.nth or self.has_body())


def _is_day(tok: _Tok | None) -> TypeGuard[_Tok]:
    return tok is not None and tok.kind == "word" and (tok.text in _DAY_WORDS or tok.text in _DAY_GROUPS or tok.text == "ph")


def _is_ordinal(tok: _Tok | None) -> TypeGuard[_Tok]:
    return tok is not None and (tok.kind == "ord" or (tok.kind == "word" and tok.text in _ORDINALS))


class _Reader:
    """Reads clauses from tokens, one token at a time, raising :class:`_Uncertain` on doubt."""

    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.i = 0
        self.clauses: list[_Clause] = []
        self.clause = _Clause()
        #: Reading the days after "außer": before the clause's times, or after them.
        self.excepting: str | None = None
        self.between = False

    def peek(self, ahead: int = 0) -> _Tok | None:
        index = self.i + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def finish(self) -> None:
        clause = self.clause
        self.clause = _Clause()
        self.excepting = None
        if clause.is_empty() or (clause.appointment_only() and not (clause.days or clause.ph)):
            return  # nothing, or "Termine nach Vereinbarung" on its own
        if clause.nth and not clause.monthly:
            raise _Uncertain("'jeden 2. ...' ohne 'im Monat': monatlich oder jede zweite Woche?")
        if not (clause.days or clause.ph):
            raise _Uncertain("Uhrzeit ohne Tag")
        if not clause.has_body():
            raise _Uncertain(f"Tag ohne Uhrzeit ({', '.join(_DAY_DE[d] for d in clause.days) or 'Feiertage'})")
        for pause in clause.breaks:
            clause.spans = _without(clause.spans, pause)
        self.clauses.append(clause)

    def read(self) -> list[_Clause]:
        while (tok := self.peek()) is not None:
            if _is_day(tok) or _is_ordinal(tok):
                self.day_item()
            elif tok.kind == "time":
                self.time_span()
            elif tok.kind == "range":
                self.range_word()
            elif tok.kind in ("list", "semi"):
                if tok.kind == "semi" or tok.text == ",":
                    self.excepting = None if self.excepting == "after" else self.excepting
                self.i += 1
            else:
                self.word(tok.text)
        self.finish()
        return self.clauses

    def day_item(self) -> None:
        clause = self.clause
        starts_new = clause.has_body() and (clause.days or clause.ph) and self.excepting != "after"
        if clause.days_after_times or starts_new:
            self.finish()
            clause = self.clause
        nth: list[int] = []
        while _is_ordinal(tok := self.peek()) or (nth and tok is not None and tok.kind == "list"):
            if tok.kind == "ord":
                nth.append(int(tok.text.rstrip(".")))
            elif tok.kind == "word":
                nth.append(_ORDINALS[tok.text])
            self.i += 1
        tok = self.peek()
        if not _is_day(tok) or (tok.text == "ph" and nth):
            raise _Uncertain("Ordnungszahl ohne Wochentag")
        days = self.day_range(tok)
        if self.excepting:
            if nth:
                raise _Uncertain("'außer' mit Ordnungszahl")
            clause.except_days.extend(days)
            clause.except_ph = clause.except_ph or tok.text == "ph"
            return
        if nth or clause.nth:
            if clause.days or clause.ph or len(days) != 1:
                raise _Uncertain("'jeden n-ten ... im Monat' mit mehreren Tagen")
            clause.nth = nth
        if tok.text == "ph":
            clause.ph = True
        else:
            if clause.spans and not clause.days:
                clause.days_after_times = True
            clause.days.extend(days)
            if len(days) > 1:
                clause.ranged.update(days)

    def day_range(self, tok: _Tok) -> list[int]:
        """One day, a day group, or a day range "Mo-Fr" / "montags bis donnerstags"."""
        self.i += 1
        if tok.text == "ph":
            return []
        if tok.text in _DAY_GROUPS:
            return list(_DAY_GROUPS[tok.text])
        start = _DAY_WORDS[tok.text]
        dash, end_tok = self.peek(), self.peek(1)
        if dash is None or dash.kind != "range" or end_tok is None or end_tok.text not in _DAY_WORDS:
            return [start]
        self.i += 2
        end = _DAY_WORDS[end_tok.text]
        # A range may wrap over the weekend ("Fr-Mo").
        return [(start + k) % 7 for k in range((end - start) % 7 + 1)]

    def time_span(self) -> None:
        clause = self.clause
        if clause.days_after_times:
            raise _Uncertain("unklar, zu welchem Tag die Uhrzeit gehört")
        if clause.closed or clause.until is not None or self.excepting == "after" or clause.breaks:
            raise _Uncertain("unklar, wozu die Uhrzeit gehört")
        self.excepting = None
        start = _minutes(self.tokens[self.i].text)
        self.i += 1
        dash, end = self.peek(), self.peek(1)
        is_range = dash is not None and (dash.kind == "range" or (self.between and dash.text == "und"))
        if end is not None and end.kind == "ord":
            end = _Tok("time", end.text.rstrip("."))  # "Mo 9-12. Di ...": a time before a full stop
        if not is_range or end is None or end.kind != "time":
            raise _Uncertain(f"Uhrzeit ohne Ende ({_fmt(start)})")
        clause.spans.append(_span(start, _minutes(end.text)))
        self.between = False
        self.i += 2

    def range_word(self) -> None:
        nxt = self.peek(1)
        clause = self.clause
        if self.tokens[self.i].text == "bis" and nxt is not None and nxt.kind == "time":
            # "Di und Do bis 19 Uhr": the day's hours end at another time.
            if not (clause.days or clause.ph) or clause.spans or clause.closed:
                raise _Uncertain("'bis ...' ohne Beginn")
            clause.until = _minutes(nxt.text)
            self.i += 2
            return
        if clause.days and not clause.has_body():
            # A dash after a day that starts no day range is a separator
            # ("jeden Dienstag – immer von 14 bis 15 Uhr").
            self.i += 1
            return
        raise _Uncertain("Bindestrich ohne Zusammenhang")

    def pause(self, word: str) -> None:
        """ "Mittagspause 12-13 Uhr" right after the hours it interrupts."""
        clause = self.clause
        start, dash, end = self.peek(), self.peek(1), self.peek(2)
        if start is None or start.kind != "time" or dash is None or dash.kind != "range" or end is None \
                or end.kind not in ("time", "ord"):
            raise _Uncertain(f"'{word}' ohne Uhrzeit")
        if self.clauses or not clause.spans or clause.until is not None:
            raise _Uncertain(f"unklar, für welche Tage die {word.title()} gilt")
        clause.breaks.append(_span(_minutes(start.text), _minutes(end.text.rstrip("."))))
        self.i += 3

    def word(self, word: str) -> None:
        clause = self.clause
        self.i += 1
        if word == _APPT:
            clause.appointment = True
        elif word in ("mittagspause", "pause", "mittagszeit"):
            self.pause(word)
        elif word in ("geschlossen", "zu", "keine", "nicht", "ruhetag", "ruhetage"):
            if not (clause.days or clause.ph) or clause.spans or clause.until is not None:
                raise _Uncertain(f"'{word}' ohne Tag")
            clause.closed = True
        elif word in ("außer", "ausser", "ausgenommen"):
            if not (clause.days or clause.ph):
                raise _Uncertain("'außer' ohne Tage")
            self.excepting = "after" if clause.has_body() else "before"
        elif word == "nur":
            clause.only = True
        elif word == "zwischen":
            self.between = True
        elif word == "monat":
            if not clause.nth:
                raise _Uncertain("'im Monat' ohne Angabe, der wievielte Tag")
            clause.monthly = True
        else:
            raise _Uncertain(f"unbekanntes Wort {word!r}{_typo_hint(word)}")


def _typo_hint(word: str) -> str:
    """ " (Tippfehler für 'Montag'?)" when an unknown word is one slip away from a day name."""
    names = [n for n in _DAY_WORDS if len(n) >= 6]
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.8) if len(word) >= 5 else []
    return f" (Tippfehler für {close[0].title()!r}?)" if close else ""


def _without(spans: list[Span], pause: Span) -> list[Span]:
    """The spans with a break taken out; the break must lie inside one of them."""
    start, end = pause
    for i, (s, e) in enumerate(spans):
        if s < start and end < e:
            return [*spans[:i], (s, start), (end, e), *spans[i + 1:]]
    raise _Uncertain(f"Mittagspause {_fmt(start)}-{_fmt(end)} liegt nicht innerhalb der Zeiten {_times(spans)}")


# --- clauses -> schedule -------------------------------------------------------------------


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _covers(outer: list[Span], inner: list[Span]) -> bool:
    return all(any(a <= s and e <= b for a, b in outer) for s, e in inner)


def _overlaps(one: list[Span], other: list[Span]) -> bool:
    return any(s < b and a < e for s, e in one for a, b in other)


@dataclass
class _Schedule:
    """Hours per weekday, per n-th weekday of the month, and on public holidays."""

    weekly: dict[int, list[Span]] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)
    monthly: dict[tuple[int, tuple[int, ...]], list[Span]] = field(default_factory=dict)
    #: None: the text says nothing; []: closed on public holidays.
    holiday: list[Span] | None = None
    #: Days whose hours come only from a range or group; a later clause naming the day
    #: may narrow them ("Mo-Fr 8-16, Fr 8-12") or close it ("Mo-Sa 9-12, Mi geschlossen").
    loose: set[int] = field(default_factory=set)

    def apply(self, clause: _Clause) -> None:
        if clause.appointment_only():
            return
        days = [d for d in dict.fromkeys(clause.days) if d not in clause.except_days]
        if clause.except_ph:
            self._holiday(clause, closed=True)
        if clause.ph:
            self._holiday(clause, closed=clause.closed)
        if clause.nth:
            if clause.closed or clause.until is not None:
                raise _Uncertain("'geschlossen'/'bis' an einem n-ten Wochentag")
            key = (days[0], tuple(sorted(set(clause.nth))))
            self.monthly[key] = _merge(self.monthly.get(key, []) + clause.spans)
            return
        for day in days:
            self._day(day, clause)

    def _holiday(self, clause: _Clause, closed: bool) -> None:
        new = [] if closed else _merge(clause.spans)
        if self.holiday is None or self.holiday == new:
            self.holiday = new
        elif new and self.holiday and not _overlaps(new, self.holiday):
            self.holiday = _merge(self.holiday + new)
        else:
            raise _Uncertain("widersprüchliche Angaben für Feiertage")

    def _day(self, day: int, clause: _Clause) -> None:
        name = _DAY_DE[day]
        existing = self.weekly.get(day, [])
        loose = day in self.loose
        if day in clause.ranged and (loose or not existing):
            self.loose.add(day)
        else:
            self.loose.discard(day)
        if clause.closed:
            if existing and not loose:
                raise _Uncertain(f"{name} ist zugleich offen und geschlossen")
            self.weekly.pop(day, None)
            self.closed.add(day)
            return
        if day in self.closed:
            raise _Uncertain(f"{name} ist zugleich offen und geschlossen")
        if clause.until is not None:
            kept = [(s, e) for s, e in existing if s < clause.until]
            if not kept:
                raise _Uncertain(f"'bis {_fmt(clause.until)}' ohne Beginn am {name}")
            kept[-1] = (kept[-1][0], clause.until)
            self.weekly[day] = kept
            return
        new = _merge(clause.spans)
        if clause.only or _covers(new, existing) or (loose and _covers(existing, new)):
            # "nur"; the same or longer hours ("Di 9-19"); a range narrowed for one day.
            self.weekly[day] = new
        elif not _overlaps(new, existing):
            self.weekly[day] = _merge(existing + new)  # more hours ("Di auch 14-18")
        else:
            raise _Uncertain(f"widersprüchliche Zeiten am {name} ({_times(existing)} und {_times(new)})")


# --- schedule -> canonical OSM -----------------------------------------------------------


def _day_parts(days: list[int]) -> list[str]:
    """Weekday indexes as OSM selector items: runs of three or more become ranges."""
    days = sorted(set(days))
    parts: list[str] = []
    start = prev = days[0]
    for day in [*days[1:], None]:
        if day is not None and day == prev + 1:
            prev = day
            continue
        if prev - start >= 2:
            parts.append(f"{DAYS[start]}-{DAYS[prev]}")
        else:
            parts.extend(DAYS[d] for d in range(start, prev + 1))
        if day is not None:
            start = prev = day
    return parts


def _times(spans: list[Span]) -> str:
    return ",".join(f"{_fmt(s)}-{_fmt(e)}" for s, e in spans)


def _base_group(groups: dict[tuple[Span, ...], list[int]], schedule: _Schedule) -> tuple[Span, ...] | None:
    """A group that may be written over its whole day range because later rules override the gaps.

    "Mo-Fr 9-17, Di und Do bis 19" reads best as "Mo-Fr 09:00-17:00; Tu,Th 09:00-19:00":
    the scattered group Mo,We,Fr becomes Mo-Fr when every day in between is
    either explicitly closed or open at least as long (a later rule replaces it).
    """
    for spans, days in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if len(days) < 3 or len(_day_parts(days)) < 2:
            continue  # "We,Fr" reads better than "We-Fr ...; Th ..."
        gaps = set(range(min(days), max(days) + 1)) - set(days)
        if all(d in schedule.closed or (_covers(schedule.weekly.get(d, []), list(spans)) and schedule.weekly.get(d))
               for d in gaps):
            return spans
    return None


def _to_osm(schedule: _Schedule) -> str:
    weekly = {d: _merge(s) for d, s in schedule.weekly.items() if s}
    if not weekly and not schedule.monthly and not schedule.holiday and (schedule.closed or schedule.holiday == []):
        # "Mo geschlossen" alone: in OSM every day without a rule is closed too, so
        # "Mo off" would tell people on a Tuesday that the office is closed.
        raise _Uncertain("nur geschlossene Tage genannt, keine Öffnungszeiten (an den anderen Tagen unbekannt)")
    if (len(weekly) == 7 and all(s == [_ALL_DAY] for s in weekly.values())
            and not schedule.monthly and not schedule.holiday and schedule.holiday != []):
        return "24/7"
    groups: dict[tuple[Span, ...], list[int]] = {}
    for day in sorted(weekly):
        groups.setdefault(tuple(weekly[day]), []).append(day)
    base = _base_group(groups, schedule)
    rules: list[str] = []
    if base is not None:
        days = groups.pop(base)
        rules.append(f"{DAYS[min(days)]}-{DAYS[max(days)]} {_times(list(base))}")
    for spans, days in sorted(groups.items(), key=lambda kv: kv[1][0]):
        rules.append(f"{','.join(_day_parts(days))} {_times(list(spans))}")
    if schedule.closed:
        rules.append(f"{','.join(_day_parts(sorted(schedule.closed)))} off")
    monthly: dict[tuple[tuple[int, ...], tuple[Span, ...]], list[int]] = {}
    for (day, nth), day_spans in schedule.monthly.items():
        # A later rule replaces the weekday's hours, so the weekly ones are repeated in it.
        monthly.setdefault((nth, tuple(_merge(day_spans + weekly.get(day, [])))), []).append(day)
    for (nth, spans), days in sorted(monthly.items(), key=lambda kv: kv[1][0]):
        nth_text = ",".join(str(n) for n in nth)
        rules.append(f"{','.join(f'{DAYS[d]}[{nth_text}]' for d in sorted(days))} {_times(list(spans))}")
    if schedule.holiday is not None:
        rules.append(f"PH {_times(schedule.holiday)}" if schedule.holiday else "PH off")
    if not rules:
        raise _Uncertain("keine Zeiten gefunden")
    return "; ".join(rules)


# --- the public function -----------------------------------------------------------------


def _always_open(text: str) -> bool:
    """ "rund um die Uhr erreichbar", "24/7", "Tag und Nacht, auch an Sonn- und Feiertagen"."""
    if not _ALWAYS_CORE.search(text) or not re.search(r"rund|nacht|24", text, re.IGNORECASE):
        return False
    rest = _ALWAYS_CORE.sub(" ", text)
    words = re.findall(r"[^\s,.;:()]+", rest.lower())
    return all(w in _ALWAYS_REST or w in _LABELS for w in words)


def _prechecks(text: str) -> list[str]:
    """Shapes known to be uncertain, with a reason an admin understands."""
    problems = []
    if match := _RHYTHM.search(text):
        problems.append(f"Rhythmus ({match.group()!r}) lässt sich ohne Bezugswoche nicht sicher angeben")
    if match := _OPEN_END.search(text):
        problems.append(f"offenes Ende ({match.group().strip()!r}): wann endet die Zeit?")
    if match := _DATE.search(text):
        problems.append(f"Datum ({match.group()!r}): gilt nur an bestimmten Tagen im Jahr")
    return problems


def parse_hours(text: str) -> ParsedHours:
    """Read a German hours text; return the OSM form only when the reading is certain."""
    if not text or not text.strip():
        return ParsedHours(osm=None)
    by_appointment = bool(_APPOINTMENT.search(text))
    rest = _APPOINTMENT.sub(f" {_APPT} ", text)
    if _always_open(rest.replace(_APPT, " ")):
        return ParsedHours(osm="24/7", by_appointment=by_appointment)
    if problems := _prechecks(rest):
        return ParsedHours(None, by_appointment, problems)
    if not re.sub(rf"\b(?:{_APPT}|und|oder|sowie|nur|auch|möglich|jederzeit)\b|[,;.:]", " ", rest).strip():
        return ParsedHours(osm=None, by_appointment=by_appointment)
    rest, remarks = _split_place_remarks(rest)
    try:
        tokens = _tokenize(_normalise(rest))
        schedule = _Schedule()
        for clause in _Reader(tokens).read():
            by_appointment = by_appointment or clause.appointment
            schedule.apply(clause)
        if schedule == _Schedule() and by_appointment:
            return ParsedHours(None, by_appointment, [], remarks)  # only "nach Vereinbarung"
        osm = _to_osm(schedule)
    except _Uncertain as exc:
        return ParsedHours(None, by_appointment, [str(exc)], remarks)
    if not opening_hours.validate(osm):
        return ParsedHours(None, by_appointment, [f"ergibt ungültiges OSM {osm!r}"], remarks)
    return ParsedHours(osm, by_appointment, [], remarks)


@lru_cache(maxsize=4096)
def contradiction(text: str, osm: str) -> str | None:
    """What ``osm`` says differently from the hours ``text`` beside it (German, for admins), when the
    text can be read with certainty; None when they agree or the text cannot be read. Compared by the
    open times of each weekday, so "Di,Do" and "Tu,Th 09:00-16:00" written in other words agree."""
    read = parse_hours(text).osm
    if not read or read == osm:
        return None
    from bot.opening import day_name, week_spans  # holidays and babel load only for a difference

    said, stored = week_spans(read), week_spans(osm)
    if said is None or stored is None or said == stored:
        return None
    days = [day_name(i) for i in range(7) if said[i] != stored[i]]
    return (f"hours.osm {osm!r} widerspricht hours.text {text!r} (der Text ergibt {read!r}; "
            f"anders am {', '.join(days)}) – bitte prüfen, welche Angabe stimmt")
