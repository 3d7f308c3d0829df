"""bot.limits: HTML texts shortened or split to Telegram's sizes, the HTML kept valid, nothing lost by a split."""

from __future__ import annotations

import random

from bot.limits import MESSAGE_LIMIT, cut_html, fit_lines, lines, shorten, size, split_html
from bot.render import to_plain
from tests.production.prod_helpers import assert_valid_telegram_html


def card(number: int, name: str) -> str:
    return "\n".join([f"<b>{number}. {name}</b>", "<i>Träger &amp; Co</i>", "📍 Markt 1, 99706 Sondershausen",
                      "☎️ +49 3632 700001", '<i>Quelle: <a href="https://example.org/q">example.org</a></i>'])


def test_size_counts_utf16_units_like_telegram():
    assert size("abc") == 3 and size("ä") == 1 and size("😊") == 2


def test_shorten_cuts_at_a_word_with_an_ellipsis_and_keeps_what_fits():
    assert shorten("Schuldnerberatung", 30) == "Schuldnerberatung"
    assert shorten("Beratung für Familien und Kinder in Not", 30) == "Beratung für Familien und…"
    assert len(shorten("x" * 6600, 200)) == 200


def test_cut_html_closes_the_tags_it_leaves_open_and_never_splits_an_entity():
    text = '<i>Quelle: <a href="https://example.org/q">' + "Haus &amp; Hof " * 40 + "</a></i>"
    for limit in range(60, 400, 7):
        cut = cut_html(text, limit)
        assert size(cut) <= limit and cut.endswith(("…</a></i>", "Quelle…</i>")) and '">…' not in cut
        assert_valid_telegram_html(cut)


def test_lines_keep_a_tag_open_across_a_line_break_together():
    assert lines("<b>a</b>\n<i>b\nc</i>\nd") == ["<b>a</b>", "<i>b\nc</i>", "d"]


def test_fit_lines_shortens_the_longest_line_first_and_the_kept_lines_last():
    fitted = fit_lines([f"<b>{'Name ' * 400}</b>", "📍 " + "Straße " * 60, "☎️ +49 3632 700001"], 600,
                       keep=("📍", "☎️"))
    assert sum(size(line) + 1 for line in fitted) - 1 <= 600
    assert fitted[0].endswith("…</b>") and fitted[1] == "📍 " + "Straße " * 60 and fitted[2] == "☎️ +49 3632 700001"


def test_a_text_too_long_is_split_between_cards_and_nothing_is_lost():
    rng = random.Random(11)
    cards = [card(i, " ".join(rng.choice(["Beratung", "Hilfe", "&amp;", "Familie"]) for _ in range(rng.randint(5, 300))))
             for i in range(1, 30)]
    text = "Angebote:\n\n" + "\n\n".join(cards)
    messages = split_html(text)
    assert len(messages) > 1
    for message in messages:
        assert size(message) <= MESSAGE_LIMIT
        assert_valid_telegram_html(message)
    assert "\n\n".join(messages) == text  # split only between cards
    assert all(m.startswith(("Angebote", "<b>")) for m in messages)


def test_a_single_card_longer_than_a_message_is_split_at_line_ends():
    long_card = "\n".join(f"<b>Zeile {i}</b> " + "wort " * 100 for i in range(40))
    messages = split_html(long_card)
    assert len(messages) > 1 and all(size(m) <= MESSAGE_LIMIT for m in messages)
    assert "\n".join(messages) == long_card
    one_line = "<b>" + "wort " * 2000 + "</b>"
    [only] = split_html(one_line)
    assert size(only) <= MESSAGE_LIMIT and to_plain(only).endswith("…")
