"""Search tables built at sync time, so a question needs no heavy work at run time.

- ``search_fts``: FTS5 over the offers' text in canonical form (bot.normalize), in
  weighted columns (name, keywords, body, place, people), with compound words
  also split into their parts ("schuldnerberatung" -> "schuldner beratung") and
  lemmas added, so "beratung für schuldner" finds "Schuldnerberatung".
- ``search_vocab``: every indexed word with its document frequency, for splitting
  the compounds people type, correcting typos against real words (rapidfuzz
  over the vocabulary, never over the offers), and weighting rare words higher.
- ``search_lemmas``: inflected forms -> lemma (from simplemma's German dictionary),
  only for lemmas in the vocabulary. simplemma takes a second to load, which a
  cold-started search command cannot afford; the table it leaves is read instantly.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

import sqlite_utils

from bot.normalize import fold_word, normalize, words
from bot.vocabulary import load_matcher

#: Parts shorter than this are not split off compounds ("kita" is the shortest useful part).
MIN_PART = 4
FTS_COLUMNS = ("name", "keywords", "body", "place", "people")


def split_compound(word: str, vocabulary: set[str], min_part: int = MIN_PART) -> list[str]:
    """Split a word into known parts, longest head first: "schuldnerberatungsstelle" ->
    ["schuldner", "beratung", "stelle"]. Returns [] when no split covers the word.

    German joins parts with a linking "s" or "n" ("Erziehung-s-beratung"), which is
    allowed between parts.
    """
    if len(word) < 2 * min_part:
        return []
    for cut in range(len(word) - min_part, min_part - 1, -1):
        head, tail = word[:cut], word[cut:]
        if head not in vocabulary:
            continue
        for rest in (tail, tail[1:] if tail[:1] in ("s", "n") else None):
            if not rest or len(rest) < min_part:
                continue
            if rest in vocabulary:
                return [head, rest]
            deeper = split_compound(rest, vocabulary, min_part)
            if deeper:
                return [head, *deeper]
    return []


#: Separable verb particles: "aufwärmen" is "wärmen", "anmelden" is "melden".
PARTICLES = ("auf", "an", "ab", "aus", "ein", "mit", "nach", "vor", "zu", "weg", "los", "be", "ver", "ge")


def strip_particle(word: str, vocabulary: set[str] | dict[str, int]) -> str | None:
    """The known word behind a verb particle ("aufwarmen" -> "warmen"), if there is one."""
    for particle in PARTICLES:
        rest = word[len(particle):]
        if word.startswith(particle) and len(rest) >= MIN_PART and (
            rest in vocabulary or rest[:-1] in vocabulary or rest[:-2] in vocabulary
        ):
            return rest
    return None


def _offer_fields(offer: dict, contacts: list[dict], topic_labels: dict[str, str]) -> dict[str, list[str]]:
    keywords = json.loads(offer["keywords"] or "[]")
    audience = json.loads(offer["audience"] or "[]")
    topics = json.loads(offer["topics"] or "[]")
    return {
        "name": words(offer["name"] or ""),
        "keywords": words(" ".join([offer["category"] or "", *keywords, *(topic_labels.get(t, "") for t in topics)])),
        "body": words(" ".join([offer["description"] or "", offer["provider"] or "", *audience])),
        "place": words(" ".join([offer["city"] or "", offer["county"] or "", offer["street"] or ""])),
        "people": words(" ".join(f"{c['name']} {c['role'] or ''}" for c in contacts)),
    }


def _lemma_map(vocabulary: set[str]) -> dict[str, str]:
    """Inflected form -> lemma, both canonical, for lemmas that occur in the vocabulary."""
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory
    except ImportError:  # pragma: no cover - simplemma is a dependency
        return {}
    dictionary = DefaultDictionaryFactory().get_dictionary("de")
    out: dict[str, str] = {}
    for form, lemma in dictionary.items():
        lemma_c = fold_word(lemma.lower())
        if lemma_c in vocabulary:
            form_c = fold_word(form.lower())
            if form_c != lemma_c and form_c.isalpha():
                out.setdefault(form_c, lemma_c)
    return out


def _expand(tokens: Iterable[str], vocabulary: set[str], lemmas: dict[str, str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        out.append(token)
        lemma = lemmas.get(token)
        if lemma:
            out.append(lemma)
        out.extend(split_compound(token, vocabulary))
    return out


def build(db: sqlite_utils.Database) -> None:
    """Create search_fts, search_vocab and search_lemmas from the offers tables."""
    topic_labels = {r["id"]: r["label"] for r in db["topics"].rows}
    contacts: dict[str, list[dict]] = {}
    for c in db["contacts"].rows:
        contacts.setdefault(c["offer_id"], []).append(c)
    fields = {o["id"]: _offer_fields(o, contacts.get(o["id"], []), topic_labels) for o in db["offers"].rows}

    # The vocabulary for compound splitting: words of the offers and of the topics.
    base: Counter[str] = Counter()
    for f in fields.values():
        base.update(set(w for ws in f.values() for w in ws))
    topic_words = {w for r in db["topics"].rows for entry in json.loads(r["words"]) for w in words(entry)}
    split_vocab = {w for w in set(base) | topic_words if len(w) >= MIN_PART}
    lemmas = _lemma_map(split_vocab)

    rows = []
    df: Counter[str] = Counter()
    for docid, (offer_id, f) in enumerate(fields.items(), start=1):
        expanded = {col: _expand(tokens, split_vocab, lemmas) for col, tokens in f.items()}
        df.update({w for ws in expanded.values() for w in ws})
        rows.append((docid, offer_id, *(" ".join(expanded[col]) for col in FTS_COLUMNS)))

    db.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(offer_id UNINDEXED, "
        + ", ".join(FTS_COLUMNS) + ", tokenize='unicode61', prefix='4')"
    )
    marks = ", ".join("?" * (2 + len(FTS_COLUMNS)))
    db.conn.executemany(f"INSERT INTO search_fts (rowid, offer_id, {', '.join(FTS_COLUMNS)}) VALUES ({marks})", rows)
    # Per-document data the ranking needs without touching the offers table.
    offers = {o["id"]: o for o in db.query("SELECT id, lat, lon, state, county, topics, name, category, hours_osm FROM offers")}
    matcher = load_matcher(
        {"id": r["id"], "label": r["label"], "words": json.loads(r["words"])} for r in db["topics"].rows
    )
    db["search_docs"].insert_all(
        ({"docid": docid, "offer_id": offer_id, "lat": offers[offer_id]["lat"], "lon": offers[offer_id]["lon"],
          "state": offers[offer_id]["state"], "county": normalize(offers[offer_id]["county"] or ""),
          "topics": offers[offer_id]["topics"],
          "always_open": int(offers[offer_id]["hours_osm"] == "24/7"),
          # Topics of the name and category: what the offer is mainly for ("Tafel"),
          # as opposed to topics its keywords merely touch ("Bürgergeld-Bescheid mitbringen").
          "primary_topics": json.dumps(sorted(
              matcher.topics(f"{offers[offer_id]['name']} {offers[offer_id]['category'] or ''}")
              & set(json.loads(offers[offer_id]["topics"] or "[]"))))}
         for docid, offer_id, *_ in rows),
        pk="docid", columns={"lat": float, "lon": float})
    db["search_docs"].create({"docid": int, "offer_id": str, "lat": float, "lon": float, "state": str,
                              "county": str, "topics": str, "primary_topics": str, "always_open": int},
                             pk="docid", if_not_exists=True)
    db["search_docs"].create_index(["offer_id"], unique=True, if_not_exists=True)
    db["search_docs"].create_index(["lat", "lon"], if_not_exists=True)
    db["search_vocab"].insert_all(
        ({"word": w, "df": df.get(w, 0), "topic": int(w in topic_words)}
         for w in sorted(set(df) | topic_words)), pk="word")
    db["search_lemmas"].insert_all(
        ({"form": form, "lemma": lemma} for form, lemma in sorted(lemmas.items())), pk="form")
    db["search_vocab"].create({"word": str, "df": int, "topic": int}, pk="word", if_not_exists=True)
    db["search_lemmas"].create({"form": str, "lemma": str}, pk="form", if_not_exists=True)
