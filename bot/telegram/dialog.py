"""The conversation's logic without Telegram: questions, follow-ups, paging, topics, location.

Handlers stay thin: they load a :class:`Memory` from the FSM storage, call one
method of :class:`Dialog`, store the memory it returns and send its replies.
The memory holds only what a follow-up needs: the last question's content words,
the last results (ids and distances), the page shown, the asked intent, the home
place, did-you-mean suggestions and the last answer's alarm (its kind of danger).
Never the message text itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from html import escape
from typing import Any, Literal

from bot.geo import Place
from bot.normalize import normalize
from bot.opening import TZ
from bot.query import Intent, QueryAnalysis
from bot.render import (
    PAGE_SIZE,
    Button,
    Context,
    Hit,
    Reply,
    answer_reply,
    area_name,
    details_reply,
    results_replies,
    topic_buttons,
    topic_label,
    topic_title,
)
from bot.search import GeoPoint, SearchResponse, analyze, engine_for, search
from bot.store import Store
from bot.timewords import AskedTime

#: How many results an answer keeps for paging ("Weitere Ergebnisse", "was anderes?").
RESULT_LIMIT = 30
#: Topics offered on /start and when a message has no content.
START_TOPICS = ("schulden", "erziehung", "jugendamt", "sucht", "gewalt", "wohnen", "tafel", "psyche",
                "pflege", "migration")

_OTHER = re.compile(r"\b(?:was|etwas|noch|nochmal) ander|\bandere(?:s|n)? (?:angebot|stelle|moglichkeit)"
                    r"|\bweitere\b|\bmehr (?:angebote|ergebnisse|davon)\b|^\W*(?:mehr|weiter|noch mehr)\W*$")

#: A message of nothing but thanks or a goodbye ("danke!", "vielen dank, tschüss").
_THANKS_WORDS = frozenset(normalize("""danke dank dankeschon dankeschoen vielen herzlichen lieben tausend schon
sehr super toll prima klasse mega lieb nett ok okay alles klar gut thx thanks thank you merci tschuss tschuess
ciao bye wiedersehen auf und das war es hat geholfen""").split())
_THANKS_CORE = frozenset(normalize("danke dank dankeschon dankeschoen thx thanks thank merci").split())

SearchFn = Callable[..., SearchResponse]
#: Told of every answered search: (response, the hits shown, the place it was for). The demand
#: statistics (bot.demand) listen here; they only collect in memory, so the reply is not delayed.
Observer = Callable[[SearchResponse, list[Hit], Place | GeoPoint | None], None]
#: What an English follow-up asks for: an intent, or the next page ("more").
FollowUp = Intent | Literal["more"]


@dataclass
class Memory:
    """What the FSM storage keeps per chat (besides the interface language)."""

    place: str | None = None
    #: Content words of the last question (no place words), to search again elsewhere.
    query: str | None = None
    #: The last results as [offer id, distance km or None].
    hits: list[list[Any]] = field(default_factory=list)
    page: int = 0
    intent: Intent = "general"
    suggestions: list[str] = field(default_factory=list)
    #: The days and hours the last question asked about (bot.timewords.AskedTime.to_data()), if any.
    when: list[Any] | None = None
    #: The last answer's alarm (bot.query.QueryAnalysis.alarm), raised again when the next message is its
    #: town or location alone: the alarm asks for the town when none is known.
    alarm: list[Any] | None = None

    KEYS = ("place", "query", "hits", "page", "intent", "suggestions", "when", "alarm")

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Memory:
        return cls(**{k: data[k] for k in cls.KEYS if k in data})

    def to_data(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.KEYS}


def asked_time(analysis: QueryAnalysis, at: datetime) -> AskedTime | None:
    """The time a question's words name ("morgen", "über Weihnachten"), as days and hours from ``at``
    (the moment of asking); None when it names none. The cards then say the state then."""
    phrase = analysis.time
    return phrase.resolve(at.astimezone(TZ)) if phrase is not None else None


@dataclass
class Outcome:
    replies: list[Reply]
    memory: Memory
    #: The analysis of the question answered (None for follow-ups, buttons and hints).
    analysis: QueryAnalysis | None = None


@dataclass
class _Turn:
    """A free-text message with its search done: what the steps of :meth:`Dialog.ask` decide on."""

    text: str
    memory: Memory
    response: SearchResponse
    #: The message's words, normalized.
    words: set[str]
    #: The question's content words, less those that point back at the last answer ("genau").
    terms: list[str]
    #: The question's topics, less those read only from the meaning of what-is-wanted words.
    topics: set[str]

    @property
    def analysis(self) -> Any:
        return self.response.analysis

    @property
    def content(self) -> bool:
        """Whether the message asks about something (a topic, a word, a person), not only how or where."""
        return bool(self.topics or self.terms or self.analysis.person)


class Dialog:
    """One turn of the conversation for one chat, rendered in the context's language."""

    def __init__(self, store: Store, ctx: Context, *, search_fn: SearchFn = search,
                 observe: Observer | None = None) -> None:
        self.store = store
        self.ctx = ctx
        self.search = search_fn
        self.observe = observe

    def _ctx(self, when: list[Any] | None) -> Context:
        """The rendering context; a time asked about ("morgen") makes the cards say the state then."""
        asked = AskedTime.from_data(when)
        return self.ctx if asked is None else replace(self.ctx, asked=asked)

    def _when(self, analysis: QueryAnalysis) -> list[Any] | None:
        """The time a question's words name, as days and hours from the moment of asking."""
        asked = asked_time(analysis, self.ctx.at)
        return asked.to_data() if asked is not None else None

    # --- questions -------------------------------------------------------------------

    def ask(self, text: str, memory: Memory) -> Outcome:
        """A free-text message: a new question or a follow-up on the last answer.

        The search runs first and its analysis decides whether the text was a follow-up:
        analysing separately would do the costliest part of the work twice. The steps of
        :data:`_ASK_STEPS` are tried in order; a message none of them takes is a new question.
        """
        turn = self._turn(text, memory)
        for step in self._ASK_STEPS:
            outcome = step(self, turn)
            if outcome is not None:
                return outcome
        return self._answer(turn.response, self._with_place(memory, turn.analysis))

    def _turn(self, text: str, memory: Memory) -> _Turn:
        """The message searched for (a long story that found nothing: its end, see :meth:`_tail`)."""
        response = self._find(text, place_hint=memory.place)
        if not response.results and not response.analysis.crisis and len(text.split()) > _LONG_WORDS:
            response = self._tail(text, response, memory)
        analysis = response.analysis
        # Words like "genau", "nochmal", "komme" in "wo ist das genau?" ask about the last answer.
        terms = [t for t in analysis.terms if t not in _FOLLOW_UP_WORDS]
        # "telefonnummer?" after an answer asks for the numbers of those offers: topics read from the
        # meaning of a message made only of what-is-wanted words are no new question.
        topics = set(analysis.topics)
        if memory.hits and not terms and analysis.intent != "general":
            topics -= set(analysis.semantic_topics)
        return _Turn(text, memory, response, set(normalize(text).split()), terms, topics)

    def _crisis_answer(self, turn: _Turn) -> Outcome | None:
        """A crisis, even an uncertain one, is always answered with its lines: before anything else."""
        if turn.analysis.crisis or turn.analysis.crisis_uncertain:
            return self._answer(turn.response, self._with_place(turn.memory, turn.analysis))
        return None

    def _lost_start(self, turn: _Turn) -> Outcome | None:
        """ "Ich weiß nicht, wo ich anfangen soll", "😢": encouragement and a start."""
        if turn.analysis.place is None and _is_lost(turn.words, turn.text):
            return Outcome([self.lost_reply()], turn.memory)
        return None

    def _greeting_hint(self, turn: _Turn) -> Outcome | None:
        """ "Hallo", "guten Morgen": greeted back, with how to ask."""
        if turn.analysis.place is None and not turn.analysis.person and _is_greeting(turn.words):
            return Outcome([self.hint_reply(greeting=True)], turn.memory)
        return None

    def _follow_up_pick(self, turn: _Turn) -> Outcome | None:
        """ "die zweite", "zurück", "phone number please": a card or page of the last answer."""
        memory, analysis = turn.memory, turn.analysis
        if not memory.hits or turn.topics or analysis.person or analysis.place is not None:
            return None
        number = _reference(turn.words, memory)
        if number is not None:
            return self.numbered(number, memory)
        if turn.words & _BACK and not turn.terms:
            return self.page(memory, max(memory.page - 1, 0))
        english = _english_follow_up(turn.words)
        if english == "more":
            return self.page(memory, memory.page + 1, more=True)
        if english is not None:
            return self.page(replace(memory, intent=english), memory.page)
        return None

    def _follow_up_time(self, turn: _Turn) -> Outcome | None:
        """ "und am Samstag?" after an answer: the same offers, their state then."""
        memory, analysis = turn.memory, turn.analysis
        if memory.hits and not turn.content and analysis.place is None and analysis.time is not None:
            return self.page(replace(memory, intent="hours", when=self._when(analysis)), memory.page)
        return None

    def _follow_up_more(self, turn: _Turn) -> Outcome | None:
        """ "was anderes?", "und wann haben die offen?", "nochmal": more of, or more about, the last answer."""
        memory, analysis = turn.memory, turn.analysis
        if not memory.hits or turn.content:
            return None
        if _OTHER.search(normalize(turn.text)):
            return self.page(memory, memory.page + 1, more=True)
        if analysis.place is None and analysis.intent != "general":
            return self.page(replace(memory, intent=analysis.intent), memory.page)
        if analysis.place is None and turn.words & _AGAIN:
            return self.page(memory, memory.page)
        return None

    def _place_only(self, turn: _Turn) -> Outcome | None:
        """ "Artern" alone: remembered; the last question is asked again there, if there was one."""
        analysis = turn.analysis
        if turn.content or analysis.place is None:
            return None
        memory = replace(turn.memory, place=analysis.place.name)
        if memory.query:
            intent = analysis.intent if analysis.intent != "general" else memory.intent
            # The place goes into the text, not the hint: only a named place makes the search
            # say so when nothing is there and the nearest offers elsewhere are shown.
            return self._search(f"{memory.query} {analysis.place.name}", memory, intent=intent,
                                alarm=memory.alarm)
        return Outcome([self.place_reply(analysis.place)], memory)

    def _thanks_reply(self, turn: _Turn) -> Outcome | None:
        """ "Danke!", "👍": you're welcome."""
        if turn.analysis.place is None and _is_thanks(turn.text):
            return Outcome([Reply(self.ctx._("Gern geschehen! Wenn Sie noch etwas brauchen, schreiben Sie "
                                             "mir einfach wieder."))], turn.memory)
        return None

    def _no_content(self, turn: _Turn) -> Outcome | None:
        """ "?", "wann haben die offen?" with no answer to refer to: how to ask, or which office is meant."""
        if turn.content:
            return None
        if turn.analysis.intent != "general":
            return Outcome([self.which_reply(turn.analysis.intent)], turn.memory)
        return Outcome([self.hint_reply()], turn.memory)

    #: What a free-text message can be, tried in this order by :meth:`ask`: the first step that
    #: answers (not None) wins.
    _ASK_STEPS: tuple[Callable[[Dialog, _Turn], Outcome | None], ...] = (
        _crisis_answer, _lost_start, _greeting_hint, _follow_up_pick, _follow_up_time, _follow_up_more,
        _place_only, _thanks_reply, _no_content,
    )

    def _tail(self, text: str, response: SearchResponse, memory: Memory) -> SearchResponse:
        """A long story that found nothing: people tell what happened first and ask last, and the
        story's many words can drown the question. Ask the end again, at the place the story named."""
        place = response.analysis.place
        tail = " ".join(text.split()[-_LONG_WORDS:])
        retry = self._find(tail, place_hint=place.name if place is not None else memory.place)
        if not retry.results:
            return response
        if retry.analysis.place is None and place is not None:
            retry.analysis.place = place
        return retry

    @staticmethod
    def _with_place(memory: Memory, analysis: QueryAnalysis) -> Memory:
        return replace(memory, place=analysis.place.name) if analysis.place is not None else memory

    def _find(self, question: str, *, place_hint: str | None = None, near: GeoPoint | None = None,
              alarm: list[Any] | None = None) -> SearchResponse:
        return self.search(self.store, question, limit=RESULT_LIMIT, near=near, place_hint=place_hint,
                           at=self.ctx.at, alarm=alarm)

    def _search(self, question: str, memory: Memory, *, place_hint: str | None = None,
                near: GeoPoint | None = None, intent: Intent | None = None, topic: str | None = None,
                title: str | None = None, alarm: list[Any] | None = None) -> Outcome:
        """Search and answer; ``alarm`` is the last answer's, kept when the question raises none (its town alone)."""
        return self._answer(self._find(question, place_hint=place_hint, near=near, alarm=alarm), memory,
                            intent=intent, topic=topic, title=title, home=place_hint is not None and near is None,
                            near=near)

    def _answer(self, response: SearchResponse, memory: Memory, *, intent: Intent | None = None,
                topic: str | None = None, title: str | None = None, home: bool = True,
                near: GeoPoint | None = None) -> Outcome:
        """Render a search response and remember what a follow-up needs.

        ``topic`` is the label of a topic button (the answer is headed with it); ``home`` says
        whether the remembered place was the starting point when the question named none.
        """
        analysis = response.analysis
        if intent is not None:
            analysis.intent = intent
        elif analysis.person and analysis.intent in ("general", "phone"):
            # "telefon frau grimm": the person with her number and e-mail leads the card.
            analysis.intent = "contact"
        hotlines = self.store.hotlines() if analysis.crisis or analysis.crisis_uncertain else []
        home_place = self._place(memory.place) if home and memory.place and analysis.place is None else None
        if topic and title is None:
            title = topic_title(topic, area_name(home_place), self.ctx)
        when = self._when(analysis)
        live = self._live_topics()
        # No button may lead to a dead end: not to the topic that has just found nothing, nor to one
        # without offers (the Jobcenter topic offered again under its own "nothing found").
        dead = {t["label"].casefold() for t in self._topics() if t not in live} | {(topic or "").casefold()}
        response.suggestions = [s for s in response.suggestions if s.casefold() not in dead]
        answer = answer_reply(response, self._ctx(when), hotlines=hotlines, topics=live, title=title,
                              topic=topic, home=home_place)
        query = " ".join(analysis.terms) or " ".join(self._labels(analysis.topics)) or memory.query
        memory = replace(memory, query=query, hits=[[h.offer.id, h.distance_km] for h in answer.hits],
                         page=0, intent=answer.intent, suggestions=list(response.suggestions), when=when,
                         alarm=analysis.alarm)
        if self.observe is not None:
            self.observe(response, answer.hits, analysis.place or home_place or near)
        return Outcome(answer.replies, memory, analysis)

    def _topics(self) -> list[dict[str, Any]]:
        """The topics as the search engine holds them (parsed once per database generation)."""
        return engine_for(self.store).topic_rows

    def _live_topics(self) -> list[dict[str, Any]]:
        """The topics that have at least one offer: only these are offered as buttons."""
        with_offers = {row[0] for row in self.store.conn.execute("SELECT DISTINCT topic_id FROM offer_topics")}
        return [t for t in self._topics() if t["id"] in with_offers]

    def _labels(self, topic_ids: list[str]) -> list[str]:
        labels = {t["id"]: t["label"] for t in self._topics()}
        return [labels[t] for t in topic_ids if t in labels]

    def suggestion(self, index: int, memory: Memory) -> Outcome | None:
        """A did-you-mean button: ask the suggested word instead."""
        if not 0 <= index < len(memory.suggestions):
            return None
        return self._search(memory.suggestions[index], memory, place_hint=memory.place)

    # --- paging, topics, location ------------------------------------------------------

    def page(self, memory: Memory, page: int, *, more: bool = False) -> Outcome:
        """Page ``page`` of the last results (also for "und wann haben die offen?")."""
        start = page * PAGE_SIZE
        if page < 0 or start >= len(memory.hits):
            if more:
                text = self.ctx._("Mehr habe ich dazu leider nicht gefunden. Fragen Sie gern anders "
                                  "oder wählen Sie ein Thema.")
                return Outcome([Reply(text, ((Button("📚 " + self.ctx._("Alle Themen"), "topics"),),))], memory)
            return Outcome([Reply(self.ctx._("Diese Ergebnisse sind nicht mehr da. Bitte fragen Sie noch einmal."))],
                           memory)
        chunk = memory.hits[start:start + PAGE_SIZE]
        offers = {o.id: o for o in self.store.offers([offer_id for offer_id, _ in chunk])}
        hits = [Hit(offers[offer_id], dist) for offer_id, dist in chunk if offer_id in offers]
        replies = results_replies(hits, self._ctx(memory.when), intent=memory.intent, page=page,
                                  total=len(memory.hits))
        return Outcome(replies, replace(memory, page=page))

    def topic(self, topic_id: str, memory: Memory) -> Outcome | None:
        """A topic button: the offers of that topic, near the home place."""
        label = next((t["label"] for t in self._topics() if t["id"] == topic_id), None)
        if label is None:
            return None
        return self._search(label, memory, place_hint=memory.place, intent="general", topic=label)

    def location(self, lat: float, lon: float, memory: Memory) -> Outcome:
        """A shared location: the nearest offers for the last topic (or any), with distances. The
        town nearest to it replaces the place typed earlier for the questions that follow."""
        town = engine_for(self.store).places.nearest_town(lat, lon)
        if town is not None:
            memory = replace(memory, place=town.name)
        return self._search(memory.query or "", memory, near=GeoPoint(lat, lon), intent="address",
                            title=self.ctx._("In Ihrer Nähe:"), alarm=memory.alarm)

    # --- single offers, place, menus ----------------------------------------------------------

    def numbered(self, number: int, memory: Memory) -> Outcome:
        """ "die zweite", "3", "nochmal die erste": the details of that card of the last answer."""
        offer_id = memory.hits[number - 1][0]
        reply = self.offer(offer_id, memory)
        if reply is None:
            return Outcome([Reply(self.ctx._("Diese Ergebnisse sind nicht mehr da. Bitte fragen Sie noch einmal."))],
                           memory)
        return Outcome([reply], memory)

    def offer(self, offer_id: str, memory: Memory | None = None) -> Reply | None:
        offer = self.store.offer(offer_id)
        if offer is None:
            return None
        distance = next((d for i, d in (memory.hits if memory else []) if i == offer_id), None)
        return details_reply(offer, self._ctx(memory.when if memory else None), distance_km=distance)

    def set_place(self, text: str, memory: Memory) -> Outcome:
        """A place typed for /ort: remembered. A question or a cry for help typed there instead
        ("ich will nicht mehr", "Schuldnerberatung Artern") is answered as one."""
        analysis = analyze(self.store, text)
        if analysis.crisis or analysis.topics or analysis.person:
            return self.ask(text, memory)
        if analysis.place is None:
            unknown = self.ctx._("Den Ort „{text}“ kenne ich leider nicht – ich kenne Orte in Thüringen und Hessen. "
                                 "Versuchen Sie es mit der Postleitzahl, zum Beispiel: /ort 99706")
            return Outcome([Reply(unknown.format(text=escape(text[:80])))], memory)
        name = analysis.place.name
        saved = self.ctx._("Gespeichert: <b>{place}</b>. Ich suche ab jetzt zuerst dort und in der Umgebung. "
                           "Ändern mit /ort, löschen mit /vergessen.")
        return Outcome([Reply(saved.format(place=escape(name)))], replace(memory, place=name))

    def _place(self, text: str) -> Place | None:
        return analyze(self.store, text).place

    def topics_reply(self) -> Reply:
        text = self.ctx._("Wählen Sie ein Thema – ich zeige Ihnen passende Angebote:")
        topics = sorted(self._live_topics(), key=lambda t: topic_label(t, self.ctx).casefold())
        return Reply(text, topic_buttons(topics, self.ctx))

    def start_topics(self) -> tuple[tuple[Button, ...], ...]:
        by_id = {t["id"]: t for t in self._live_topics()}
        chosen = [by_id[t] for t in START_TOPICS if t in by_id]
        return (*topic_buttons(chosen, self.ctx), (Button("📚 " + self.ctx._("Alle Themen"), "topics"),))

    def hint_reply(self, *, greeting: bool = False) -> Reply:
        """A message without content ("hallo", "?"): how to ask, and topics to pick."""
        text = self.ctx._("Schreiben Sie mir einfach, wobei Sie Hilfe suchen, zum Beispiel "
                          "„Schuldnerberatung in Gotha“ oder „Wann hat das Jugendamt Eisenach offen?“. "
                          "Oder wählen Sie ein Thema:")
        if greeting:
            text = self.ctx._("Hallo!") + " " + text
        return Reply(text, self.start_topics())

    def lost_reply(self) -> Reply:
        """ "Ich weiß nicht, wo ich anfangen soll": encouragement, how to say it, topics, and a line to call."""
        text = self.ctx._(
            "Das geht vielen so – Sie sind hier richtig. Schreiben Sie mir in ein paar Worten, worum es geht, "
            "zum Beispiel „Ich habe Schulden“, „Wir brauchen Lebensmittel“ oder „Erziehungsberatung in "
            "Weimar“. Oder wählen Sie ein Thema:")
        call = self.ctx._("Wenn Ihnen gerade alles zu viel wird: Die TelefonSeelsorge ist rund um die Uhr für Sie da, "
                          "kostenlos: <b>0800 111 0 111</b>")
        return Reply(f"{text}\n\n{call}", self.start_topics())

    def which_reply(self, intent: Intent) -> Reply:
        """ "und wann haben die offen?" with no answer to refer to: ask which office is meant."""
        examples = {
            "hours": self.ctx._("„Wann hat die Tafel in Artern offen?“"),
            "open_now": self.ctx._("„Wann hat die Tafel in Artern offen?“"),
            "phone": self.ctx._("„Telefonnummer Jugendamt Eisenach“"),
            "address": self.ctx._("„Wo ist die Tafel in Sondershausen?“"),
        }
        example = examples.get(intent, self.ctx._("„Ansprechpartner Jugendamt Eisenach“"))
        text = self.ctx._("Welche Stelle meinen Sie? Schreiben Sie mir bitte, was Sie suchen und wo, "
                          "zum Beispiel {example}. Oder wählen Sie ein Thema:").format(example=example)
        return Reply(text, self.start_topics())

    def place_reply(self, place: Place) -> Reply:
        """A place and nothing else ("Artern"): remembered; what is wanted there?"""
        area = area_name(place)
        assert area is not None
        text = (self.ctx._("Gut, ich suche im {place} und Umgebung. Wobei suchen Sie Hilfe? Schreiben Sie es mir "
                           "oder wählen Sie ein Thema:") if area[1] else
                self.ctx._("Gut, ich suche in und um {place}. Wobei suchen Sie Hilfe? Schreiben Sie es mir "
                           "oder wählen Sie ein Thema:"))
        return Reply(text.format(place=escape(area[0])), self.start_topics())


#: A message longer than this (in words) is a story; its end is asked again when the whole found nothing.
_LONG_WORDS = 50

#: Words that only point back at the last answer ("wo ist das genau?", "wie komme ich da hin?").
_FOLLOW_UP_WORDS = frozenset(normalize("""genau nochmal nochmals noch mal bitte eigentlich komme kommt kommen hin
dahin da dort hier denn zeig zeige zeigen infos info details detail naheres mehr zuruck zurueck erste ersten erstes
erster zweite zweiten zweites zweiter dritte dritten drittes dritter letzte letzten letztes letzter
back previous again""").split())
_BACK = frozenset(normalize("zurück zurueck vorherige vorige back previous").split())
_AGAIN = frozenset(normalize("nochmal nochmals wiederholen again").split())
_ORDINALS = {word: n for n, words in enumerate((
    "erste ersten erstes erster", "zweite zweiten zweites zweiter", "dritte dritten drittes dritter",
    "vierte vierten viertes vierter", "funfte funften funftes funfter fuenfte fuenften", "sechste sechsten",
    "siebte siebten", "achte achten", "neunte neunten", "zehnte zehnten"), start=1) for word in words.split()}
_ORDINALS.update({word: n for n, word in enumerate(["first", "second", "third", "fourth", "fifth"], start=1)})
#: What may stand around a number or ordinal that picks a card ("nochmal die erste bitte", "nummer 2").
_REFERENCE_FILLER = frozenset(normalize("""die das der den dem zur zum zu von vom nochmal nochmals noch mal bitte
zeig zeige zeigen sie mir mehr infos info details uber zu und nummer nr angebot stelle ergebnis gern gerne
ich mochte will hatte moechte the one number no show me more about please""").split())
_LAST = frozenset(normalize("letzte letzten letztes letzter last").split())


def _reference(words: set[str], memory: Memory) -> int | None:
    """The card number a message picks from the last answer ("die zweite", "3", "nochmal die erste")."""
    rest = words - _REFERENCE_FILLER
    if len(rest) != 1:
        return None
    word = next(iter(rest))
    if word in _LAST:
        number = min((memory.page + 1) * PAGE_SIZE, len(memory.hits))
    elif word in _ORDINALS:
        number = _ORDINALS[word]
    elif word.isdigit() and len(word) <= 2:
        number = int(word)
    else:
        return None
    return number if 1 <= number <= len(memory.hits) else None


#: Follow-ups in English ("phone number please", "when are they open?", "next"): the search reads German.
_ENGLISH_INTENTS: dict[FollowUp, str] = {
    "phone": "phone number numbers call telephone tel",
    "hours": "when open opening hours times time",
    "address": "where address located location get there",
    "contact": "contact email mail person who",
    "more": "next more else other another",
}
_ENGLISH_WORDS = {word: intent for intent, words in _ENGLISH_INTENTS.items() for word in words.split()}
_ENGLISH_FILLER = frozenset(["the", "a", "an", "is", "it", "its", "are", "they", "their", "them", "what", "s", "please", "pls", "and", "can", "i", "have", "get", "me", "could", "you", "show", "tell", "give", "something", "any", "do", "does", "now", "today", "there", "exactly"])


def _english_follow_up(words: set[str]) -> FollowUp | None:
    """The intent of an English follow-up made of nothing but follow-up words, else None."""
    rest = words - _ENGLISH_FILLER
    if not rest or not rest <= _ENGLISH_WORDS.keys():
        return None
    intents = {_ENGLISH_WORDS[w] for w in rest}
    order: tuple[FollowUp, ...] = ("phone", "hours", "address", "contact", "more")
    for intent in order:
        if intent in intents:
            return intent
    return None


#: "Ich weiß nicht, wo ich anfangen soll", "keine Ahnung", "ich brauche Hilfe": someone who needs a start.
_LOST_WORDS = frozenset(normalize("""ich weiss weis nicht nich net wo wie was womit anfangen anfange soll sol
weiter keine ahnung brauche brauch brauchen bräuchte hilfe help bitte kann konnen konnte mir jemand einer helfen
hilft uberfordert total so tun machen mehr dringend mal ganz echt voll gerade grad gerad jetzt hier ja und oder
bin es ist hallo hi hey guten tag morgen abend moin servus wer
i don dont t know where to start begin need please can someone anyone me do what no idea""").split())
_LOST_CORE = frozenset(normalize("ahnung anfangen anfange hilfe help helfen hilft uberfordert start begin idea").split())
#: Faces that say someone is sad or desperate, in a message of nothing else.
_SAD = frozenset("😭😢😞😔😟😥😰😩😫💔🥺☹🙁😿")


def _is_lost(words: set[str], text: str) -> bool:
    if not words:
        return any(char in _SAD for char in text)
    return bool(words & _LOST_CORE) and words <= _LOST_WORDS


_GREETING_WORDS = frozenset(normalize("""hallo hello hi hey huhu moin servus guten tag morgen abend gruss gruß
gott griass grüß grüss na wie gehts geht es ihnen dir""").split())
_GREETING_CORE = frozenset(normalize("hallo hello hi hey huhu moin servus tag morgen abend gruss gott").split())


def _is_greeting(words: set[str]) -> bool:
    return bool(words & _GREETING_CORE) and words <= _GREETING_WORDS


#: Faces and hands that say "thanks" or "ok" in a message of nothing else ("👍", "🙏").
_THANKS_SIGNS = frozenset("👍🙏❤♥😊🙂☺🥰💐")


def _is_thanks(text: str) -> bool:
    tokens = set(normalize(text).split())
    if not tokens:
        return any(char in _THANKS_SIGNS for char in text)
    return bool(tokens & _THANKS_CORE) and tokens <= _THANKS_WORDS
