"""The whole bot in each of the seven language forms: greeting and topic buttons, a card with hours
and "open now", the crisis block and "nothing found" (Telegram language or /sprache), the language
of a first message, the choice kept and erased, inline results in the asker's language, holidays."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from aiogram.methods import SendMessage
from aiogram.types import Update

from bot.opening import TZ
from bot.render import to_plain
from tests.telegram.tg_helpers import buttons, only

LANGUAGES = ("de", "en", "uk", "ru", "ar", "tr", "de-leicht")

#: What a person sees, per language: the greeting's first paragraph, the topic buttons (only topics that
#: have offers, then "all topics"), the first card of "Wann hat die Schuldnerberatung Sondershausen offen?"
#: a minute before closing, the crisis lines and "nothing found". Arabic carries its directional marks (U+200F, U+2068/U+2069).
EXPECTED = {'de': {'greeting': 'Hallo! Ich helfe Ihnen, in Thüringen und Hessen die passende Beratung und Hilfe zu finden '
                    '– zum Beispiel Schuldnerberatung, Familienberatung, Jugendamt, Suchthilfe, Frauenhaus '
                    'oder Tafel.',
        'buttons': ['Schulden', 'Erziehung und Familienberatung', 'Psychische Gesundheit', '📚 Alle Themen'],
        'card': '1. Schuldnerberatung Sondershausen\n'
                'Testträger Soziale Dienste e.V.\n'
                '🕒 Dienstag und Donnerstag 9:00–16:00 Uhr\n'
                '🟢 jetzt geöffnet bis 16:00 Uhr\n'
                '📍 Teststraße 1, 99706 Sondershausen\n'
                '☎️ 03632 700001\n'
                '☎️ Erika Musterfrau: 03632 700002\n'
                '👤 Erika Musterfrau, Schuldnerberaterin, Raum 2\n'
                '✉️ schulden@example.org, e.musterfrau@example.org\n'
                '🌐 https://example.org/schulden\n'
                'Quelle: example.org · Stand: März 2025',
        'crisis': '🆘 Wenn Sie in Gefahr sind oder nicht mehr weiterwissen – hier ist sofort jemand für Sie '
                  'da:\n'
                  '• Notruf – Rettungsdienst und Feuerwehr: 112 (rund um die Uhr)\n'
                  '• TelefonSeelsorge: 0800 111 0 111 · 0800 111 0 222 · 116 123 (rund um die Uhr)\n'
                  '• Nummer gegen Kummer – Kinder- und Jugendtelefon: 116 111 (Mo–Sa 14–20 Uhr)',
        'nothing': 'Dazu habe ich in Erfurt und Umgebung leider kein passendes Angebot gefunden.\n'
                   '\n'
                   'Meinten Sie: „opfer“?\n'
                   '\n'
                   'Versuchen Sie es mit anderen Worten, z. B. „Schuldnerberatung in Gotha“, oder wählen Sie '
                   'ein Thema:'},
 'en': {'greeting': 'Hello! I help you find the right counselling and support in Thuringia and Hesse – for '
                    'example debt counselling (Schuldnerberatung), family counselling, the youth welfare '
                    "office (Jugendamt), addiction help, women's shelters or food banks (Tafel).",
        'buttons': ['Debts', 'Parenting and family counselling', 'Mental health', '📚 All topics'],
        'card': '1. Schuldnerberatung Sondershausen\n'
                'Testträger Soziale Dienste e.V.\n'
                '🕒 Tuesday and Thursday 9:00–16:00\n'
                '🟢 open now until 16:00\n'
                '📍 Teststraße 1, 99706 Sondershausen\n'
                '☎️ 03632 700001\n'
                '☎️ Erika Musterfrau: 03632 700002\n'
                '👤 Erika Musterfrau, Schuldnerberaterin, Raum 2\n'
                '✉️ schulden@example.org, e.musterfrau@example.org\n'
                '🌐 https://example.org/schulden\n'
                '🇩🇪 Information from the service, in German\n'
                'Source: example.org · As of: March 2025',
        'crisis': '🆘 If you are in danger or at the end of your tether – someone is there for you right now:\n'
                  '• Notruf – Rettungsdienst und Feuerwehr: 112 (around the clock)\n'
                  '• TelefonSeelsorge: 0800 111 0 111 · 0800 111 0 222 · 116 123 (around the clock)\n'
                  '• Nummer gegen Kummer – Kinder- und Jugendtelefon: 116 111 (Mon–Sat 2–8 pm)',
        'nothing': 'Sorry, I found no matching service in or around Erfurt.\n'
                   '\n'
                   'Did you mean: „opfer“?\n'
                   '\n'
                   'Try other words – German ones work best, e.g. “Schuldnerberatung in Gotha” (debt '
                   'counselling) – or choose a topic:'},
 'uk': {'greeting': 'Вітаю! Я допомагаю знайти відповідну консультацію і допомогу в Тюрингії та Гессені – '
                    'наприклад, консультацію з боргів, сімейну консультацію, Jugendamt (службу у справах '
                    'дітей), допомогу при залежності, притулок для жінок або Tafel (безкоштовні продукти).',
        'buttons': ['Борги', 'Виховання і сімейні консультації', 'Психічне здоровʼя', '📚 Усі теми'],
        'card': '1. Schuldnerberatung Sondershausen\n'
                'Testträger Soziale Dienste e.V.\n'
                '🕒 вівторок і четвер 9:00–16:00\n'
                '🟢 зараз відчинено до 16:00\n'
                '📍 Teststraße 1, 99706 Sondershausen\n'
                '☎️ 03632 700001\n'
                '☎️ Erika Musterfrau: 03632 700002\n'
                '👤 Erika Musterfrau, Schuldnerberaterin, Raum 2\n'
                '✉️ schulden@example.org, e.musterfrau@example.org\n'
                '🌐 https://example.org/schulden\n'
                '🇩🇪 Дані консультаційної служби німецькою мовою\n'
                'Джерело: example.org · Станом на: березень 2025\u202fр.',
        'crisis': '🆘 Якщо вам загрожує небезпека або ви не знаєте, що робити далі, – тут вам одразу '
                  'допоможуть:\n'
                  '• Notruf – Rettungsdienst und Feuerwehr: 112 (цілодобово)\n'
                  '• TelefonSeelsorge: 0800 111 0 111 · 0800 111 0 222 · 116 123 (цілодобово)\n'
                  '• Nummer gegen Kummer – Kinder- und Jugendtelefon: 116 111 (пн–сб 14–20)',
        'nothing': 'На жаль, у Erfurt та околицях я не знайшов відповідної пропозиції.\n'
                   '\n'
                   'Можливо, ви мали на увазі: „opfer“?\n'
                   '\n'
                   'Спробуйте іншими словами – найкраще німецькими, наприклад «Schuldnerberatung in Gotha» '
                   '(консультація з боргів), – або виберіть тему:'},
 'ru': {'greeting': 'Здравствуйте! Я помогаю найти подходящую консультацию и помощь в Тюрингии и Гессене – '
                    'например, консультацию по долгам, семейную консультацию, Jugendamt (службу по делам '
                    'детей), помощь при зависимости, приют для женщин или Tafel (бесплатные продукты).',
        'buttons': ['Долги', 'Воспитание и семейные консультации', 'Психическое здоровье', '📚 Все темы'],
        'card': '1. Schuldnerberatung Sondershausen\n'
                'Testträger Soziale Dienste e.V.\n'
                '🕒 вторник и четверг 9:00–16:00\n'
                '🟢 сейчас открыто до 16:00\n'
                '📍 Teststraße 1, 99706 Sondershausen\n'
                '☎️ 03632 700001\n'
                '☎️ Erika Musterfrau: 03632 700002\n'
                '👤 Erika Musterfrau, Schuldnerberaterin, Raum 2\n'
                '✉️ schulden@example.org, e.musterfrau@example.org\n'
                '🌐 https://example.org/schulden\n'
                '🇩🇪 Данные консультационной службы на немецком языке\n'
                'Источник: example.org · По состоянию на: март 2025\u202fг.',
        'crisis': '🆘 Если вам угрожает опасность или вы не знаете, что делать дальше, – здесь вам сразу '
                  'помогут:\n'
                  '• Notruf – Rettungsdienst und Feuerwehr: 112 (круглосуточно)\n'
                  '• TelefonSeelsorge: 0800 111 0 111 · 0800 111 0 222 · 116 123 (круглосуточно)\n'
                  '• Nummer gegen Kummer – Kinder- und Jugendtelefon: 116 111 (пн–сб 14–20)',
        'nothing': 'К сожалению, в Erfurt и окрестностях я не нашёл подходящего предложения.\n'
                   '\n'
                   'Может быть, вы имели в виду: „opfer“?\n'
                   '\n'
                   'Попробуйте другими словами, например «консультация по долгам в Gotha», или выберите '
                   'тему:'},
 'ar': {'greeting': '\u200fمرحبًا! أساعدك في إيجاد الاستشارة والمساعدة المناسبة في تورينغن وهيسن – مثلًا '
                    'استشارة الديون، الاستشارة الأسرية، \u2068Jugendamt\u2069 (مكتب رعاية الشباب)، المساعدة في '
                    'الإدمان، بيت حماية النساء أو \u2068Tafel\u2069 (طعام مجاني).',
        'buttons': ['\u200fالديون',
                    '\u200fالتربية والاستشارة الأسرية',
                    '\u200fالصحة النفسية',
                    '📚 \u200fكل المواضيع'],
        'card': '1. Schuldnerberatung Sondershausen\n'
                'Testträger Soziale Dienste e.V.\n'
                '🕒 الثلاثاء والخميس \u20689:00–16:00\u2069\n'
                '🟢 \u200fمفتوح الآن حتى الساعة \u206816:00\u2069\n'
                '📍 Teststraße 1, 99706 Sondershausen\n'
                '☎️ 03632 700001\n'
                '☎️ Erika Musterfrau: 03632 700002\n'
                '👤 Erika Musterfrau, Schuldnerberaterin, Raum 2\n'
                '✉️ schulden@example.org, e.musterfrau@example.org\n'
                '🌐 https://example.org/schulden\n'
                '🇩🇪 \u200fمعلومات مركز الاستشارة باللغة الألمانية\n'
                '\u200fالمصدر: \u2068example.org\u2069 · \u200fتاريخ المعلومات: \u2068مارس 2025\u2069',
        'crisis': '🆘 \u200fإذا كنت في خطر أو لا تعرف ماذا تفعل – هنا يوجد من يساعدك فورًا:\n'
                  '• Notruf – Rettungsdienst und Feuerwehr: 112 (\u200fعلى مدار الساعة)\n'
                  '• TelefonSeelsorge: 0800 111 0 111 · 0800 111 0 222 · 116 123 (\u200fعلى مدار الساعة)\n'
                  '• Nummer gegen Kummer – Kinder- und Jugendtelefon: 116 111 (\u200fمن الاثنين إلى السبت \u206814–20\u2069)',
        'nothing': '\u200fللأسف لم أجد خدمة مناسبة في \u2068Erfurt\u2069 وما حولها.\n'
                   '\n'
                   '\u200fهل تقصد: \u2068„opfer“\u2069؟\n'
                   '\n'
                   '\u200fجرّب بكلمات أخرى، مثلًا „استشارة الديون في \u2068Gotha\u2069“، أو اختر '
                   'موضوعًا:'},
 'tr': {'greeting': "Merhaba! Thüringen ve Hessen'de size uygun danışmanlık ve yardımı bulmanıza yardım "
                    'ediyorum – örneğin borç danışmanlığı, aile danışmanlığı, Jugendamt (gençlik dairesi), '
                    'bağımlılık yardımı, kadın sığınma evi veya Tafel (ücretsiz gıda).',
        'buttons': ['Borçlar', 'Eğitim ve aile danışmanlığı', 'Ruh sağlığı', '📚 Tüm konular'],
        'card': '1. Schuldnerberatung Sondershausen\n'
                'Testträger Soziale Dienste e.V.\n'
                '🕒 Salı ve Perşembe 9:00–16:00\n'
                '🟢 şu an açık, kapanış saati 16:00\n'
                '📍 Teststraße 1, 99706 Sondershausen\n'
                '☎️ 03632 700001\n'
                '☎️ Erika Musterfrau: 03632 700002\n'
                '👤 Erika Musterfrau, Schuldnerberaterin, Raum 2\n'
                '✉️ schulden@example.org, e.musterfrau@example.org\n'
                '🌐 https://example.org/schulden\n'
                '🇩🇪 Danışma merkezinin bilgileri Almanca\n'
                'Kaynak: example.org · Tarih: Mart 2025',
        'crisis': '🆘 Tehlikedeyseniz ya da ne yapacağınızı bilemiyorsanız – burada hemen biri yanınızda:\n'
                  '• Notruf – Rettungsdienst und Feuerwehr: 112 (7/24)\n'
                  '• TelefonSeelsorge: 0800 111 0 111 · 0800 111 0 222 · 116 123 (7/24)\n'
                  '• Nummer gegen Kummer – Kinder- und Jugendtelefon: 116 111 (Pzt–Cmt 14–20)',
        'nothing': 'Maalesef Erfurt ve çevresinde uygun bir hizmet bulamadım.\n'
                   '\n'
                   'Şunu mu demek istediniz: „opfer“?\n'
                   '\n'
                   "Başka kelimelerle deneyin, örneğin „Gotha'da borç danışmanlığı“, ya da bir konu "
                   'seçin:'},
 'de-leicht': {'greeting': 'Hallo! Ich helfe Ihnen. Ich finde Beratung und Hilfe in Thüringen und Hessen. Zum '
                           'Beispiel: Hilfe bei Schulden. Hilfe für Familien. Das Jugendamt. Hilfe bei Sucht. '
                           'Ein Frauenhaus. Die Tafel.',
               'buttons': ['Schulden', 'Erziehung und Familien-Beratung', 'Seele und Gefühle', '📚 Alle Themen zeigen'],
               'card': '1. Schuldnerberatung Sondershausen\n'
                       'Testträger Soziale Dienste e.V.\n'
                       '📍 Teststraße 1, 99706 Sondershausen\n'
                       '🕒 Dienstag und Donnerstag von 9 Uhr bis 16 Uhr.\n'
                       '🟢 Jetzt offen bis 16 Uhr.\n'
                       '☎️ 03632 700001\n'
                       '☎️ Erika Musterfrau: 03632 700002\n'
                       '👤 Erika Musterfrau, Schuldnerberaterin, Raum 2\n'
                       '✉️ schulden@example.org, e.musterfrau@example.org\n'
                       '🌐 https://example.org/schulden\n'
                       'Die Angaben sind von: example.org · Stand: März 2025',
               'crisis': '🆘 Sind Sie in Gefahr? Wissen Sie nicht weiter? Hier hilft Ihnen sofort jemand:\n'
                         '• Notruf – Rettungsdienst und Feuerwehr: 112 (Tag und Nacht)\n'
                         '• TelefonSeelsorge: 0800 111 0 111 · 0800 111 0 222 · 116 123 (Tag und Nacht)\n'
                         '• Nummer gegen Kummer – Kinder- und Jugendtelefon: 116 111 (Montag bis Samstag von 14 Uhr bis 20 Uhr)',
               'nothing': 'Ich habe in Erfurt kein Angebot gefunden.\n'
                          '\n'
                          'Meinen Sie: „opfer“?\n'
                          '\n'
                          'Schreiben Sie es anders. Zum Beispiel: „Schulden Gotha“. Oder wählen Sie '
                          'ein Thema:'}}


async def start_in(make_harness, language: str, *, choose: bool = False):
    """A conversation in ``language``: the Telegram language (Leichte Sprache: chosen with /sprache), or
    chosen with /sprache (``choose``), so that a German first question does not switch to German."""
    harness = make_harness(language_code="de" if language == "de-leicht" else language)
    if choose or language == "de-leicht":
        await harness.send("/sprache")
        await harness.press(f"l:{language}")
    return harness


def plain(calls) -> str:
    return "\n\n".join(to_plain(c.text) for c in calls if isinstance(c, SendMessage))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_whole_replies_in_each_language(make_harness, language):
    expected = EXPECTED[language]
    harness = await start_in(make_harness, language, choose=True)
    welcome = only(await harness.send("/start"), SendMessage)
    assert to_plain(welcome.text).split("\n\n")[0] == expected["greeting"]
    assert [text for text, _ in buttons(welcome)] == expected["buttons"]  # only topics that have offers
    answer = plain(await harness.send("Wann hat die Schuldnerberatung Sondershausen offen?"))
    assert answer.split("\n\n")[1] == expected["card"]
    crisis = plain(await harness.send("Ich will nicht mehr leben"))
    assert crisis.split("\n\n")[0] == expected["crisis"]
    assert plain(await harness.send("Zahnarzt für Pferde in Erfurt")) == expected["nothing"]


async def test_leichte_sprache_sends_one_offer_per_message(make_harness):
    harness = await start_in(make_harness, "de-leicht")
    calls = [c for c in await harness.send("Schuldnerberatung Sondershausen") if isinstance(c, SendMessage)]
    assert [to_plain(c.text).split("\n")[0] for c in calls] == [
        "Angebote 1 bis 3 von 5:", "1. Schuldnerberatung Sondershausen",
        "2. Schuldner- und Insolvenzberatung Kyffhäuser", "3. Schuldnerberatung Nordhausen"]
    assert [text for text, _ in buttons(calls[1])] == ["ℹ️ 1", "📍 Auf der Karte zeigen 1", "👤 Nummer speichern 1"]
    assert buttons(calls[-1])[-1] == ("Mehr Angebote zeigen ➡️", "p:1")


async def test_a_first_message_clearly_in_another_language_sets_it(make_harness):
    harness = make_harness(language_code="de")
    text = await harness.ask("Мені потрібна допомога з боргами в Sondershausen")
    assert (await harness.memory())["locale"] == "uk"
    assert text.startswith("Добре, я шукаю в Sondershausen та поруч.")


async def test_short_or_german_first_messages_keep_the_telegram_language(make_harness):
    english = make_harness(language_code="en-GB")
    await english.ask("Schuldnerberatung Sondershausen")  # office and town names say nothing about the person
    assert (await english.memory())["locale"] == "en"
    german = make_harness(language_code="de")
    await german.ask("Wann hat die Schuldnerberatung in Sondershausen offen?")
    assert (await german.memory())["locale"] == "de"


async def test_the_choice_is_kept_and_erased_with_everything_else(make_harness):
    harness = make_harness(language_code="de")
    await harness.send("/sprache")
    confirmation = only(await harness.press("l:tr"), SendMessage)
    assert confirmation.text == "Artık Türkçe yazıyorum."
    assert buttons(confirmation)[0] == ("Borçlar", "t:schulden")  # the topic buttons follow at once
    assert "Salı ve Perşembe 9:00–16:00" in await harness.ask("Schuldnerberatung Sondershausen")
    assert (await harness.memory())["locale"] == "tr"
    await harness.send("/vergessen")
    assert "locale" not in await harness.memory()
    assert (await harness.ask("/hilfe")).startswith("So fragen Sie")


async def test_topic_buttons_and_their_answers_follow_the_language(make_harness):
    harness = make_harness(language_code="ru")
    topics = only(await harness.send("/themen"), SendMessage)
    assert ("Долги", "t:schulden") in buttons(topics)
    text = plain(await harness.press("t:schulden"))
    assert text.startswith("Предложения по теме Долги")


async def test_holidays_are_named_in_the_language(make_harness):
    for language, closed in (("en", "closed today (Easter Monday)"), ("uk", "сьогодні зачинено (Великодній понеділок)"),
                             ("ru", "сегодня закрыто (Пасхальный понедельник)"),
                             ("tr", "bugün kapalı (Paskalya Pazartesisi)"),
                             ("de-leicht", "Heute geschlossen. Heute ist Oster-Montag.")):
        harness = await start_in(make_harness, language)
        harness.now[0] = datetime(2025, 4, 21, 10, 0, tzinfo=TZ)  # Ostermontag
        assert closed in await harness.ask("Schuldnerberatung Sondershausen"), language


async def test_inline_results_follow_the_askers_language(make_harness):
    harness = make_harness(language_code="uk")
    update = Update.model_validate({"update_id": 90, "inline_query": {
        "id": "q1", "from": harness.updates.user, "query": "Schuldnerberatung Sondershausen", "offset": ""}})
    calls = await harness.feed(update)
    articles = calls[-1].results
    first = articles[0]
    assert first.title == "Schuldnerberatung Sondershausen"
    assert "зараз відчинено до 16:00" in first.description
    assert "🇩🇪 <i>Дані консультаційної служби німецькою мовою</i>" in first.input_message_content.message_text


#: The first words of /hilfe and the first topic button of /themen (topics that have offers, by label) in each
#: language form.
CHAT = {
    "de": ("So fragen Sie", "[1] Erziehung und Familienberatung"),
    "en": ("How to ask", "[1] Crisis and emergency"),
    "uk": ("Як запитувати", "[1] Борги"),
    "ru": ("Как спрашивать", "[1] Воспитание и семейные консультации"),
    "ar": ("\u200fكيف تسأل", "[1] \u200fالأزمات والطوارئ"),
    "tr": ("Nasıl sorulur", "[1] Borçlar"),
    "de-leicht": ("So fragen Sie", "[1] Erziehung und Familien-Beratung"),
}


@pytest.mark.parametrize("language", list(CHAT))
def test_chat_command_with_lang(offers_db, monkeypatch, capsys, language):
    """``python -m bot chat --lang L``: the language as if chosen with /sprache, even for German questions."""
    from bot.cli import chat

    monkeypatch.setenv("OFFERS_DB", str(offers_db))
    monkeypatch.setattr("sys.stdin", io.StringIO("/hilfe\n/themen\nWann hat die Schuldnerberatung Sondershausen "
                                                 "offen?\n"))
    assert chat.main(["--lang", language]) == 0
    out = capsys.readouterr().out
    first, button = CHAT[language]
    assert out.startswith(first)
    assert button in out
    card = EXPECTED[language]["card"].split("\n")
    # name, provider and hours (Leichte Sprache: the address before them); "open now" depends on the clock
    assert "\n".join(card[:4 if language == "de-leicht" else 3]) in out


def _german_texts() -> list[str]:
    """The bot's own German sentences (msgids of three words or more that other languages translate)."""
    from bot.cli.compile_locales import extract
    from bot.i18n import translator

    english = translator("en")

    return [m for m in extract() if len(m.split()) >= 3 and english.gettext(m) != m and "{" not in m]


async def german_left(harness) -> tuple[list[str], int]:
    """Walk through the bot (start, topics, a question, details, contact, more, place, privacy, language,
    help, erase, location) and return the bot's own German sentences seen, and how many texts were seen."""
    german = _german_texts()
    seen = []
    for step in ("/start", "t:schulden", "Schuldnerberatung Sondershausen", "o:details:t-schulden-sdh",
                 "o:contact:t-schulden-sdh", "p:1", "/ort", "Artern", "/datenschutz", "/sprache", "/hilfe",
                 "/vergessen"):
        calls = await (harness.press(step) if ":" in step else harness.send(step))
        seen += [c.text for c in calls if isinstance(c, SendMessage)]
        seen += [text for c in calls if isinstance(c, SendMessage) for text, _ in buttons(c)]
    seen += [c.text for c in await harness.feed(harness.updates.location(51.37, 10.87)) if isinstance(c, SendMessage)]
    return [g for g in german for text in seen if g in text], len(seen)


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "uk", "ru", "ar", "tr"])
async def test_the_whole_bot_speaks_the_language(make_harness, language):
    """No German sentence of the bot's own is left (offer data is German, and each card says so)."""
    found, seen = await german_left(await start_in(make_harness, language))
    assert found == []
    assert seen > 20


async def test_the_walk_through_finds_german_sentences_in_german(make_harness):
    found, _ = await german_left(make_harness(language_code="de"))
    assert len(found) > 10


async def test_after_start_the_first_question_still_sets_the_language(make_harness):
    harness = make_harness(language_code="de")
    assert (await harness.ask("/start")).startswith("Hallo!")
    text = await harness.ask("I need help with my debts, where can I go in Sondershausen?")
    assert (await harness.memory())["locale"] == "en"
    assert "🇩🇪 Information from the service, in German" in text
    # only the first question: the next one in German does not switch back
    await harness.ask("Wann hat die Schuldnerberatung in Sondershausen offen?")
    assert (await harness.memory())["locale"] == "en"


async def test_a_chosen_language_is_not_changed_by_a_question(make_harness):
    harness = make_harness(language_code="de")
    await harness.send("/sprache")
    await harness.press("l:ar")
    await harness.ask("Мені потрібна допомога з боргами в Sondershausen")
    assert (await harness.memory())["locale"] == "ar"
