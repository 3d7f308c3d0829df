"""The conversation's logic without Telegram: questions, follow-ups, paging, topics, location.

Handlers stay thin: they load a :class:`Memory` from the FSM storage, call one
method of :class:`Dialog`, store the memory it returns and send its replies.
The memory holds only what a follow-up needs: the last question's content words,
the last results (ids and distances), the page shown, the asked intent, the home
place and did-you-mean suggestions. Never the message text itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.normalize import normalize
from bot.render import (
    PAGE_SIZE,
    Button,
    Context,
    Hit,
    Reply,
    answer_reply,
    area_name,
    details_reply,
    results_reply,
    topic_buttons,
    topic_title,
)
from bot.search import GeoPoint, SearchResponse, analyze, engine_for, search
from bot.store import Store

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


@dataclass
class Memory:
    """What the FSM storage keeps per chat (besides the interface language)."""

    place: str | None = None
    #: Content words of the last question (no place words), to search again elsewhere.
    query: str | None = None
    #: The last results as [offer id, distance km or None].
    hits: list[list[Any]] = field(default_factory=list)
    page: int = 0
    intent: str = "general"
    suggestions: list[str] = field(default_factory=list)

    KEYS = ("place", "query", "hits", "page", "intent", "suggestions")

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Memory:
        return cls(**{k: data[k] for k in cls.KEYS if k in data})

    def to_data(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.KEYS}


@dataclass
class Outcome:
    replies: list[Reply]
    memory: Memory


class Dialog:
    """One turn of the conversation for one chat, rendered in the context's language."""

    def __init__(self, store: Store, ctx: Context, *, search_fn: SearchFn = search) -> None:
        self.store = store
        self.ctx = ctx
        self.search = search_fn

    # --- questions -------------------------------------------------------------------

    def ask(self, text: str, memory: Memory) -> Outcome:
        """A free-text message: a new question or a follow-up on the last answer.

        The search runs first and its analysis decides whether the text was a follow-up:
        analysing separately would do the costliest part of the work twice.
        """
        response = self._find(text, place_hint=memory.place)
        analysis = response.analysis
        content = bool(analysis.topics or analysis.terms or analysis.person)
        if memory.hits and not content and not analysis.crisis:
            if _OTHER.search(normalize(text)):
                return self.page(memory, memory.page + 1, more=True)
            if analysis.place is not None and memory.query:
                memory = replace(memory, place=analysis.place.name)
                intent = analysis.intent if analysis.intent != "general" else memory.intent
                # The place goes into the text, not the hint: only a named place makes the search
                # say so when nothing is there and the nearest offers elsewhere are shown.
                return self._search(f"{memory.query} {analysis.place.name}", memory, intent=intent)
            if analysis.intent != "general":
                return self.page(replace(memory, intent=analysis.intent), memory.page)
        if not analysis.crisis and analysis.place is None and _is_thanks(text):
            return Outcome([Reply(self.ctx._("Gern geschehen! Wenn Sie noch etwas brauchen, schreiben Sie "
                                             "mir einfach wieder."))], memory)
        if not content and not analysis.crisis and analysis.place is None:
            return Outcome([self.hint_reply()], memory)
        if analysis.place is not None:
            memory = replace(memory, place=analysis.place.name)
        return self._answer(response, memory)

    def _find(self, question: str, *, place_hint: str | None = None, near: GeoPoint | None = None) -> SearchResponse:
        return self.search(self.store, question, limit=RESULT_LIMIT, near=near, place_hint=place_hint,
                           at=self.ctx.at)

    def _search(self, question: str, memory: Memory, *, place_hint: str | None = None,
                near: GeoPoint | None = None, intent: str | None = None, topic: str | None = None) -> Outcome:
        return self._answer(self._find(question, place_hint=place_hint, near=near), memory, intent=intent,
                            topic=topic, home=place_hint is not None and near is None)

    def _answer(self, response: SearchResponse, memory: Memory, *, intent: str | None = None,
                topic: str | None = None, home: bool = True) -> Outcome:
        """Render a search response and remember what a follow-up needs.

        ``topic`` is the label of a topic button (the answer is headed with it); ``home`` says
        whether the remembered place was the starting point when the question named none.
        """
        analysis = response.analysis
        if intent is not None:
            analysis.intent = intent
        hotlines = self.store.hotlines() if analysis.crisis else []
        home_place = self._place(memory.place) if home and memory.place and analysis.place is None else None
        title = topic_title(topic, area_name(home_place), self.ctx) if topic else None
        answer = answer_reply(response, self.ctx, hotlines=hotlines, topics=self._topics(), title=title,
                              topic=topic, home=home_place)
        query = " ".join(analysis.terms) or " ".join(self._labels(analysis.topics)) or memory.query
        memory = replace(memory, query=query, hits=[[h.offer.id, h.distance_km] for h in answer.hits],
                         page=0, intent=answer.intent, suggestions=list(response.suggestions))
        return Outcome([answer.reply], memory)

    def _topics(self) -> list[dict[str, Any]]:
        """The topics as the search engine holds them (parsed once per database generation)."""
        return engine_for(self.store).topic_rows

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
        reply = results_reply(hits, self.ctx, intent=memory.intent, page=page, total=len(memory.hits))
        return Outcome([reply], replace(memory, page=page))

    def topic(self, topic_id: str, memory: Memory) -> Outcome | None:
        """A topic button: the offers of that topic, near the home place."""
        label = next((t["label"] for t in self._topics() if t["id"] == topic_id), None)
        if label is None:
            return None
        return self._search(label, memory, place_hint=memory.place, intent="general", topic=label)

    def location(self, lat: float, lon: float, memory: Memory) -> Outcome:
        """A shared location: the nearest offers for the last topic (or any), with distances."""
        outcome = self._search(memory.query or "", memory, near=GeoPoint(lat, lon), intent="address")
        if outcome.memory.hits:
            lead = self.ctx._("In Ihrer Nähe:")
            first = outcome.replies[0]
            outcome.replies[0] = Reply(f"<b>{lead}</b>\n\n{first.text}", first.buttons)
        return outcome

    # --- single offers, place, menus ----------------------------------------------------------

    def offer(self, offer_id: str, memory: Memory | None = None) -> Reply | None:
        offer = self.store.offer(offer_id)
        if offer is None:
            return None
        distance = next((d for i, d in (memory.hits if memory else []) if i == offer_id), None)
        return details_reply(offer, self.ctx, distance_km=distance)

    def resolve_place(self, text: str) -> str | None:
        """A place typed for /ort, as the search knows it ("99706" -> "Sondershausen")."""
        return getattr(self._place(text), "name", None)

    def _place(self, text: str) -> Any:
        return analyze(self.store, text).place

    def topics_reply(self) -> Reply:
        text = self.ctx._("Wählen Sie ein Thema – ich zeige Ihnen passende Angebote:")
        return Reply(text, topic_buttons(sorted(self._topics(), key=lambda t: t["label"])))

    def start_topics(self) -> tuple[tuple[Button, ...], ...]:
        by_id = {t["id"]: t for t in self._topics()}
        chosen = [by_id[t] for t in START_TOPICS if t in by_id]
        return (*topic_buttons(chosen), (Button("📚 " + self.ctx._("Alle Themen"), "topics"),))

    def hint_reply(self) -> Reply:
        """A message without content ("hallo", "?"): how to ask, and topics to pick."""
        text = self.ctx._("Schreiben Sie mir einfach, wobei Sie Hilfe suchen, zum Beispiel "
                          "„Schuldnerberatung in Sondershausen“ oder „Wann hat das Jugendamt Eisenach offen?“. "
                          "Oder wählen Sie ein Thema:")
        return Reply(text, self.start_topics())


def _is_thanks(text: str) -> bool:
    tokens = set(normalize(text).split())
    return bool(tokens & _THANKS_CORE) and tokens <= _THANKS_WORDS
