"""Search tables built at sync time, so a question needs no heavy work at run time.

Written by :func:`build` (called by ``bot.sync``), read by :class:`Vocabulary` and
``bot.search``:

- ``search_fts``: FTS5 over the offers' text in canonical form (bot.normalize), in
  weighted columns (name, keywords, body, place, people: the contacts' surnames, roles
  and rooms) plus ``extra``: the lemmas and compound parts of the name, keyword and body words
  ("Schuldnerberatungsstelle" -> schuldner beratung stelle, "Glücksspiel" -> spiel),
  so "beratung für schuldner" finds "Schuldnerberatung". The rowids (docids) are
  sorted by county, so one county is one rowid range that FTS5 can search alone.
- ``search_docs``: per docid what the ranking needs without the offers table:
  place, county, topics, *primary* topics (those its name or category names),
  the crisis kinds it serves (its number is a crisis line of hotlines.yaml), and
  whether hours, a phone and an address are known (for the intent); whom it serves
  (``area``, see bot.areas.area_keys), whether it is a district's office that serves its own
  residents only (``by_residence``), whether it is for professionals (``professional``), the
  words of its provider its other fields do not hold (``provider_words``: "Caritasverband für das
  Bistum Erfurt" runs counselling in Leinefelde, which is no outpost in Erfurt), and whether its audience
  is adults only (``adults_only``: the parents' line, no answer for a child who writes).
- ``search_topic_geo``: (topic, lat, docid), so "the nearest offers on debts" is an
  index range query however many offers there are.
- ``search_county_range``: county -> first and last docid; ``search_crisis``: crisis
  kind -> the docids of offers whose number is a crisis line for it.
- ``search_vocab``: every indexed word with its document frequency, for splitting
  the compounds people type and weighting rare words higher; ``search_words``: a
  trigram index over the same words, so a typo is corrected against a few dozen
  similar words, never against all of them (and never against the offers).
- ``search_lemmas``: inflected forms -> lemma (from simplemma's German dictionary),
  only for lemmas in the vocabulary. simplemma takes a second to load, which a
  cold-started search command cannot afford; the table it leaves is read instantly.
- ``search_real_words``: German words (lemmas of simplemma's dictionary) one letter away from
  an indexed word ("schwager" beside "schwanger", "wetter" beside "weiter"): a word people
  mean as written, never "corrected" into the indexed one and its topic.
- ``search_places``: every town, postcode, county name, alias and code with its canonical
  lookup key (bot.geo.place_rows); ``search_place_words``: one-word town names that
  are everyday words ("wetter").

The build reads bot/query.py's stopwords and bot/vocabulary.py's topic matcher, so a
change there changes the index as well.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bot import areas
from bot.geo import place_rows
from bot.normalize import canonical_word, normalize, words
from bot.query import STOPWORDS
from bot.vocabulary import TopicMatcher, load_matcher

if TYPE_CHECKING:  # sqlite-utils takes a quarter second to import; the search only reads
    import sqlite_utils

#: Parts shorter than this are not split off compounds ("kita" is the shortest useful part).
MIN_PART = 4
#: A known word at the end of an unknown compound counts from this length ("spiel" in "glücksspiel").
MIN_TAIL = 5
#: The shortest word the search corrects as a typo (bot.analysis): shorter ones are too often other words.
TYPO_MIN = 5
#: Short last parts that are common in the offers' names ("Jugendamt", "Landratsamt").
SHORT_TAILS = frozenset({"amt", "bad", "hof", "tag", "rat"})
FTS_COLUMNS = ("name", "keywords", "body", "place", "people", "extra")
#: Separable verb particles and prefixes: "aufwärmen" is "wärmen", "anmelden" is "melden".
PARTICLES = ("zuruck", "auf", "an", "ab", "aus", "ein", "mit", "nach", "vor", "zu", "weg", "los", "be", "ver", "ge")


def split_compound(word: str, vocabulary: Container[str],
                   extra: Container[str] = frozenset(), min_part: int = MIN_PART) -> list[str]:
    """Split a compound into known parts: "schuldnerberatungsstelle" -> ["schuldner",
    "beratung", "stelle"]; [] when no split covers the word.

    The last part is what the thing is (a Beratungsstelle is a Stelle), so the longest
    known tail is tried first, then the head before it, which may itself be a compound.
    German joins parts with a linking "s", "n", "es" or "en" ("Erziehung-s-beratung").
    Parts are words of ``vocabulary`` (the offers' and topics' words) or of ``extra``
    (the German dictionary), but at least one part must be in ``vocabulary`` or all be
    five letters or longer: otherwise "verbraucher" would be "verb" + "raucher".
    """
    found = _split(word, vocabulary, extra, min_part)
    if found and (any(p in vocabulary for p in found) or all(len(p) >= 5 for p in found)):
        return found
    return []


def _known(word: str, vocabulary: Container[str], extra: Container[str]) -> bool:
    return word in vocabulary or word in extra


def _split(word: str, vocabulary: Container[str], extra: Container[str],
           min_part: int) -> list[str]:
    if len(word) < 2 * min_part - 1:
        return []
    for cut in range(min_part, len(word) - 2):
        tail, link_s = word[cut:], False
        if tail[0] == "s" and tail[1:] in SHORT_TAILS:  # "landrat-s-amt", not "landrat-samt"
            tail, link_s = tail[1:], True
        if (len(tail) < min_part and tail not in SHORT_TAILS) or not _known(tail, vocabulary, extra):
            continue
        head = word[:cut]
        for link in ("s",) if link_s else ("", "s", "n", "es", "en"):
            if link and not head.endswith(link) and not link_s:
                continue
            stem = head if link_s else head[: len(head) - len(link)]
            if len(stem) < min_part:
                continue
            tail_parts = _parts_of_known(tail, vocabulary, extra, min_part)
            # "Miet-schulden" is Miete, "Schul-angst" Schule: German drops the final e.
            for whole in (stem, stem + "e"):
                if _known(whole, vocabulary, extra):
                    return [*_parts_of_known(whole, vocabulary, extra, min_part), *tail_parts]
            deeper = _split(stem, vocabulary, extra, min_part)
            if deeper:
                return [*deeper, *tail_parts]
    return []


def _parts_of_known(word: str, vocabulary: Container[str], extra: Container[str],
                    min_part: int) -> list[str]:
    """A known word's own parts when it is a plain compound of words the offers use
    ("schuldnerberatung" -> schuldner, beratung), else the word: "verbraucher" stays
    whole (no "verb" + "raucher"), and so do "landratsamt" and "unterhaltsvorschuss"."""
    parts = _split(word, vocabulary, extra, min_part)
    if parts and (all(p in vocabulary for p in parts) or (
            any(p in vocabulary for p in parts) and all(len(p) >= 5 or p in SHORT_TAILS for p in parts))):
        return parts
    return [word]


def known_tail(word: str, vocabulary: Container[str]) -> str | None:
    """The longest known word a compound ends with ("glucksspiel" -> "spiel"): in German
    the last part says what the thing is (a Glücksspiel is a Spiel)."""
    for cut in range(3, len(word) - MIN_TAIL + 1):
        if word[cut:] in vocabulary:
            return word[cut:]
    return None


def strip_particle(word: str, vocabulary: Container[str]) -> str | None:
    """The known word behind a verb particle ("aufwarmen" -> "warmen"), if there is one."""
    for particle in PARTICLES:
        rest = word[len(particle):]
        if word.startswith(particle) and len(rest) >= MIN_PART and (
            rest in vocabulary or rest[:-1] in vocabulary or rest[:-2] in vocabulary
        ):
            return rest
    return None


#: A word cut before a hyphen that another word completes ("Schuldner-" in "Schuldner- und
#: Insolvenzberatung"), a whole word (hyphens inside: "Saale-Holzland-Kreis"), or a separator.
_ELLIPSIS_TOKEN = re.compile(r"[^\W\d_]+-(?=[\s,/]|$)|[^\W\d_]+(?:-[^\W\d_]+)*|[,/&]")
_ELLIPSIS_JOINERS = frozenset({",", "/", "&", "und", "oder", "bzw", "sowie"})


def ellipsis_words(text: str, known: Container[str], extra: Container[str] = frozenset()
                   ) -> list[str]:
    """The compounds a German list with hyphens stands for: "Schuldner- und Insolvenzberatung"
    -> schuldnerberatung; "Ehe-, Familien- und Lebensberatung" -> eheberatung, familienberatung;
    "Frauen- und Kinderschutzhaus" -> frauenschutzhaus, frauenhaus. The cut word takes every
    known tail of the word that completes the list (a tail after a known head)."""
    if "-" not in text:
        return []
    out: list[str] = []
    heads: list[str] = []
    for token in _ELLIPSIS_TOKEN.findall(text):
        if token.endswith("-"):
            heads.append(token[:-1])
            continue
        lower = token.lower()
        if lower in _ELLIPSIS_JOINERS and heads:
            continue
        found = words(token)
        if heads and len(found) == 1:
            tails = _known_tails(found[0], known, extra)
            for head in heads:
                cut = words(head)
                out.extend(cut[-1] + tail for tail in tails if cut)
        heads = []
    return list(dict.fromkeys(out))


def _known_tails(word: str, known: Container[str], extra: Container[str]) -> list[str]:
    """Known words a compound ends with after a known head: "kinderschutzhaus" -> schutzhaus, haus."""
    tails = []
    for cut in range(3, len(word) - 2):
        tail, head = word[cut:], word[:cut]
        if (len(tail) < MIN_PART and tail not in SHORT_TAILS) or not _known(tail, known, extra):
            continue
        stems = [head, head + "e"] + [head[: -len(link)] for link in ("s", "n", "es", "en") if head.endswith(link)]
        if any(len(stem) >= 3 and (_known(stem, known, extra) or _split(stem, known, extra, MIN_PART))
               for stem in stems):
            tails.append(tail)
    return tails


def national_digits(number: str) -> str:
    """A phone number as its national digits: "+49 800 1110111" and "0800 111 0 111" meet."""
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+49"):
        return digits[2:]
    return digits[1:] if digits.startswith("0") else digits


def _offer_fields(offer: dict[str, Any], contacts: list[dict[str, Any]]) -> dict[str, list[str]]:
    keywords = json.loads(offer["keywords"] or "[]")
    audience = json.loads(offer["audience"] or "[]")
    return {
        "name": words(offer["name"] or ""),
        "keywords": words(" ".join([offer["category"] or "", *keywords])),
        "body": words(" ".join([offer["description"] or "", offer["provider"] or "", *audience])),
        "place": words(" ".join([offer["city"] or "", offer["county"] or "", offer["street"] or "",
                                 offer["postcode"] or ""])),
        "people": words(" ".join(f"{_surname(c['name'])} {c['role'] or ''} {c['room'] or ''}" for c in contacts)),
    }


def _surname(name: str) -> str:
    """A contact's surname, the word a person is asked for by ("telefon frau grimm"): the last of the
    name. A given name alone names no one and is often a word of another language: Turkish "anne"
    (mother) matched Anne Dürichen and sent a Turkish question about a mother-and-child cure in
    Sonneberg to the family counselling in Gotha."""
    parts = name.split()
    return parts[-1] if parts else ""


@lru_cache(maxsize=1)
def _german_dictionary() -> Mapping[str, str]:
    """simplemma's German form -> lemma table (about a million entries; build time only,
    kept for the next build in the same process: tests and benchmarks build several)."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    return DefaultDictionaryFactory().get_dictionary("de")


@dataclass
class _DictionaryFacts:
    """What the build takes from the German dictionary, in one pass over its million entries."""

    #: inflected form -> lemma, both canonical, for lemmas in the vocabulary
    lemmas: dict[str, str] = field(default_factory=dict)
    #: town word -> how many forms the dictionary knows of it (as a lemma)
    forms: Counter[str] = field(default_factory=Counter)
    #: town word -> the lemma the dictionary reads it as
    lemma_of: dict[str, str] = field(default_factory=dict)
    #: every lemma of four letters or more, canonical: parts for splitting compounds
    words: set[str] = field(default_factory=set)


def _read_dictionary(dictionary: Mapping[str, str], vocabulary: set[str], towns: dict[str, str]) -> _DictionaryFacts:
    """``towns``: canonical one-word town name -> the name as written ("muhlhausen" -> "Mühlhausen")."""
    facts = _DictionaryFacts()
    # simplemma keeps bytes and decodes on access; reading its bytes directly and
    # decoding only what is needed makes a million entries a second's work.
    raw: dict[bytes, bytes] = getattr(dictionary, "_dict", None) or {
        k.encode(): v.encode() for k, v in dictionary.items()}
    town_spellings = {name.lower().encode() for name in towns.values()}
    lemma_cache: dict[bytes, str] = {}
    for form_b, lemma_b in raw.items():
        lemma_c = lemma_cache.get(lemma_b)
        if lemma_c is None:
            lemma_c = lemma_cache[lemma_b] = canonical_word(lemma_b.decode())
            if len(lemma_c) >= MIN_PART:
                facts.words.add(lemma_c)
        if lemma_c in vocabulary:
            form_c = canonical_word(form_b.decode())
            if form_c and form_c != lemma_c:
                facts.lemmas.setdefault(form_c, lemma_c)
        if lemma_c in towns:
            facts.forms[lemma_c] += 1
        if form_b.lower() in town_spellings:
            facts.lemma_of.setdefault(canonical_word(form_b.decode()), lemma_c)
    return facts


class _Expander:
    """Lemma and compound parts of an indexed word, computed once per distinct word."""

    def __init__(self, vocabulary: set[str], lemmas: dict[str, str], dictionary_words: set[str]) -> None:
        self.vocabulary = vocabulary
        self.lemmas = lemmas
        self.dictionary_words = dictionary_words
        self.expand = lru_cache(maxsize=None)(self._expand)

    def _expand(self, token: str) -> tuple[str, ...]:
        out: list[str] = []
        lemma = self.lemmas.get(token)
        if lemma:
            out.append(lemma)
        parts = split_compound(token, self.vocabulary, self.dictionary_words)
        if parts:
            out.extend(parts)
        elif len(token) >= MIN_TAIL + 3:
            tail = known_tail(token, self.vocabulary)
            if tail:
                out.append(tail)
        # "nachhilfe" -> "hilfe", but not the "nach" every question has
        return tuple(dict.fromkeys(w for w in out if w != token and w not in STOPWORDS))


def _canonical_county(name: str | None, counties: dict[str, str], by_postcode: str | None = None) -> str:
    """The county an offer is in, canonical: its listing's county when that is a known name,
    alias or code, else the county of its postcode ("WMK", "Stadt und Landkreis Kassel")."""
    key = normalize(name or "")
    if key in counties:
        return counties[key]
    return normalize(by_postcode) if by_postcode else key


def _county_aliases(conn: sqlite3.Connection) -> dict[str, str]:
    """Every county's name, alias and code (normalized) -> its canonical name (normalized)."""
    counties: dict[str, str] = {}
    for row in conn.execute("SELECT name, aliases, abbreviations FROM counties"):
        canonical = normalize(row[0])
        for alias in [row[0], *json.loads(row[1] or "[]"), *json.loads(row[2] or "[]")]:
            counties.setdefault(normalize(alias), canonical)
    return counties


def _offers_in_county_order(db: sqlite_utils.Database, counties: dict[str, str]) -> list[dict[str, Any]]:
    """The offers rows, each with its canonical ``county_key``, in county order (then north to south):
    the docids follow this order, so a county is one rowid range."""
    postcode_county = {postcode: county for postcode, county in db.conn.execute(
        "SELECT postcode, county FROM places WHERE county IS NOT NULL ORDER BY postcode DESC, name DESC")}
    offers = list(db.query("SELECT * FROM offers"))
    for o in offers:
        o["county_key"] = _canonical_county(o["county"], counties, postcode_county.get(o["postcode"] or ""))
    offers.sort(key=lambda o: (o["county_key"], -(o["lat"] or 0.0), o["id"]))
    return offers


def _offers_fields(db: sqlite_utils.Database, offers: list[dict[str, Any]]) -> list[dict[str, list[str]]]:
    """The words of each offer by FTS column (see :func:`_offer_fields`), in the order of ``offers``."""
    contacts: dict[str, list[dict[str, Any]]] = {}
    for c in db["contacts"].rows:
        contacts.setdefault(c["offer_id"], []).append(c)
    return [_offer_fields(o, contacts.get(o["id"], [])) for o in offers]


def _split_vocabulary(fields: list[dict[str, list[str]]], topic_words: set[str]) -> set[str]:
    """The words a compound may be split into: the offers' words and the topics' words."""
    vocab = {w for f in fields for ws in f.values() for w in ws if len(w) >= MIN_PART and w.isalpha()}
    return vocab | {w for w in topic_words if len(w) >= MIN_PART}


def _add_ellipses(offers: list[dict[str, Any]], fields: list[dict[str, list[str]]], split_vocab: set[str],
                  dictionary_words: set[str]) -> dict[str, list[str]]:
    """Add the words an ellipsis stands for to each offer's fields; the keyword ones by offer id.

    "Schuldner- und Insolvenzberatung" is a Schuldnerberatung too: a keyword when the name or the
    keywords say so (not the name: a word written there weighs more than one worked out), else body.
    """
    ellipses: dict[str, list[str]] = {}
    for o, f in zip(offers, fields, strict=True):
        for col, texts in (("keywords", [o["name"], o["category"], *json.loads(o["keywords"] or "[]")]),
                           ("body", [o["description"], o["provider"]])):
            found = [w for t in texts for w in ellipsis_words(t or "", split_vocab, dictionary_words)]
            f[col] = f[col] + [w for w in found if w not in f[col]]
            if col == "keywords":
                ellipses[o["id"]] = found
    return ellipses


def _fts_rows(offers: list[dict[str, Any]], fields: list[dict[str, list[str]]],
              expander: _Expander) -> tuple[list[tuple[Any, ...]], Counter[str]]:
    """The search_fts rows (docid, offer id, a text per column) with each offer's ``extra`` words
    filled in, and the number of offers each word stands in (document frequency)."""
    df: Counter[str] = Counter()
    rows = []
    for docid, f in enumerate(fields, start=1):
        original = {w for col in ("name", "keywords", "body") for w in f[col]}
        extra = dict.fromkeys(x for col in ("name", "keywords", "body") for w in f[col] for x in expander.expand(w))
        f["extra"] = [x for x in extra if x not in original]
        df.update({w for ws in f.values() for w in ws})
        rows.append((docid, offers[docid - 1]["id"], *(" ".join(f[col]) for col in FTS_COLUMNS)))
    return rows, df


def _write_fts(conn: sqlite3.Connection, fts_rows: list[tuple[Any, ...]]) -> None:
    conn.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(offer_id UNINDEXED, "
        + ", ".join(FTS_COLUMNS) + ", tokenize='unicode61', prefix='4')"
    )
    marks = ", ".join("?" * (2 + len(FTS_COLUMNS)))
    conn.executemany(f"INSERT INTO search_fts (rowid, offer_id, {', '.join(FTS_COLUMNS)}) VALUES ({marks})",
                     fts_rows)


def _write_vocabulary(conn: sqlite3.Connection, df: Counter[str], topic_words: set[str],
                      lemmas: Mapping[str, str]) -> None:
    """search_vocab (word, document frequency, topic word?), its trigram index search_words,
    and search_lemmas (form -> lemma)."""
    conn.execute("CREATE TABLE search_vocab (word TEXT PRIMARY KEY, df INTEGER NOT NULL, topic INTEGER NOT NULL)"
                 " WITHOUT ROWID")
    vocab_rows = sorted((w, df.get(w, 0), int(w in topic_words)) for w in set(df) | topic_words)
    conn.executemany("INSERT INTO search_vocab VALUES (?, ?, ?)", vocab_rows)
    conn.execute("CREATE VIRTUAL TABLE search_words USING fts5(word, tokenize='trigram')")
    conn.executemany("INSERT INTO search_words (word) VALUES (?)",
                     ((w,) for w, _, _ in vocab_rows if len(w) >= 4 and sum(c.isalpha() for c in w) >= 3))
    conn.execute("CREATE TABLE search_lemmas (form TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID")
    conn.executemany("INSERT INTO search_lemmas VALUES (?, ?)", sorted(lemmas.items()))


def _real_words_near(lemmas: set[str], vocabulary: set[str]) -> list[str]:
    """The dictionary's lemmas (not indexed themselves) one insertion, deletion or substitution away
    from an indexed word of four letters or more, found through the words' one-letter deletions
    (a second's work for 300,000 lemmas, where comparing every pair would take hours)."""
    deletions: set[str] = set()
    for word in vocabulary:
        if len(word) >= 4:
            deletions.update(word[:i] + word[i + 1:] for i in range(len(word) + 1))
    return sorted(lemma for lemma in lemmas if len(lemma) >= TYPO_MIN and lemma not in vocabulary and (
        lemma in deletions or any(lemma[:i] + lemma[i + 1:] in deletions for i in range(len(lemma)))))


def _write_real_words(conn: sqlite3.Connection, real: list[str]) -> None:
    conn.execute("CREATE TABLE search_real_words (word TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.executemany("INSERT INTO search_real_words VALUES (?)", ((w,) for w in real))


def _write_places(conn: sqlite3.Connection, towns: Counter[str], facts: _DictionaryFacts) -> None:
    """search_places (see :func:`bot.geo.place_rows`) and the town names that are everyday words."""
    conn.execute("CREATE TABLE search_places (namespace TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL,"
                 " lat REAL, lon REAL, county TEXT, state TEXT, postcode TEXT, PRIMARY KEY (namespace, key))")
    conn.executemany("INSERT INTO search_places VALUES (?, ?, ?, ?, ?, ?, ?, ?)", place_rows(conn))
    conn.execute("CREATE TABLE search_place_words (word TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.executemany("INSERT INTO search_place_words VALUES (?)", ((w,) for w in _ambiguous_places(towns, facts)))


def build(db: sqlite_utils.Database) -> None:
    """Create the search tables from the offers tables (see the module docstring)."""
    conn: sqlite3.Connection = db.conn
    counties = _county_aliases(conn)
    offers = _offers_in_county_order(db, counties)
    fields = _offers_fields(db, offers)

    topic_rows = list(db["topics"].rows)
    topic_words = {w for r in topic_rows for entry in json.loads(r["words"]) for w in words(entry)}
    split_vocab = _split_vocabulary(fields, topic_words)
    towns, written = _town_words(conn)
    facts = _read_dictionary(_german_dictionary(), split_vocab, written)
    expander = _Expander(split_vocab, facts.lemmas, facts.words)
    ellipses = _add_ellipses(offers, fields, split_vocab, facts.words)
    fts_rows, df = _fts_rows(offers, fields, expander)

    _write_fts(conn, fts_rows)
    _build_docs(db, offers, topic_rows, counties, ellipses)
    _write_vocabulary(conn, df, topic_words, expander.lemmas)
    _write_real_words(conn, _real_words_near(facts.words, set(df) | topic_words))
    _write_places(conn, towns, facts)


def _known_county(county: str | None) -> Callable[[str], str | None]:
    """``county_of`` for :func:`areas.area_keys` when the sync already found the served town's county."""
    return lambda _town: county


def _by_residence(offer: dict[str, Any], primary: list[str], topics: list[str], matcher: TopicMatcher) -> bool:
    """Whether an offer is a district's office for its residents (bot.areas.RESIDENCE_TOPICS): its name or
    category says so, or its provider does ("Sorgentelefon" run by "Stadt Erfurt, Jugendamt (ASD)")."""
    own = set(primary) | (matcher.topics(offer["provider"] or "") & set(topics))
    return bool(areas.RESIDENCE_TOPICS & own)


def _crisis_lines(conn: sqlite3.Connection) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The crises of each crisis line, by its numbers (national digits) and by its name (normalized):
    an offer whose number or name is a crisis line's serves that line's crises."""
    by_number: dict[str, set[str]] = {}
    by_name: dict[str, set[str]] = {}
    for name, numbers, kinds in conn.execute("SELECT name, phones, crisis FROM hotlines"):
        for number in json.loads(numbers or "[]"):
            by_number.setdefault(national_digits(number), set()).update(json.loads(kinds or "[]"))
        by_name.setdefault(normalize(name), set()).update(json.loads(kinds or "[]"))
    return by_number, by_name


def _build_docs(db: sqlite_utils.Database, offers: list[dict[str, Any]], topic_rows: list[dict[str, Any]],
                counties: dict[str, str], ellipses: Mapping[str, list[str]]) -> None:
    conn: sqlite3.Connection = db.conn
    matcher = load_matcher({"id": r["id"], "label": r["label"], "words": json.loads(r["words"]),
                            "not_words": json.loads(r.get("not_words") or "[]")} for r in topic_rows)
    phones: dict[str, set[str]] = {}
    for offer_id, number in conn.execute("SELECT offer_id, number FROM phones"):
        phones.setdefault(offer_id, set()).add(national_digits(number))
    crisis_by_number, crisis_by_name = _crisis_lines(conn)

    # Lists are space-separated words (topic ids and crisis kinds have no spaces): cheaper to read than JSON.
    conn.execute(
        "CREATE TABLE search_docs (docid INTEGER PRIMARY KEY, offer_id TEXT NOT NULL UNIQUE, lat REAL, lon REAL,"
        " state TEXT, county TEXT, topics TEXT, primary_topics TEXT, crisis TEXT, always_open INTEGER,"
        " has_hours INTEGER, has_phone INTEGER, has_address INTEGER, area TEXT, by_residence INTEGER,"
        " professional INTEGER, provider_words TEXT, adults_only INTEGER, young_only INTEGER)")
    conn.execute("CREATE TABLE search_topic_geo (topic TEXT NOT NULL, lat REAL, lon REAL, docid INTEGER NOT NULL,"
                 " is_primary INTEGER NOT NULL)")
    conn.execute("CREATE TABLE search_county_range (county TEXT PRIMARY KEY, first INTEGER, last INTEGER)")
    conn.execute("CREATE TABLE search_crisis (kind TEXT NOT NULL, docid INTEGER NOT NULL, PRIMARY KEY (kind, docid))"
                 " WITHOUT ROWID")
    doc_rows: list[tuple[object, ...]] = []
    topic_geo: list[tuple[str, float | None, float | None, int, int]] = []
    crisis_rows: list[tuple[str, int]] = []
    ranges: dict[str, tuple[int, int]] = {}
    for docid, o in enumerate(offers, start=1):
        topics = sorted(json.loads(o["topics"] or "[]"))
        named = " ".join([o["name"], o["category"] or "", *ellipses.get(o["id"], ())])
        primary = sorted(matcher.topics(named) & set(topics))
        crisis = set(crisis_by_name.get(normalize(o["name"]), ())).union(
            *(crisis_by_number.get(number, ()) for number in phones.get(o["id"], ())))
        county = o["county_key"]
        audience = json.loads(o["audience"] or "[]")
        first, _ = ranges.get(county, (docid, docid))
        ranges[county] = (first, docid)
        doc_rows.append((docid, o["id"], o["lat"], o["lon"], o["state"], county, " ".join(topics),
                         " ".join(primary), " ".join(sorted(crisis)), int(o["hours_osm"] == "24/7"),
                         int(bool(o["hours_text"] or o["hours_osm"])), int(o["id"] in phones),
                         int(bool(o["street"])),
                         areas.area_keys(o["service_area"], json.loads(o["service_regions"] or "[]"),
                                         _known_county(o["service_town_county"])),
                         int(_by_residence(o, primary, topics, matcher)), int(o["intended_for"] == "professionals"),
                         " ".join(_provider_only(o)), int(adults_only(audience)), int(young_only(audience))))
        topic_geo.extend((t, o["lat"], o["lon"], docid, int(t in primary)) for t in topics)
        crisis_rows.extend((kind, docid) for kind in sorted(crisis))
    conn.executemany(f"INSERT INTO search_docs VALUES ({', '.join('?' * 19)})", doc_rows)
    conn.executemany("INSERT INTO search_topic_geo VALUES (?, ?, ?, ?, ?)", topic_geo)
    conn.executemany("INSERT INTO search_crisis VALUES (?, ?)", crisis_rows)
    conn.executemany("INSERT INTO search_county_range VALUES (?, ?, ?)",
                     ((c, a, b) for c, (a, b) in sorted(ranges.items())))
    conn.execute("CREATE INDEX search_docs_lat ON search_docs (lat, lon)")
    conn.execute("CREATE INDEX search_topic_geo_lat ON search_topic_geo (topic, lat)")
    conn.execute("CREATE INDEX search_topic_geo_primary ON search_topic_geo (topic, is_primary, docid)")


#: Words of an audience ("Für: …") that name children or young people alone (:func:`young_only`); with those
#: that name everyone too, the young audience, and those that name adults: an offer whose every audience names
#: adults and none young people is for adults only (:func:`adults_only`).
_YOUNG_ONLY = ("kind", "jugend", "junge", "schüler", "schueler", "teen", "mädchen", "maedchen")
_YOUNG_AUDIENCE = (*_YOUNG_ONLY, "alle", "famil", "azubi", "auszubild", "student")
_ADULT_AUDIENCE = ("eltern", "erziehende", "erwachsene", "senior", "rentner", "ab 27", "paare", "ältere",
                   "aeltere")
#: An audience naming any of these is not young people alone (adults, families, everyone).
_NOT_YOUNG_ONLY = (*_ADULT_AUDIENCE, "alle", "famil")


def adults_only(audience: list[str]) -> bool:
    """Whether an offer's audience is adults only ("Eltern, Großeltern, Erziehende"; "Zugewanderte ab 27 Jahren"):
    no answer for a 14-year-old who writes that the parents quarrel (bot.query.young_writer)."""
    entries = [entry.casefold() for entry in audience]
    return bool(entries) and all(any(w in e for w in _ADULT_AUDIENCE) and not any(w in e for w in _YOUNG_AUDIENCE)
                                 for e in entries)


def young_only(audience: list[str]) -> bool:
    """Whether an offer's audience is children and young people only ("Kinder, Jugendliche": the children's line),
    no line for a parent who asks about their child when no place is known (bot.search ``UNPLACED_LOCAL``)."""
    entries = [entry.casefold() for entry in audience]
    return bool(entries) and all(any(w in e for w in _YOUNG_ONLY) and not any(w in e for w in _NOT_YOUNG_ONLY)
                                 for e in entries)


def _provider_only(offer: dict[str, Any]) -> list[str]:
    """The words of an offer's provider that its name, category, keywords and description do not hold: a
    town there is the provider's seat or diocese, not a place the offer comes to (bot.search ``_names_town``)."""
    keywords = json.loads(offer["keywords"] or "[]")
    told = set(words(" ".join([offer["name"] or "", offer["category"] or "", *keywords, offer["description"] or ""])))
    return sorted(set(words(offer["provider"] or "")) - told)


def _town_words(conn: sqlite3.Connection) -> tuple[Counter[str], dict[str, str]]:
    """One-word town names (canonical) with their number of postcodes, and as written."""
    postcodes: Counter[str] = Counter()
    written: dict[str, str] = {}
    for (name,) in conn.execute("SELECT name FROM places"):
        base = re.split(r"\s*[/(]", name)[0].strip()
        key = words(base)
        if len(key) == 1:
            postcodes[key[0]] += 1
            written.setdefault(key[0], base)
    return postcodes, written


def _ambiguous_places(towns: Counter[str], facts: _DictionaryFacts) -> list[str]:
    """One-word town names that are also everyday German words ("Wetter", "Langen", "Sinn").

    Such a word names the town only after "in", "bei", ...: "wie wird das wetter" is
    not about Wetter (Hessen). A word counts as everyday when the dictionary reads it
    as a form of another word or knows several forms of it; a town with several
    postcodes (Kassel, Gießen) is big enough to be meant by its bare name.
    """
    return sorted(w for w, n in towns.items()
                  if n <= 1 and (w in facts.lemma_of or w in facts.forms)
                  and (facts.lemma_of.get(w, w) != w or facts.forms[w] >= 3))


class Vocabulary:
    """The indexed words at query time: known?, how rare?, lemma, prefixes, typo neighbours.

    Reads the tables on demand (nothing is loaded up front, so a cold start stays
    fast) and remembers what it looked up; one instance serves one database generation.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.doc_count = max(1, conn.execute("SELECT count(*) FROM search_docs").fetchone()[0])
        self._df: dict[str, int | None] = {}
        self._lemma: dict[str, str | None] = {}
        self._real: dict[str, bool] = {}

    def df(self, word: str) -> int | None:
        """Document frequency, or None when the word is not indexed."""
        if word not in self._df:
            row = self.conn.execute("SELECT df FROM search_vocab WHERE word = ?", (word,)).fetchone()
            self._df[word] = row[0] if row else None
        return self._df[word]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.df(word) is not None

    def lemma(self, word: str) -> str | None:
        if word not in self._lemma:
            row = self.conn.execute("SELECT lemma FROM search_lemmas WHERE form = ?", (word,)).fetchone()
            self._lemma[word] = row[0] if row else None
        return self._lemma[word]

    def is_real_word(self, word: str) -> bool:
        """Whether ``word`` is a German word near an indexed one (``search_real_words``): no typo of it."""
        if word not in self._real:
            row = self.conn.execute("SELECT 1 FROM search_real_words WHERE word = ?", (word,)).fetchone()
            self._real[word] = row is not None
        return self._real[word]

    def with_prefix(self, prefix: str, limit: int = 40) -> list[tuple[str, int]]:
        """Indexed words that start with ``prefix`` (itself excluded), most frequent first."""
        rows = self.conn.execute(
            "SELECT word, df FROM search_vocab WHERE word > ? AND word < ? AND df > 0 ORDER BY df DESC LIMIT ?",
            (prefix, prefix + "\x7f", limit)).fetchall()
        for word, df in rows:
            self._df.setdefault(word, df)
        return rows

    def similar(self, word: str, limit: int = 30) -> list[str]:
        """Indexed words sharing the most trigrams with ``word`` (typo candidates)."""
        grams = {word[i:i + 3] for i in range(len(word) - 2)}
        if not grams:
            return []
        match = " OR ".join(f'"{g}"' for g in sorted(grams))
        try:
            return [r[0] for r in self.conn.execute(
                "SELECT word FROM search_words WHERE search_words MATCH ? ORDER BY rank LIMIT ?", (match, limit))]
        except sqlite3.OperationalError:
            return []
