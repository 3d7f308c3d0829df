"""Towns and counties named in Cyrillic or Arabic script ("в Зондерсгаузені", "في إرفورت").

People asking in Russian, Ukrainian or Arabic write the place in their own script, with their
own case endings and prefixes. The place index reads such words by sound (bot.geo) and must
find the same place as the German spelling, leave ordinary words alone, and find exactly what
it found before in German (and Turkish) questions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.geo import PlaceIndex
from bot.normalize import words
from bot.search import analyze, engine_for, search
from bot.store import Store

SHIPPED = Path(__file__).resolve().parent.parent / "offers.db"


@pytest.fixture(scope="module")
def places() -> PlaceIndex:
    return engine_for(Store(SHIPPED)).places


#: Questions as people write them, and the place (its German name) each names.
FOREIGN = [
    # Ukrainian: locative -і, genitive -а/-и, instrumental -ом/-ою, г -> з (Гамбурзі)
    ("де знайти допомогу з боргами в Зондерсгаузені", "Sondershausen"),
    ("де в Мюльгаузені можна отримати безкоштовні продукти", "Mühlhausen"),
    ("чи є юрист у Бад-Лангензальці", "Bad Langensalza"),
    ("де знайти психолога в Ерфурті", "Erfurt"),
    ("жіночий центр у Гері", "Gera"),
    # a short capitalised word is a town only when nothing surer is named: "Мені" (to me) is no Mehna
    ("Доброго дня. Мені 19 років, я сама з немовлям, проживаю в Кіффгойзеркрайсі.", "Kyffhäuserkreis"),
    ("я студентка в Єні, потрібна допомога з житлом", "Jena"),
    ("у Веймарі є мовні курси?", "Weimar"),
    ("де у Франкенгаузені соціальна служба", "Bad Frankenhausen"),
    ("хто допоможе в Хельдрунгені", "Heldrungen"),
    ("консультація з боргів у Росслебені", "Roßleben"),
    ("де в Шлотгаймі допомога для сімей", "Schlotheim"),
    ("я з Нордгаузена, потрібна консультація", "Nordhausen"),
    ("живу під Артерном, де юрист?", "Artern"),
    ("Зондерсгаузен допомога з житлом", "Sondershausen"),
    # Russian: prepositional -е, genitive -а/-ы, instrumental -ом, г and х for the German h
    ("где найти консультацию по долгам в Зондерсхаузене?", "Sondershausen"),
    ("Я живу в Мюльхаузене, мне нужна помощь с квартирой", "Mühlhausen"),
    ("Tafel в Нордгаузене, когда открыто?", "Nordhausen"),
    ("продуктовый банк в Бад-Лангензальце", "Bad Langensalza"),
    ("консультация для людей с инвалидностью в Артерне", "Artern"),
    ("Подскажите, где в Эрфурте можно найти психолога", "Erfurt"),
    ("где женская консультация в Йене?", "Jena"),
    ("я из Зуля, где найти юриста", "Suhl"),
    ("Живём под Гота, есть ли там Jobcenter?", "Gotha"),
    ("социальная консультация Ильменау", "Ilmenau"),
    ("консультация по зависимости в Айзенахе", "Eisenach"),
    ("ищу группу поддержки в Зёммерде", "Sömmerda"),
    ("помощь пенсионерам в Бад-Франкенхаузене", "Bad Frankenhausen"),
    ("где в Гройсене социальный магазин", "Greußen"),
    ("переезжаю в Хайлигенштадт", "Heilbad Heiligenstadt"),
    ("консультация в Бад-Теннштедте", "Bad Tennstedt"),
    ("ищу работу в Апольде", "Apolda"),
    ("Ментерода, где найти помощь?", "Menteroda"),
    ("я живу под Эбелебеном, нужна консультация", "Ebeleben"),
    # counties
    ("помощь беженцам в Кифхойзеркрайсе", "Kyffhäuserkreis"),
    ("мы живём в Унструт-Хайних-Крайсе, где Jobcenter?", "Unstrut-Hainich-Kreis"),
    ("Айхсфельд, консультация по беременности", "Eichsfeld"),
    ("район Нордхаузен, где консультация для мигрантов", "Landkreis Nordhausen"),
    # Arabic: no short vowels, "ب" written onto the name, "و" for o/u, "ي" for e/i
    ("أين أجد مساعدة في الديون في زوندرسهاوزن", "Sondershausen"),
    ("أحتاج محامي في مولهاوزن", "Mühlhausen"),
    ("أين أجد استشارة ديون في إرفورت", "Erfurt"),
    ("هل توجد مساعدة للنساء في ينا؟", "Jena"),
    ("أسكن في غيرا وأبحث عن عمل", "Gera"),
    ("أين مكتب الشباب في نوردهاوزن", "Nordhausen"),
    ("مساعدة للعائلات في باد لانغنزالتسا", "Bad Langensalza"),
    ("أعيش في فايمار وأبحث عن دورة لغة", "Weimar"),
    ("استشارة اجتماعية بأرتيرن", "Artern"),
    ("أنا من غوتا وأبحث عن محامي", "Gotha"),
    # each script's other way with umlauts: Ukrainian ö as "ьо"/"о", Arabic ü as "ي" (as in "ميونخ")
    ("я вагітна і дуже боюся, живу в Зьоммерді", "Sömmerda"),
    ("я переехала к дочери в Зоммерду", "Sömmerda"),
    ("مرحبا انا عايش بميلهاوزن بشقة لحالي", "Mühlhausen"),
    ("الجوب سنتر في ميلهاوزن", "Mühlhausen"),
    # spoken Arabic: "على"/"ع" (to) before the town, "ب" (in) typed apart from it
    ("وصلنا على غيرا من شهرين وما منعرف حدا", "Gera"),
    ("رحنا ع غوتا مبارح", "Gotha"),
    ("ساكنين ب غيرا من سنة", "Gera"),
    # a keyword query: the town without "في" before it, a word the Arabic word list does not know
    ("الأب لا يدفع نفقة الطفل غوتا", "Gotha"),
    ("غوتا: كيف بقدم على Elterngeld", "Gotha"),
    ("مشاكل في تربية الأطفال غوتا", "Gotha"),
    ("حامل ولا أحد يعرف، ولادة سرية آيزناخ", "Eisenach"),
    # the town's name made an adjective
    ("В Альтенбургской земле мой брат пьёт уже много лет", "Altenburg"),
    ("живём в Эрфуртском районе", "Erfurt"),
    ("ми в Ерфуртському районі", "Erfurt"),
]


@pytest.mark.parametrize(("question", "name"), FOREIGN)
def test_a_place_in_cyrillic_or_arabic_script_is_found(places: PlaceIndex, question: str, name: str) -> None:
    place, positions = places.find(question)
    assert place is not None and place.name == name
    # the place's words are not among words(question), which has Latin letters only
    assert positions == set()


def test_the_place_is_the_one_its_german_spelling_names(places: PlaceIndex) -> None:
    for foreign, german in [("в Зондерсгаузені", "in Sondershausen"), ("في مولهاوزن", "in Mühlhausen"),
                            ("в Кифхойзеркрайсе", "im Kyffhäuserkreis"), ("у Бад-Лангензальці", "in Bad Langensalza")]:
        assert places.find(foreign)[0] == places.find(german)[0]


#: Ordinary words and questions that name no place (common words, first names, countries).
NO_PLACE = [
    "помощь", "допомога", "مساعدة", "где найти помощь с долгами", "де знайти допомогу з боргами",
    "мне нужна консультация по долгам", "у мене проблеми з житлом", "у меня нет денег на еду",
    "у нас дома холодно", "моя дочь беременна", "социальная служба", "нужен психолог",
    "Меня выселяют из квартиры, куда обратиться за помощью?", "мой брат сидит на гере",
    "Гроші закінчилися", "я біженка з України, де отримати консультацію?",
    "Мы недавно переехали в Германию, где можно получить консультацию для мигрантов?",
    "я приехала из России, нужна помощь", "я переехал из Берлина", "Наталья, 45 лет, ищу работу",
    "أحتاج إلى مساعدة في الديون", "أين أجد استشارة للاجئين", "مرحبا، أريد مساعدة بخصوص السكن",
    "يعني أنا لا أعرف ماذا أفعل", "أنا بخير لكن أحتاج مساعدة", "جمعية خيرية للعائلات",
    "كيف يمكنني معادلة شهادتي الجامعية من سوريا في ألمانيا؟", "أعيش في روسيا", "طبيب نفسي",
    # a name's other umlaut spelling counts only capitalised or after "в", "ب"...: the sun is no Zöllnitz
    "соседские дети одни в машине на солнце, окна закрыты",
    "говорю только на русском языке", "українська мова, будь ласка",
]


@pytest.mark.parametrize("question", NO_PLACE)
def test_ordinary_words_are_no_places(places: PlaceIndex, question: str) -> None:
    assert places.find(question) == (None, set())


#: German and Turkish questions and what they found before Cyrillic and Arabic were read:
#: (question, place name, kind, positions in words(question)).
LATIN = [
    ("schuldnerberatung in sondershausen", "Sondershausen", "town", {2}),
    ("Sondershausen'da borç danışmanlığı", "Sondershausen", "town", {0}),
    ("Erfurt'ta Almanca kursu", "Erfurt", "town", {0}),
    ("tafel in roßleben", "Roßleben", "town", {2}),
    ("Jugendamt Bad Langensalza", "Bad Langensalza", "town", {1, 2}),
    ("hilfe in mühlhasen", "Mühlhausen", "town", {2}),
    ("wie wird das wetter morgen", "Wetter", "town", {3}),
    ("Landkreis Nordhausen Pflegeberatung", "Landkreis Nordhausen", "county", {0, 1}),
    ("99706 Schuldnerberatung", "Sondershausen", "postcode", {0}),
    ("Beratung im Kyffhäuserkreis", "Kyffhäuserkreis", "county", {2}),
    ("ich wohne in Sontra und arbeite in Kassel", "Sontra", "town", {3}),
    ("Suchtberatung Mühlhausen/Thüringen", "Mühlhausen", "town", {1, 2}),
    # a German spelling wins over the Cyrillic one, with its position
    ("Hilfe помощь Erfurt", "Erfurt", "town", {1}),
    ("Мюльхаузен Mühlhausen", "Mühlhausen", "town", {0}),
]


#: Town names that a phone's speech recognition split in two (written for this test, after the dictated
#: questions of languages13 and situations13): both halves are the place's words.
DICTATED = [
    ("is there a family centre in arn stat for women", "Arnstadt", {6, 7}),
    ("we just came to ill menau and know nobody", "Ilmenau", {4, 5}),
    ("ich wohne in saal feld und brauch warme sachen", "Saalfeld", {3, 4}),
    ("mein junge geht in pöß neck zur regelschule", "Pößneck", {4, 5}),
]


@pytest.mark.parametrize(("question", "name", "positions"), DICTATED)
def test_a_town_split_in_two_by_speech_recognition_is_found(
        places: PlaceIndex, question: str, name: str, positions: set[int]) -> None:
    place, found = places.find(question)
    assert place is not None and (place.name, found) == (name, positions)


@pytest.mark.parametrize(("question", "name", "kind", "positions"), LATIN)
def test_latin_script_questions_find_what_they_found_before(
        places: PlaceIndex, question: str, name: str, kind: str, positions: set[int]) -> None:
    place, found = places.find(question)
    assert place is not None and (place.name, place.kind, found) == (name, kind, positions)


def test_latin_script_questions_never_read_names_by_sound() -> None:
    index = engine_for(Store(SHIPPED)).places
    for question in ["schuldnerberatung in sondershausen", "hilfe in mühlhasen", "Sondershausen'da yardım",
                     "wie wird das wetter morgen", "ich brauche hilfe"]:
        index.find(question)
    assert index._sounds == {}


def test_the_search_takes_the_place_of_a_cyrillic_question() -> None:
    store = Store(SHIPPED)
    assert analyze(store, "де знайти допомогу з боргами в Зондерсгаузені").place.name == "Sondershausen"
    assert analyze(store, "где найти психолога в Эрфурте").place.name == "Erfurt"


def test_a_word_the_offers_know_by_chance_names_no_offer_far_away() -> None:
    # "Amt" stands whole in the name of the Versorgungsamt in Gera (Stadt Gera, Amt für Gesundheit und
    # Versorgung): left of a message in Arabic or Ukrainian letters it is no look-up of that office
    store = Store(SHIPPED)
    for question in ["جاري في أرنشتات لاجئ سوري، يريد أن يحضر زوجته وأولاده ولا يفهم الأوراق المطلوبة من الـ Amt. "
                     "أين يمكن أن يحصل على استشارة؟",
                     "Мій сусід в Арнштадті хоче привезти сюди дружину і дітей, але не розуміє листів з Amt. "
                     "Де йому можуть допомогти?"]:
        first = search(store, question).results[0].offer
        assert first.name == "Migrationsberatung für erwachsene Zuwanderer (MBE) Arnstadt", question
    # nor is a Turkish word that is a German abbreviation ("ev", house, as "Ev. Kirchenkreis Sonneberg")
    first = search(store, "Gotha'da kirayı ödeyemiyorum, ev sahibi beni çıkarmak istiyor").results[0]
    assert first.offer.city == "Gotha" and first.distance_km == 0.0


#: Long stories (more than 512 characters), the town in the middle in the writer's own letters.
LONG_STORIES = [
    ("Добрий день. Ми приїхали до Німеччини два роки тому, спочатку жили в гуртожитку, потім знайшли "
     "квартиру. Чоловік працює на складі позмінно, я доглядаю за двома дітьми і ходжу на мовні курси. "
     "Минулого місяця прийшов великий рахунок за опалення, а ще банк списав гроші за кредит, який ми брали на "
     "меблі. Тепер ми живемо в Готі і не знаємо, як заплатити все це до кінця місяця. Діти нічого не помічають, "
     "але я погано сплю і весь час рахую гроші. Рідним в Україні ми нічого не кажемо, щоб вони не хвилювалися. "
     "Хто може допомогти скласти план, як розплатитися з боргами?",
     "Gotha"),
    ("السلام عليكم، أنا أم لثلاثة أطفال، جئنا إلى ألمانيا قبل أربع سنوات. زوجي يعمل في مطعم وأنا في البيت. "
     "منذ الصيف أصبحت الأمور صعبة، الإيجار ارتفع وفاتورة الكهرباء كبيرة، والأولاد يحتاجون ملابس للشتاء وكتب "
     "للمدرسة. نسكن الآن في إرفورت قرب المحطة، ولا نعرف أحداً هنا يساعدنا في قراءة الرسائل الرسمية. سمعت من "
     "جارتي أن هناك مكاناً يعطي الطعام للعائلات التي دخلها قليل، وأن هناك من يساعد في طلب الدعم للأولاد. "
     "لا نريد أن نطلب من أقاربنا في سوريا، فهم أيضاً في وضع صعب، ونحن نخجل من السؤال. "
     "أين نجد هذه المساعدة وماذا نحتاج من أوراق؟",
     "Erfurt"),
]


@pytest.mark.parametrize(("story", "name"), LONG_STORIES, ids=["uk", "ar"])
def test_a_long_story_names_its_town_in_its_own_letters(story: str, name: str) -> None:
    assert len(story) > 512
    assert analyze(Store(SHIPPED), story).place.name == name


@pytest.mark.parametrize(("question", "name"), [
    ("Erfurtta bağımlılık danışma merkezi var mı", "Erfurt"),
    ("Jenada yardım lazım", "Jena"),
    ("Gothada kreş yeri bulamıyorum", "Gotha"),
    ("Geraya yeni taşındık", "Gera"),
    ("Weimarda yaşıyorum, borçlarım var", "Weimar"),
    # typed without Turkish letters: the language detector says Turkish
    ("kizim 15 yasinda evden kaciyor arkadaslarinda kaliyor Jenada aileler icin yardim nereye", "Jena"),
    # only ç of the Turkish letters, German words beside it: the detector does not say Turkish
    ("gothada sucht beratung kocam için", "Gotha"),
    # typed without Turkish letters, the detector unsure: most words are likelier Turkish than German
    ("erfurtta yardim var mi", "Erfurt"),
    ("suhlda yardim var mi", "Suhl"),
    # the town misspelled before the ending, or a two-word town
    ("gotada aile danismanligi var mi", "Gotha"),
    ("roslebende tafel var mı yani", "Roßleben"),
    ("kocamla sürekli kavga ediyoruz, bad frankenhauzende konuşabileceğimiz biri var mı", "Bad Frankenhausen"),
    # the name written by its sounds in Turkish letters
    ("babam demans oldu, mayningende yaşıyoruz, bakım için ne yardım var", "Meiningen"),
    ("zömerdada borç danışmanlığı arıyorum", "Sömmerda"),
    ("schlothaymda gençler için sokak çalışması var mı", "Schlotheim"),
    ("iş bulma yeri arıyorum, vaymar yakınında oturuyoruz", "Weimar"),
])
def test_a_town_with_a_turkish_case_ending_is_found(places: PlaceIndex, question: str, name: str) -> None:
    place, _ = places.find(question)
    assert place is not None and place.name == name


def test_a_german_message_is_not_searched_for_turkish_spellings(places: PlaceIndex,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The fuzzy match of Turkish case endings runs only in Turkish messages: for every word of every message
    it cost about 1 ms a message (found in review, 2026-12-06)."""
    import bot.geo

    calls: list[str] = []
    real = bot.geo.process.extractOne

    def counted(query: str, *args: object, **kwargs: object) -> object:
        calls.append(query)
        return real(query, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(bot.geo.process, "extractOne", counted)
    places._turkish_case("meine schwiegermutter braucht unterstützung beim ausfüllen der formulare",
                         words("meine schwiegermutter braucht unterstützung beim ausfüllen der formulare"))
    assert calls == []
    assert places._turkish_case("mayningende yaşıyoruz bakım için yardım var mı",
                                words("mayningende yaşıyoruz bakım için yardım var mı")) is not None
    assert calls


@pytest.mark.parametrize("question", ["ich bin gerade so traurig", "wir sind in schulden geraten",
                                      "die gotik in der kirche", "ich war gerade beim arzt, ja"])
def test_a_german_word_ending_like_a_turkish_case_is_no_town(places: PlaceIndex, question: str) -> None:
    assert places.find(question)[0] is None
