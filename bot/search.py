"""Find the offers that fit a question: candidates from the index, then a ranking.

Candidates come from two indexes, never from a scan of all offers: the FTS5
table built at sync time (prefix queries over canonical words, compounds and
lemmas) and the topic links (``offer_topics``). Only those candidates are
scored, combining

- text coverage: how much of the question's content words an offer carries,
  rare words weighing more (IDF), with prefix/compound/lemma and rapidfuzz
  matches for typos counting a little less than exact ones;
- topic match: the topics of the question (everyday words, knowledge/topics.yaml)
  against the offer's topics; a crisis adds its topics;
- place: distance to the named place (or the chat's home place), the county;
- person: a surname asked for ("Frau Grimm") among the offer's contacts.

A question whose content words match nothing and that names no topic is
answered with nothing: an honest "nothing found" beats a random offer.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process

from bot.geo import Place, PlaceIndex, distance_km
from bot.normalize import words
from bot.query import STOPWORDS, QueryAnalysis, detect_crisis, detect_intent, detect_person
from bot.searchindex import split_compound, strip_particle
from bot.store import OfferRecord, Store
from bot.vocabulary import TopicMatcher, load_matcher

MAX_CHARS = 4096
MAX_TOKENS = 64
FTS_LIMIT = 300
TOPIC_LIMIT = 3000
#: Below this relevance (0..1) an offer does not answer the question.
MIN_RELEVANCE = 0.42
FIELD_WEIGHTS = {"name": 1.0, "keywords": 0.9, "people": 0.9, "body": 0.65, "place": 0.35}
URGENT_CRISES = frozenset({"suicide", "violence", "poison", "medical"})
CRISIS_TOPICS = {
    "suicide": ("krise", "psyche"), "violence": ("gewalt", "frauenhaus"), "child": ("kinderschutz",),
    "poison": ("vergiftung",), "medical": ("gesundheit",),
}


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float


@dataclass
class SearchResult:
    offer: OfferRecord
    score: float
    distance_km: float | None
    open_now: bool | None


@dataclass
class SearchResponse:
    analysis: QueryAnalysis
    results: list[SearchResult] = field(default_factory=list)
    #: The named place has no fitting offer; the results are the nearest ones elsewhere.
    place_fallback: bool = False
    #: Topic labels and did-you-mean words to offer when nothing was found.
    suggestions: list[str] = field(default_factory=list)


@dataclass
class _Term:
    word: str
    variants: tuple[str, ...]
    weight: float


class SearchEngine:
    """Everything the search keeps in memory for one database generation (small: vocabulary,
    topics, place names), so each question costs a few index lookups."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.generation = store.generation
        conn = store.conn
        self.topic_rows = store.topics()
        self.matcher: TopicMatcher = load_matcher(self.topic_rows)
        self.topic_labels = {t["id"]: t["label"] for t in self.topic_rows}
        self.vocab: dict[str, int] = dict(conn.execute("SELECT word, df FROM search_vocab"))
        self.doc_count = max(1, conn.execute("SELECT count(*) FROM search_docs").fetchone()[0])
        self._fuzzy_vocab = [w for w, df in self.vocab.items() if len(w) >= 4 and df > 0]
        topic_single = {w for t in self.topic_rows for entry in t["words"] for w in words(entry)}
        self.places = PlaceIndex(conn, STOPWORDS | topic_single)
        self._lemma_cache: dict[str, str | None] = {}

    # --- query analysis -------------------------------------------------------

    def lemma(self, word: str) -> str | None:
        if word not in self._lemma_cache:
            row = self.store.conn.execute("SELECT lemma FROM search_lemmas WHERE form = ?", (word,)).fetchone()
            self._lemma_cache[word] = row[0] if row else None
        return self._lemma_cache[word]

    def _known(self, word: str) -> bool:
        return word in self.vocab

    def _split(self, word: str) -> list[str]:
        return split_compound(word, self.vocab.keys())  # type: ignore[arg-type]

    def _correct(self, word: str) -> str | None:
        """A typo's nearest real word of the index (rapidfuzz over the vocabulary only)."""
        if len(word) < 5 or not self._fuzzy_vocab:
            return None
        found = process.extractOne(word, self._fuzzy_vocab, scorer=fuzz.ratio, score_cutoff=84)
        return found[0] if found else None

    def analyze(self, question: str, place_hint: str | None = None) -> QueryAnalysis:
        text = (question or "")[:MAX_CHARS]
        tokens = words(text)[:MAX_TOKENS]
        analysis = QueryAnalysis(text=text, tokens=tokens)
        analysis.crisis = detect_crisis(text)
        analysis.intent = detect_intent(text)
        analysis.person = detect_person(text)
        place, place_pos = self.places.find(text)
        analysis.place = place
        rest = [t for i, t in enumerate(tokens) if i not in place_pos]
        topics = {hit.topic for hit in self.matcher.hits(rest)}
        if analysis.crisis:
            topics.update(CRISIS_TOPICS.get(analysis.crisis, ()))
        analysis.topics = sorted(topics)
        analysis.terms = [t for t in rest if t not in STOPWORDS and not t.isdigit() and len(t) >= 2]
        if analysis.person and analysis.person not in analysis.terms:
            analysis.terms.append(analysis.person)
        return analysis

    def _terms(self, analysis: QueryAnalysis) -> list[_Term]:
        terms = []
        for word in dict.fromkeys(analysis.terms):
            variants = [word]
            lemma = self.lemma(word)
            if lemma:
                variants.append(lemma)
            # Compound parts count even for known words: "spielsucht" also finds "Sucht".
            parts = self._split(word)
            variants.extend(parts)
            if not self._known(word) and not parts:
                particle_free = strip_particle(word, self.vocab)
                if particle_free:
                    variants.append(particle_free)
                elif not any(v in self.vocab for v in variants) and not self._prefix_known(word):
                    corrected = self._correct(word)
                    if corrected:
                        variants.append(corrected)
            df = max((self.vocab.get(v, 0) for v in variants), default=0)
            weight = math.log(1 + self.doc_count / (1 + df)) + 0.5
            terms.append(_Term(word, tuple(dict.fromkeys(variants)), weight))
        return terms

    def _prefix_known(self, word: str) -> bool:
        if len(word) < 4:
            return False
        row = self.store.conn.execute(
            "SELECT 1 FROM search_vocab WHERE word > ? AND word < ? LIMIT 1", (word, word + "\uffff")
        ).fetchone()
        return row is not None

    # --- retrieval ------------------------------------------------------------

    def _fts_candidates(self, terms: list[_Term]) -> set[int]:
        parts = []
        for term in terms:
            for v in term.variants:
                if not re.fullmatch(r"[a-z0-9]+", v):
                    continue
                parts.append(f'"{v}"*' if len(v) >= 4 else f'"{v}"')
        if not parts:
            return set()
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?"
        try:
            return {r[0] for r in self.store.conn.execute(sql, (" OR ".join(parts), FTS_LIMIT))}
        except sqlite3.OperationalError:
            return set()

    def _topic_candidates(self, topics: list[str], place: Place | None) -> set[int]:
        if not topics:
            return set()
        marks = ",".join("?" * len(topics))
        sql = (f"SELECT d.docid FROM offer_topics t JOIN search_docs d ON d.offer_id = t.offer_id "
               f"WHERE t.topic_id IN ({marks})")
        args: list[Any] = list(topics)
        if place is not None:
            # Near the place first; nationwide offers (no coordinates) always qualify.
            sql += " AND (d.lat IS NULL OR (d.lat BETWEEN ? AND ? AND d.lon BETWEEN ? AND ?))"
            args += [place.lat - 0.9, place.lat + 0.9, place.lon - 1.4, place.lon + 1.4]
        sql += " LIMIT ?"
        args.append(TOPIC_LIMIT)
        return {r[0] for r in self.store.conn.execute(sql, args)}

    def _place_candidates(self, place: Place) -> set[int]:
        sql = ("SELECT docid FROM search_docs WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? LIMIT ?")
        return {r[0] for r in self.store.conn.execute(
            sql, (place.lat - 0.15, place.lat + 0.15, place.lon - 0.22, place.lon + 0.22, 200))}

    def _docs(self, docids: set[int]) -> list[dict[str, Any]]:
        if not docids:
            return []
        marks = ",".join("?" * len(docids))
        conn = self.store.conn
        fts = {r[0]: r for r in conn.execute(
            f"SELECT rowid, name, keywords, body, place, people FROM search_fts WHERE rowid IN ({marks})",
            list(docids))}
        docs = []
        for row in conn.execute(
            f"SELECT docid, offer_id, lat, lon, state, county, topics, primary_topics, always_open "
            f"FROM search_docs WHERE docid IN ({marks})",
            list(docids),
        ):
            f = fts.get(row[0])
            if f is None:
                continue
            docs.append({
                "docid": row[0], "offer_id": row[1], "lat": row[2], "lon": row[3], "state": row[4],
                "county": row[5], "topics": set(json.loads(row[6] or "[]")),
                "primary": set(json.loads(row[7] or "[]")), "always_open": bool(row[8]),
                "fields": {"name": f[1].split(), "keywords": f[2].split(), "body": f[3].split(),
                           "place": f[4].split(), "people": f[5].split()},
            })
        return docs

    # --- ranking --------------------------------------------------------------

    @staticmethod
    def _match(term: _Term, tokens: list[str], token_set: set[str]) -> float:
        if term.word in token_set:
            return 1.0
        if any(v in token_set for v in term.variants[1:]):
            return 0.85
        word = term.word
        if len(word) >= 4 and any(t.startswith(word) for t in tokens):
            return 0.9
        if any(len(t) >= 5 and word.startswith(t) and len(word) - len(t) <= 4 for t in tokens):
            return 0.8
        if len(word) >= 5:
            best = max((fuzz.ratio(word, t) for t in tokens if abs(len(t) - len(word)) <= 2), default=0)
            if best >= 85:
                return 0.7
        return 0.0

    def _coverage(self, terms: list[_Term], doc: dict[str, Any]) -> tuple[float, float]:
        """(coverage over all fields, coverage in the name)."""
        if not terms:
            return 0.0, 0.0
        total = sum(t.weight for t in terms)
        got = in_name = 0.0
        sets = {k: set(v) for k, v in doc["fields"].items()}
        for term in terms:
            best = 0.0
            for col, weight in FIELD_WEIGHTS.items():
                if best >= weight:
                    continue
                m = self._match(term, doc["fields"][col], sets[col])
                best = max(best, m * weight)
                if col == "name" and m:
                    in_name += term.weight * m
            got += term.weight * best
        return got / total, in_name / total

    def _place_factor(self, place: Place | None, doc: dict[str, Any]) -> tuple[float, float | None]:
        """(factor 0..1, distance in km or None)."""
        if place is None:
            return 1.0, None
        if doc["lat"] is None:
            same_state = doc["state"] in (None, "DE") or doc["state"] == place.state
            return (0.55 if same_state else 0.25), None
        dist = distance_km(place.lat, place.lon, doc["lat"], doc["lon"])
        if place.kind == "county" and doc["county"] and self.places.same_county(place, doc["county"]):
            return 1.0, dist
        return 1.0 / (1.0 + dist / 12.0), dist

    def search(self, question: str, *, limit: int = 10, near: GeoPoint | None = None,
               place_hint: str | None = None, at: datetime | None = None) -> SearchResponse:
        analysis = self.analyze(question)
        place: Place | None = analysis.place  # type: ignore[assignment]
        if place is None and near is not None:
            place = Place("Standort", near.lat, near.lon, kind="point")
        if place is None and place_hint:
            place = self.places.resolve(place_hint)
        terms = self._terms(analysis)
        topics = analysis.topics
        candidates = self._fts_candidates(terms) | self._topic_candidates(topics, place)
        if not terms and not topics and place is not None:
            candidates |= self._place_candidates(place)
        docs = self._docs(candidates)
        q_topics = set(topics)
        crisis_topics = set(CRISIS_TOPICS.get(analysis.crisis or "", ()))
        # The first topic of a crisis is its core (suicide -> "krise"): it weighs most.
        topic_weight = {t: (2.0 if i == 0 else 1.5) for i, t in enumerate(CRISIS_TOPICS.get(analysis.crisis or "", ()))}
        scored: list[tuple[float, float | None, dict[str, Any]]] = []
        for doc in docs:
            coverage, in_name = self._coverage(terms, doc)
            topic_score = 0.0
            if q_topics:
                # A topic the offer is mainly about counts fully, one it touches counts less.
                weight = sum(topic_weight.get(t, 1.0) * (1.0 if t in doc["primary"] else 0.7)
                             for t in q_topics & doc["topics"])
                topic_score = weight / sum(topic_weight.get(t, 1.0) for t in q_topics)
            person_hit = bool(analysis.person and analysis.person in doc["fields"]["people"])
            if terms and q_topics:
                relevance = 0.55 * max(coverage, topic_score) + 0.45 * min(coverage, topic_score)
                relevance = max(relevance, coverage if coverage >= 0.8 else 0.0)
            elif terms:
                relevance = coverage
            elif q_topics:
                relevance = topic_score
            else:
                relevance = 0.5 if place is not None else 0.0
            relevance += 0.25 * in_name
            if crisis_topics & doc["topics"]:
                # In acute danger an offer for that danger is relevant whatever words were
                # used; where minutes count, one that answers around the clock comes first.
                relevance = max(relevance, 0.5 + 0.4 * topic_score) + 0.15 * coverage
                if doc["always_open"] and analysis.crisis in URGENT_CRISES:
                    relevance *= 1.5
            if person_hit:
                relevance = max(relevance, 0.8) + 0.3
            elif analysis.person:
                relevance *= 0.6
            if relevance < MIN_RELEVANCE:
                continue
            factor, dist = self._place_factor(place, doc)
            score = relevance * (0.5 + 0.5 * factor)
            scored.append((score, dist, doc))
        scored.sort(key=lambda item: (-item[0], item[1] if item[1] is not None else 1e9, item[2]["offer_id"]))
        if scored:
            best = scored[0][0]
            scored = [s for s in scored if s[0] >= 0.45 * best]
        top = scored[:limit]
        offers = {o.id: o for o in self.store.offers([d["offer_id"] for _, _, d in top])}
        when = at or datetime.now()
        from bot.opening import is_open

        results = []
        for score, dist, doc in top:
            offer = offers.get(doc["offer_id"])
            if offer is None:
                continue
            results.append(SearchResult(offer, round(score, 4), None if dist is None else round(dist, 1),
                                        is_open(offer.hours_osm, when, offer.state or "TH")))
        response = SearchResponse(analysis=analysis, results=results)
        local = [r for r in results if r.distance_km is not None]
        if place is not None and analysis.place is not None and local and local[0].distance_km > 12:
            response.place_fallback = True
        if not results:
            response.suggestions = self.suggestions(analysis, terms)
        return response

    def suggestions(self, analysis: QueryAnalysis, terms: list[_Term]) -> list[str]:
        """Did-you-mean words for unknown terms, then a few topic labels to browse."""
        out: list[str] = []
        for term in terms:
            if term.word not in self.vocab and len(term.word) >= 4:
                found = process.extractOne(term.word, self._fuzzy_vocab, scorer=fuzz.ratio, score_cutoff=70)
                if found and found[0] not in out:
                    out.append(found[0])
        return out[:3]


_engines: dict[int, SearchEngine] = {}
_engines_lock = threading.Lock()


def engine_for(store: Store) -> SearchEngine:
    """The cached engine of a store, rebuilt when the store loaded a new database."""
    engine = _engines.get(id(store))
    if engine is None or engine.store is not store or engine.generation != store.generation:
        with _engines_lock:
            engine = _engines.get(id(store))
            if engine is None or engine.store is not store or engine.generation != store.generation:
                engine = SearchEngine(store)
                _engines[id(store)] = engine
    return engine


def search(store: Store, question: str, *, limit: int = 10, near: GeoPoint | None = None,
           place_hint: str | None = None, at: datetime | None = None) -> SearchResponse:
    """Find the offers that answer a question (see the module docstring)."""
    return engine_for(store).search(question, limit=limit, near=near, place_hint=place_hint, at=at)


def analyze(store: Store, question: str) -> QueryAnalysis:
    """The analysis alone (intent, crisis, place, topics), for follow-ups in the conversation."""
    return engine_for(store).analyze(question)
