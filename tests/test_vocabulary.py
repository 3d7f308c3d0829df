"""knowledge/topics.yaml: the words people type, read the way the bot reads them.

Every check runs the real matcher (bot.vocabulary), because its prefix and suffix
rules decide what a word matches: "kummer" in the list would also match
"kümmert", "wohnung" matches "Entwöhnung". A word that helps one question can
pull a harmless one into a wrong topic; these tests catch that.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from bot.model import TopicsFile
from bot.normalize import words
from bot.vocabulary import TopicMatcher, load_matcher

ROOT = Path(__file__).resolve().parent.parent
TOPICS = ROOT / "knowledge" / "topics.yaml"
PLACES = ROOT / "knowledge" / "places.csv"
LISTINGS = ROOT / "knowledge" / "listings"

#: Topic pairs that may share words or compounds although neither lists the other
#: as related. Each is a German compound read by the prefix/suffix rules:
_ALLOWED_CROSS = {
    ("familie", "ehrenamt"),  # Familienpatenschaft
    ("einsamkeit", "ehrenamt"),  # Telefonpatenschaft
    ("jugendamt", "familie"),  # Pflegefamilie
    ("jugendamt", "pflege"),  # Pflegekind, Pflegeeltern
    ("jugendamt", "betreuung"),  # Amtsvormund
    ("jugend", "migration"),  # Jugendmigrationsdienst
    ("behinderung", "migration"),  # Integrationsfachdienst
    ("jobcenter", "migration"),  # Integrationsfachkraft
    ("schule", "sozialberatung"),  # Schulsozialarbeiter
    ("schule", "psyche"),  # Schulpsychologe
    ("kita", "pflege"),  # Kindertagespflege
    ("kita", "wohnen"),  # Eingewöhnung ends with "wohnung" once folded
    ("sucht", "wohnen"),  # Entwöhnung, likewise
    ("frauenhaus", "wohnen"),  # Schutzwohnung
    ("maenner", "wohnen"),  # Männerschutzwohnung
    ("maenner", "frauenhaus"),  # Männerschutzwohnung
    ("sachspenden", "wohnen"),  # Erstausstattung Wohnung
    ("sachspenden", "fruehe_hilfen"),  # Babykleidung
    ("fruehe_hilfen", "psyche"),  # Wochenbettdepression
    ("trennung", "familie"),  # Familienmediation
    ("trauer", "gesundheit"),  # schwer krank
    ("migration", "familie"),  # Familiennachzug
    ("queer", "familie"),  # Regenbogenfamilie
    ("ermaessigung", "familie"),  # Familienpass
    ("sozialplanung", "familie"),  # Familienbericht
    ("sozialplanung", "jugendamt"),  # Jugendhilfeplanung
    ("sozialplanung", "senioren"),  # Altenhilfeplanung
    ("grundsicherung", "senioren"),  # Grundsicherung im Alter
    ("grundsicherung", "unterhalt"),  # Hilfe zum Lebensunterhalt
    ("kinderzuschlag", "grundsicherung"),  # Kindergrundsicherung
    ("bildung_teilhabe", "kita"),  # Mittagessen Kita
    ("straffaelligenhilfe", "jugendamt"),  # Jugendhilfe im Strafverfahren
    ("diskriminierung", "gewalt"),  # rechte Gewalt
}
ALLOWED_CROSS = {frozenset(pair) for pair in _ALLOWED_CROSS}

#: Questions that are not about social help: the matcher must find no topic.
OFF_TOPIC = [
    "wie wird das wetter morgen",
    "wer hat das fußballspiel gestern gewonnen",
    "pizza bestellen",
    "Autowerkstatt Reifenwechsel",
    "Wetter in Kassel am Wochenende",
    "ist es heute schwül in Erfurt",
    "kannst du mir was vorschlagen",
    "ich suche einen guten Friseur",
    "wann fährt der nächste Bus nach Erfurt",
    "Zugverbindung nach Frankfurt",
    "Kinoprogramm heute abend",
    "Rezept für Apfelkuchen",
    "wo kann man in Gotha gut essen gehen",
    "beste Pizzeria in Gotha",
    "Restaurant mit Biergarten",
    "Handy reparieren lassen",
    "Handy Flatrate vergleichen",
    "Prepaid Karte aufladen",
    "Urlaub an der Ostsee buchen",
    "Hotel in Weimar mit Übernachtung",
    "wer ist der bundeskanzler",
    "erzähl mir einen witz",
    "Öffnungszeiten Baumarkt",
    "Fußball Ergebnisse Bundesliga",
    "wie spät ist es",
    "hallo wie geht es dir",
    "Tankstelle in der Nähe",
    "Konzert Tickets kaufen",
    "Schwimmbad Eintritt",
    "Fitnessstudio Mitgliedschaft",
    "Discounter mit langen Öffnungszeiten",
    "neue Methode zum Lernen von Vokabeln",
    "der Lehrer hat angerufen",
    "wer kümmert sich um den Garten",
    "er hört nicht gern Musik",
    "Müll richtig trennen",
    "Playstation Spiel kaufen",
    "die SPD hat die Wahl gewonnen",
    "Transporter mieten",
    "Auslandsaufenthalt in Kanada planen",
    "alternative Heilmethoden",
    "was läuft heute im Fernsehen",
]

#: (text, topic the matcher must find)
MUST_MAP = [
    ("mietwohnung gesucht", "wohnen"),  # "ferienwohnung" is a not_word of wohnen, other compounds are not
    ("Inkasso", "schulden"),
    ("ein Inkassobüro schreibt mir", "schulden"),
    ("Gerichtsvollzieher kommt morgen", "schulden"),
    ("ich bin ueberschuldet", "schulden"),
    ("P-Konto einrichten", "schulden"),
    ("Mietschulden", "schulden"),
    ("kein Geld mehr für Essen", "schulden"),
    ("Schuldnerberatungsstelle", "schulden"),
    ("Privatinsolvenz anmelden", "schulden"),
    ("Handyvertrag kündigen", "verbraucher"),
    ("Abofalle im Internet", "verbraucher"),
    ("Strom abgestellt", "energie"),
    ("Nebenkostenabrechnung zu hoch", "energie"),
    ("saufen", "sucht"),
    ("mein Mann säuft jeden Tag", "sucht"),
    ("mein Sohn kifft", "sucht"),
    ("Spielsucht", "sucht"),
    ("er zockt an Spielautomaten", "sucht"),
    ("Alkoholproblem", "sucht"),
    ("Drogenberatung", "sucht"),
    ("Hilfe bei Sucht", "sucht"),
    ("Frauenhaus", "frauenhaus"),
    ("mein Freund schlaegt mich", "gewalt"),
    ("er hat mich geschlagen", "gewalt"),
    ("häusliche Gewalt", "gewalt"),
    ("ich werde gestalkt", "gewalt"),
    ("Stalking", "gewalt"),
    ("Kitaplatz", "kita"),
    ("Kita-Platz gesucht", "kita"),
    ("Tagesmutter gesucht", "kita"),
    ("Krippenplatz", "kita"),
    ("Erziehungsberatung", "erziehung"),
    ("Probleme mit meinem Sohn in der Pubertät", "erziehung"),
    ("Kindeswohlgefährdung melden", "kinderschutz"),
    ("ein Kind wird geschlagen", "kinderschutz"),
    ("Sorgerecht beantragen", "jugendamt"),
    ("Jugendamt", "jugendamt"),
    ("Jugendclub", "jugend"),
    ("mein Kind wird gemobbt", "schule"),
    ("Ausbildungsplatz finden", "ausbildung"),
    ("Hebamme gesucht", "fruehe_hilfen"),
    ("ungewollt schwanger", "schwangerschaft"),
    ("Schwangerschaftskonfliktberatung", "schwangerschaft"),
    ("alleinerziehend", "alleinerziehende"),
    ("Unterhaltsvorschuss beantragen", "unterhalt"),
    ("Trennung vom Partner", "trennung"),
    ("Beratung bei Scheidung", "trennung"),
    ("Trennung und Scheidung", "trennung"),
    ("wir lassen uns scheiden", "trennung"),
    ("nach einem Einbruch", "opferhilfe"),
    ("Pflegegrad beantragen", "pflege"),
    ("meine Mutter ist dement", "pflege"),
    ("Seniorentreff", "senioren"),
    ("ich bin so einsam", "einsamkeit"),
    ("Mehrgenerationenhaus", "treffpunkt"),
    ("wo kann ich mich aufwärmen", "treffpunkt"),
    ("Schwerbehindertenausweis", "behinderung"),
    ("Depression", "psyche"),
    ("Panikattacken", "psyche"),
    ("ich will nicht mehr leben", "krise"),
    ("Suizidgedanken", "krise"),
    ("Telefonseelsorge", "krise"),
    ("Trauergruppe nach dem Tod meiner Frau", "trauer"),
    ("Hospiz", "trauer"),
    ("Wohnung suchen", "wohnen"),
    ("Mieterhöhung", "wohnen"),
    ("ich werde meine Wohnung verlieren", "wohnungslosigkeit"),
    ("obdachlos", "wohnungslosigkeit"),
    ("Räumungsklage", "wohnungslosigkeit"),
    ("Wohngeld beantragen", "wohngeld"),
    ("Aufenthaltserlaubnis verlängern", "migration"),
    ("Asylverfahrensberatung", "asyl"),
    ("Flüchtlinge", "asyl"),
    ("Deutschkurs", "sprache"),
    ("arbeitslos", "arbeit"),
    ("ich suche Arbeit", "arbeit"),
    ("Arbeitsvermittlung", "arbeit"),
    ("Termin beim Jobcenter", "jobcenter"),
    ("Bürgergeld", "buergergeld"),
    ("Hartz 4", "buergergeld"),
    ("Hartz IV", "buergergeld"),
    ("ALG II", "buergergeld"),
    ("Stütze vom Amt", "buergergeld"),
    ("Grundsicherung im Alter", "grundsicherung"),
    ("Sozialamt", "grundsicherung"),
    ("Rentenantrag", "rente"),
    ("Kinderzuschlag", "kinderzuschlag"),
    ("Elterngeld", "kinderzuschlag"),
    ("Bildungspaket Klassenfahrt", "bildung_teilhabe"),
    ("Tafel", "tafel"),
    ("Lebensmittelausgabe", "tafel"),
    ("ich habe nichts zu essen", "tafel"),
    ("Kleiderkammer", "sachspenden"),
    ("günstige Möbel", "sachspenden"),
    ("Bereitschaftsdienst Arzt", "gesundheit"),
    ("Giftnotruf", "vergiftung"),
    ("mein Kind hat Putzmittel getrunken", "vergiftung"),
    ("HIV-Test", "sexuelle_gesundheit"),
    ("Selbsthilfegruppe", "selbsthilfe"),
    ("ehrenamtlich helfen", "ehrenamt"),
    ("Betreuungsverein", "betreuung"),
    ("Vorsorgevollmacht", "betreuung"),
    ("Widerspruch einlegen", "recht"),
    ("Beratungshilfeschein", "recht"),
    ("Bewährungshilfe", "straffaelligenhilfe"),
    ("nach der Haftentlassung", "straffaelligenhilfe"),
    ("Coming-out", "queer"),
    ("Rassismus", "diskriminierung"),
    ("Opferberatung", "opferhilfe"),
    ("Mutter-Kind-Kur", "kur"),
    ("Ferienfreizeit für Kinder", "freizeit"),
    ("Sozialpass", "ermaessigung"),
    ("Hilfe beim Antrag ausfüllen", "sozialberatung"),
    ("Armutsprävention", "armutspraevention"),
    ("Sozialplanung", "sozialplanung"),
    ("Förderprogramm", "foerderprogramm"),
    ("Landratsamt", "verwaltung"),
    ("Männerberatung", "maenner"),
    ("Frauenberatungsstelle", "frauen"),
    ("meine Tochter ritzt sich", "psyche"),
    ("wer hilft beim Ausfüllen von Anträgen", "sozialberatung"),
    ("Frühförderung für mein Kind", "behinderung"),
    ("mein Partner kontrolliert mein Handy", "gewalt"),
    ("ich glaube das Kind nebenan wird geschlagen", "kinderschutz"),
    ("ich bin neu in Deutschland", "migration"),
    ("my husband hits me", "gewalt"),
    ("where is the food bank", "tafel"),
    ("I am homeless", "wohnungslosigkeit"),
    ("I need a women's shelter", "frauenhaus"),
    ("I need help with debts", "schulden"),
]

#: (text, topic the matcher must NOT find): verbs and compounds that look like topic words.
MUST_NOT_MAP = [
    ("ferienwohnung in gotha", "wohnen"),  # the topic's not_words
    ("Wohnungsnotfallhilfe und Notunterkunft", "krise"),  # a housing emergency, no crisis of the mind
    ("eigentumswohnung kaufen", "wohnen"),
    ("er sucht Arbeit", "sucht"),
    ("meine Tochter sucht einen Kitaplatz", "sucht"),
    ("wer kümmert sich darum", "krise"),
    ("er hört nicht zu", "kita"),
    ("alleinerziehend mit zwei Kindern", "einsamkeit"),
    ("ich fühle mich niedergeschlagen", "gewalt"),
    ("kannst du mir etwas vorschlagen", "gewalt"),
    ("Krankenhausaufenthalt", "migration"),
    ("Rentenversicherung", "verbraucher"),
    ("Alkoholmissbrauch", "kinderschutz"),
    ("Kindertagesstätte", "treffpunkt"),
    ("Vaterschaftsanerkennung", "migration"),
    ("Verbraucherzentrale", "verwaltung"),
    ("Giftnotrufzentrale", "verwaltung"),
    ("Lernförderung", "foerderprogramm"),
    ("Wohnungsverlust", "trauer"),
    ("pflegebedürftige Mutter", "grundsicherung"),
    ("Hochschule", "schule"),
    ("Eifersucht", "sucht"),
    ("Magersucht", "sucht"),
    ("my son needs help", "sucht"),
    # a shelter for the night is no women's shelter (an English "shelter" alone says neither)
    ("is there a night shelter in Gera", "frauenhaus"),
    ("emergency shelter, I lost my flat", "frauenhaus"),
    ("Kooperationsvertrag mit dem Landkreis", "verbraucher"),
    ("Arbeitsvertrag unterschreiben", "verbraucher"),
    ("zur Bewahrung der Schöpfung", "straffaelligenhilfe"),
    ("wie lerne ich damit umzugehen", "wohnen"),
    ("kann ich notfalls ohne Termin kommen", "krise"),
    ("dementsprechend", "pflege"),
    ("wir empfanden das als schlimm", "schulden"),
    ("wer arbeitet dort", "arbeit"),
    ("Beschimpfungen durch Nachbarn", "gesundheit"),
    ("wir stützen Familien", "buergergeld"),
    ("Räumungsverkauf im Möbelhaus", "wohnungslosigkeit"),
    ("die Entscheidung vom Jobcenter", "trennung"),
    ("Beinbruch beim Sport", "opferhilfe"),
    ("Termin beim Physiotherapeuten", "psyche"),
]

#: Frequent German words and forms (verbs, everyday nouns) that carry no social-help
#: topic. Known compromises of the prefix/suffix rules, not listed here: "Gemeinsamkeit"
#: (einsamkeit), "Ferienwohnung" (wohnen), "gewaltig" (gewalt), "Rathausplatz" (verwaltung).
COMMON_WORDS = (
    "sucht", "suchte", "gesucht", "suchen", "findet", "gefunden", "arbeitet", "arbeiten", "gearbeitet",
    "umzugehen", "umgehen", "notfalls", "dementsprechend", "empfanden", "empfinden", "entscheidung",
    "entscheiden", "unterscheidung", "bescheid", "bescheidung", "gemeinsam", "stützen", "unterstützen",
    "unterstützung", "beschimpfung", "beinbruch", "steinbruch", "physiotherapeut", "methode", "methoden",
    "flatrate", "prepaid", "pension", "ferien", "urlaub", "kümmert", "kümmern", "hört", "hören", "gehört",
    "allein", "alleine", "trennen", "müll", "spielen", "spiel", "spiele", "spieler", "morgen", "übermorgen",
    "bestellen", "bestellt", "essen", "gegessen", "trinken", "getrunken", "wetter", "regen", "sonne", "schnee",
    "alternative", "alternativ", "vorschlagen", "vorgeschlagen", "schlagen", "angeschlagen", "erschlagen",
    "empfehlen", "empfehlung", "termin", "termine", "öffnungszeiten", "adresse", "telefon", "nummer",
    "kontakt", "email", "stadt", "dorf", "straße", "platz", "bahnhof", "bus", "zug", "auto", "fahrrad",
    "parkplatz", "tankstelle", "werkstatt", "reifen", "garten", "haus", "hund", "katze", "kino", "theater",
    "konzert", "museum", "schwimmbad", "sport", "fußball", "verein", "restaurant", "pizza", "kaffee", "kuchen",
    "bäcker", "supermarkt", "einkaufen", "kaufen", "verkaufen", "geschenk", "weihnachten", "ostern",
    "geburtstag", "party", "hochzeit", "handy", "computer", "internet", "fernseher", "drucker", "lehrer",
    "lehrerin", "unterricht", "universität", "studium", "studieren", "wohnzimmer", "küche", "bad",
    "schlafzimmer", "fenster", "tür", "heizen", "warm", "kalt", "schwül", "heiß", "wind", "gewitter",
    "nachricht", "zeitung", "politik", "wahl", "partei", "kanzler", "regierung", "krieg", "frieden",
    "geschichte", "buch", "lesen", "schreiben", "rechnen", "musik", "singen", "tanzen", "malen", "basteln",
    "reisen", "hotel", "flug", "flughafen", "koffer", "pass", "ausweis", "führerschein", "zahnpasta",
    "shampoo", "seife", "kleid", "hose", "jacke", "mantel", "brille", "uhr", "schmuck", "geld", "bank",
    "konto", "überweisung", "sparen", "zinsen", "aktie", "versicherung", "steuer", "steuererklärung",
    "finanzamt", "marktplatz", "kirche", "gottesdienst", "pfarrer", "beten", "mutter", "vater", "sohn",
    "tochter", "bruder", "schwester", "oma", "opa", "enkel", "freund", "freundin", "nachbar", "kollege",
    "chef", "firma", "büro", "meeting", "projekt", "bericht", "prüfung", "note", "zeugnis", "abitur",
)

#: Everyday words that must never be a topic word on their own.
FORBIDDEN_WORDS = [
    "spiel", "spiele", "morgen", "bestellen", "essen", "wetter", "sucht", "hort", "kummer", "allein",
    "alleine", "eltern", "kind", "kinder", "mutter", "vater", "amt", "hilfe", "beratung", "geld", "arbeiten",
    "miete", "schwul", "trennen", "umgang", "flat", "work", "pension", "discount", "meth", "lehre",
    "verlust", "sterben", "streiten", "noten", "aufenthalt", "versicherung", "zentrale", "vermittlung",
    "teilhabe", "förderung", "anerkennung", "missbrauch", "tabletten", "medikamente", "schuhe", "cafe",
]


@pytest.fixture(scope="module")
def topics_file() -> TopicsFile:
    return TopicsFile.model_validate(yaml.safe_load(TOPICS.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def matcher(topics_file: TopicsFile) -> TopicMatcher:
    return load_matcher(topics_file.topics)


def _linked(topics_file: TopicsFile) -> dict[str, set[str]]:
    """Each topic with itself and its related topics, in both directions."""
    linked: dict[str, set[str]] = defaultdict(set)
    for topic in topics_file.topics:
        linked[topic.id].add(topic.id)
        for other in topic.related:
            linked[topic.id].add(other)
            linked[other].add(topic.id)
    return linked


def test_structure(topics_file: TopicsFile) -> None:
    ids = [t.id for t in topics_file.topics]
    assert len(ids) >= 45
    assert len(ids) == len(set(ids))
    labels = [t.label for t in topics_file.topics]
    assert len(labels) == len(set(labels))
    for topic in topics_file.topics:
        assert topic.id not in topic.related, topic.id
        assert set(topic.related) <= set(ids), (topic.id, set(topic.related) - set(ids))
        assert len(topic.words) >= 5, topic.id
        assert all(words(w) for w in topic.words), topic.id


def test_the_search_and_crisis_topics_exist(topics_file: TopicsFile) -> None:
    """bot/search.py adds these topics when a message signals danger."""
    ids = {t.id for t in topics_file.topics}
    assert {"krise", "psyche", "gewalt", "frauenhaus", "kinderschutz", "vergiftung", "gesundheit"} <= ids


def test_no_word_in_two_unrelated_topics(topics_file: TopicsFile) -> None:
    linked = _linked(topics_file)
    owners: dict[str, set[str]] = defaultdict(set)
    for topic in topics_file.topics:
        for entry in topic.words:
            owners[" ".join(words(entry))].add(topic.id)
    clashes = {
        word: sorted(ids) for word, ids in owners.items()
        if any(b not in linked[a] and frozenset((a, b)) not in ALLOWED_CROSS for a in ids for b in ids)
    }
    assert clashes == {}


def test_words_match_only_their_topic_and_its_neighbours(topics_file: TopicsFile, matcher: TopicMatcher) -> None:
    """A compound such as "Mietvertrag" also matches "vertrag": only allowed pairs may meet."""
    linked = _linked(topics_file)
    surprises = []
    for topic in topics_file.topics:
        for entry in topic.words:
            for other in matcher.topics(entry) - linked[topic.id]:
                if frozenset((topic.id, other)) not in ALLOWED_CROSS:
                    surprises.append((topic.id, entry, other))
    assert surprises == []


def test_every_allowed_pair_is_still_needed(topics_file: TopicsFile, matcher: TopicMatcher) -> None:
    """Stale exceptions hide new clashes: each allowed pair must still occur."""
    seen = set()
    for topic in topics_file.topics:
        for entry in topic.words:
            for other in matcher.topics(entry) - {topic.id}:
                seen.add(frozenset((topic.id, other)))
    assert ALLOWED_CROSS - seen == set()


def test_labels_match_their_own_topic(topics_file: TopicsFile, matcher: TopicMatcher) -> None:
    for topic in topics_file.topics:
        assert topic.id in matcher.topics(topic.label), topic.label


@pytest.mark.parametrize(("text", "topic"), MUST_MAP)
def test_must_map(matcher: TopicMatcher, text: str, topic: str) -> None:
    assert topic in matcher.topics(text)


@pytest.mark.parametrize(("text", "topic"), MUST_NOT_MAP)
def test_must_not_map(matcher: TopicMatcher, text: str, topic: str) -> None:
    assert topic not in matcher.topics(text)


def test_common_words_have_no_topic(matcher: TopicMatcher) -> None:
    assert {w: sorted(matcher.topics(w)) for w in COMMON_WORDS if matcher.topics(w)} == {}


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_off_topic_sentences_have_no_topic(matcher: TopicMatcher, text: str) -> None:
    assert matcher.topics(text) == set()


def test_no_ambiguous_everyday_word(topics_file: TopicsFile) -> None:
    single = {" ".join(words(w)) for t in topics_file.topics for w in [*t.words, t.label]}
    assert sorted(single & {" ".join(words(w)) for w in FORBIDDEN_WORDS}) == []


def test_topic_words_do_not_hide_towns(topics_file: TopicsFile) -> None:
    """The place finder skips topic words, so a topic word that is a town's name hides the town.

    "Drogen" (Altenburger Land) is accepted: "drogen" in a question means drugs.
    """
    with PLACES.open(encoding="utf-8", newline="") as fh:
        towns = {" ".join(words(row["name"])) for row in csv.DictReader(fh)}
    tokens = {w for t in topics_file.topics for entry in t.words for w in words(entry)}
    assert sorted(tokens & towns) == ["drogen"]


def test_every_listing_row_gets_a_topic(matcher: TopicMatcher) -> None:
    """The import links offers to topics with these words: no real offer may stay without one."""
    unlinked = []
    for path in sorted(LISTINGS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter=";"):
                text = " ".join(row.get(c) or "" for c in ("Angebot", "Kategorie", "Schlagworte", "Beschreibung"))
                if not matcher.topics(text):
                    unlinked.append(row["Nr"])
    assert unlinked == []


def test_not_words_only_hide_their_own_topic() -> None:
    matcher = TopicMatcher([("wohnen", ["wohnung"]), ("urlaub", ["ferienwohnung"])],
                           not_words=[("wohnen", ["ferienwohnung"])])
    assert matcher.topics("ferienwohnung an der ostsee") == {"urlaub"}
    assert matcher.topics("mietwohnung") == {"wohnen"}
