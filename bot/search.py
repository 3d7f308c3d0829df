"""Rank the candidate offers of a question and decide what answers it.

The question's analysis comes from bot.analysis, its candidates (a few hundred, from indexes,
never a scan of all offers) from bot.retrieval. Only those candidates are scored, combining

- text coverage: how much of the question's content words an offer carries,
  rare words weighing more (IDF); lemma, prefix, compound-part and rapidfuzz
  matches (for typos, against similar indexed words only) count a little less
  than exact ones, and a name counts more than a description;
- topic match: the topics of the question (everyday words, knowledge/topics.yaml)
  against the offer's topics, fully when its name or category is about the topic;
- crisis: an offer whose number is a crisis line for the danger comes first;
- person: a surname asked for ("Frau Grimm") among the offer's contacts;
- intent: a small bonus when the offer has what is asked for (hours, phone, address);
- place: distance to the named place (or the shared location, or the chat's home
  place); the same county counts as near when a county is named.

An offer under a calibrated relevance does not answer the question: an honest
"nothing found" beats a random offer. Two rules of the data hold whatever the score: a district's
office (youth office, job centre, ...) is never offered to someone from another district (bot.areas;
the answer then says the responsible office is not in the data yet), and an offer for professionals
answers only professional questions, person and name look-ups and inline mode.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot import areas, reorder
from bot.analysis import BODILY, CRISIS_TOPICS, QueryAnalyzer, Term
from bot.geo import Place, distance_km
from bot.normalize import words
from bot.query import QueryAnalysis
from bot.retrieval import FIELD_WEIGHTS, Doc, Retriever
from bot.store import OfferRecord, Store

if TYPE_CHECKING:
    from bot.crisis import CrisisKind
    from bot.query import Intent

#: How well an offer mainly about a topic carries a question word that names the topic.
TOPIC_COVER = 0.6
RELATED_COVER = 0.3
#: Below this relevance (0..1) an offer does not answer the question.
MIN_RELEVANCE = 0.45
#: An offer only about kinds of help the writer set aside ("bei der Erziehungsberatung waren wir schon",
#: bot.aside) keeps this share of its relevance: still found, after the others.
ASIDE_FACTOR = 0.6
#: Under an alarm beyond doubt, a topic only the meaning reads lets in its offers when the meaning reads it by
#: this much closer than the danger's own topics (bot.analysis: the nearest situations' similarity plus the
#: classifier's share; a side reading lies within a few hundredths of the danger, a topic the message is
#: about, read by its words too, half a point or more above it).
BESIDE_MARGIN = 0.2
#: Results scoring under this share of the best one are left out.
RELATIVE_CUT = 0.45
#: A named town counts as served by offers up to this far away.
NEAR_KM = 15.0
#: For the ranking, an offer that names the asked town in its text (an outpost there) is this
#: far away at most.
SERVED_KM = 3.0
#: The place factor of a local offer in another state than the named town.
OTHER_STATE = 0.5
URGENT_CRISES: frozenset[CrisisKind] = frozenset({"suicide", "selfharm", "violence", "poison", "medical"})
#: Topics of professional questions (their words in knowledge/topics.yaml are planners' words): they
#: find the offers for professionals (planning, funding, reports).
PROFESSIONAL_TOPICS = frozenset({"sozialplanung", "foerderprogramm", "armutspraevention"})
#: A word in at most this many offers can name one (a look-up of an offer for professionals by its name).
NAMING_DF = 3
#: The place factor of a line without an address (nationwide, statewide) when the question names a place:
#: the offers there come first, a line only when it fits far better (0.4 let hotlines lead local offers).
NATIONWIDE = 0.3
#: The place factor of an offer at an address when neither the question nor the chat names a place: the person may
#: live anywhere, and a line that reaches everyone (nationwide or statewide, no address) comes before an office in
#: some town when it fits about as well ("ich bin schwanger und niemand darf es wissen": the Hilfetelefon Schwangere
#: in Not before a counselling office in Sömmerda). A line for children and young people alone has no such lead
#: for an adult writer (a parent asking about their child), and under an alarm the lines stand above the answer
#: already, so the words choose the offers. Placeless questions of every blind situation and language set:
#: development halves 174 -> 184 of 281 right first, held-out halves 147 -> 150 of 254 (benchmarks/RESULTS.md,
#: thirty-second session).
UNPLACED_LOCAL = 0.85
#: The share of an offer's score that does not depend on its distance to the place asked about, and the
#: distance (km) at which the other share is halved (0.2-0.5 and 12-25 km tried on the dev halves of the blind
#: situation and language sets: top-1 within 0.005 of each other; what fits matters more than how near).
PLACE_FLOOR = 0.5
PLACE_KM = 12.0
#: An offer this near the named place that is mainly about a topic of the question, or one next to it (a
#: meeting place for "einsam in Jena"), answers it when nothing nearer fits better: a user wants the help in
#: town, not the exact topic's offer 70 km away. 0 turns it off. (Dev halves of the blind situation and
#: language sets 3-5: top-1 0.711 -> 0.719, recall@3 0.811 -> 0.836 at 8-25 km; the fresh sets 6, unseen:
#: situations 0.781 -> 0.800, languages 0.883 -> 0.892; the shared dev set unchanged.)
LOCAL_KM = 15.0
#: The weight of a danger's topics when only the meaning raised the alarm (the words' topics weigh 1).
MEANT_CRISIS_WEIGHT = 0.5
#: A question's topics weigh by how well its meaning fits each (:func:`fit_weights`): "der vater zahlt keinen
#: unterhalt, angeblich hat er keinen job" names Arbeit by a word, but the story is about maintenance, and
#: the job centre had come first. Of slopes 0, 2, 4 and 8 per point of fit tried on the development halves of
#: the blind language and situation sets (1,910 questions), 2 and 4 answered 26 more right first and 8 22;
#: the milder one taken (benchmarks/RESULTS.md, eighteenth session).
FIT_SLOPE = 2.0
FIT_FLOOR = 0.3
#: What an intent asks for, as a search_docs column: an offer that has it ranks a little higher.
INTENT_INFO: dict[Intent, str] = {"hours": "has_hours", "open_now": "has_hours", "phone": "has_phone", "contact": "has_phone",
               "address": "has_address"}


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
    #: The office asked for ("Jugendamt") serves the named place's district, but the district's own is
    #: not in the data: other districts' offices are left out (bot.areas), the results are what is
    #: known for the district (its administration) and the lines that serve everyone.
    missing_office: str | None = None
    #: The first results as the reordering read them, in the rules' order (bot.reorder; empty when the
    #: rules' order stood): what scripts/fit_reorder.py fits the weights on.
    candidates: list[reorder.Candidate] = field(default_factory=list)


class SearchEngine(QueryAnalyzer, Retriever):
    """What the search keeps for one database generation: the topic matcher, the place
    names and the vocabulary lookups made so far. Each question costs a few index queries."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.generation = store.generation
        self.conn: sqlite3.Connection = store.conn
        self.topic_rows = store.topics()
        QueryAnalyzer.__init__(self, self.conn, self.topic_rows)
        Retriever.__init__(self, self.conn, store.path)

    def drop_answer_caches(self) -> None:
        """Forget the FTS5 answers, candidates' data and offer records kept so far (the search
        benchmark times each question as if it had never been asked in this generation)."""
        self._fts_cache.clear()
        self._doc_cache.clear()
        self.store.drop_records()

    # --- ranking --------------------------------------------------------------

    @staticmethod
    def _lookup(terms: list[Term]) -> tuple[dict[str, list[tuple[int, float]]], int]:
        """Indexed word -> [(slot, quality)]; slots are the terms, then their parts."""
        table: dict[str, list[tuple[int, float]]] = {}
        slot = len(terms)
        for i, term in enumerate(terms):
            for word, quality in term.matches.items():
                table.setdefault(word, []).append((i, quality))
            for part in term.parts:
                for word, quality in part.items():
                    table.setdefault(word, []).append((slot, quality))
                slot += 1
        return table, slot

    def _coverage(self, terms: list[Term], table: dict[str, list[tuple[int, float]]], slots: int,
                  doc: Doc) -> tuple[float, float]:
        """(weighted share of the question's words the offer carries, share carried in its name)."""
        if not terms:
            return 0.0, 0.0
        best = [0.0] * slots
        in_name = [0.0] * len(terms)
        weights, name_words, n_terms = doc.weights, doc.name_words, len(terms)
        for word, hits in table.items():
            weight = weights.get(word)
            if weight is None:
                continue
            in_name_field = word in name_words
            for slot, quality in hits:
                value = quality * weight
                if value > best[slot]:
                    best[slot] = value
                if in_name_field and slot < n_terms and quality > in_name[slot]:
                    in_name[slot] = quality
        total = got = named = 0.0
        slot = len(terms)
        for i, term in enumerate(terms):
            score = best[i]
            if term.parts:
                parts = best[slot : slot + len(term.parts)]
                slot += len(term.parts)
                # all parts found: nearly the word itself; some missing: much less
                share = sum(parts) / len(parts)
                score = max(score, (0.85 if min(parts) > 0 else 0.5) * share)
            if term.topics and score < TOPIC_COVER:
                # "schuldenberatung" and an offer named "Schuldner- und Insolvenzberatung", "hartz4"
                # and the Jobcenter: the word's meaning, if not its letters
                credit = max(self._topic_credit(t, doc) for t in term.topics)
                if credit >= 0.9:  # mainly about the topic, or about one next to it (the Jobcenter for Bürgergeld)
                    score = max(score, TOPIC_COVER if credit >= 1.0 else RELATED_COVER)
            total += term.weight
            got += term.weight * score
            named += term.weight * in_name[i]
        return got / total, named / total

    def _topic_credit(self, topic: str, doc: Doc) -> float:
        """How much an offer is about a topic of the question: mainly (its name or category
        says so) 1.0, also 0.7 (0.9 when mainly about a related topic: the Jobcenter for
        Bürgergeld rather than the Tafel that asks for the Bürgergeld notice), mainly
        about a related topic 0.4, touching one 0.25."""
        if topic in doc.primary:
            return 1.0
        related = self.related.get(topic, set())
        if topic in doc.topics:
            return 0.9 if related & doc.primary else 0.7
        if related & doc.primary:
            return 0.4
        return 0.25 if related & doc.topics else 0.0

    def _place_factor(self, place: Place | None, doc: Doc, lines_first: bool = False,
                      young_writer: bool = False) -> tuple[float, float | None]:
        """(factor 0..1, distance in km or None). ``lines_first``: no place is known and no alarm raised, so an
        offer at an address yields to the lines that reach everyone (:data:`UNPLACED_LOCAL`), as does a line for
        young people alone when the writer is no child or teenager."""
        if place is None:
            at_address = doc.lat is not None and doc.lon is not None
            yields = at_address or (doc.young_only and not young_writer)
            return (UNPLACED_LOCAL if lines_first and yields else 1.0), None
        if doc.lat is None or doc.lon is None:
            same_state = doc.state in (None, "DE") or doc.state == place.state
            # nationwide: fine anywhere, but a named place asks for the offers there
            return (NATIONWIDE if same_state else 0.2), None
        dist = distance_km(place.lat, place.lon, doc.lat, doc.lon)
        if place.kind == "county" and doc.county and self.places.same_county(place, doc.county):
            return 1.0, dist
        near = dist
        if place.kind in ("town", "postcode") and dist > SERVED_KM and self._names_town(place, doc):
            # "Außensprechstunde in Witzenhausen": the offer comes to the town
            near = SERVED_KM
        factor = 1.0 / (1.0 + near / PLACE_KM)
        if place.state and doc.state and doc.state != place.state and near > SERVED_KM:
            # across a state border the offices, laws and funding are others'
            factor *= OTHER_STATE
        return factor, dist

    @staticmethod
    def _names_town(place: Place, doc: Doc) -> bool:
        """Whether the offer's name, keywords or description name the town (an outpost or a
        consultation day there), not just its address or its provider's seat ("Caritasverband für das
        Bistum Erfurt" in Leinefelde is no counselling in Erfurt)."""
        town = words(place.name)
        return bool(town) and all(doc.weights.get(w, 0.0) > FIELD_WEIGHTS["place"] and w not in doc.provider_only
                                  for w in town)

    def _relevance(self, analysis: QueryAnalysis, terms: list[Term], coverage: float, in_name: float,
                   doc: Doc, topic_weight: dict[str, float], has_place: bool) -> float:
        q_topics = analysis.topics
        topic_score = 0.0
        on_topic = False
        if q_topics:
            # Mostly the best topic the offer shares: a question's second topic is often
            # read from a side remark ("weiß nicht mehr weiter" next to "schulden").
            credits = [topic_weight.get(t, 1.0) * self._topic_credit(t, doc) for t in q_topics]
            best = max(credits) / max(topic_weight.get(t, 1.0) for t in q_topics)
            topic_score = 0.7 * best + 0.3 * sum(credits) / sum(topic_weight.get(t, 1.0) for t in q_topics)
            on_topic = any(t in doc.topics for t in q_topics)
        if terms and q_topics:
            relevance = 0.55 * max(coverage, topic_score) + 0.45 * min(coverage, topic_score)
            relevance = max(relevance, coverage if coverage >= 0.8 else 0.0)
            if on_topic and coverage > 0.2:
                # On a topic of the question and carrying its words: an answer, if a weak one
                # ("aus syrien, suche ausbildung" -> an offer on Ausbildung).
                relevance = max(relevance, MIN_RELEVANCE + 0.05)
        elif terms:
            relevance = coverage
        elif q_topics:
            relevance = topic_score
        else:
            relevance = 0.5 if has_place else 0.0
        relevance += 0.25 * in_name
        crisis = analysis.crisis_in_words
        if crisis and crisis in doc.crisis:
            # The crisis lines for this danger come first, whatever words were used;
            # among them the words decide.
            relevance = max(relevance, 0.6) + 0.5
        elif crisis and set(CRISIS_TOPICS.get(crisis, ())) & doc.topics:
            relevance = max(relevance, 0.5 + 0.4 * topic_score) + 0.15 * coverage
            # Round-the-clock reach counts only for offers that are *for* this danger:
            # a 24/7 poison line touching "Notfall" is no help to someone suicidal.
            if doc.always_open and crisis in URGENT_CRISES and set(CRISIS_TOPICS[crisis]) & doc.primary:
                relevance *= 1.3
        elif analysis.crisis_for_offers and self._fits_crisis(analysis.crisis_for_offers, doc):
            # an alarm the meaning raised: help for the danger is an answer, after what the words ask
            relevance = max(relevance, MIN_RELEVANCE + 0.05 * topic_score)
        if analysis.set_aside and doc.primary and doc.primary.issubset(analysis.set_aside):
            relevance *= ASIDE_FACTOR  # "ins Frauenhaus will ich nicht": the other help first
        if analysis.person:
            if analysis.person in doc.people:
                relevance = max(relevance, 0.8) + 0.3
            else:
                relevance *= 0.6
        info = INTENT_INFO.get(analysis.intent)
        if info and doc.info.get(info):
            relevance += 0.03
        return relevance

    def search(self, question: str, *, limit: int = 10, near: GeoPoint | None = None,
               place_hint: str | None = None, at: datetime | None = None,
               professionals: bool = False, alarm: Sequence[Any] | None = None) -> SearchResponse:
        analysis = self.analyze(question)
        if alarm:
            analysis.keep_alarm(alarm)
        named = analysis.place
        place = named
        if place is None and near is not None:
            place = Place("Standort", near.lat, near.lon, kind="point")
        if place is None and place_hint:
            place = self.places.resolve(place_hint)
        terms = self._terms(analysis)
        candidates = self._candidates(analysis, terms, place)
        beside = self._beside(analysis, place)
        if beside and place is not None:
            candidates |= self._topic_near(sorted(beside), place, LOCAL_KM)
        # the question's own topics count in town too: "kein geld mehr fürs essen" reads as four topics, and
        # the food bank in town, about one of them, must not fall under the bar that far offers about two pass
        in_town = beside | set(analysis.topics) if place is not None and LOCAL_KM else set()
        docs = self._docs(candidates)
        table, slots = self._lookup(terms)
        crisis = analysis.crisis_for_offers
        crisis_topics = CRISIS_TOPICS[crisis] if crisis else ()
        # The first topic of a crisis is its core (suicide -> "krise"): it weighs most. An alarm the
        # meaning alone raised lets the topics of the words lead: a false alarm costs the lines above.
        topic_weight = fit_weights(analysis.topic_fit)
        topic_weight.update({t: (2.0 if i == 0 else 1.5) if analysis.crisis_in_words else MEANT_CRISIS_WEIGHT
                             for i, t in enumerate(crisis_topics)})
        scored: list[tuple[float, float | None, Doc]] = []
        asked = set(analysis.topics) - set(crisis_topics)
        besides = self._besides(analysis, crisis_topics)
        # Offers for professionals answer professional questions, person look-ups and inline mode only; a
        # question is professional by its words ("sozialplanung"), not by a meaning near one ("hilfe bei armut").
        professional = professionals or bool((asked - set(analysis.semantic_topics)) & PROFESSIONAL_TOPICS)
        # A question made only of rare words, none a topic word, that all stand in an offer's name names
        # that offer ("ikpe", "institut für kommunale planung"): a look-up, found whoever it is for. Not a
        # message whose words the offers mostly do not know, written in other letters or another language,
        # where the one word they know is not what it asks for ("... الأوراق المطلوبة من الـ Amt": the
        # Versorgungsamt in Gera; "kirayı ödeyemiyorum, ev sahibi beni çıkarmak istiyor": "Ev. Kirchenkreis").
        naming = bool(terms) and not any(term.topics for term in terms) and all(
            (self.vocab.df(term.word) or 0) <= NAMING_DF for term in terms) \
            and 2 * len(analysis.tokens) >= len(analysis.text.split()) and 2 * len(terms) >= len(analysis.terms)
        elsewhere: list[tuple[float, Doc]] = []  # other districts' offices the place's people cannot go to
        fits: dict[int, tuple[float, float]] = {}  # docid -> (relevance, share of the words in its name), for the reordering
        # the states the question is about: its place's, and any it names ("betreuungsvereine hessen")
        states = areas.states_named(analysis.tokens) | ({place.state} if place is not None and place.state else set())
        # no place and no alarm: the lines that reach everyone first (under an alarm they stand above the answer)
        lines_first = place is None and not analysis.crisis
        for doc in docs:
            if crisis and not (self._fits_crisis(crisis, doc) or besides & doc.primary or analysis.person in doc.people):
                # Under an emergency block only help for that danger, or for what the person named
                # (a topic beside it, :meth:`_besides`; a contact person): no pregnancy line under suicide
                # unless the pregnancy is what the message is about. (Under an alarm near the line the words
                # choose the offers.)
                continue
            coverage, in_name = self._coverage(terms, table, slots, doc)
            relevance = self._relevance(analysis, terms, coverage, in_name, doc, topic_weight, place is not None)
            if relevance < MIN_RELEVANCE and in_town & doc.primary and place is not None and doc.lat is not None \
                    and doc.lon is not None and distance_km(place.lat, place.lon, doc.lat, doc.lon) <= LOCAL_KM:
                relevance = MIN_RELEVANCE  # in town, on a topic of the question or next to it: a weak answer
            if relevance < MIN_RELEVANCE:
                continue
            # an offer for professionals, another state's programme, or one for adults only asked by a child or
            # teenager ("ich bin 15, meine eltern streiten": not the parents' line), answers only when the
            # question names it or its contact person
            named_offer = analysis.person in doc.people or (naming and in_name >= 0.99)
            if ((doc.professional and not professional) or self._other_state(doc, states)
                    or (doc.adults_only and analysis.young_writer)) and not named_offer:
                continue
            factor, dist = self._place_factor(place, doc, lines_first, analysis.young_writer)
            if doc.by_residence and place is not None and areas.serves(
                    doc.area, place.county, place.state, place.name if place.kind in ("town", "postcode") else None
            ) is False:
                elsewhere.append((relevance * (PLACE_FLOOR + (1 - PLACE_FLOOR) * factor), doc))
                continue
            scored.append((relevance * (PLACE_FLOOR + (1 - PLACE_FLOOR) * factor), dist, doc))
            fits[doc.docid] = (relevance, in_name)
        question_topics = set(analysis.topics)
        scored.sort(key=lambda item: rank_key(item[0], item[1], item[2], question_topics))
        if scored:
            # an office left out still sets the bar: leaving it out promotes no weaker match
            best = max([scored[0][0], *(score for score, _ in elsewhere)])
            scored = [s for s in scored if s[0] >= RELATIVE_CUT * best]
        missing = self._missing_office(analysis, [d for _, d in elsewhere], [d for _, _, d in scored], named)
        if missing and named is not None:
            # what is known for that district, and the lines that serve everyone: nothing from elsewhere
            scored = [s for s in scored if s[1] is None or self._in_county(named, s[2])]
            scored += [(0.0, dist, doc) for dist, doc in self._administration(named, place)
                       if doc.offer_id not in {d.offer_id for _, _, d in scored}]
        first: list[reorder.Candidate] = []
        elsewhere_asked = named is not None and bool(states - {named.state})
        if not missing and not elsewhere_asked and self._reorderable(analysis, naming, scored, fits):
            first = self._candidates_of(analysis, scored, fits)
            scored = [scored[i] for i in reorder.order(first)] + scored[len(first):]
        # "hat ... jetzt offen": what is open comes a little forward (not above a far better match)
        pool = scored[: max(0, limit) * (2 if analysis.intent == "open_now" else 1)]
        offers = {o.id: o for o in self.store.offers([d.offer_id for _, _, d in pool])}
        opened = [(score, dist, doc, offers[doc.offer_id], _open_now(offers[doc.offer_id], at))
                  for score, dist, doc in pool if doc.offer_id in offers]
        if analysis.intent == "open_now":
            opened = [(score + (0.1 if is_open else 0.0), dist, doc, offer, is_open)
                      for score, dist, doc, offer, is_open in opened]
            opened.sort(key=lambda item: -item[0])
        results, served = [], False
        for rank, (score, dist, doc, offer, is_open) in enumerate(opened[: max(0, limit)]):
            results.append(SearchResult(offer, round(score, 4), None if dist is None else round(dist, 1), is_open))
            # A local result at the place serves it; a nationwide line only when it leads
            # (otherwise "Jugendamt Sondershausen" answered 58 km away would not be said).
            if named is not None and (dist is not None or rank == 0):
                served = served or self._serves(named, dist, doc)
        response = SearchResponse(analysis=analysis, results=results, place_fallback=bool(results) and
                                  named is not None and not served and not missing, missing_office=missing,
                                  candidates=first)
        if not results:
            response.suggestions = self.suggestions(analysis, terms)
        return response

    @staticmethod
    def _reorderable(analysis: QueryAnalysis, naming: bool, scored: list[tuple[float, float | None, Doc]],
                     fits: dict[int, tuple[float, float]]) -> bool:
        """Whether the learned order (bot.reorder) may have the last word. Not when the rules' first answer
        must stand: for a contact person asked for, the lines of a danger the words name, an offer named by the
        question (its name carries every word of it, all of them rare and none a topic's: "Dorfkümmerer", not
        "Suchtberatung", which names a kind of offer, nor "Amt", left of an Arabic question about family reunion
        in Mühlhausen, which the Versorgungsamt in Gera 120 km away carries in its name), or what is open now
        (its own order follows, by the rules' score: the learned one would be undone). Nor without the
        message's meaning (the semantic layer off), which the weights were fitted with: without it they would
        weigh the distance alone against the rules' topics. (The caller keeps the rules' order for a missing
        office too, and for a question about another state's offers, "... hessen" asked in Erfurt: the distance
        says nothing of them.) Under an alarm the meaning alone raised, clearly past its line, it orders the
        offers that fit the danger or what the words ask for: the lines stand above them, and most such alarms
        are everyday troubles told in strong words (a brother who no longer leaves his flat: the psychiatric
        service before the violence counselling; blind sets: +21, -2 of 4,900 first answers)."""
        if len(scored) < 2 or analysis.person or analysis.crisis_in_words \
                or analysis.intent == "open_now" or not analysis.meaning:
            return False
        return fits[scored[0][2].docid][1] < 0.99 or not naming

    def _candidates_of(self, analysis: QueryAnalysis, scored: list[tuple[float, float | None, Doc]],
                       fits: dict[int, tuple[float, float]]) -> list[reorder.Candidate]:
        """What the reordering reads of the first results (bot.reorder.Candidate)."""
        named_topics = {t for found in analysis.word_topics.values() for t in found}
        out = []
        for score, _, doc in scored[: reorder.DEPTH]:
            credits = [self._topic_credit(t, doc) for t in analysis.topics]
            out.append(reorder.Candidate(
                offer_id=doc.offer_id, score=score, relevance=fits[doc.docid][0],
                topic_credit=sum(credits) / len(credits) if credits else 0.0,
                meaning_gap=reorder.meaning_gap(analysis.meaning, doc.primary),
                word_topic=bool(doc.primary & named_topics)))
        return out

    def _beside(self, analysis: QueryAnalysis, place: Place | None) -> set[str]:
        """The topics next to the question's (knowledge/topics.yaml ``related``) whose offers near the
        place may answer it (:data:`LOCAL_KM`); none without a place or under an alarm (only help for
        the danger then)."""
        if place is None or not LOCAL_KM or not analysis.topics or analysis.crisis_for_offers:
            return set()
        asked = set(analysis.topics)
        return {r for t in asked for r in self.related.get(t, ())} - asked - PROFESSIONAL_TOPICS

    def _missing_office(self, analysis: QueryAnalysis, elsewhere: list[Doc], kept: list[Doc],
                        named: Place | None) -> str | None:
        """The label of the office asked for when only other districts' offices of that kind were found."""
        if not elsewhere or named is None:
            return None
        kinds = {t for d in elsewhere for t in d.primary & areas.RESIDENCE_TOPICS}
        # only when the question asks for such an office ("fußballverein vellmar jugend" does not) by a word
        # that names it, or by words that name the danger it is for ("er schlägt mich": the Frauenhaus):
        # "kein geld mehr fürs essen" reads as Grundsicherung too, but asks for food, not the office
        named_by_words = {t for found in analysis.word_topics.values() for t in found}
        if analysis.crisis_in_words:
            named_by_words.update(CRISIS_TOPICS.get(analysis.crisis_in_words, ()))
        asked = {t for t in analysis.topics if t in kinds and t not in analysis.danger_topics and t in named_by_words}
        if not asked or any(d.by_residence and d.primary & asked for d in kept):
            return None
        return self.topic_labels.get(min(asked))

    def _in_county(self, named: Place, doc: Doc) -> bool:
        return bool(named.county) and doc.county == " ".join(words(named.county or ""))

    def _administration(self, named: Place | None, place: Place | None) -> list[tuple[float | None, Doc]]:
        """The administration of the named place's district (what is known there instead of the office)."""
        if named is None or not named.county:
            return []
        rows = self.conn.execute("SELECT docid FROM search_docs WHERE county = ? AND by_residence = 1",
                                 (" ".join(words(named.county)),)).fetchall()
        docs = [d for d in self._docs({r[0] for r in rows}) if "verwaltung" in d.primary and not d.professional]
        return [(self._place_factor(place, d)[1], d) for d in docs]

    @staticmethod
    def _besides(analysis: QueryAnalysis, crisis_topics: Sequence[str]) -> set[str]:
        """The topics beside the danger whose offers an emergency block may show. Under an alarm beyond doubt
        (the words raised it, or the meaning far past its line: bot.crisis.SURE_LEAD) those the words name and
        those the meaning reads clearly closer than the danger's own (:data:`BESIDE_MARGIN`): near a farewell
        letter "auf dem küchentisch" the meaning reads the food banks a little closer than a crisis, near
        "will nich mehr leben heut nacht is schluss" homelessness. Under an alarm that may be false ("ich bin
        81 ... der bus fährt zweimal am tag") all the question's topics: they are what the answer needs."""
        if not analysis.crisis_sure:
            return set(analysis.topics) - set(crisis_topics)
        danger = max((analysis.meaning.get(t, 0.0) for t in crisis_topics), default=0.0)
        meant = {t for t in analysis.semantic_topics if analysis.meaning.get(t, 0.0) >= danger + BESIDE_MARGIN}
        return (set(analysis.named_topics) | meant) - set(crisis_topics)

    @staticmethod
    def _fits_crisis(kind: CrisisKind, doc: Doc) -> bool:
        """Whether an offer is help for this danger: a crisis line for it, or, not being a crisis line,
        mainly about its topics. A line is for the dangers knowledge/hotlines.yaml names: the parents'
        line is about "krise" too, but no help to someone on a bridge. A poisoning or a collapse wants the
        lines alone (the poison centre, the doctor on call): an office about health (the public health
        office) is no help within minutes."""
        if doc.crisis:
            return kind in doc.crisis
        return kind not in BODILY and bool(set(CRISIS_TOPICS.get(kind, ())) & doc.primary)

    @staticmethod
    def _other_state(doc: Doc, states: frozenset[str]) -> bool:
        """Whether an offer is a state's own (its programme, its association) and the question is about
        other states: Hessen's funding or coordination cannot serve someone in Mühlhausen, unless asked
        about ("betreuungsvereine hessen"). A crisis line is not one: the poison centre in Erfurt answers
        whoever calls."""
        return bool(states) and doc.area.startswith("state:") and not doc.crisis and doc.state not in states

    def _serves(self, place: Place, dist: float | None, doc: Doc) -> bool:
        """Whether a result is at the named place (a nationwide offer serves everywhere)."""
        if dist is None:
            return doc.state in (None, "DE") or doc.state == place.state
        if place.kind == "county":
            return self.places.same_county(place, doc.county) or dist <= NEAR_KM
        return dist <= NEAR_KM



def _open_now(offer: OfferRecord, at: datetime | None) -> bool | None:
    if not offer.hours_osm:
        return None
    from bot.opening import is_open  # holidays and babel load only when an offer has hours

    return is_open(offer.hours_osm, at or datetime.now(), offer.state or "TH")


_engines: dict[int, SearchEngine] = {}
_engines_lock = threading.Lock()


def rank_key(score: float, dist: float | None, doc: Doc, question_topics: set[str]) -> tuple[float, float, float, str]:
    """The order of the results: by score, then nearer first, then the offer more of whose main topics the
    question is about: at an equal score and distance the child protection service before the shelter for
    women and children (both "Kinderschutz" in name) for a neighbour's hungry child, and the women's counselling
    before the child protection service for a woman whose partner controls her (blind sets: +25 / −8 first
    answers of 6,060, benchmarks/RESULTS.md, twenty-ninth session)."""
    share = len(doc.primary & question_topics) / max(1, len(doc.primary))
    return -score, dist if dist is not None else 1e9, -share, doc.offer_id


def fit_weights(fit: dict[str, float]) -> dict[str, float]:
    """Each topic's weight in the ranking from how well the message's meaning fits it (``topic_fit``): the
    best-fitting topic 1, another :data:`FIT_SLOPE` less per point of fit it lies below (at least
    :data:`FIT_FLOOR`). A word names its topic whatever the story around it is about; the meaning tells which
    of the topics the story is about."""
    if len(fit) < 2:
        return {}
    best = max(fit.values())
    return {topic: max(FIT_FLOOR, 1.0 - FIT_SLOPE * (best - score)) for topic, score in fit.items()}


def engine_for(store: Store) -> SearchEngine:
    """The cached engine of a store, rebuilt when the store loaded a new database."""
    engine = _engines.get(id(store))
    if engine is None or engine.store is not store or engine.generation != store.generation \
            or engine.conn is not store.conn:
        with _engines_lock:
            engine = _engines.get(id(store))
            if engine is None or engine.store is not store or engine.generation != store.generation \
                    or engine.conn is not store.conn:
                engine = SearchEngine(store)
                _engines[id(store)] = engine
    return engine


def search(store: Store, question: str, *, limit: int = 10, near: GeoPoint | None = None,
           place_hint: str | None = None, at: datetime | None = None, professionals: bool = False,
           alarm: Sequence[Any] | None = None) -> SearchResponse:
    """Find the offers that answer a question (see the module docstring); ``professionals`` also offers
    what is for professionals only (inline mode); ``alarm`` is the last message's alarm, kept when this one
    raises none (:meth:`bot.query.QueryAnalysis.keep_alarm`)."""
    return engine_for(store).search(question, limit=limit, near=near, place_hint=place_hint, at=at,
                                    professionals=professionals, alarm=alarm)


def analyze(store: Store, question: str, place_hint: str | None = None) -> QueryAnalysis:
    """The analysis alone (intent, crisis, place, topics), for follow-ups in the conversation."""
    return engine_for(store).analyze(question, place_hint)
