"""Query analysis: what a question asks for, before any offer is looked at.

Intent, crisis (patterns and the sentence encoder, bot.crisis), person, place (bot.geo), time words
(bot.timewords), the topics its words name (bot.vocabulary) or its meaning names (the nearest
situations and the topic classifier, bot.semantic), and its content words with the indexed words
they match (lemmas, inflections, compound parts, typo corrections). Retrieval and ranking
(bot.search) work on what this module makes of a question: a :class:`QueryAnalysis` and its
:class:`Term` list.
"""

from __future__ import annotations

import functools
import itertools
import math
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from bot import crisis, second_opinion, semantic, word_frequencies
from bot.aside import aside_positions
from bot.detect_language import detect, non_latin
from bot.geo import Place, PlaceIndex
from bot.loanwords import LoanWords
from bot.normalize import LETTERS, canonical_word, words
from bot.query import (
    DIALECT,
    STOPWORDS,
    QueryAnalysis,
    age_topics,
    detect_intent,
    detect_person,
    young_writer,
)
from bot.reading import for_encoders
from bot.searchindex import MIN_TAIL, TYPO_MIN, Vocabulary, known_tail, split_compound, strip_particle
from bot.split_words import SplitWords
from bot.timewords import find_time
from bot.vocabulary import TopicMatcher, load_matcher

MAX_CHARS = 4096
MAX_WORD = 40
#: Endings of German declension (and plural): "kindern" is "kind" + "ern".
ENDINGS = frozenset({"e", "n", "s", "en", "er", "es", "em", "ern", "ens", "nen", "se", "sen"})
#: Did-you-mean words only for a question of at most this many content words.
DID_YOU_MEAN_TERMS = 4
#: A typo correction this close (rapidfuzz ratio) lends the question its word's topics.
TYPO_TOPIC_SCORE = 85
#: The weight of a question word no offer has, as a share of the rarest indexed word's.
UNKNOWN_WORD = 0.7
#: Nearest examples a crisis kind and a topic are scored by (bot.semantic.ExampleIndex).
CRISIS_K = 5
TOPIC_K = 3
#: The share of the topic classifier's probability added to a topic's nearest-situations score
#: (held-out situations, top-1: 0.57 alone, 0.61 with 0.15; more weight lets off-topic messages pass).
TOPIC_MODEL_WEIGHT = 0.15
#: A topic read from the message's meaning counts when its nearest situations are this
#: similar, and (beside the best) when it is this close to the best.
SEMANTIC_TOPIC_MIN = 0.40
SEMANTIC_TOPIC_NEAR = 0.03
#: Beside topics the words named, a topic of the meaning counts only from this similarity ("Rentnerin, am
#: Ende vom Monat bleibt nix fürs Essen": senioren by the words, tafel by the meaning). Chosen on the dev halves
#: of the blind situation and language sets 3-5 (top-1 0.700 at 0.6, 0.715 at 0.5 and 0.45, r@3 0.789 -> 0.810);
#: the fresh sets 6, unseen while choosing: 0.750 -> 0.769 (situations), 0.850 -> 0.883 (languages). Since the
#: ranking weighs each topic by the meaning's fit (bot.search.fit_weights), a topic of the meaning beside the
#: words' may count from 0.42 and lie up to :data:`SEMANTIC_BESIDE_NEAR` below the best: "12 gläubiger ... oder muss
#: ich nen anwalt bezahlen" gets debt counselling beside the law (development halves of the blind sets 3-17:
#: 1,525 -> 1,527 right first of 1,910 with 0.42 / 0.08, and with 0.40 / 0.10; held out +8; eighteenth session).
SEMANTIC_TOPIC_STRONG = 0.42
SEMANTIC_BESIDE_NEAR = 0.08
#: When no word of the message is known to the offers, the meaning is all there is (0.35 until the
#: situations' stories were learnt from: they lifted "pizzeria" to a food bank at 0.352; with 0.36 the
#: project's off-topic questions are answered with nothing as before, 0.632, held-out topics 0.856 -> 0.854).
SEMANTIC_TOPIC_WORDLESS = 0.36
#: The share of the second model's topic probability added to a topic's score, and the windows of a
#: long message it reads (held-out situations: 0.3 of 0.1 ... 1.0 kept German and the rest both high).
SECOND_TOPIC_WEIGHT = 0.3
#: ... in a Ukrainian message, which the first model was not trained on (it reads Ukrainian through Russian:
#: "продукти безкоштовно", free food, came 0.34 near the food banks, in Russian 0.73): the second model's
#: reading counts three times as much there. On the development halves of the language sets' 142 Ukrainian
#: questions, the right offer came first for 102 at 0.3, 106 at 0.45, 0.6, 1.2 and 1.5, 107 at 0.9; 0.6 for
#: every language lost in the others what it gained (benchmarks/RESULTS.md, fifteenth session).
SECOND_TOPIC_WEIGHT_UK = 0.9
SECOND_TOPIC_WINDOWS = 3
#: A German message of this many content words is a story: when neither its words nor the first model
#: place it, the second model reads it (a short search like "pizza bestellen" is better left unanswered).
STORY_TERMS = 4
#: A message this short without its town that comes near a crisis is read again whole (QueryAnalyzer.analyze).
PLACE_CONTEXT_WORDS = 4
#: The word after which a name is the place of the question ("wohne in"): an unknown word there is a place
#: the place index lacks (:meth:`QueryAnalyzer._unknown_place`). Not "bei" ("bei Zahnschmerzen", "bei
#: Minusgraden") nor "aus" ("aus Eritrea" says where someone comes from).
PLACE_BEFORE = frozenset({"in"})
#: ... when it has this many letters at least.
MIN_PLACE_LETTERS = 4
#: With the second model's reading added, a topic of the meaning counts only from the first model's floor
#: plus the weighted probability it gives when this sure.
SECOND_TOPIC_SURE = 0.3
CRISIS_TOPICS = crisis.TOPICS
#: The topics of the help for a danger (knowledge/topics.yaml): the crisis check's to add.
DANGER_HELP = frozenset(t for topics in CRISIS_TOPICS.values() for t in topics)
#: Alarms of the body (bot.crisis.SOFT_KINDS: a poisoning, a collapse), under which the meaning lends only the
#: danger's own topics: the help is minutes away by phone, and nothing else the meaning reads is (blind sets:
#: "my toddler just got into the dishwasher tabs" got the food banks under the poison lines, once the topic
#: reader had learnt how people ask for food, benchmarks/RESULTS.md, twenty-second session).
BODILY = crisis.SOFT_KINDS


def without_places(text: str, place_words: set[str], script_words: tuple[str, ...] = (),
                   keep_ends: bool = False) -> str:
    """The message as the sentence encoder should read it: without the town it names. A name the
    encoder has rarely seen ("Зондерсгаузені", "Artern'de") pulls the meaning of a short question
    towards unrelated topics; where the help is, the place index says. ``place_words`` are canonical
    words (:func:`bot.normalize.words`), ``script_words`` the Cyrillic or Arabic words as written.
    ``keep_ends``: the punctuation that followed the town stays, for the clauses the crisis check reads
    (:func:`bot.semantic.clauses`: "wo ist das jobcenter in gera? mein mann sagt ..." is two clauses).
    "" when the message is nothing but its place: there is no meaning to read."""
    kept: list[str] = []
    for chunk in text.split():
        if ((found := words(chunk)) and found[0] in place_words) or any(w in chunk for w in script_words):
            end = semantic.CLAUSE_MARKS_AT_END.search(chunk) if keep_ends else None
            if end and kept:
                kept[-1] += end.group()
            continue
        kept.append(chunk)
    return " ".join(kept)


@dataclass
class Term:
    """A content word of the question with the indexed words that match it (word -> quality 0..1)."""

    word: str
    matches: dict[str, float]
    weight: float
    #: Compound parts, each with its own matches: "spielsucht" -> spiel, sucht.
    parts: list[dict[str, float]] = field(default_factory=list)
    #: The topics the vocabulary reads in the word.
    topics: frozenset[str] = frozenset()


class QueryAnalyzer:
    """What the analysis keeps for one database generation: the topic matcher, the place names,
    the vocabulary lookups made so far and the semantic layer's examples."""

    def __init__(self, conn: sqlite3.Connection, topic_rows: list[dict[str, Any]]) -> None:
        self.conn = conn
        self.topic_rows = topic_rows
        self.matcher: TopicMatcher = load_matcher(self.topic_rows)
        self.topic_labels = {t["id"]: t["label"] for t in self.topic_rows}
        #: Related topics, both ways ("buergergeld" <-> "jobcenter").
        self.related: dict[str, set[str]] = {}
        for t in self.topic_rows:
            for other in t["related"]:
                self.related.setdefault(t["id"], set()).add(other)
                self.related.setdefault(other, set()).add(t["id"])
        self.vocab = Vocabulary(self.conn)
        self.doc_count = self.vocab.doc_count
        topic_single = {w for t in self.topic_rows for entry in t["words"] for w in words(entry)}
        self.places = PlaceIndex(self.conn, STOPWORDS | topic_single)
        names = [*self.places.by_name, *self.places.counties]
        #: Words of town and county names: a misspelled place is the place index's to find, and a
        #: content word is never "corrected" into one ("meister" is no "Meißner").
        self._place_words = {w for key in names for w in key}
        #: Dictated words cut in two ("sonders hausen", "lebens mittel") written together again.
        self.split_words = SplitWords([*self.places.known_words, *topic_single, *("".join(k) for k in names)],
                                      STOPWORDS, keep=names)
        self._expansions: dict[str, dict[str, float]] = {}
        #: Question word -> the indexed words it is a likely typo of (for its topics).
        self._typos: dict[str, list[str]] = {}
        #: The semantic layer's examples (None: an older database, or built without the model).
        self.crisis_examples = crisis.read_examples(self.conn, k=CRISIS_K)
        #: The same examples as the second reader reads them (None: a database without them).
        self.second_examples = second_opinion.read_examples(self.conn, k=CRISIS_K)
        self.topic_examples = semantic.ExampleIndex.read(self.conn, semantic.TOPIC_SETS, k=TOPIC_K)
        self.topic_model = semantic.TopicModel.read(self.conn)
        #: The topic classifier over the second model's vectors (None: a database without it).
        self.second_topic_model = semantic.TopicModel.read(self.conn, second_opinion.TOPIC_TABLE, second_opinion.DIM)

    @functools.cached_property
    def loanwords(self) -> LoanWords:
        """The words that name a topic by how they sound in other letters (built at the first such question)."""
        return LoanWords(w for t in self.topic_rows for entry in t["words"] for w in words(entry)
                         if self.matcher.word_topics(w))

    def _embed(self, pieces: list[str]) -> Any:
        """The message's windows (:func:`bot.semantic.windows`) as sentence vectors; None when the
        semantic layer is off."""
        if self.crisis_examples is None and self.topic_examples is None:
            return None
        encoder = semantic.load()
        return encoder.encode(pieces) if encoder is not None else None

    def _second_reader(self, message: second_opinion.Message
                       ) -> Callable[[Sequence[int]], second_opinion.Reading | None] | None:
        """The second reader's view of some windows of a message, read only when the crisis check asks."""
        examples = self.second_examples
        if examples is None:
            return None
        return lambda picks: second_opinion.read(message, picks, examples, crisis.CRISIS_LABELS,
                                                 crisis.HARMLESS_LABELS, crisis.POOL_K)

    def _read_again(self, text: str) -> crisis.Verdict:
        """The crisis verdict of a text both encoders read afresh, whole: a short message with its town, or a
        message without its told sentences (:meth:`analyze`)."""
        message = second_opinion.Message(for_encoders(text))
        return crisis.assess(text, self._embed(message.pieces), self.crisis_examples, self._second_reader(message),
                             message.windows)

    # --- query analysis -------------------------------------------------------

    def analyze(self, question: str, place_hint: str | None = None) -> QueryAnalysis:
        """Intent, crisis, person, place, topics and content words of a question.

        ``place_hint`` (the chat's home place) fills ``place`` only when the question names none.
        """
        text = self.split_words.join((question or "")[:MAX_CHARS])
        # one word for one, so the place's word positions stay those of words(text)
        tokens = [DIALECT.get(t, t) for t in words(text)]  # a long story whole (MAX_CHARS bounds it)
        analysis = QueryAnalysis(text=text, tokens=tokens)
        analysis.time = find_time(tokens, text)
        time_pos = set(analysis.time.positions) if analysis.time else set()
        # the whole text, a long story too: its words alone would lose a town in Cyrillic or Arabic letters ("в Готі")
        place, place_pos = self.places.find(text)
        if place is not None and place_pos and place_pos <= time_pos:
            place, place_pos = None, set()  # a time word is no town
        if place is not None and place.certain:
            place_pos = place_pos | self.places.other_places(tokens, place_pos)
        plain = self._without_place(text, tokens, place, place_pos)
        # its windows, read by both models, and a short message's clauses (the town's punctuation kept)
        parts = self._without_place(text, tokens, place, place_pos, keep_ends=True)
        second = second_opinion.Message(for_encoders(plain or text), None if parts == plain else for_encoders(parts))
        vectors = self._embed(second.pieces)
        verdict = crisis.assess(text, vectors, self.crisis_examples, self._second_reader(second), second.windows)
        if (verdict.kind or verdict.uncertain) and plain != text and len(plain.split()) <= PLACE_CONTEXT_WORDS:
            # "ich wohne in", "живу в", "i live in": what is left of a short message without its town reads
            # like "nicht mehr leben"; the crisis check reads it whole then (its examples are stored with
            # their towns). Only then: a second reading for every short question would cost 20 % more.
            verdict = self._read_again(text)
        if verdict.by == "model" or verdict.uncertain:
            rest = crisis.untold(text)
            if rest is not None:
                # the encoders read the message again without the sentences told of long ago or of a story ("vor
                # vier Jahren hat mich mein Nachbar bedroht. Kann ich die Auskunftssperre aufheben lassen?"), as
                # the patterns do (bot.crisis._told)
                verdict = crisis.milder(verdict, self._read_again(rest))
        analysis.crisis, analysis.crisis_uncertain, analysis.crisis_by = verdict.kind, verdict.uncertain, verdict.by
        analysis.crisis_also, analysis.crisis_leaning, analysis.crisis_clear = verdict.also, verdict.leaning, verdict.clear
        analysis.crisis_sure = verdict.sure
        meaning = self._meaning(vectors[: second.windows] if vectors is not None else None) if plain else {}
        analysis.intent = detect_intent(text)
        if analysis.time and analysis.intent in ("general", "open_now"):
            analysis.intent = "hours"  # "tafel am samstag": the card leads with the hours then
        person = detect_person(text)
        # "Frau Grimm" only when a Grimm is among the contacts; else "grimm" is just a word.
        analysis.person = person if person and self._is_contact(person) else None
        if analysis.person and not analysis.crisis:
            # "telefon frau grimm" looks up a contact; its few words are no sign of despair
            analysis.crisis_uncertain = False
        # the clauses that set help aside ("ins Frauenhaus will ich nicht", "bei der Schuldnerberatung war ich
        # schon") name no topic and no search word, unless the rest names no topic: the help set aside is then
        # still the nearest there is ("zum sozialpsychiatrischen dienst will ich nicht, bin viel allein")
        aside = aside_positions(text)
        self._content(analysis, place_pos, meaning, time_pos, second, aside)
        if aside and not analysis.topics:
            self._content(analysis, place_pos, meaning, time_pos, second)
        if place is not None and not place.certain and not analysis.terms and not analysis.topics:
            # "wie wird das wetter morgen": an everyday word alone is not the town Wetter.
            place, place_pos = None, set()
            self._content(analysis, place_pos, meaning, time_pos, second, aside)
        if place is None:
            analysis.unknown_place = self._unknown_place(question or "", tokens)
        analysis.place = place if place is not None else (self.places.resolve(place_hint) if place_hint else None)
        return analysis

    def _unknown_place(self, question: str, tokens: list[str]) -> str | None:
        """The first word after "in" that is no word the offers, the places or everyday German or English
        know, nor made of everyday German words ("wohne in großfurra"; not "in ordnung", "in elternzeit",
        "in kurzarbeit"), as the question spells it. Villages without a postcode of their own are in no place
        index here; the answer says so and asks for the postcode instead of answering as if no place had been
        named."""
        for before, token in itertools.pairwise(tokens):
            if (before in PLACE_BEFORE and len(token) >= MIN_PLACE_LETTERS and token.isascii() and token.isalpha()
                    and token not in STOPWORDS and token not in self._place_words
                    and not word_frequencies.common(token) and not word_frequencies.compound(token)
                    and not self.knows(token)):
                return next((m.group() for m in LETTERS.finditer(question) if canonical_word(m.group()) == token),
                            None)
        return None

    def _content(self, analysis: QueryAnalysis, place_pos: set[int], meaning: dict[str, float],
                 time_pos: set[int] | frozenset[int] = frozenset(),
                 second: second_opinion.Message | None = None, aside: frozenset[int] = frozenset()) -> None:
        """Topics and content words of the question without its place words; the topics of its
        meaning (``meaning``: topic -> score of its nearest situations) when its words name none,
        read by the second model too (``second``) when the offers know none of its words, they are not
        in Latin letters, or a German story is placed by nothing else.
        Time words (``time_pos``) are no content words, but stay in the topic phrases ("heute nacht schlafen").
        The words of clauses that set help aside (``aside``, :mod:`bot.aside`) are neither; the topics only
        they name are not taken from the meaning or the danger either ("ins Frauenhaus will ich nicht")."""
        rest = [t for i, t in enumerate(analysis.tokens) if i not in place_pos and i not in aside]
        topics = {hit.topic for hit in self.matcher.hits(rest)}
        set_aside = {hit.topic for hit in self.matcher.hits([analysis.tokens[i] for i in sorted(aside)])} - topics
        analysis.terms = list(dict.fromkeys(  # no word is longer than 40 letters: longer is typing noise
            t for i, t in enumerate(analysis.tokens) if i not in place_pos and i not in time_pos and i not in aside
            and t not in STOPWORDS and not t.isdigit() and 2 <= len(t) <= MAX_WORD))
        # Words that name a topic by themselves (not as a word of a phrase: "online" of "online casino")
        word_topics: dict[str, set[str]] = {}
        for term in analysis.terms:
            found = self.matcher.word_topics(term)
            if not found and len(term) >= 4 and term[-1] not in "aeiouy":
                # a dropped final e, as spoken in Hessen and Thüringen: "pfleg", "schul"
                found = self.matcher.word_topics(term + "e")
                topics |= found
            if not found and term not in self.vocab:
                # a mistyped topic word ("harz4", "schuldnerbertung") means what the word means
                self._expand(term)
                found = {t for w in self._typos.get(term, ()) for t in self.matcher.word_topics(w)}
                topics |= found
            if found:
                word_topics[term] = found
        for word in self.loanwords.find(analysis.text) if non_latin(analysis.text) else ():
            # a German word in Cyrillic or Arabic letters ("де тафель в Ерфурті") means what it means in German
            found = self.matcher.word_topics(word)
            topics |= found
            if found:
                word_topics[word] = found
            if word not in analysis.terms:
                analysis.terms.append(word)
        topics |= {t for t in age_topics(rest) if t in self.topic_labels}
        analysis.young_writer = young_writer(rest)
        if analysis.young_writer and not topics and "jugend" in self.topic_labels:
            # a young person who names no need but their age ("ich bin 15, meine eltern streiten"): the help
            # for young people, not a family counselling office anywhere
            topics.add("jugend")
        # (one unknown word alone, "asdfghjkl", is no language to read a meaning from; a message in another
        # language is wordless too, whatever short words of it happen to be indexed: Turkish "ben", "var", "yer".
        # Its language matters only to the reading of its meaning: without one, the detector is not loaded.)
        wordless = not topics and len(analysis.text.split()) >= 2 and (
            not any(self._expand(t) for t in analysis.terms) or (bool(meaning) and detect(analysis.text) not in (None, "de")))
        # (nor is one unknown word beside the town, "fahrschule witzenhausen": its nearest situations lie at
        # 0.36-0.45, as close as real help is to a short question, and more training texts lift them further)
        lone = not topics and len(analysis.terms) == 1 and not non_latin(analysis.text) and not self._expand(analysis.terms[0])
        # (one unknown word, "pizzeria", or two, "pizza bestellen", say too little for the second reading)
        foreign = (wordless and len(analysis.terms) >= 2) or non_latin(analysis.text) or (
            second is not None and non_latin(second.text))  # chat Arabic, read in Arabic letters
        raised = 0.0
        if second is not None and meaning and foreign and not lone:
            meaning, raised = self._second_meaning(meaning, second)
        analysis.semantic_topics = {} if lone else self._meant_topics(meaning, raised, lexical=topics, wordless=wordless)
        if second is not None and meaning and not foreign and not topics and not analysis.semantic_topics \
                and len(analysis.terms) >= STORY_TERMS:
            # a German story neither the words nor the first model place ("mein bruder wirft sein geld in
            # automaten"): rather than "nothing found", the second model's reading
            analysis.semantic_topics = self._meant_topics(*self._second_meaning(meaning, second), lexical=topics,
                                                          wordless=wordless)
        if analysis.crisis_for_offers in BODILY or analysis.crisis == "poison":
            # a poisoning or a collapse wants the emergency lines and the doctor, not what else the meaning reads
            # near it: a toddler who "ate" a dishwasher tab comes near the food banks' questions. Under an alarm
            # the meaning raised near its line, the offers follow the words: near a collapse all the meaning's
            # topics stay (a father's two heart attacks, asked about for a disability pass, got the lines and no
            # offer at all), near a poisoning those near any danger (crisis.NEAR_DANGER: the addiction
            # counselling for a wife's story of her husband's drinking; no food bank for the toddler).
            shaping = analysis.crisis_for_offers
            keep = CRISIS_TOPICS.get(shaping, ()) if shaping is not None else crisis.NEAR_DANGER
            analysis.semantic_topics = {t: s for t, s in analysis.semantic_topics.items() if t in keep}
        analysis.set_aside = sorted(set_aside)
        analysis.semantic_topics = {t: v for t, v in analysis.semantic_topics.items() if t not in set_aside}
        analysis.named_topics = sorted(topics)
        topics |= set(analysis.semantic_topics)
        # how well the meaning fits each topic, those the words named too ("keinen job" beside a father who
        # pays no maintenance): the ranking weighs them by it
        analysis.topic_fit = {t: meaning[t] for t in topics if t in meaning}
        analysis.meaning = {t: s for t, s in meaning.items() if t != semantic.NO_TOPIC}
        if analysis.crisis_for_offers:
            # help for the danger is among the answers, also when only the meaning raised the alarm
            # ("das kind nebenan wird dauernd angebrüllt, erfurt": the youth office there)
            danger = [t for t in CRISIS_TOPICS.get(analysis.crisis_for_offers, ()) if t in self.topic_labels
                      and t not in topics and t not in set_aside]
            topics.update(danger)
            analysis.danger_topics = danger if analysis.crisis_by == "model" else []
        analysis.topics = sorted(topics)
        analysis.word_topics = word_topics
        if analysis.person and analysis.person not in analysis.terms:
            analysis.terms.append(analysis.person)

    def _meaning(self, vectors: Any) -> dict[str, float]:
        """Topic -> how well the message's meaning fits it: the similarity of the topic's nearest
        situations, plus a share of the topic classifier's probability (both read the same vectors)."""
        if vectors is None or not self.topic_examples:
            return {}
        meaning = self.topic_examples.scores(self.topic_examples.similarities(vectors))
        if self.topic_model is not None:
            for topic, p in self.topic_model.probabilities(vectors).items():
                if topic in meaning:
                    meaning[topic] += TOPIC_MODEL_WEIGHT * p
        return meaning

    def _second_meaning(self, meaning: dict[str, float], second: second_opinion.Message
                        ) -> tuple[dict[str, float], float]:
        """``meaning`` plus a share of the second model's topic probabilities, and how much higher the
        floors lie for it. The second model reads other languages, Ukrainian above all, far better than
        the first (held-out situations, topics found: 0.81 -> 0.85, Ukrainian 0.51 -> 0.83), at ten times
        its cost, so the caller asks it only for words the offers do not know, other scripts and German
        stories nothing else places (benchmarks/RESULTS.md, "Understanding: fourth session")."""
        if self.second_topic_model is None or not meaning:
            return meaning, 0.0
        vectors = second.vectors(range(min(SECOND_TOPIC_WINDOWS, second.windows)))
        if vectors is None:
            return meaning, 0.0
        read = self.second_topic_model.probabilities(vectors)
        weight = SECOND_TOPIC_WEIGHT_UK if detect(second.text) == "uk" else SECOND_TOPIC_WEIGHT
        return ({topic: score + weight * read.get(topic, 0.0) for topic, score in meaning.items()},
                weight * SECOND_TOPIC_SURE)

    def _without_place(self, text: str, tokens: list[str], place: Place | None, place_pos: set[int],
                       keep_ends: bool = False) -> str:
        """The message without the town it surely names, for the sentence encoder (:func:`without_places`);
        "" when it is only the town."""
        if place is None or not place.certain:
            return text
        if place_pos:
            return without_places(text, {tokens[i] for i in place_pos if i < len(tokens)}, keep_ends=keep_ends)
        spoken = self.places.by_sound(text)  # a town in Cyrillic or Arabic letters
        return without_places(text, set(), spoken[1], keep_ends) if spoken else text

    def _meant_topics(self, meaning: dict[str, float], raised: float = 0.0, *, lexical: set[str],
                      wordless: bool) -> dict[str, float]:
        """The topics of a message's meaning: when its words named none, the best one and any
        other as close, if similar enough; beside the words' topics, only a clearly meant one.
        A message none of whose words the offers know (another language, another script) has
        nothing but its meaning: its best topic counts from a lower similarity. ``raised``: how much
        higher the floors lie because the second model's reading was added to ``meaning``."""
        ranked = sorted(((s, t) for t, s in meaning.items() if t in self.topic_labels), reverse=True)
        floor = raised + (SEMANTIC_TOPIC_STRONG if lexical else SEMANTIC_TOPIC_WORDLESS if wordless else SEMANTIC_TOPIC_MIN)
        if not ranked or ranked[0][0] < floor or meaning.get(semantic.NO_TOPIC, -1.0) >= ranked[0][0]:
            # (nor does a message the reader places nearer the off-topic messages than any topic: "rezept für
            # kartoffelsalat" comes near the food banks, nearer still to the questions about other things)
            return {}
        if lexical:
            # the meaning's best topic beside the words' own, or the next one as close ("nehme viel mehr
            # beruhigungstabletten als verschrieben ... mein arbeitgeber": the words' Arbeit, and Sucht); not
            # the help for a danger, which the crisis check adds when it sees one ("meine frau ist noch in syrien")
            besides = [(s, t) for s, t in ranked if t not in lexical and s >= ranked[0][0] - SEMANTIC_BESIDE_NEAR
                       and (t == ranked[0][1] or t not in DANGER_HELP)]
            return {besides[0][1]: besides[0][0]} if besides and besides[0][0] >= floor else {}
        return {t: s for s, t in ranked[:2] if s >= ranked[0][0] - SEMANTIC_TOPIC_NEAR}

    def _is_contact(self, name: str) -> bool:
        try:
            return self.conn.execute("SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT 1",
                                     (f'people : "{name}"',)).fetchone() is not None
        except sqlite3.OperationalError:
            return False

    def _expand(self, word: str) -> dict[str, float]:
        """Indexed words matching a query word, with how well: the word itself 1.0, its
        lemma, inflected and compound forms less, a typo correction least."""
        cached = self._expansions.get(word)
        if cached is not None:
            return cached
        vocab = self.vocab
        out: dict[str, float] = {}
        if word in vocab:
            out[word] = 1.0
        lemma = vocab.lemma(word)
        if lemma:
            out.setdefault(lemma, 0.9)
        if len(word) >= 4:
            for longer, _ in vocab.with_prefix(word):
                # "beratung" -> "beratungen" (inflection) or "beratungsstelle" (compound)
                out.setdefault(longer, 0.9 if len(longer) - len(word) <= 3 else 0.7)
        # the question has an inflected form of an indexed word: "kinder" -> "kind"
        # (an ending German inflects with: "wetter" is no form of "wette")
        for cut in range(len(word) - 1, max(3, len(word) - 4), -1):
            if word[cut:] in ENDINGS and word[:cut] in vocab:
                out.setdefault(word[:cut], 0.8)
                break
        if len(word) >= 5 and word.endswith("t"):
            # a verb form: "kifft", "säuft", "stalkt" -> "kiffen", "saufen", "stalking"
            stem = word[:-2] if word.endswith(("st", "et")) and len(word) >= 6 else word[:-1]
            for other, _ in vocab.with_prefix(stem, limit=20):
                if len(other) - len(stem) <= 3:
                    out.setdefault(other, 0.75)
        if len(word) >= 9:
            # the same stem, another ending: "planungskoordinatorin" -> "planungskoordination"
            for other, _ in vocab.with_prefix(word[: max(len(word) - 4, math.ceil(len(word) * 0.75))], limit=20):
                out.setdefault(other, 0.7)
        if not out:
            rest = strip_particle(word, vocab)
            if rest:
                out = {w: q * 0.8 for w, q in self._expand(rest).items()}
        if not out and len(word) >= TYPO_MIN and sum(c.isalpha() for c in word) >= 4 and not vocab.is_real_word(word) \
                and not word_frequencies.common(word):
            # (a German word one letter from an indexed one is meant as written: "schwager", "wetter"; so is an
            # everyday word further from one: "in den linken arm ziehen" is no "umziehen")
            # a typo keeps the word's length about right: "kinoprogramm" is no typo of "programm"
            near = [w for w in self.vocab.similar(word) if abs(len(w) - len(word)) <= max(2, len(word) // 5)
                    and w not in self._place_words]
            # one wrong letter of six is another word more often than a typo ("wetter", "wetten")
            cutoff = 80 if len(word) > 6 else 85
            for similar, score, _ in process.extract(word, near, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3):
                out[similar] = 0.8 * score / 100
                if score >= TYPO_TOPIC_SCORE:
                    self._typos.setdefault(word, []).append(similar)
        out = {w: q for w, q in out.items() if w not in STOPWORDS}  # "nachste" is not "nach"
        if len(self._expansions) > 20000:
            self._expansions.clear()
            self._typos.clear()
        self._expansions[word] = out
        return out

    def knows(self, word: str) -> bool:
        """Whether any indexed word matches ``word``: the planners' statistics count the words it does not."""
        return bool(self._expand(word))

    def _terms(self, analysis: QueryAnalysis) -> list[Term]:
        terms = []
        n = self.doc_count
        max_weight = math.log(1 + n) + 0.5
        for word in analysis.terms:
            matches = self._expand(word)
            if not matches and analysis.semantic_topics and not any(self._expand(p) for p in
                                                                   split_compound(word, self.vocab)):
                # The topics came from the meaning: a word no offer has ("debt", "борги") only says
                # the question is in another language, not that it is about something else.
                continue
            parts: list[dict[str, float]] = []
            if len(word) >= 2 * 4:
                split = split_compound(word, self.vocab)
                parts = [self._expand(p) for p in split if p != word]
                if not split and len(word) >= MIN_TAIL + 3:
                    tail = known_tail(word, self.vocab)
                    # the unknown first part matches nothing: "kinoprogramm" is half a "programm"
                    parts = [{}, self._expand(tail)] if tail else []
            exact = [w for w, q in matches.items() if q >= 0.9]
            dfs = [self.vocab.df(w) or 0 for w in (exact or list(matches))]
            if dfs and max(dfs) > 0:
                weight = math.log(1 + n / (1 + max(dfs))) + 0.5
            elif parts:
                weight = max_weight * 0.8
            else:
                # A word no offer has weighs less, but enough to keep off-topic questions off
                # ("handy reparatur": a repair is not what a "Handyvertrag" offer is about).
                weight = max_weight * UNKNOWN_WORD
            terms.append(Term(word, matches, weight, parts, frozenset(analysis.word_topics.get(word, ()))))
        return terms

    def suggestions(self, analysis: QueryAnalysis, terms: list[Term]) -> list[str]:
        """Did-you-mean words for unknown words of a short question (a story of many words is no
        misspelled search word; a German word is meant as written: "schwager" is no "schwanger"),
        then labels of the question's topics."""
        out: list[str] = []
        for term in terms if len(terms) <= DID_YOU_MEAN_TERMS else ():
            if term.word not in self.vocab and len(term.word) >= 4 and not self.vocab.is_real_word(term.word):
                found = process.extractOne(term.word, self.vocab.similar(term.word), scorer=fuzz.ratio,
                                           score_cutoff=70)
                if found and found[0] not in out:
                    out.append(found[0])
        out += [self.topic_labels[t] for t in analysis.topics if t in self.topic_labels]
        return out[:5]
