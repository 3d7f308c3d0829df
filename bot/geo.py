"""Places in questions: postal codes, towns (also misspelled), counties and their abbreviations.

Built per database generation from the ``places`` and ``counties`` tables. Town
names are matched as word sequences of the question ("bad frankenhausen"), with
rapidfuzz only against the list of place names (never the offers) for typos.
Short county codes such as "EA" or "DA" are also German words ("da"), so codes of
one or two letters count only when typed in capitals.

Questions in Russian, Ukrainian or Arabic name towns in their own script ("в Зондерсгаузені",
"في إرفورت"). Such words are transliterated (anyascii) and read by how they sound: a consonant
skeleton ("sndrshsn") compared with the skeletons of the known names, which are built on the first
question that needs them. Latin-script words never take this way.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple, TypeVar

from anyascii import anyascii
from rapidfuzz import fuzz, process

from bot import translit, turkish_letters, word_frequencies
from bot.normalize import LETTERS, normalize, words

_K = TypeVar("_K")
_PLZ = re.compile(r"\b(\d{5})\b")
#: Words that are also town names somewhere in Thüringen or Hessen, or too short to trust.
_NOT_PLACES = {
    "sinn", "ohne", "berg", "au", "haina", "tann", "mark", "linden", "grund", "hain", "steinbach", "wald",
    "hof", "ort", "rain", "heide", "lohra", "lich", "wehr", "elend", "schmiede", "ebersberg", "holz",
    "hilfe", "alt", "neu", "wolf", "nieder", "ober", "unter", "ost", "west", "sud", "nord", "bad", "stadt",
    "kreis", "land", "landkreis", "gemeinde", "dorf", "markt", "zimmer",
}
_COUNTY_WORDS = {"landkreis", "kreis", "lk", "lkr"}
#: Words saying a place is where someone works or studies ("ich arbeite in Erfurt, wohne aber in
#: Sondershausen"), a few words before it: such a place is where help is wanted only when no other is named.
_WORK_WORDS = {"arbeite", "arbeitet", "arbeiten", "arbeitete", "pendle", "pendelt", "studiere", "studiert",
               "work", "works", "working", "commute"}
#: Words after a place saying it is a past one ("in Gera aufgewachsen"), and before it ("früher in Gotha").
_PAST_AFTER = {"aufgewachsen", "geboren", "gewohnt", "gelebt"}
_PAST_BEFORE = {"früher", "frueher", "vorher", "ursprünglich", "urspruenglich", "damals"}
#: First words of town names that people leave out or shorten: "Salzungen" for Bad Salzungen,
#: "Lichtenau" and "Hess. Lichtenau" for Hessisch Lichtenau (canonical words -> shortened forms).
_NAME_PREFIXES = {"bad": ("",), "hessisch": ("", "hess"), "sankt": ("st",)}
#: A town's name without its first word counts only when this long (not "orb", "konig").
_MIN_SHORT_NAME = 6
#: Words before a place name that make it one: "in langen", "bei schotten", "nahe wetter".
_LOCATIVE = {"in", "im", "bei", "nach", "aus", "um", "von", "nahe", "nah", "raum", "umgebung", "richtung", "ort",
             "stadt", "gemeinde", "landkreis", "kreis", "umkreis"}
#: Turkish case endings written onto a town's name without the apostrophe ("Erfurtta", "Jenada",
#: "Geraya"), longest first; read only in a Turkish message (:func:`_turkish`).
_TURKISH_ENDINGS = ("daki", "deki", "taki", "teki", "dan", "den", "tan", "ten", "nin", "nun", "yla", "yle",
                    "da", "de", "ta", "te", "ya", "ye", "yi", "yu", "a", "e", "i", "u", "")
#: How a German town's sounds are written in Turkish letters ("mülhauzen", "vaymar", "mayningen"), and
#: back: the Turkish spelling of a name, read in German letters, comes near enough for the fuzzy match.
_TURKISH_SOUNDS = (("ş", "sch"), ("ç", "tsch"), ("ay", "ei"), ("oy", "eu"), ("z", "s"), ("v", "w"))
#: A town's name before such an ending is this long at least ("Gera", "Suhl", "Jena").
_MIN_TURKISH_STEM = 4
#: A misspelled town name ("sonderhausen") is this similar to the name (rapidfuzz's ratio, 0-100) ...
_FUZZY_CUTOFF = 86
#: ... and a word of this many letters.
_FUZZY_MIN, _FUZZY_MAX = 5, 40
#: A name split in two by speech recognition ("arn stat"): both parts this long, together this long.
_SPLIT_MIN, _SPLIT_JOINED = 3, 7
#: Letters German does not have and Turkish does (ç too: of the 12,865 texts of the corpus and the blind
#: sets, the 14 with ç but none of the others are Turkish).
_TURKISH_LETTERS = re.compile("[şğıçŞĞİÇ]")


#: A town, a postcode's area, a county, or a point (a shared location).
PlaceKind = Literal["town", "postcode", "county", "point"]


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    county: str | None = None
    state: str | None = None
    postcode: str | None = None
    kind: PlaceKind = "town"
    #: False for a town whose name is also an everyday word ("wetter") typed without "in"/"bei".
    certain: bool = True
    #: A county that is one town (kreisfreie Stadt: Erfurt, Kassel): "in Erfurt", not "im Landkreis".
    city: bool = False


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def _base_name(name: str) -> str:
    """"Mühlhausen/Thüringen" -> "Mühlhausen", "Neundorf (bei Schleiz)" -> "Neundorf"."""
    return re.split(r"\s*[/(]", name)[0].strip()


PlaceRow = tuple[str, str, str, float, float, str | None, str | None, str | None]


def place_rows(conn: sqlite3.Connection) -> list[PlaceRow]:
    """The lookup keys of every place, worked out once when the database is built (the
    search command reads them without normalising two thousand names at each start):
    (namespace, key, name, lat, lon, county, state, postcode) with namespace "postcode",
    "town" (key: canonical words), "county" (name, alias or code of three letters and
    more) or "code" (one or two capitals, kept as typed)."""
    # A postcode covers several villages; it stands for the town the offers there name
    # as their city (99310 is Arnstadt, not Alkersleben), else its first place.
    main_town = {postcode: normalize(city) for postcode, city, _ in conn.execute(
        "SELECT postcode, city, count(*) AS n FROM offers WHERE postcode IS NOT NULL AND city IS NOT NULL "
        "GROUP BY postcode, city ORDER BY n, city DESC")}
    postcodes: dict[str, PlaceRow] = {}
    towns: dict[str, PlaceRow] = {}
    rows = conn.execute("SELECT postcode, name, county, state, lat, lon FROM places ORDER BY state DESC, postcode")
    for postcode, name, county, state, lat, lon in rows:
        base = _base_name(name)
        row: PlaceRow = ("postcode", postcode, base, lat, lon, county, state, postcode)
        if main_town.get(postcode) in (normalize(name), normalize(base)):
            postcodes[postcode] = row
        else:
            postcodes.setdefault(postcode, row)
        for variant in dict.fromkeys((name, base, name.replace("Heilbad ", ""))):  # in order: the same rows every build
            key = normalize(variant)
            if key:
                towns.setdefault(key, ("town", key, base, lat, lon, county, state, postcode))
    # Shortened names come after every full name: a town really called "Lichtenau" keeps its name.
    for key, row in list(towns.items()):
        first, _, rest = key.partition(" ")
        for short in _NAME_PREFIXES.get(first, ()) if rest else ():
            variant = f"{short} {rest}".strip()
            if len(rest.replace(" ", "")) >= _MIN_SHORT_NAME:
                towns.setdefault(variant, ("town", variant, *row[2:]))
    counties: dict[tuple[str, str], PlaceRow] = {}
    for name, state, aliases, abbreviations, lat, lon in conn.execute(
        "SELECT name, state, aliases, abbreviations, lat, lon FROM counties"
    ):
        if lat is None:
            continue
        for alias in [name, *json.loads(aliases or "[]")]:
            key = normalize(alias)
            counties.setdefault(("county", key), ("county", key, name, lat, lon, name, state, None))
        for code in json.loads(abbreviations or "[]"):
            key = normalize(code)
            namespace, key = ("county", key) if len(key) >= 3 else ("code", code)
            counties.setdefault((namespace, key), (namespace, key, name, lat, lon, name, state, None))
    return [*postcodes.values(), *towns.values(), *counties.values()]


def _mark_cities(table: dict[_K, Place], by_name: dict[tuple[str, ...], Place]) -> None:
    """A county (or its code) that is also a town's name is a county-free city ("Erfurt", "EF")."""
    for key, place in table.items():
        if tuple(words(place.name)) in by_name:
            table[key] = replace(place, city=True)


class PlaceIndex:
    """Finds the place a question names (from the ``search_places`` table bot.searchindex writes)."""

    def __init__(self, conn: sqlite3.Connection, stopwords: set[str] | frozenset[str] = frozenset()) -> None:
        self.by_postcode: dict[str, Place] = {}
        self.by_name: dict[tuple[str, ...], Place] = {}
        self.counties: dict[tuple[str, ...], Place] = {}
        self.short_codes: dict[str, Place] = {}
        self.stopwords = set(stopwords) | _NOT_PLACES
        for namespace, key, name, lat, lon, county, state, postcode in conn.execute(
            "SELECT namespace, key, name, lat, lon, county, state, postcode FROM search_places"
        ):
            if namespace == "postcode":
                self.by_postcode[key] = Place(name, lat, lon, county, state, postcode, "postcode")
                continue
            place = Place(name, lat, lon, county, state, postcode, "town" if namespace == "town" else "county")
            if namespace == "code":
                self.short_codes[key] = place
                continue
            words_ = tuple(key.split())
            if namespace == "county":
                self.counties[words_] = place
            elif not (len(words_) == 1 and words_[0] in self.stopwords):
                self.by_name[words_] = place
        _mark_cities(self.counties, self.by_name)
        _mark_cities(self.short_codes, self.by_name)
        self.ambiguous = {r[0] for r in conn.execute("SELECT word FROM search_place_words")}
        #: Words the offers use ("zimmer", "raum"): a word of the language, never a misspelled town
        #: ("ich suche ein Zimmer" is no question about Zimmern).
        self.known_words = {r[0] for r in conn.execute("SELECT word FROM search_vocab")}
        self._fuzzy_names = [" ".join(k) for k in self.by_name if len(" ".join(k)) >= _FUZZY_MIN]
        #: ... and the short ones too ("gera", "jena", "suhl"), for a word after "in", "bei" ... ("in gehra")
        self._short_names = [" ".join(k) for k in self.by_name if len(" ".join(k)) >= _FUZZY_MIN - 1]
        #: the first words of the towns' names: "von Eisenach nach Saalfeld" names a move (:func:`_elsewhere`)
        self._first_words = {k[0] for k in self.by_name}
        self._max_len = max((len(k) for k in [*self.by_name, *self.counties]), default=1)
        #: the names by sound for Cyrillic (False) and Arabic (True) words, built when first needed
        self._sounds: dict[bool, _SoundIndex] = {}
        self._last_sound: tuple[str, tuple[Place, tuple[str, ...]] | None] | None = None

    def find(self, text: str) -> tuple[Place | None, set[int]]:
        """The place a text names and the positions of its words in ``words(text)``."""
        tokens = words(text)
        match = _PLZ.search(text)
        if match and match.group(1) in self.by_postcode:
            pos = {i for i, t in enumerate(tokens) if t == match.group(1)}
            return self.by_postcode[match.group(1)], pos
        # The first place named, as the longest name starting there ("bad frankenhausen", not "frankenhausen"):
        # "meine nachbarin in großengottern ... bis bad langensalza kommt sie kaum" asks for Großengottern. A
        # town that is also an everyday word ("wetter") counts only when nothing surer is named.
        doubtful: tuple[Place | None, set[int]] = (None, set())
        elsewhere: tuple[Place, set[int]] | None = None
        for i in range(len(tokens)):
            if elsewhere is not None and i in elsewhere[1]:
                continue
            for n in range(min(self._max_len, len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + n])
                if n == 1 and key[0] in self.stopwords:
                    continue
                county, town = self.counties.get(key), self.by_name.get(key)
                # "nordhausen" is the town (distances from its centre); "landkreis nordhausen" the county
                place = town if town is not None and (i == 0 or tokens[i - 1] not in _COUNTY_WORDS) else county
                if place is None:
                    continue
                if n == 1 and key[0] in self.ambiguous and (i == 0 or tokens[i - 1] not in _LOCATIVE):
                    if doubtful[0] is None:
                        doubtful = (replace(place, certain=False), {i})
                    continue
                if elsewhere is None and _elsewhere(tokens, i, n, self._first_words):
                    elsewhere = (place, set(range(i, i + n)))
                    break
                return place, set(range(i, i + n))
        if elsewhere is not None:
            return elsewhere
        for raw in re.findall(r"\b[A-ZÄÖÜ]{1,2}\b", text):
            if raw in self.short_codes:
                pos = {i for i, t in enumerate(tokens) if t == normalize(raw)}
                return self.short_codes[raw], pos
        suffixed = self._turkish_case(text, tokens)
        if suffixed is not None:
            return suffixed
        if not text.isascii() and SCRIPT_LETTER.search(text):
            # Cyrillic and Arabic words are no words of words(text): the place has no positions there.
            found = self.by_sound(text)
            if found is not None:
                return found[0], set()
        elif translit.is_translit(text):
            # Russian or Ukrainian typed in Latin letters: its declined towns ("v gere", "v pesneke",
            # "v myulhauzeni") are read by sound in Cyrillic letters, as the same message typed in them
            found = self.by_sound(translit.in_cyrillic(text))
            if found is not None:
                named = {w.lower() for w in found[1]}
                return found[0], {i for i, t in enumerate(tokens) if translit.in_cyrillic(t).lower() in named}
            # and its everyday words are no misspelt towns: "chy treba zapys" (is an appointment needed) is no Trebra
            tokens = ["" if translit.a_word(t) else t for t in tokens]
        fuzzy = self._fuzzy([t if i not in doubtful[1] else "" for i, t in enumerate(tokens)])
        return fuzzy if fuzzy[0] is not None else doubtful

    def by_sound(self, text: str) -> tuple[Place, tuple[str, ...]] | None:
        """The town or county a text names in Cyrillic or Arabic letters ("в Зондерсгаузені"), and
        the words that name it. The last answer is kept: the analysis asks twice for one message
        (:meth:`find`, then for the words to leave out of what the sentence encoder reads)."""
        last = self._last_sound
        if last is not None and last[0] == text:
            return last[1]
        found = self._by_sound(text)
        self._last_sound = (text, found)
        return found

    def _by_sound(self, text: str) -> tuple[Place, tuple[str, ...]] | None:
        text = unicodedata.normalize("NFKC", text)
        tokens = LETTERS.findall("".join(ch for ch in text if not unicodedata.combining(ch)))
        best: tuple[float, Place, tuple[str, ...]] | None = None
        for arabic in (False, True):
            if (ARABIC_LETTER if arabic else CYRILLIC_LETTER).search(text):
                if arabic not in self._sounds:
                    self._sounds[arabic] = _SoundIndex(self, arabic)
                found = self._sounds[arabic].find(tokens)
                if found is not None and (best is None or found[0] > best[0]):
                    best = found
        return (best[1], best[2]) if best else None

    def _turkish_case(self, text: str, tokens: list[str]) -> tuple[Place, set[int]] | None:
        """A town with a Turkish case ending written onto it ("Erfurtta bağımlılık danışma", "Jenada
        yardım", "bad frankenhauzende"), in a Turkish message only: "gerade" is a German word, not Gera.
        The name may be misspelled as :meth:`_fuzzy` allows ("gotada", "roslebende") or written by its
        sounds in Turkish letters ("mayningende", "vaymar"): looked for only in a message whose letters or
        words are Turkish (the fuzzy match costs about 1 ms a message)."""
        stems = [(i, token[: -len(ending)] if ending else token) for i, token in enumerate(tokens)
                 if token not in self.known_words and token not in self.stopwords
                 for ending in _TURKISH_ENDINGS if token.endswith(ending)]
        stems = [(i, stem) for i, stem in stems if len(stem) >= _MIN_TURKISH_STEM and stem not in self.ambiguous]
        for i, stem in stems:
            exact = self._stem_place(tokens[i - 1] if i else "", stem, fuzzy=False)
            if exact is not None:
                return _with_positions(exact, i) if _turkish(text) else None
        if not stems or not (_TURKISH_LETTERS.search(text) or turkish_letters.is_turkish(text)):
            return None
        for i, stem in stems:
            found = self._stem_place(tokens[i - 1] if i else "", stem, fuzzy=True)
            if found is not None:
                return _with_positions(found, i)
        return None

    def _stem_place(self, previous: str, stem: str, *, fuzzy: bool) -> tuple[Place, bool] | None:
        """The town a word before a Turkish ending names, with the word before it ("bad") or alone (the
        bool): exactly, or (``fuzzy``) misspelled within :meth:`_fuzzy`'s bounds, as typed or in German
        letters (:func:`german_spelling`)."""
        if not fuzzy:
            if previous and (previous, stem) in self.by_name:
                return self.by_name[(previous, stem)], True
            return (self.by_name[(stem,)], False) if (stem,) in self.by_name else None
        for spelled in dict.fromkeys((stem, german_spelling(stem))):
            for phrase, with_previous in ((f"{previous} {spelled}", True), (spelled, False)):
                if (with_previous and not previous) or not _MIN_TURKISH_STEM <= len(phrase) <= _FUZZY_MAX:
                    continue
                found = process.extractOne(phrase, self._fuzzy_names, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
                if found:
                    return self.by_name[tuple(found[0].split())], with_previous
        return None

    def other_places(self, tokens: list[str], taken: set[int]) -> set[int]:
        """Positions of the places a question names besides the one ``find`` took ("ich wohne in
        Sontra und arbeite in Kassel"): a second town is no word to look for in the offers."""
        found: set[int] = set()
        for n in range(min(self._max_len, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                span = set(range(i, i + n))
                key = tuple(tokens[i : i + n])
                if span & (taken | found) or (n == 1 and key[0] in self.stopwords):
                    continue
                if key not in self.by_name and key not in self.counties:
                    continue
                if n == 1 and key[0] in self.ambiguous and (i == 0 or tokens[i - 1] not in _LOCATIVE):
                    continue
                found |= span
        return found

    def _fuzzy(self, tokens: list[str]) -> tuple[Place | None, set[int]]:
        """Misspelled town names ("sonderhausen", "mühlhasen"), and names that speech recognition split
        in two ("arn stat", "ill menau"): rapidfuzz over place names. An everyday German or English word
        is no misspelt town ("nichts gefunden" is no Gemünden, "schwarz vor Augen" no Schwarza, "mit
        freundlichen Grüßen" no Greußen), unless "in", "bei", "aus" ... stand before it ("wohn in arten"); after
        those, a short town's name is looked for too ("in gehra": Gera), and a short word no one uses ("in gota")."""
        best: tuple[float, Place | None, set[int]] = (0.0, None, set())
        for n in (2, 1):
            for i in range(len(tokens) - n + 1):
                chunk = tokens[i : i + n]
                if any(t in self.stopwords or t in self.known_words or len(t) > _FUZZY_MAX for t in chunk):
                    continue
                located = i > 0 and tokens[i - 1] in _LOCATIVE
                if not located and all(word_frequencies.common(t) for t in chunk):
                    continue  # a name split in two has a part no word is ("arn stat"; "stat" is English)
                if all(len(t) >= _FUZZY_MIN for t in chunk):
                    phrases = [" ".join(chunk)]
                elif n == 1 and located and len(chunk[0]) == _FUZZY_MIN - 1 and not word_frequencies.common(chunk[0]):
                    # after "in", a short word no one uses is a short town misspelt: "in gota", "bei gehra"
                    phrases = chunk
                elif n == 2 and min(map(len, chunk)) >= _SPLIT_MIN and len("".join(chunk)) >= _SPLIT_JOINED:
                    phrases = ["".join(chunk)]
                else:
                    continue
                for phrase in phrases:
                    names = self._short_names if located and n == 1 else self._fuzzy_names
                    found = process.extractOne(phrase, names, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
                    if found and found[1] > best[0]:
                        best = (found[1], self.by_name[tuple(found[0].split())], set(range(i, i + n)))
        return best[1], best[2]

    def same_county(self, place: Place, county_text: str) -> bool:
        """Whether an offer's county (canonical words) is the county ``place`` names."""
        county = self.counties.get(tuple(county_text.split()))
        return county is not None and county.name == place.name

    def nearest_town(self, lat: float, lon: float) -> Place | None:
        """The town nearest to a point: a shared location remembered as a place name (coarser than
        the point, and what the next question's search starts from, like a typed place)."""
        towns = [p for p in self.by_name.values() if p.kind == "town"]
        return min(towns, key=lambda p: distance_km(lat, lon, p.lat, p.lon), default=None)

    def resolve(self, name: str) -> Place | None:
        """A place name typed on its own (``--near``, ``/ort``)."""
        place, _ = self.find(name)
        return place


def _elsewhere(tokens: list[str], start: int, length: int, first_words: set[str]) -> bool:
    """Whether the place at ``tokens[start:start + length]`` is where the writer works, studied or lived
    before, not where help is wanted: "ich arbeite in Erfurt", "von Eisenach nach Saalfeld gezogen" (the
    next place's first word among ``first_words``), "in Gera aufgewachsen", "moved from Gotha to Jena"."""
    before, after = tokens[max(0, start - 5) : start], tokens[start + length : start + length + 2]
    moved = {"von": "nach", "aus": "nach", "from": "to"}
    if start and tokens[start - 1] in moved and after[:1] == [moved[tokens[start - 1]]] and after[1:] \
            and after[1] in first_words:
        return True
    if after and after[0] in _PAST_AFTER:
        return True
    if start >= 2 and tokens[start - 1] in {"in", "im", "bei", "aus"} and tokens[start - 2] in _PAST_BEFORE:
        return True
    return bool(start and tokens[start - 1] in {"in", "im", "bei", "nach", "at"} and _WORK_WORDS & set(before))


def _with_positions(found: tuple[Place, bool], i: int) -> tuple[Place, set[int]]:
    """A place named by the word at ``i``, and by the word before it too when the bool says so ("bad")."""
    place, with_previous = found
    return place, ({i - 1, i} if with_previous else {i})


def german_spelling(word: str) -> str:
    """A word written by its sounds in Turkish letters, in German letters ("vaymar" → "weimar")."""
    for turkish, german in _TURKISH_SOUNDS:
        word = word.replace(turkish, german)
    return word


def _turkish(text: str) -> bool:
    """Whether a message is Turkish: its letters say so, its words do (typed without Turkish letters
    too: bot.turkish_letters), or the language detector does."""
    if _TURKISH_LETTERS.search(text) or turkish_letters.is_turkish(text):
        return True
    from bot.detect_language import detect

    return detect(text) == "tr"


# --- Town names in Cyrillic and Arabic script --------------------------------------------------

#: Letters of the scripts read by sound: Cyrillic and Arabic (with Persian and Urdu letters).
SCRIPT_LETTER = re.compile("[\u0400-\u052f\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
CYRILLIC_LETTER = re.compile("[\u0400-\u052f]")
ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
#: Letters whose anyascii spelling would hide the German sound: "ш" and "ش" are the German "sch"
#: (so "sh" stays the "s"+"h" of "Зондерсхаузен"), "ч" is "tsch"; Arabic alif and ta marbuta are
#: a vowel, "ج" a g (as in Egypt), hamza nothing; "ح" and "ع" are sounds no German name has (capitals:
#: no rule below reads them, and no German name has them).
_BEFORE_ANYASCII = str.maketrans({
    "ш": "sch", "щ": "sch", "ч": "tsch", "ж": "sch",
    "ش": "sch", "ا": "a", "أ": "a", "إ": "a", "آ": "a", "ٱ": "a", "ى": "a", "ة": "a", "ء": "", "ئ": "i",
    "ؤ": "u", "ع": "Q", "ح": "H", "ج": "g", "ـ": "",
})
#: German spellings and the Latin letters of their Russian, Ukrainian and Arabic renderings to one
#: sound key, in this order: a lengthening h ("Suhl", "Mühl-") is silent; "ш" (sch) gets a letter
#: of its own, but "шт", "шп" are the German st, sp ("Арнштадт"); z, ts, tz, s are one (ц, з, с),
#: so are w, v, f (в, ф); j and y are the vowel i; ei is ai ("Веймар", "Ваймар"). Cyrillic г is the
#: German g and h (Гамбург, Гера), х the h and ch; Arabic keeps g (غ), h (ه) and ch (خ) apart
#: and has no p ("أبولدا" is Apolda).
_SOUND_RULES = {arabic: tuple((re.compile(a), b) for a, b in (
    (r"[^a-zA-Z]", ""),
    (r"(?<=[aeiouy])h(?![aeiouy])", ""),
    (r"x", "ks"), (r"ck|q", "k"), (r"c(?!h)", "k"),
    (r"sch(?=[tp])", "s"), (r"sch", "S"),
    *(((r"[ck]h", "X"), (r"gh", "g"), (r"p", "b")) if arabic else ((r"[ckg]h|g", "h"),)),
    (r"th", "t"), (r"dh", "d"), (r"ph", "f"),
    (r"dt", "t"), (r"tz|ts|z", "s"), (r"[vw]", "f"), (r"[jy]", "i"),
    (r"[ae]i", "ai"), (r"eu|oi", "oi"),
)) for arabic in (False, True)}
#: How Russian and Ukrainian (ё, е, ю), and Arabic (ي, و) write the German umlauts.
SCRIPT_UMLAUTS = {False: str.maketrans({"ä": "e", "ö": "e", "ü": "u", "ß": "ss"}),
                  True: str.maketrans({"ä": "e", "ö": "o", "ü": "u", "ß": "ss"})}
#: The other way each script writes them, which names are known by too: Ukrainian ö as "ьо"
#: ("Зьоммерда"), Arabic ü as ي ("ميلهاوزن", as "ميونخ" is München).
_OTHER_UMLAUTS = {False: str.maketrans({"ä": "e", "ö": "o", "ü": "u", "ß": "ss"}),
                  True: str.maketrans({"ä": "e", "ö": "o", "ü": "i", "ß": "ss"})}
_VOWELS = re.compile(r"[aeiou]+")
_REPEATS = re.compile(r"(.)\1+")
_VOWEL_CLASS = str.maketrans({"e": "i", "o": "u"})
#: The i of a Cyrillic я, ю, є after a consonant (it softens the consonant: "Дюнвальд", "Шляйц").
#: Not at a word's end: "Россия" is not "Роса".
_SOFTENING = re.compile(r"(?<=[^aiu])i(?=[aiu].)")
#: Case endings of Russian and Ukrainian ("в Эрфурте", "под Эрфуртом", "з Єни", "у Вартбурзі": г -> з
#: before і), and what the name ends with instead: nothing, or the а of "Гота", "Йена".
CYRILLIC_ENDINGS = (*((e, "") for e in ("ами", "ями", "ові", "еві", "ом", "ем", "ём", "ам", "ям", "ах", "ях",
                                        "ов", "ев", "ой", "ою", "ей", "ею", "ии", "ия", "ию", "ье", "ью")),
                    *((e, "") for e in "аеиіуюяыёєїоэ"),
                    ("ой", "а"), ("ою", "а"), ("ей", "я"), ("ею", "я"), *((e, "а") for e in "еиіуы"),
                    ("зі", "г"), ("ці", "к"), ("сі", "х"),
                    # a town's name made an adjective: "в Альтенбургской земле", "в Ерфуртському районі"
                    *((e, "") for e in ("ский", "ская", "ское", "ской", "ском", "ского", "скому", "скую", "ские",
                                        "ских", "ський", "ська", "ське", "ській", "ському", "ського", "ську",
                                        "ські", "ських")))
#: Arabic letters written onto the next word: "و" and, "ب" in/at, "ل" for, "ف" so.
ARABIC_PREFIXES = ("وب", "ول", "ب", "ل", "و", "ف")
#: The Arabic article written onto a word ("التافل", "بالجوب").
ARABIC_ARTICLE = ("ال", "بال", "وال", "لل")
#: The marks Arabic may write above or below its letters (short vowels, tanween, shadda) and the stretching
#: tatweel: "قريبًا" is "قريبا" to a word list.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def arabic_word(token: str) -> bool:
    """Whether wordfreq's Arabic list knows a word, as written or without its article or a prefix: an Arabic
    word is no German one written in Arabic letters, whose three consonants sound like too many ("سكين", a
    knife, like "zocken"; "السبت", Saturday, like "LSBTI"), while a short word the list does not know ("غوتا",
    "غيرا") may be a town's name without "في" before it, as keyword queries write it. False without the list."""
    return any(word_frequencies.frequency("ar", form) for form in arabic_forms(_ARABIC_MARKS.sub("", token), 2))


def arabic_forms(token: str, shortest: int) -> list[str]:
    """A word in Arabic letters as written and without its article or a prefix ("بالتافل": "تافل"), each form
    at least ``shortest`` letters long."""
    return [token, *(token[len(p):] for p in (*ARABIC_ARTICLE, *ARABIC_PREFIXES)
                     if token.startswith(p) and len(token) - len(p) >= shortest)]


#: Words before a place name that make it one (Russian, Ukrainian, Arabic): "в", "із", "في", "مدينة".
_SCRIPT_LOCATIVE = {
    "в", "во", "у", "из", "с", "со", "под", "около", "возле", "рядом", "город", "города", "городе", "г",
    "до", "по", "район", "районе", "округ", "округе", "недалеко", "близ",
    "з", "із", "зі", "під", "біля", "поблизу", "місто", "міста", "місті", "районі", "окрузі", "коло",
    "في", "فى", "من", "إلى", "الى", "قرب", "مدينة", "بمدينة", "حول", "عند", "بالقرب", "منطقة", "بمنطقة",
    # spoken Arabic: "على", "ع" to ("وصلنا على غيرا", we came to Gera), and "ب" in, typed apart from the name
    "على", "ع", "ب",
}
#: Words before a name that make it the county's: "район Нордхаузен", "مقاطعة".
_SCRIPT_COUNTY_WORDS = {"район", "районе", "району", "районі", "округ", "округе", "окрузі", "ландкрайс",
                        "крайс", "مقاطعة", "دائرة"}
#: A skeleton this long is compared fuzzily; a shorter one must be the skeleton of the name.
_MIN_FUZZY_SKELETON = 4


@dataclass(frozen=True)
class _Limits:
    """How alike a word and a name must sound (rapidfuzz ratios, 0-100)."""

    #: the consonant skeletons (four consonants and more)
    skeleton: float
    #: the whole sound keys, vowels too, of a name with such a skeleton
    sound: float
    #: the whole sound keys of a name with a shorter skeleton (which must be the same)
    short_sound: float
    #: share of the skeleton's likeness in a name's score (the rest: the whole key's)
    weight: float


#: Cyrillic writes every vowel; Arabic leaves short vowels out ("إرفورت": ʼrfwrt).
_CYRILLIC_LIMITS = _Limits(skeleton=90, sound=88, short_sound=90, weight=0.5)
_ARABIC_LIMITS = _Limits(skeleton=85, sound=85, short_sound=90, weight=0.7)
#: By how much the best place's score must beat the next other place's.
_SOUND_MARGIN = 4
#: What taking off a case ending costs a word's likeness to a name.
_CHANGED_PENALTY = 2


def _spelling(key: tuple[str, ...], name: str, arabic: bool, umlauts: dict[int, str] | None = None) -> str:
    """A name's canonical words as the name spells them, its umlauts as the script writes them
    ("Гёллинген", "Геллінген" for Göllingen), or the words themselves when the name has no such words
    (a word's beginning will do: "Kyffhäuser" of "Kyffhäuserkreis"). Arabic writes a word's first
    vowel after an alif: "إرفورت", "أوبردورلا". ``umlauts``: another way to write them (:data:`_OTHER_UMLAUTS`)."""
    spelt = LETTERS.findall(name.lower())
    found = list(key)
    for i in range(len(spelt) - len(key) + 1):
        if tuple(normalize(w) for w in spelt[i : i + len(key)]) == key:
            found = spelt[i : i + len(key)]
            break
    else:
        for word in spelt if len(key) == 1 else ():
            if len(normalize(word)) == len(word) and normalize(word).startswith(key[0]):
                found = [word[: len(key[0])]]
                break
    if arabic:
        found = ["a" + w if w[:1] in "eiouäöü" else w for w in found]
    return "".join(found).translate(umlauts or SCRIPT_UMLAUTS[arabic])


def transliterate(word: str) -> str:
    """A Cyrillic or Arabic word in Latin letters, long Arabic vowels (و, ي) as u and i."""
    latin = anyascii(word.lower().translate(_BEFORE_ANYASCII))
    if ARABIC_LETTER.search(word):
        latin = latin.replace("w", "u").replace("y", "i")
    return latin


def sound_of(latin: str, arabic: bool) -> str:
    """Latin letters (a German name, or a transliterated word) as they sound: "zondersgauzen" and
    "sondershausen" both "sondershausen"."""
    for pattern, repl in _SOUND_RULES[arabic]:
        latin = pattern.sub(repl, latin)
    return latin


def sound_skeleton(sound: str) -> str:
    """The consonants of a sound key, each run once: "sondershausen" -> "sndrshsn"."""
    return _REPEATS.sub(r"\1", _VOWELS.sub("", sound))


def sound_key(sound: str) -> str:
    """A sound key with e/i and o/u each one vowel: "jena", "Йена", "Єна" and "ينا" are all "ina"."""
    return _REPEATS.sub(r"\1", _SOFTENING.sub("", sound.translate(_VOWEL_CLASS)))


class _SoundName(NamedTuple):
    """A town or county name by sound."""

    key: str
    place: Place
    #: the county of a name that is a town's and a county's ("Greiz"), taken after "район"
    county: Place | None
    #: a county, or a town that is a postcode's main place: short Arabic words name no other
    main: bool
    #: spelt with the script's other umlauts (:data:`_OTHER_UMLAUTS`): taken only for a capitalised
    #: word or after "в", "في", "ب"... ("солнце" is not "Цольниц")
    other: bool = False


class _SoundIndex:
    """The town and county names of one place index by sound, for words in Cyrillic or in Arabic."""

    def __init__(self, index: PlaceIndex, arabic: bool) -> None:
        self.arabic = arabic
        self.limits = _ARABIC_LIMITS if arabic else _CYRILLIC_LIMITS
        towns, counties = index.by_name, index.counties
        postal = {place.name for place in index.by_postcode.values()}
        #: (number of words, skeleton) -> every name with that skeleton
        self.names: dict[tuple[int, str], list[_SoundName]] = {}
        #: skeletons of the first words of names of more words ("bd" of "Bad Langensalza")
        self.first_words: set[str] = set()
        for table in (towns, counties):
            for key, place in table.items():
                if len("".join(key)) < 4 or (table is counties and key in towns):
                    continue
                county = counties.get(key) if table is towns else None
                main = table is counties or county is not None or place.name in postal
                usual = sound_of(_spelling(key, place.name, arabic), arabic)
                other = sound_of(_spelling(key, place.name, arabic, _OTHER_UMLAUTS[arabic]), arabic)
                for sound in dict.fromkeys((usual, other)):  # one, or two for a name with an umlaut
                    self.names.setdefault((len(key), sound_skeleton(sound)), []).append(
                        _SoundName(sound_key(sound), place, county, main, sound != usual))
                if len(key) > 1:
                    self.first_words.add(sound_skeleton(sound_of(_spelling(key[:1], place.name, arabic), arabic)))
        self.max_words = min(3, max((n for n, _ in self.names), default=1))
        #: number of words -> the skeletons long enough to compare fuzzily
        self.long: dict[int, list[str]] = {}
        for n, skeleton in self.names:
            if len(skeleton) >= _MIN_FUZZY_SKELETON:
                self.long.setdefault(n, []).append(skeleton)

    def find(self, tokens: list[str]) -> tuple[float, Place, tuple[str, ...]] | None:
        """The place words (of this index's script) name, when one name clearly fits, its score and
        those words. A name of more words comes first ("Бад-Лангензальца", not "Лангензальца")."""
        reading = _Reading(self)
        best: tuple[bool, int, float, Place, tuple[str, ...]] | None = None
        for i, token in enumerate(tokens):
            if not self._ours(token):
                continue
            before = tokens[i - 1].lower() if i else ""
            for n in range(1, self.max_words + 1):
                span = tokens[i : i + n]
                if len(span) < n or not self._ours(span[-1]):
                    break
                # two words are a name of two ("Бад Лангензальца"), or one name heard as two and written
                # apart ("زوندرس هاوزن", Sondershausen): long enough to be compared by sound only
                opens_a_name = n == 1 or any(
                    reading.skeleton(f) in self.first_words for f, _, _ in self._variants(span[:1]))
                if n > 2 and not opens_a_name:
                    break
                names_of = 1 if n == 2 and not opens_a_name else n
                found = self._span(reading, span, before, span[0][:1].isupper(), i == 0 and len(tokens) > n,
                                   names_of)
                # a short capitalised word with no "в" or "ب" before it ("Мені 19 років" as Mehna) is a place
                # only when nothing surer is named ("проживаю в Кіффгойзеркрайсі")
                surer = not (found is not None and found[2])
                if found is not None and (best is None or (surer, names_of, found[0]) > best[:3]):
                    best = (surer, names_of, found[0], found[1], tuple(span))
        return (best[2], best[3], best[4]) if best else None

    def _ours(self, token: str) -> bool:
        """Whether a word is in this index's script."""
        return bool((ARABIC_LETTER if self.arabic else CYRILLIC_LETTER).search(token))

    def _variants(self, span: list[str]) -> list[tuple[str, bool, bool]]:
        """The span's words joined, also with a case ending or an Arabic prefix taken off; with
        whether the prefix taken off was "ب" (in, at), and whether an ending was."""
        first, last = span[0], span[-1]
        firsts, lasts = [(first, False)], [last]
        if self.arabic:
            firsts += [(first[len(p):], p.endswith("ب")) for p in ARABIC_PREFIXES
                       if first.startswith(p) and len(first) - len(p) >= 3]
        else:
            lower = last.lower()
            lasts += list(dict.fromkeys(last[: -len(e)] + r for e, r in CYRILLIC_ENDINGS
                                        if lower.endswith(e) and len(last) - len(e) >= 2))
        if len(span) == 1:
            return [(f, at, False) for f, at in firsts] + [(la, False, True) for la in lasts[1:]]
        middle = "".join(span[1:-1])
        return [(f + middle + la, at, la != last) for f, at in firsts for la in lasts]

    def _span(self, reading: _Reading, span: list[str], before: str, capital: bool,
              first: bool, n: int) -> tuple[float, Place, bool] | None:
        """The best place for a span of words, its score, and whether only its capital letter makes it one (a
        short name with no "в" or "ب" before it), when it is clear. ``capital``: its first word is
        capitalised; ``first``: that word begins the text (and the span is not all of it); ``n``: the words
        of the names it may be (fewer than the span's for one name written apart: then a long one only)."""
        limits = self.limits
        county_word = before in _SCRIPT_COUNTY_WORDS
        # Short words are many ("у меня", "يعني"): a short name in Cyrillic is a capitalised word
        # after the first ("Гера", not "гера" or "Меня зовут"), or a main place's, capitalised or after
        # "в", "из"... ("Гера, допомога", "в гере"); in Arabic a main place's after "في", "من"... or "ب".
        any_name = not self.arabic and capital and not first
        scores: dict[str, tuple[float, Place, bool]] = {}
        for variant, at, changed in self._variants(span):
            skeleton, key = reading.skeleton(variant), reading.key(variant)
            short = len(skeleton) < _MIN_FUZZY_SKELETON
            if short and n < len(span):
                continue
            if not short:
                hits = reading.nearest(n, skeleton)
            elif (n, skeleton) in self.names and (any_name or at or before in _SCRIPT_LOCATIVE
                                                  or (capital and not self.arabic)
                                                  or (self.arabic and n == 1 and word_frequencies.available()
                                                      and not arabic_word(span[0]))):
                hits = [(skeleton, 100.0)]
            else:
                continue
            for other, score in hits:
                for name in self.names[n, other]:
                    if name.other and not (capital or at or before in _SCRIPT_LOCATIVE):
                        continue
                    if short and ((not any_name and not name.main)
                                  or (key[:1] in "aiu") != (name.key[:1] in "aiu")):
                        continue
                    # a word as written before a word with its ending taken off ("Хайероде", not Geroda)
                    alike = fuzz.ratio(key, name.key) - (_CHANGED_PENALTY if changed else 0)
                    if alike < (limits.short_sound if short else limits.sound):
                        continue
                    place = name.county if name.county is not None and county_word else name.place
                    total = limits.weight * score + (1 - limits.weight) * alike
                    if total > scores.get(place.name, (0.0,))[0]:
                        scores[place.name] = (total, place, short and not (at or before in _SCRIPT_LOCATIVE))
        ranked = sorted(scores.values(), key=lambda sp: -sp[0])
        if not ranked or (len(ranked) > 1 and ranked[0][0] - ranked[1][0] < _SOUND_MARGIN):
            return None
        return ranked[0]


class _Reading:
    """The sounds of one text's words, each worked out once (and forgotten with the text)."""

    def __init__(self, index: _SoundIndex) -> None:
        self.index = index
        self._sounds: dict[str, tuple[str, str]] = {}
        self._nearest: dict[tuple[int, str], list[tuple[str, float]]] = {}

    def _read(self, word: str) -> tuple[str, str]:
        found = self._sounds.get(word)
        if found is None:
            sound = sound_of(transliterate(word), self.index.arabic)
            found = self._sounds[word] = (sound_skeleton(sound), sound_key(sound))
        return found

    def skeleton(self, word: str) -> str:
        return self._read(word)[0]

    def key(self, word: str) -> str:
        return self._read(word)[1]

    def nearest(self, n: int, skeleton: str) -> list[tuple[str, float]]:
        """The skeletons of names of n words most like a (long) skeleton, with their likeness."""
        found = self._nearest.get((n, skeleton))
        if found is None:
            found = self._nearest[n, skeleton] = [
                (other, score) for other, score, _ in process.extract(
                    skeleton, self.index.long.get(n, ()), scorer=fuzz.ratio, limit=5,
                    score_cutoff=self.index.limits.skeleton)]
        return found
