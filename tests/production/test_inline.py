"""Inline mode: results from the same search, a compact escaped card, a hint for empty queries, a cache."""

from __future__ import annotations

from aiogram.methods import AnswerInlineQuery

from bot.render import to_plain
from bot.telegram.handlers.inline import TtlCache
from tests.production.prod_helpers import Chat, assert_valid_telegram_html


async def inline(harness, query: str, user_id: int = 6001) -> AnswerInlineQuery:
    calls = await harness.feed(Chat(user_id).inline(query))
    assert [type(c) for c in calls] == [AnswerInlineQuery]
    return calls[0]


async def test_an_office_and_county_abbreviation_lists_the_office_with_phone_and_hours_today(harness):
    answer = await inline(harness, "jugendamt uhk")
    first = answer.results[0]
    assert first.title == "Jugendamt Unstrut-Hainich-Kreis"
    assert first.description == "Testträger e.V.\n☎️ 03601 700101 · jetzt geöffnet bis 12:00 Uhr"
    card = first.input_message_content
    assert card.parse_mode == "HTML" and card.link_preview_options.is_disabled
    plain = to_plain(card.message_text)
    assert plain.startswith("Jugendamt Unstrut-Hainich-Kreis\nTestträger e.V.")
    assert "Testweg 1, 99974 Mühlhausen" in plain and "03601 700101" in plain
    button = first.reply_markup.inline_keyboard[0][0]
    assert button.url == "https://t.me/hilfe_finder_bot?start=o_p-jugendamt-mhl"
    assert answer.cache_time == 60 and answer.is_personal


async def test_a_persons_name_finds_the_office_she_works_in(harness):
    answer = await inline(harness, "grimm")
    assert answer.results[0].id == "p-jugendamt-mhl"
    assert "Greta Grimm" in to_plain(answer.results[0].input_message_content.message_text)


async def test_offer_data_in_inline_results_is_escaped(harness):
    answer = await inline(harness, "Spezialberatung")
    article = next(r for r in answer.results if r.id == "p-html")
    html = article.input_message_content.message_text
    assert "Beratung &lt;b&gt;Fett&lt;/b&gt; &amp; &quot;Co&quot; &lt;script&gt;" in html
    assert_valid_telegram_html(html)
    assert article.title == 'Beratung <b>Fett</b> & "Co" <script>x</script>'  # plain-text field: as is


async def test_an_empty_query_shows_a_hint_button_that_opens_the_bot(harness):
    answer = await inline(harness, "   ")
    assert answer.results == []
    assert answer.button.start_parameter == "inline"
    assert "tafel uhk" in answer.button.text


async def test_no_match_says_so_and_offers_the_chat(harness):
    answer = await inline(harness, "xylophonreparatur")
    assert answer.results == []
    assert answer.button.text.startswith("Nichts gefunden") and answer.button.start_parameter == "inline"


async def test_a_crisis_query_puts_the_crisis_lines_first(harness):
    answer = await inline(harness, "ich will nicht mehr leben")
    assert answer.results[0].id == "_hotlines"
    assert "TelefonSeelsorge" in to_plain(answer.results[0].input_message_content.message_text)


async def test_the_same_query_is_searched_once_and_a_new_database_is_searched_again(harness, monkeypatch):
    import bot.telegram.handlers.inline as inline_module

    searches = []
    real = inline_module.search
    monkeypatch.setattr(inline_module, "search", lambda *a, **k: searches.append(a[1]) or real(*a, **k))
    first = await inline(harness, "jugendamt uhk", user_id=6101)
    second = await inline(harness, "Jugendamt  UHK", user_id=6102)
    assert searches == ["jugendamt uhk"]
    assert [r.id for r in first.results] == [r.id for r in second.results]
    harness.store.generation += 1  # what a reload does
    await inline(harness, "jugendamt uhk", user_id=6103)
    assert len(searches) == 2


def test_ttl_cache_expires_and_stays_small():
    now = [0.0]
    cache = TtlCache(ttl=60, size=2, clock=lambda: now[0])
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)  # "b" was used least recently
    assert cache.get("b") is None and cache.get("a") == 1
    now[0] = 61
    assert cache.get("a") is None and cache.get("c") is None
