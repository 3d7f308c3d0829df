"""German free-text consultation hours -> OpenStreetMap ``opening_hours`` syntax.

County pages write hours in endless shapes ("Di 9-16Uhr, Do 9-16Uhr",
"montags bis donnerstags 8 bis 17 Uhr", "jeden 2. und 4. Mittwoch im Monat").
This module tokenizes the text into days, times and connectors and reads it with
a small grammar instead of one pattern per example, so shapes not seen yet
still work. It never guesses: a word it does not know, an open end ("ab 18 Uhr"),
a fortnightly rhythm or an impossible time makes the whole text "uncertain",
and the caller keeps it as plain text.

The result is canonical OSM: the hours are collected per weekday first and then
grouped ("Mo-Th 08:00-12:00,13:00-16:00; Fr 08:00-12:00"), so overlapping
phrases ("Mo-Fr 8-12, Mo-Do 13-16") add up instead of overriding each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import opening_hours

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

_DAY_WORDS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        ("mo", "mon", "montag", "montags"),
        ("di", "die", "dienstag", "dienstags"),
        ("mi", "mit", "mittwoch", "mittwochs"),
        ("do", "don", "donnerstag", "donnerstags"),
        ("fr", "fre", "freitag", "freitags"),
        ("sa", "sam", "samstag", "samstags", "sonnabend", "sonnabends"),
        ("so", "son", "sonntag", "sonntags"),
    )
):
    for _name in _names:
        _DAY_WORDS[_name] = _i

#: Words for several days at once. "werktags" is Monday to Saturday in German usage
#: (Saturday is a Werktag by law), "wochentags" Monday to Friday.
_DAY_GROUPS: dict[str, tuple[int, ...]] = {
    "werktags": (0, 1, 2, 3, 4, 5),
    "werktag": (0, 1, 2, 3, 4, 5),
    "wochentags": (0, 1, 2, 3, 4),
    "täglich": (0, 1, 2, 3, 4, 5, 6),
    "taeglich": (0, 1, 2, 3, 4, 5, 6),
    "wochenende": (5, 6),
}

#: Words that carry no time information and may be skipped safely.
_FILLER = {
    "uhr", "jeden", "jede", "jeder", "immer", "von", "am", "an", "den", "der", "die", "das", "zu", "zur",
    "sowie", "jeweils", "und", "geöffnet", "geoeffnet", "offen", "erreichbar", "sprechstunde",
    "sprechstunden", "sprechzeit", "sprechzeiten", "öffnungszeit", "öffnungszeiten", "oeffnungszeiten",
    "bürozeit", "bürozeiten", "buerozeiten", "beratung", "beratungszeit", "beratungszeiten", "ausgabe",
    "ausgabezeit", "ausgabezeiten", "servicezeit", "servicezeiten", "telefonisch", "persönlich",
    "sprechstundenzeiten", "öffnung", "zeiten", "h",
}

_APPOINTMENT = re.compile(
    r"(?:(?:termine?|beratung|gespräche?)\s+)?(?:nur\s+)?(?:nach|mit|per)\s+"
    r"(?:vorheriger\s+|telefonischer\s+|individueller\s+)?"
    r"(?:vereinbarung|absprache|terminvereinbarung|termin|anmeldung|voranmeldung)"
    r"|terminvergabe|termine\s+(?:nach|auf)\s+anfrage|nach\s+terminabsprache",
    re.IGNORECASE,
)
_ALWAYS = re.compile(
    r"^\s*(?:rund\s+um\s+die\s+uhr|tag\s+und\s+nacht|24\s*/\s*7|24\s+stunden(?:\s+am\s+tag)?|"
    r"durchgehend|ganztägig\s+und\s+ganzjährig)(?:\s+(?:erreichbar|geöffnet|besetzt|"
    r"(?:an\s+)?365\s+tagen(?:\s+im\s+jahr)?))*\s*$",
    re.IGNORECASE,
)
_RHYTHM = re.compile(
    r"14[\s-]*tägig|vierzehntägig|zweiwöchentlich|alle\s+(?:zwei|2|drei|3|vier|4)\s+wochen|"
    r"(?:un)?gerade[nr]?\s+(?:kalender)?wochen?|jede\s+zweite\s+woche",
    re.IGNORECASE,
)
_ORDINALS = {
    "1.": 1, "2.": 2, "3.": 3, "4.": 4, "5.": 5, "ersten": 1, "erster": 1, "erste": 1, "zweiten": 2,
    "zweiter": 2, "dritten": 3, "dritter": 3, "vierten": 4, "vierter": 4, "fünften": 5,
    "letzten": -1, "letzter": -1,
}

_TOKEN = re.compile(
    r"(?P<ord>[1-5]\.)(?=\s*(?:und\b|,|/|\+|&|[a-zäöü]))"
    r"|(?P<time>\d{1,2}(?:[:.]\d{2})?)"
    r"|(?P<range>-|bis\b)"
    r"|(?P<list>,|\+|&|/|\bund\b|\bsowie\b)"
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


class _Uncertain(Exception):
    pass


@dataclass
class _Tok:
    kind: str
    text: str


def _normalise(text: str) -> str:
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2012", "-").replace("\u2212", "-")
    text = text.replace("\u00a0", " ")
    text = re.sub(r"[()\[\]]", " ", text)
    text = re.sub(r"(\d)\s*uhr\b", r"\1 uhr", text, flags=re.IGNORECASE)
    text = re.sub(r"(\d)uhr", r"\1 uhr", text, flags=re.IGNORECASE)
    # "Sonn- und Feiertage", "Sonn-/Feiertags": elided compounds.
    text = re.sub(r"\bsonn-\s*(?:und|/|u\.)\s*feiertag\w*", " so ph ", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(?:an\s+)?feiertag(?:e|en|s)?\b", " ph ", text, flags=re.IGNORECASE)
    text = re.sub(r"\bim\s+monat\b|\bdes\s+monats\b|\bmonatlich\b", " monat ", text, flags=re.IGNORECASE)
    # "Montag:" -> "Montag"; a colon inside a time stays.
    text = re.sub(r"(?<=[a-zäöüß.])\s*:", " ", text, flags=re.IGNORECASE)
    return text


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        gap = text[pos : match.start()]
        if gap.strip():
            raise _Uncertain(f"unbekanntes Zeichen {gap.strip()!r}")
        pos = match.end()
        kind = match.lastgroup or ""
        tokens.append(_Tok(kind, match.group().lower()))
    if text[pos:].strip(" .\t\n"):
        raise _Uncertain(f"unbekanntes Zeichen {text[pos:].strip()!r}")
    return tokens


def _minutes(text: str) -> int:
    parts = re.split(r"[:.]", text)
    hours = int(parts[0])
    minutes = int(parts[1]) if len(parts) > 1 else 0
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise _Uncertain(f"unmögliche Uhrzeit {text!r}")
    return hours * 60 + minutes


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass
class _Rule:
    days: list[int] = field(default_factory=list)
    ph: bool = False
    nth: list[int] = field(default_factory=list)
    times: list[tuple[int | None, int]] = field(default_factory=list)
    closed: bool = False


def _parse_rules(tokens: list[_Tok]) -> tuple[list[_Rule], bool]:
    """Group tokens into rules of (days, times); return the rules and the appointment flag."""
    rules: list[_Rule] = []
    rule = _Rule()
    appointment = False
    i = 0
    pending_start: int | None = None
    expect_range_end = False
    monthly = False

    def close_rule() -> None:
        nonlocal rule
        if rule.days or rule.ph or rule.times or rule.closed:
            rules.append(rule)
        rule = _Rule()

    while i < len(tokens):
        tok = tokens[i]
        word = tok.text.rstrip(".") if tok.kind == "word" else tok.text
        if tok.kind == "word" and word == "appt":
            appointment = True
            if rule.days and not rule.times and not rule.closed:
                rule = _Rule()  # "Mi nach Vereinbarung": no fixed hours that day
            i += 1
            continue
        if tok.kind == "word" and (word in _DAY_WORDS or word in _DAY_GROUPS or word == "ph"):
            if rule.times or rule.closed:
                close_rule()
            if expect_range_end:
                raise _Uncertain("Zeitspanne ohne Ende")
            if word == "ph":
                rule.ph = True
            elif word in _DAY_GROUPS:
                rule.days.extend(_DAY_GROUPS[word])
            else:
                day = _DAY_WORDS[word]
                # A day range "Mo-Fr" / "montags bis donnerstags".
                if (
                    i + 2 < len(tokens)
                    and tokens[i + 1].kind == "range"
                    and tokens[i + 2].kind == "word"
                    and tokens[i + 2].text.rstrip(".") in _DAY_WORDS
                ):
                    end = _DAY_WORDS[tokens[i + 2].text.rstrip(".")]
                    if end < day:
                        raise _Uncertain("Tagesspanne rückwärts")
                    rule.days.extend(range(day, end + 1))
                    i += 3
                    continue
                rule.days.append(day)
            i += 1
            continue
        if tok.kind == "ord" and (expect_range_end or pending_start is not None):
            tok = _Tok("time", tok.text.rstrip("."))  # "Mo 9-5. Di ...": a time before a full stop
        if tok.kind == "ord" or (tok.kind == "word" and word in _ORDINALS):
            if rule.times or rule.closed:
                close_rule()
            rule.nth.append(_ORDINALS[tok.text if tok.kind == "ord" else word])
            i += 1
            continue
        if tok.kind == "word" and word == "monat":
            if not rule.nth:
                raise _Uncertain("'im Monat' ohne Angabe, der wievielte Tag")
            monthly = True
            i += 1
            continue
        if tok.kind == "word" and word in ("geschlossen", "zu", "keine"):
            if word == "zu" and not (rule.days or rule.ph) :
                i += 1
                continue
            if not (rule.days or rule.ph) or rule.times:
                raise _Uncertain("'geschlossen' ohne Tag")
            rule.closed = True
            i += 1
            continue
        if tok.kind == "word" and word == "ab":
            raise _Uncertain("offenes Ende ('ab ...'): wann endet die Zeit?")
        if tok.kind == "word" and word in _FILLER:
            i += 1
            continue
        if tok.kind == "word":
            raise _Uncertain(f"unbekanntes Wort {tok.text!r}")
        if tok.kind == "time":
            value = _minutes(tok.text)
            if expect_range_end:
                start = pending_start
                if start is not None and value <= start:
                    raise _Uncertain(f"Zeitspanne endet vor dem Beginn ({_fmt(start)}-{_fmt(value)})")
                if not (rule.days or rule.ph or rules):
                    raise _Uncertain("Uhrzeit ohne Tag")
                rule.times.append((start, value))
                expect_range_end = False
                pending_start = None
            else:
                if pending_start is not None:
                    raise _Uncertain("Uhrzeit ohne Ende")
                pending_start = value
            i += 1
            continue
        if tok.kind == "range":
            if expect_range_end:
                raise _Uncertain("doppelter Bindestrich")
            if pending_start is None:
                next_is_time = i + 1 < len(tokens) and tokens[i + 1].kind == "time"
                if not (tok.text == "bis" and next_is_time and rule.days):
                    # A dash after a day that starts no day range is a separator
                    # ("jeden Dienstag – immer von 14 bis 15 Uhr").
                    i += 1
                    continue
                # "Di und Do bis 19 Uhr": the end of an earlier span is moved.
            expect_range_end = True
            i += 1
            continue
        if tok.kind in ("list", "semi"):
            if pending_start is not None and not expect_range_end:
                raise _Uncertain("Uhrzeit ohne Ende")
            i += 1
            continue
        raise _Uncertain(f"unerwartet {tok.text!r}")
    if expect_range_end or pending_start is not None:
        raise _Uncertain("Zeitspanne ohne Ende")
    close_rule()
    if any(r.nth for r in rules) and not monthly:
        raise _Uncertain("Ordnungszahl ohne 'im Monat'")
    return rules, appointment


def _group_days(days: list[int]) -> str:
    days = sorted(set(days))
    parts: list[str] = []
    start = prev = days[0]
    for day in [*days[1:], None]:
        if day is not None and day == prev + 1:
            prev = day
            continue
        if prev - start >= 2:
            parts.append(f"{DAYS[start]}-{DAYS[prev]}")
        elif prev - start == 1:
            parts.extend([DAYS[start], DAYS[prev]])
        else:
            parts.append(DAYS[start])
        if day is not None:
            start = prev = day
    return ",".join(parts)


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(intervals)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _times(intervals: list[tuple[int, int]]) -> str:
    return ",".join(f"{_fmt(s)}-{_fmt(e)}" for s, e in intervals)


def _to_osm(rules: list[_Rule]) -> str:
    weekly: dict[int, list[tuple[int, int]]] = {}
    closed_days: set[int] = set()
    monthly: dict[tuple[int, tuple[int, ...]], list[tuple[int, int]]] = {}
    holiday: list[tuple[int, int]] | None = None
    for rule in rules:
        if not rule.days and not rule.ph:
            raise _Uncertain("Uhrzeit ohne Tag")
        if not rule.times and not rule.closed:
            raise _Uncertain("Tag ohne Uhrzeit")
        for start, end in rule.times:
            if start is None:
                # "bis 19 Uhr" extends the last span of each of these days.
                for day in rule.days:
                    if not weekly.get(day):
                        raise _Uncertain("'bis ...' ohne Beginn")
                    last = weekly[day][-1]
                    if end <= last[0]:
                        raise _Uncertain("'bis ...' vor dem Beginn")
                    weekly[day][-1] = (last[0], max(last[1], end))
        spans = [(s, e) for s, e in rule.times if s is not None]
        if rule.nth:
            if rule.ph or len(rule.days) != 1:
                raise _Uncertain("'jeden n-ten ... im Monat' mit mehreren Tagen")
            if rule.closed:
                raise _Uncertain("geschlossene Monatstage")
            monthly.setdefault((rule.days[0], tuple(sorted(set(rule.nth)))), []).extend(spans)
            continue
        if rule.ph:
            holiday = [] if rule.closed else (holiday or []) + spans
        for day in rule.days:
            if rule.closed:
                closed_days.add(day)
            else:
                weekly.setdefault(day, []).extend(spans)
    if closed_days & {d for d, spans in weekly.items() if spans}:
        raise _Uncertain("ein Tag ist zugleich offen und geschlossen")
    groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
    for day in sorted(weekly):
        spans = _merge(weekly[day])
        if spans:
            groups.setdefault(tuple(spans), []).append(day)
    parts = [f"{_group_days(days)} {_times(list(spans))}" for spans, days in sorted(groups.items(), key=lambda kv: kv[1][0])]
    if closed_days:
        parts.append(f"{_group_days(sorted(closed_days))} off")
    for (day, nth), spans in sorted(monthly.items()):
        if day in weekly:
            raise _Uncertain("wöchentliche und monatliche Zeiten am selben Tag")
        nth_text = ",".join(str(n) for n in nth)
        parts.append(f"{DAYS[day]}[{nth_text}] {_times(_merge(spans))}")
    if holiday is not None:
        parts.append(f"PH {_times(_merge(holiday))}" if holiday else "PH off")
    if not parts:
        raise _Uncertain("keine Zeiten gefunden")
    return "; ".join(parts)


def parse_hours(text: str) -> ParsedHours:
    """Read a German hours text; return the OSM form only when the reading is certain."""
    if not text or not text.strip():
        return ParsedHours(osm=None)
    if _ALWAYS.match(text):
        return ParsedHours(osm="24/7")
    by_appointment = bool(_APPOINTMENT.search(text))
    rest = _APPOINTMENT.sub(" appt ", text)
    if _RHYTHM.search(rest):
        return ParsedHours(None, by_appointment, [f"Rhythmus ({_RHYTHM.search(rest).group()}) "
                                                  "lässt sich ohne Bezugswoche nicht sicher angeben"])
    if not re.sub(r"\b(?:appt|und|oder|sowie|nur|auch|möglich|jederzeit)\b|[,;.]", " ", rest).strip():
        return ParsedHours(osm=None, by_appointment=by_appointment)
    try:
        rules, appointment = _parse_rules(_tokenize(_normalise(rest)))
        osm = _to_osm(rules)
    except _Uncertain as exc:
        return ParsedHours(osm=None, by_appointment=by_appointment, problems=[f"{text!r}: {exc}"])
    if not opening_hours.validate(osm):
        return ParsedHours(None, by_appointment, [f"{text!r}: ergibt ungültiges OSM {osm!r}"])
    return ParsedHours(osm=osm, by_appointment=by_appointment or appointment)
