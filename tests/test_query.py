"""Query analysis without a database: the crisis patterns, intent, persons, compound words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.crisis import pattern_kind as detect_crisis
from bot.query import STOPWORDS, detect_intent, detect_person
from bot.searchindex import known_tail, national_digits, split_compound, strip_particle

CRISIS = {
    "suicide": [
        "ich will nicht mehr leben", "Ich will sterben.", "ich möchte sterben", "ich will mich umbringen",
        "ich bring mich um", "ich denke an Selbstmord", "habe Suizidgedanken", "ich will nicht mehr.",
        "am liebsten wäre ich tot", "ich mag nicht mehr leben", "es hat alles keinen Sinn mehr",
        "ich sehe keinen Ausweg mehr", "ich will mir das Leben nehmen", "einschlafen und nie mehr aufwachen",
        "bin lebensmüde", "ich halte es nicht mehr aus",
        "alle wären besser dran ohne mich", "ich will nicht mehr da sein", "keine lust mehr zu leben",
        "Ich kann nicht mehr, am liebsten wäre ich tot", "ich will nicht mehr, mir ist alles zu viel",
        "ich will daheim sterben", "ich will einfach nur sterben",
        "ICH WILL NICHT MEHR LEBEN!!!", "ich will nich mehr leben", "i mag nimmer leben", "i want to die",
        "ich will mich umbringen", "sie will sich umbringen", "ich will mich und ihn umbringen",
    ],
    "selfharm": ["ich ritze mich", "ich verletze mich selbst", "hab wieder svv gemacht"],
    "violence": [
        "mein mann schlägt mich", "mein Freund schlaegt mich", "er hat mich geschlagen", "mein Partner bedroht mich",
        "ich werde zu hause geschlagen", "häusliche Gewalt", "er hat gesagt er bringt mich um",
        "mein mann will mich umbringen", "mein ex stalkt mich", "er wird gewalttätig",
        "ich habe Angst vor meinem Mann", "er droht mir", "mein Mann hat mich wieder verprügelt",
        # an adult's age, or a parent named beside another's violence, makes no child
        "ich bin 34 und mein freund schlägt mich", "meine mutter sagt ich soll gehen, mein mann schlägt mich",
        "ich bin 10 minuten zu spät gekommen und er hat mich geschlagen",
        # the writer's intent to kill another: a danger to someone else, whose line is 110, not a suicide
        "ich will ihn umbringen, das messer hab ich dabei", "ich werde sie umbringen wenn sie heimkommt",
    ],
    "child": [
        "das Nachbarskind hat immer blaue Flecken", "mein kind wird geschlagen", "das kind nebenan wird misshandelt",
        "Verdacht auf Kindesmissbrauch", "der Vater schlägt sein Kind", "die kinder werden alleine gelassen",
        # a child telling of violence against them: a parent's, or anyone's when they say they are a child
        "mein stiefvater verprügelt mich wenn mama nicht da ist", "ich bin 14 und mein vater hat mich gewürgt",
        "bin 11. mama droht mir dass sie mich umbringt", "ich bin 16, mein bruder tritt mich jeden tag",
    ],
    "poison": [
        "mein kind hat reinigungsmittel getrunken", "kind hat reiniger getrunken", "er hat Tabletten geschluckt",
        "hat eine Batterie verschluckt", "er hat Pilze gegessen", "Verdacht auf Vergiftung",
    ],
    "medical": [
        "er ist bewusstlos", "sie atmet nicht", "Herzinfarkt?",
        # an event happening now or again, also when an earlier one is told beside it
        "MEIN MANN HAT EINEN SCHLAGANFALL GLAUB ICH", "meine mutter hat seit 5 minuten einen krampfanfall",
        "hab grad einen krampfanfall gehabt", "opa hatte gerade einen schlaganfall",
        "es hat wieder angefangen wie beim ersten herzinfarkt vor zwei jahren",
    ],
}
#: A danger now, told beside an earlier one: the sentence of now keeps its pattern.
CRISIS["suicide"] += ["vor zwei jahren hab ich es schon mal versucht. heute nacht will ich mich umbringen",
                      "Mein Schüler hat im Aufsatz geschrieben, dass er sich umbringen will"]  # no story: his own words
CRISIS["selfharm"] += ["Vor 2 Jahren hab ich aufgehört, jetzt ritze ich mich wieder"]
CRISIS["violence"] += ["Mein Ex hat mich früher schon geschlagen. Jetzt steht er vor der Tür und droht mir"]


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, texts in CRISIS.items() for t in texts])
def test_crisis_is_recognised(kind: str, text: str) -> None:
    assert detect_crisis(text) == kind


@pytest.mark.parametrize("text", [
    "ich will nicht mehr zahlen müssen", "ich kann nicht mehr zahlen, wer hilft bei schulden",
    "ich will nicht mehr in der wohnung wohnen", "meine frau ist gestorben", "kinder sorgentelefon",
    "er droht mit kündigung", "trauergruppe nach dem tod meines mannes", "suchtberatung alkoholmissbrauch",
    "giftnotruf nummer", "schuldnerberatung sondershausen", "tafel wann offen",
    "mein mann ist todkrank und will zuhause sterben", "",
    # a stroke, heart attack or seizure that is over: what is asked for is care, a pension, a sports group
    "Mein Vater hatte einen Schlaganfall und kommt nächste Woche aus der Reha nach Meiningen",
    "Mein Gatte ist nach einem Schlaganfall aus dem Klinikum nach Hause entlassen worden",
    "Mein Opa ist seit dem Schlaganfall vor zwei Jahren halbseitig gelähmt", "Mein Herzinfarkt ist 6 Monate her",
    "Mein Vater ist letztes Jahr an einem Herzinfarkt gestorben",
    # killing someone else said in the conditional: a way of speaking, no suicide
    "mein mann schnarcht so laut ich könnt ihn umbringen", "ich hätt ihn umbringen können, der hat geschummelt",
    "Ich könnte dich umbringen, du hast mein Geheimnis verraten",
    "der zug ist schon wieder zu spät, da könnt ich echt jemand umbringen",
    # a danger long past, or a story's: the encoders weigh it, the patterns raise no alarm
    "Mein Ex hat mich bis 2015 geschlagen. Kann ich meinen Namen ändern lassen?",
    "Meine Tochter hat vor drei Jahren Putzmittel getrunken, es ist alles gut ausgegangen. Welche Kindersicherung?",
    "Im Krimi gestern hat die Frau ihren Mann vergiftet. Geht das so einfach?",
    "In dem Lied singt er, dass er sich umbringen will. Wie heißt das Lied?",
])
def test_no_crisis_in_ordinary_questions(text: str) -> None:
    assert detect_crisis(text) is None


@pytest.mark.parametrize(("text", "intent"), [
    ("erziehungsberatung muehlhausen wann offen", "hours"),
    ("tafel öffnungszeiten", "hours"),
    ("jugendamt sprechzeiten", "hours"),
    ("hat die tafel jetzt auf", "open_now"),
    ("ist das jugendamt heute noch offen", "open_now"),
    ("schuldnerberatung nordhausen telefon", "phone"),
    ("nummer vom jobcenter", "phone"),
    ("wer ist für armutsprävention zuständig", "contact"),
    ("email adresse pflegestützpunkt", "contact"),
    ("wo ist die tafel in artern", "address"),
    ("adresse frauenhaus", "address"),
    ("brauch hilfe wegen schulden in sondershausen", "general"),
    ("suchtberatung", "general"),
])
def test_intent(text: str, intent: str) -> None:
    assert detect_intent(text) == intent


@pytest.mark.parametrize(("text", "person"), [
    ("telefon frau grimm", "grimm"),
    ("Telefon Frau Grimm", "grimm"),
    ("wann kann ich herrn blume erreichen", "blume"),
    ("Herr Lindemann Suchtberatung", "lindemann"),
    ("Fr. Dr. Rosenthal", "rosenthal"),
    ("Dr. Ahlborn erziehungsberatung", "ahlborn"),
    ("frau müller vom jugendamt", "muller"),
    ("meine frau ist gestorben", None),
    ("mein mann und meine frau", None),
    ("die frau vom amt hat gesagt", None),
    ("frau und kind", None),
    ("schuldnerberatung", None),
])
def test_person(text: str, person: str | None) -> None:
    assert detect_person(text) == person


VOCABULARY = {"schuldner", "beratung", "stelle", "erziehung", "sucht", "spiel", "sorgen", "telefon", "warmen",
              "unterhalt", "vorschuss", "kinder", "schutz", "dienst"}


@pytest.mark.parametrize(("word", "parts"), [
    ("schuldnerberatungsstelle", ["schuldner", "beratung", "stelle"]),
    ("schuldnerberatung", ["schuldner", "beratung"]),
    ("erziehungsberatung", ["erziehung", "beratung"]),  # linking s
    ("unterhaltsvorschussstelle", ["unterhalt", "vorschuss", "stelle"]),
    ("kinderschutzdienst", ["kinder", "schutz", "dienst"]),
    ("sorgentelefon", ["sorgen", "telefon"]),
    ("spielsucht", ["spiel", "sucht"]),
    ("beratung", []),  # a known word is no compound
    ("autowerkstatt", []),  # unknown parts: no split
    ("suchtxyz", []),
])
def test_compounds_split_into_known_parts(word: str, parts: list[str]) -> None:
    assert split_compound(word, VOCABULARY) == parts


def test_known_tail_and_particles() -> None:
    assert known_tail("glucksspiel", {"spiel"}) == "spiel"
    assert known_tail("gluck", {"spiel"}) is None
    assert strip_particle("aufwarmen", VOCABULARY) == "warmen"
    assert strip_particle("anmelden", VOCABULARY) is None


def test_hotline_numbers_meet_offer_numbers() -> None:
    assert national_digits("0800 111 0 111") == national_digits("+498001110111") == "8001110111"
    assert national_digits("116 123") == national_digits("+49116123") == "116123"
    assert national_digits("0361 730730") == national_digits("+49361730730")


def test_content_words_are_not_stopwords() -> None:
    for word in ("kind", "kinder", "schulden", "tafel", "jugendamt", "frauenhaus", "sucht"):
        assert word not in STOPWORDS
    for word in ("ich", "wo", "telefon", "wann", "bitte", "hilfe"):
        assert word in STOPWORDS


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=4096))
def test_analysis_of_any_text_returns(text: str) -> None:
    assert detect_crisis(text) in {None, "suicide", "selfharm", "violence", "child", "poison", "medical"}
    assert detect_intent(text) in {"hours", "open_now", "phone", "contact", "address", "general"}
    person = detect_person(text)
    assert person is None or person.isalnum()
