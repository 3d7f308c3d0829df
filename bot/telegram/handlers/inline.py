"""Inline mode: ``@bot tafel uhk`` in any chat lists offers; choosing one posts a compact card there.

Social workers need a number while they are chatting with someone else. The
results come from the same search as the conversation; each shows name,
provider, the first phone number and the state today ("jetzt geöffnet bis
16:00 Uhr"; for a query with a time word such as "morgen", the state then).
Choosing one posts the card (HTML, escaped by the renderer) with a button that
opens the bot on that offer. An empty query shows a hint button that opens the
bot; a crisis word puts the crisis lines first.

Answers are cached in two places: Telegram keeps them per person for
:data:`CACHE_SECONDS`, and :class:`TtlCache` keeps the built results per query
and language for everyone, so typing the same query in many chats searches once.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Generic, TypeVar

from aiogram import Bot, Router
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InlineQueryResultUnion,
    InputTextMessageContent,
    LinkPreviewOptions,
)

from bot.i18n import Translator, babel_locale
from bot.limits import INLINE_DESCRIPTION_LIMIT, INLINE_TITLE_LIMIT, shorten, split_html
from bot.normalize import normalize
from bot.phones import card_number
from bot.query import Intent
from bot.render import Context, hotlines_for, hotlines_text, offer_card, open_state_text, share_link, to_plain
from bot.search import search
from bot.store import OfferRecord, Store
from bot.telegram.dialog import asked_time

#: How long Telegram and this process keep an answer to one query.
CACHE_SECONDS = 60
#: Results per answer (Telegram allows 50; more would only scroll).
MAX_RESULTS = 20
#: The start parameter of the hint button (opens the bot's welcome).
START_PARAMETER = "inline"
#: Result id of the crisis lines (an underscore never occurs in offer ids).
HOTLINES_ID = "_hotlines"
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

Clock = Callable[[], float]
#: The results cache's key: the query's words, the interface language and the database generation.
QueryKey = tuple[str, str, int]
_K = TypeVar("_K")
_V = TypeVar("_V")


class TtlCache(Generic[_K, _V]):
    """A small LRU cache whose entries expire after ``ttl`` seconds."""

    def __init__(self, ttl: float = CACHE_SECONDS, size: int = 512, clock: Clock = time.monotonic) -> None:
        self.ttl, self.size, self.clock = ttl, size, clock
        self._items: OrderedDict[_K, tuple[float, _V]] = OrderedDict()

    def get(self, key: _K) -> _V | None:
        found = self._items.get(key)
        if found is None:
            return None
        if found[0] <= self.clock():
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return found[1]

    def put(self, key: _K, value: _V) -> None:
        self._items[key] = (self.clock() + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


def _first_phone(offer: OfferRecord) -> str | None:
    phone = next((p for p in offer.all_phones() if p.kind != "fax"), None)
    return card_number(phone.number) if phone else None


def description(offer: OfferRecord, ctx: Context) -> str:
    """Plain text under the title: provider; phone · state today (or at the time asked about)."""
    lines = []
    if offer.provider and offer.provider != offer.name:
        lines.append(offer.provider)
    state = open_state_text(offer, ctx)
    today = to_plain(state) if state else (offer.hours_text or "")[:60] or None
    phone = _first_phone(offer)
    reach = " · ".join(p for p in (f"☎️ {phone}" if phone else None, today) if p)
    if reach:
        lines.append(reach)
    return "\n".join(lines)


def offer_article(offer: OfferRecord, ctx: Context, intent: Intent) -> InlineQueryResultArticle:
    markup = None
    if ctx.bot_username:
        button = InlineKeyboardButton(text="🔎 " + ctx._("Im Hilfe-Finder öffnen"),
                                      url=share_link(ctx.bot_username, offer.id))
        markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
    return InlineQueryResultArticle(
        id=offer.id, title=shorten(offer.name, INLINE_TITLE_LIMIT),
        description=shorten(description(offer, ctx), INLINE_DESCRIPTION_LIMIT) or None,
        input_message_content=InputTextMessageContent(message_text=split_html(offer_card(offer, ctx, intent=intent))[0],
                                                      parse_mode="HTML", link_preview_options=_NO_PREVIEW),
        reply_markup=markup,
    )


def hotline_article(hotlines: Sequence[dict[str, Any]], ctx: Context) -> InlineQueryResultArticle:
    numbers = " · ".join(n for line in hotlines[:2] for n in line["phones"][:1])
    return InlineQueryResultArticle(
        id=HOTLINES_ID, title="🆘 " + ctx._("Sofort erreichbar: Notruf und Krisentelefone"), description=numbers,
        input_message_content=InputTextMessageContent(message_text=split_html(hotlines_text(hotlines, ctx))[0],
                                                      parse_mode="HTML",
                                                      link_preview_options=_NO_PREVIEW),
    )


def build_results(store: Store, query: str, ctx: Context) -> list[InlineQueryResultUnion]:
    """The articles for one query: crisis lines first when the query signals danger, then the offers
    (their state at the time the query names, else now)."""
    response = search(store, query, limit=MAX_RESULTS, at=ctx.at, professionals=True)
    asked = asked_time(response.analysis, ctx.at)  # "tafel uhk morgen": the state tomorrow, as in the chat
    if asked is not None:
        ctx = replace(ctx, asked=asked)
    articles: list[InlineQueryResultUnion] = []
    if response.analysis.crisis:
        hotlines = store.hotlines()
        chosen = hotlines_for(hotlines, response.analysis.crisis, response.analysis.crisis_also) or hotlines
        if chosen:
            articles.append(hotline_article(chosen, ctx))
    articles += [offer_article(r.offer, ctx, response.analysis.intent) for r in response.results]
    return articles[:MAX_RESULTS]


def router(*, cache: TtlCache[QueryKey, list[InlineQueryResultUnion]] | None = None) -> Router:
    """The inline-query router; ``cache`` is shared by every query it answers."""
    results_cache: TtlCache[QueryKey, list[InlineQueryResultUnion]] = cache or TtlCache()

    async def inline_query(query: InlineQuery, bot: Bot, store: Store, clock: Callable[[], datetime],
                           tr: Translator, lang: str) -> None:
        text = " ".join(query.query.split())
        if not text:
            hint = InlineQueryResultsButton(text=tr.gettext("Thema und Ort eintippen, z. B. „tafel uhk“"),
                                            start_parameter=START_PARAMETER)
            await query.answer([], cache_time=CACHE_SECONDS * 5, is_personal=True, button=hint)
            return
        key = (normalize(text), lang, store.generation)
        articles = results_cache.get(key)
        if articles is None:
            me = await bot.me()
            ctx = Context(tr=tr, at=clock(), locale=babel_locale(lang), bot_username=me.username, lang=lang)
            articles = build_results(store, text, ctx)
            results_cache.put(key, articles)
        button = None
        if not articles:
            button = InlineQueryResultsButton(text=tr.gettext("Nichts gefunden – im Chat mit mir fragen"),
                                              start_parameter=START_PARAMETER)
        await query.answer(articles, cache_time=CACHE_SECONDS, is_personal=True, button=button)

    r = Router(name="inline")
    r.inline_query.register(inline_query)
    return r
