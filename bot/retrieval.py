"""Retrieval: the few hundred candidate offers a question is ranked among, from indexes only.

Never a scan of all offers (see bot.searchindex): the FTS5 table (BM25 over canonical words,
compound parts and lemmas; once within the named place's county, once everywhere), the topic links
nearest to the place, the crisis lines for a crisis, and the offers around a place for a question
that names only a place. The candidates' ranking data (:class:`Doc`) are read once and kept per
database generation. bot.search ranks them.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.analysis import Term
from bot.geo import Place
from bot.normalize import words
from bot.query import QueryAnalysis

#: Candidates taken by BM25 from the text index: everywhere, and within the named county.
FTS_LIMIT = 80
COUNTY_LIMIT = 60
#: Topic candidates nearest to the place, and without a place.
NEAR_LIMIT = 60
TOPIC_LIMIT = 120
#: A word in more than this share of the offers selects nothing (it only ranks), unless
#: nothing else can select: then the first offers carrying it are taken, unranked.
COMMON_SHARE = 0.03
#: Candidates' ranking data kept per database generation (a few kB each); past that it starts afresh.
DOC_CACHE = 5_000
#: FTS5 answers kept per database generation (a few hundred rowids each).
FTS_CACHE = 4_000
FIELD_WEIGHTS = {"name": 1.0, "keywords": 0.9, "people": 0.9, "extra": 0.75, "body": 0.65, "place": 0.35}
FIELDS = tuple(FIELD_WEIGHTS)


@dataclass
class Doc:
    docid: int
    offer_id: str
    lat: float | None
    lon: float | None
    state: str | None
    county: str
    topics: set[str]
    primary: set[str]
    crisis: set[str]
    always_open: bool
    info: dict[str, bool]
    #: Each indexed word of the offer with the weight of the best field it stands in.
    weights: dict[str, float]
    name_words: frozenset[str]
    people: frozenset[str]
    #: Whom it serves (bot.areas.area_keys), whether only its own district's residents, whether for professionals.
    area: str = ""
    by_residence: bool = False
    professional: bool = False
    #: The provider's words no other field of the offer holds ("erfurt" of "Caritasverband für das Bistum Erfurt").
    provider_only: frozenset[str] = frozenset()
    #: Its audience is adults only (bot.searchindex.adults_only).
    adults_only: bool = False
    #: Its audience is children and young people only (bot.searchindex.young_only).
    young_only: bool = False


class IndexMissing(RuntimeError):
    """offers.db lacks the search tables of this version (it was built by an older sync)."""


#: Tables bot.searchindex.build writes that the search reads.
INDEX_TABLES = ("search_fts", "search_docs", "search_topic_geo", "search_county_range", "search_crisis",
                "search_vocab", "search_words", "search_lemmas", "search_real_words", "search_places",
                "search_place_words")


class Retriever:
    """Candidates and their ranking data for one database generation (a part of the search engine:
    it reads ``vocab`` and ``doc_count`` of the analysis beside it)."""

    vocab: Any
    doc_count: int

    def __init__(self, conn: sqlite3.Connection, path: Path | str) -> None:
        self.conn = conn
        present = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in INDEX_TABLES if t not in present]
        if missing:
            raise IndexMissing(f"{path} has no search tables {', '.join(missing)}: "
                               "rebuild it with scripts/sync_offers.py")
        self._county_ranges = {row[0]: (row[1], row[2]) for row in self.conn.execute(
            "SELECT county, first, last FROM search_county_range")}
        self._doc_cache: dict[int, Doc] = {}
        self._fts_cache: dict[tuple[str, int, tuple[int, int] | None, bool], list[int]] = {}

    def _fts_query(self, terms: list[Term], person: str | None) -> tuple[str | None, str | None]:
        """FTS5 OR queries over the question's selective words and over its common words
        (the person's name has its own query: a frequent surname would rank thousands)."""
        cap = max(50, int(self.doc_count * COMMON_SHARE))
        rare: list[str] = []
        common: list[str] = []
        for term in terms:
            if term.word == person:
                continue
            options = sorted(term.matches.items(), key=lambda kv: -kv[1])[:8]
            options += [kv for part in term.parts for kv in sorted(part.items(), key=lambda kv: -kv[1])[:3]]
            for word, _ in options:
                if word.isalnum():
                    (rare if (self.vocab.df(word) or 0) <= cap else common).append(f'"{word}"')
        return " OR ".join(dict.fromkeys(rare)) or None, " OR ".join(dict.fromkeys(common)) or None

    def _fts(self, match: str, limit: int, span: tuple[int, int] | None = None, ranked: bool = True) -> list[int]:
        """Rowids for an FTS5 query, kept per database generation: the same words ("schuldnerberatung",
        "tafel") come back question after question, and BM25 reads every matching row's size."""
        key = (match, limit, span, ranked)
        found = self._fts_cache.get(key)
        if found is None:
            if len(self._fts_cache) >= FTS_CACHE:
                self._fts_cache.clear()
            found = self._fts_cache[key] = self._fts_rows(match, limit, span, ranked)
        return found

    def _fts_rows(self, match: str, limit: int, span: tuple[int, int] | None, ranked: bool) -> list[int]:
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH ?"
        args: list[Any] = [match]
        if span is not None:
            sql += " AND rowid BETWEEN ? AND ?"
            args += list(span)
        if ranked:
            sql += " ORDER BY bm25(search_fts, 0, 4.0, 3.0, 1.0, 0.5, 3.0, 1.5)"
        try:
            return [r[0] for r in self.conn.execute(sql + " LIMIT ?", [*args, limit])]
        except sqlite3.OperationalError:
            return []

    def _topic_near(self, topics: list[str], place: Place, within_km: float | None = None) -> set[int]:
        """The offers on these topics nearest to a place (growing boxes, or one box of about ``within_km``
        around it), and the nationwide ones."""
        marks = ",".join("?" * len(topics))
        found: list[tuple[float, int]] = []
        for radius in (0.1, 0.3, 0.8, 2.5) if within_km is None else (within_km / 111.0,):
            rows = self.conn.execute(
                f"SELECT docid, lat, lon FROM search_topic_geo WHERE topic IN ({marks}) "
                "AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                [*topics, place.lat - radius, place.lat + radius, place.lon - radius * 1.6,
                 place.lon + radius * 1.6]).fetchall()
            found = [(_near_key(place, lat, lon), docid) for docid, lat, lon in rows]
            if len({d for _, d in found}) >= NEAR_LIMIT:
                break
        near = {docid for _, docid in sorted(found)[:NEAR_LIMIT]}
        near.update(r[0] for r in self.conn.execute(
            f"SELECT docid FROM search_topic_geo WHERE topic IN ({marks}) AND lat IS NULL LIMIT ?",
            [*topics, NEAR_LIMIT]))
        return near

    def _topic_any(self, topics: list[str]) -> set[int]:
        """Offers on these topics, those mainly about them first (no place to sort by)."""
        marks = ",".join("?" * len(topics))
        found: set[int] = set()
        for primary in (1, 0):
            found.update(r[0] for r in self.conn.execute(
                f"SELECT docid FROM search_topic_geo WHERE topic IN ({marks}) AND is_primary = ? LIMIT ?",
                [*topics, primary, TOPIC_LIMIT - len(found)]))
            if len(found) >= TOPIC_LIMIT:
                break
        return found

    def _around(self, place: Place) -> set[int]:
        """Any offers near a place (for a question that names only the place)."""
        rows: list[tuple[int, float, float]] = []
        for radius in (0.03, 0.1, 0.3):
            rows = self.conn.execute(
                "SELECT docid, lat, lon FROM search_docs WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                (place.lat - radius, place.lat + radius, place.lon - radius * 1.6, place.lon + radius * 1.6),
            ).fetchall()
            if len(rows) >= NEAR_LIMIT:
                break
        near = sorted((_near_key(place, lat, lon), docid) for docid, lat, lon in rows)
        return {docid for _, docid in near[:NEAR_LIMIT]}

    def _candidates(self, analysis: QueryAnalysis, terms: list[Term], place: Place | None) -> set[int]:
        found: set[int] = set()
        rare, common = self._fts_query(terms, analysis.person)
        span = self._county_range(place)
        if rare:
            found.update(self._fts(rare, FTS_LIMIT))
            if span:
                found.update(self._fts(rare, COUNTY_LIMIT, span))
        if analysis.person:
            person = f'people : "{analysis.person}"'
            if rare:
                found.update(self._fts(f"({person}) AND ({rare})", FTS_LIMIT))
            elif common:
                found.update(self._fts(f"({person}) AND ({common})", FTS_LIMIT, span, ranked=False))
            # A person is looked up everywhere, the county's first: "telefon frau grimm" after a question
            # about Mühlhausen means Frau Grimm wherever she works (the place only ranks).
            if span:
                found.update(self._fts(person, COUNTY_LIMIT, span, ranked=False))
            found.update(self._fts(person, FTS_LIMIT, ranked=False))
        topics = analysis.topics
        if topics:
            found |= self._topic_near(topics, place) if place is not None else self._topic_any(topics)
        if analysis.crisis_for_offers:
            found.update(r[0] for r in self.conn.execute(
                "SELECT docid FROM search_crisis WHERE kind = ?", (analysis.crisis_for_offers,)))
        if common and not rare and not topics:
            # Only common words ("beratung"): within the county, or the first ones anywhere.
            found.update(self._fts(common, COUNTY_LIMIT, span, ranked=False) if span else
                         self._fts(common, FTS_LIMIT, ranked=False))
        if not terms and not topics and place is not None:
            found |= self._around(place)
        return found

    def _county_range(self, place: Place | None) -> tuple[int, int] | None:
        if place is None or not place.county:
            return None
        return self._county_ranges.get(" ".join(words(place.county)))

    def _docs(self, docids: set[int]) -> list[Doc]:
        """The ranking data of candidates; read once per database generation, then kept
        (the same offers are candidates for question after question)."""
        cache = self._doc_cache
        missing = sorted(d for d in docids if d not in cache)
        if missing:
            if len(cache) + len(missing) > DOC_CACHE:
                cache.clear()
            cache.update(self._read_docs(missing))
        return [cache[d] for d in sorted(docids) if d in cache]

    def _read_docs(self, ids: list[int]) -> dict[int, Doc]:
        marks = ",".join("?" * len(ids))
        texts = {r[0]: r[1:] for r in self.conn.execute(
            f"SELECT rowid, {', '.join(FIELDS)} FROM search_fts WHERE rowid IN ({marks})", ids)}
        docs = {}
        for row in self.conn.execute(
            "SELECT docid, offer_id, lat, lon, state, county, topics, primary_topics, crisis, always_open, "
            "has_hours, has_phone, has_address, area, by_residence, professional, provider_words, adults_only, young_only "
            f"FROM search_docs WHERE docid IN ({marks})", ids,
        ):
            text = texts.get(row[0])
            if text is None:
                continue
            docs[row[0]] = Doc(
                docid=row[0], offer_id=row[1], lat=row[2], lon=row[3], state=row[4], county=row[5] or "",
                topics=set((row[6] or "").split()), primary=set((row[7] or "").split()),
                crisis=set((row[8] or "").split()), always_open=bool(row[9]),
                info={"has_hours": bool(row[10]), "has_phone": bool(row[11]), "has_address": bool(row[12])},
                area=row[13] or "", by_residence=bool(row[14]), professional=bool(row[15]),
                provider_only=frozenset((row[16] or "").split()), adults_only=bool(row[17]), young_only=bool(row[18]),
                **_word_weights(text),
            )
        return docs


def _word_weights(texts: tuple[str | None, ...]) -> dict[str, Any]:
    """The ranking view of an offer's indexed fields (in FIELDS order): each word with its
    best field weight, the words of its name, the names of its people."""
    tokens = {name: (value or "").split() for name, value in zip(FIELDS, texts, strict=True)}
    weights: dict[str, float] = {}
    for name in _FIELDS_BY_WEIGHT:  # the heavier field last, so its weight stays
        weights.update(dict.fromkeys(tokens[name], FIELD_WEIGHTS[name]))
    return {"weights": weights, "name_words": frozenset(tokens["name"]), "people": frozenset(tokens["people"])}


_FIELDS_BY_WEIGHT = sorted(FIELDS, key=FIELD_WEIGHTS.__getitem__)


def _near_key(place: Place, lat: float, lon: float) -> float:
    """A cheap monotone stand-in for the distance, to sort candidates (no trigonometry per row)."""
    dlon = (lon - place.lon) * math.cos(math.radians(place.lat))
    return (lat - place.lat) ** 2 + dlon * dlon
