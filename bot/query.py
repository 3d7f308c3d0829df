"""What does a question ask? Intent, person names and the content words.

Pure functions over text, no database: the bot calls :func:`detect_intent` for every
message, before any search; whether someone is in danger is :mod:`bot.crisis`'s to say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

from bot.normalize import normalize, words
from bot.timewords import TimePhrase

if TYPE_CHECKING:  # the crisis check imports this module; the place index needs a database
    from bot.crisis import CrisisKind, CrisisReader
    from bot.geo import Place

#: What a question asks for besides the offers themselves; the card leads with it. The words are
#: stable: the dialog keeps the last one in the chat's memory.
Intent = Literal["general", "hours", "open_now", "phone", "contact", "address"]

_INTENTS: list[tuple[Intent, re.Pattern[str]]] = [
    ("open_now", re.compile(r"\b(?:jetzt|gerade|noch|heute|grad|aktuell) (?:\w+ )?(?:offen|geoffnet|auf|erreichbar|da)\b"
                            r"|\b(?:offen|geoffnet|auf) (?:jetzt|gerade|noch|heute)\b|\bhat (?:\w+ )?offen\b")),
    ("hours", re.compile(r"\bwann\b|\boffnungszeit|\bsprechzeit|\bsprechstunde|\boffen\b|\bgeoffnet\b|\buhrzeit"
                         r"|\bausgabe(?:zeit|tag)|\berreichbar\b|\berreichen\b|\bzeiten\b")),
    ("phone", re.compile(r"\btelefon|\bnummer\b|\banrufen\b|\bruf\w* an\b|\btel\b|\bhandy|\bdurchwahl|\bhotline")),
    ("contact", re.compile(r"\bkontakt|\be ?mail\b|\bmail\b|\bansprechp|\bzustandig|\bwer ist\b|\bwen kann ich")),
    ("address", re.compile(r"\badresse\b|\banschrift\b|\bwo (?:ist|sind|finde|liegt|genau)\b|\bstrasse\b|\bwie komme\b"
                           r"|\bhinkommen\b|\bweg dorthin\b")),
]

#: Spoken forms of "nicht" and "ich", read as the standard word by the crisis check and the search.
NICHT_ICH = {"nich": "nicht", "nit": "nicht", "net": "nicht", "ned": "nicht", "isch": "ich"}
#: Dialect and spoken forms of everyday words, one word for one ("mer brauche hilf mit de pfleg",
#: "isch hab kaa geld mehr"): the question is read as if typed in the standard form.
DIALECT = {**NICHT_ICH, "mer": "wir",
           "kaa": "kein", "kaan": "keinen", "koa": "kein", "koan": "keinen", "vun": "von", "uff": "auf",
           "iss": "ist", "hilf": "hilfe", "aach": "auch", "ebbes": "etwas", "nischt": "nichts", "wos": "was",
           "de": "die", "un": "und"}
#: "15-jähriger", "meine 8jährige": a child's age (to 17) says who the question is about.
_AGE = re.compile(r"^(\d{1,2})(jahrig\w*)?$")
_PARENT = frozenset(words("mein meine meinen meinem meiner unser unsere unseren unserem unserer"))
MAX_CHILD_AGE = 17


#: The words before a number that make it the writer's own age: "ich bin 14", "bin 15", "ich (13)", "i'm 15"
#: (and after it, Turkish "15 yaşındayım").
_WRITER_AGE = {("bin",), ("ich",), ("i", "m"), ("i", "am")}
#: Younger than this, a number after "ich" is rather a count ("ich 3 kinder"): children who write are older.
MIN_WRITER_AGE = 10
#: Words after such a number that make it an amount, not an age ("glaub ich 15.000 euro", "bin 15 minuten").
_NOT_AN_AGE = frozenset(words("euro eur cent uhr km kg minuten stunden tage monate wochen mal prozent"))


def young_writer(tokens: list[str]) -> bool:
    """Whether the writer gives their own age as a child's or teenager's ("ich bin 14", "bin 16 und
    schwanger", "i'm 15", "15 yaşındayım"): offers for parents or adults only are no answer then."""
    for i, token in enumerate(tokens):
        match = _AGE.match(token)
        if not match or match.group(2) or not MIN_WRITER_AGE <= int(match.group(1)) <= MAX_CHILD_AGE:
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following.isdigit() or following in _NOT_AN_AGE:
            continue
        if {tuple(tokens[i - 1 : i]), tuple(tokens[max(0, i - 2) : i])} & _WRITER_AGE \
                or following.startswith(("yasinday", "yaşınday")):
            return True
    return False


def age_topics(tokens: list[str]) -> set[str]:
    """A child's or teenager's age in a question: "erziehung" when a parent speaks of their
    child ("mein 15 jähriger"), else "jugend" (a young person about themself)."""
    for i, token in enumerate(tokens):
        match = _AGE.match(token)
        if not match:
            continue
        if not match.group(2) and not (i + 1 < len(tokens) and tokens[i + 1].startswith("jahrig")):
            continue
        if int(match.group(1)) <= MAX_CHILD_AGE:
            return {"erziehung"} if _PARENT & set(tokens[max(0, i - 2) : i]) else {"jugend"}
    return set()


#: "Frau Grimm", "Herrn Blume", "Fr. Dr. Rosenthal", "Dr. Ahlborn": a title, then the surname.
_PERSON = re.compile(r"\b(?:frau|herrn?|hr|fr|dr|prof)\b\.?(?:\s*(?:dr|prof)\b\.?)*\s*"
                     r"(?P<name>[^\W\d_][\w-]{2,})", re.IGNORECASE)
_LAST_WORD = re.compile(r"(\w+)\W*$")
#: Before "Frau"/"Herr" these make it a person's relation, not a title: "meine Frau ist gestorben".
_NOT_TITLE = frozenset(words("""mein meine meiner meinem meinen dein deine deiner deinem deinen sein seine seiner
seinem seinen ihr ihre ihrer ihrem ihren unser unsere unserer unserem unseren euer eure die der den dem des ein
eine einer einem einen jede jeder diese dieser diesem andere anderen alte alten junge jungen nette netten"""))

#: Words that carry no content for the search: function words, question words,
#: politeness, and the words that only say what the person wants to know (intent).
STOPWORDS = frozenset(words("""
ich du er sie es wir ihr mir mich dir dich uns euch ihm ihn ihnen sich man mein meine meinem meinen meiner
meines dein deine unser unsere sein seine ihr ihre der die das den dem des ein eine einer einem einen eines
und oder aber doch denn weil wenn dass ob als wie wo wer was wann warum wieso weshalb welche welcher welches
wohin woher womit wobei worum wegen bei beim mit ohne fur für von vom zu zum zur in im an am auf aus nach
vor hinter uber über unter um bis durch gegen seit ab so auch noch nur schon sehr mal ja nein nicht kein
keine keinen keiner bitte danke hallo hi guten tag morgen abend gibt gib gibts es gibt hat habe haben hast
hatte hatten ist sind bin bist war waren wird werden wurde kann kannst konnen muss musst mussen soll sollen
will willst wollen mochte möchte brauche brauch brauchen braucht suche such suchen finde finden hilfe
helfen hilft jemand jemanden etwas was irgendwo hier dort da dann jetzt heute gerade grad aktuell noch
gern gerne einfach mehr viel viele alle alles andere anderes anders wieder immer nie oft ganz ganzen
telefon telefonnummer nummer anrufen tel kontakt email mail adresse anschrift wann offen geoffnet
offnungszeiten offnungszeit sprechzeiten sprechzeit sprechstunde uhrzeit erreichbar erreichen
zustandig zuständig ansprechpartner ansprechpartnerin wo ort stelle angebot angebote nahe nähe
umgebung gegend wohne wohnen wohnt leben lebe bei mir uns hin her dahin hingehen gehen geht
frau herr herrn dr tun machen mache macht weiss weiß nicht weiter bald lang langer
hab habs hatt hätt hätte hatte wär wäre ware würde wurde könnte konnte sollte gibt's gibts gehts geht's
nix nischt nee ne halt eben echt gar bissl bisschen paar krieg kriege kriegt gekriegt bekomme bekommt
mach machst hey moin servus leute okay ok also sonst trotzdem eigentlich vielleicht irgendwie
damit dafur dazu davon daran darauf daruber darum deshalb deswegen
ahnung deutsche deutscher deutsches deutschen
""".replace("\n", " ")))


@dataclass
class QueryAnalysis:
    """What a question is about; the bot answers from it, the search ranks with it."""

    text: str
    tokens: list[str]
    intent: Intent = "general"
    crisis: CrisisKind | None = None
    #: No alarm, but the message came close to one: the soft TelefonSeelsorge line (bot.crisis).
    crisis_uncertain: bool = False
    #: Who raised the alarm: "pattern" (its words say it) or "model" (its meaning is near crisis examples).
    crisis_by: CrisisReader = ""
    #: A second kind the meaning is nearly as close to: its lines are shown too (bot.crisis.Verdict.also).
    crisis_also: CrisisKind | None = None
    #: Of an uncertain message, the kinds whose lines the soft line names too (bot.crisis.Verdict.leaning).
    crisis_leaning: tuple[CrisisKind, ...] = ()
    #: The alarm is clearly past the line (bot.crisis.Verdict.clear): the help for the danger joins the offers.
    crisis_clear: bool = False
    #: The alarm is beyond doubt (bot.crisis.Verdict.sure): the offers beside the danger's help are only what
    #: the words name or the meaning reads far closer than the danger.
    crisis_sure: bool = False

    @property
    def crisis_for_offers(self) -> CrisisKind | None:
        """The crisis kind when it shapes the offers: help for the danger among them, offers for other
        things only when the message names them. An alarm the meaning raised near the line shows the
        lines above the answer and leaves the offers to the words: most such alarms are everyday worries
        (a son who throws things since the separation), which need the counselling they describe."""
        return self.crisis if self.crisis_clear else None

    @property
    def alarm(self) -> list[Any] | None:
        """The alarm as the conversation keeps it for the next message (:meth:`keep_alarm`): its kind, second
        kind, reader, and whether it is clear and sure; None without one."""
        if not self.crisis:
            return None
        return [self.crisis, self.crisis_also, self.crisis_by, self.crisis_clear, self.crisis_sure]

    def keep_alarm(self, alarm: Any) -> None:
        """Raise the last message's alarm (:attr:`alarm`) again on a message that raises none itself. The town sent
        after an alarm that asked for it ("Nordhausen" after "mein mann schlägt mich gerade") is searched with the
        first message's content words alone ("mann schlägt"), which seldom read as a danger: without the alarm the
        answer would lose 110 and the help for the danger just when it can be found near the person. A kept alarm of
        another shape (a chat state written by another version, or altered in Redis) is ignored, not raised."""
        from bot.crisis import KINDS, CrisisReader  # bot.crisis imports this module

        if self.crisis or not isinstance(alarm, (list, tuple)) or len(alarm) != 5:
            return
        if alarm[0] not in KINDS or alarm[1] not in (*KINDS, None) or alarm[2] not in get_args(CrisisReader):
            return
        self.crisis, self.crisis_also, self.crisis_by = alarm[0], alarm[1], alarm[2]
        self.crisis_clear, self.crisis_sure = bool(alarm[3]), bool(alarm[4])
        self.crisis_uncertain, self.crisis_leaning = False, ()

    @property
    def crisis_in_words(self) -> CrisisKind | None:
        """The crisis kind when the message's words say it. Only then does the search rank the
        crisis lines and topics first; an alarm raised by the meaning alone shows the lines above
        the answer, and the offers follow the words (a false alarm then costs one block of lines)."""
        return self.crisis if self.crisis_by == "pattern" else None
    person: str | None = None
    #: The writer gives their own age as a child's or teenager's (:func:`young_writer`).
    young_writer: bool = False
    topics: list[str] = field(default_factory=list)
    #: The place the question names (or the remembered one it was asked from), if any.
    place: Place | None = None
    #: A name the question gives as its place that no place index knows ("wohne in Großfurra": a village
    #: without a postcode of its own), as typed; None when it names a known place or none.
    unknown_place: str | None = None
    #: Content words for the text match (no stopwords, no place words).
    terms: list[str] = field(default_factory=list)
    #: Question word -> the topics the vocabulary reads in it ("hartz4" -> buergergeld),
    #: so an offer mainly about that topic carries the word's meaning without its letters.
    word_topics: dict[str, set[str]] = field(default_factory=dict)
    #: Topics read from the meaning of the whole message (bot.semantic), with their scores,
    #: when its words named none.
    semantic_topics: dict[str, float] = field(default_factory=dict)
    #: Topics of the danger an alarm of the meaning alone added (not asked: no "not in my data" for them).
    danger_topics: list[str] = field(default_factory=list)
    #: The topics the message's words name (words, phrases, loanwords, the writer's age) before its meaning
    #: adds any: under an alarm beyond doubt, they and what the meaning reads far closer than the danger let in
    #: offers that are no help for the danger (bot.search).
    named_topics: list[str] = field(default_factory=list)
    #: Topics only the clauses that set help aside name ("ins Frauenhaus will ich nicht": bot.aside); the
    #: offers only about them come after the others.
    set_aside: list[str] = field(default_factory=list)
    #: Of the question's topics, how well its meaning fits each (bot.analysis: the similarity of the topic's
    #: nearest situations plus the classifier's share); the ranking weighs the topics by it.
    topic_fit: dict[str, float] = field(default_factory=dict)
    #: How well the meaning fits every topic (the same scores; empty when the semantic layer is off): the
    #: learned order of the results (bot.reorder) compares an offer's topics with the best one.
    meaning: dict[str, float] = field(default_factory=dict)
    #: The time the question asks about ("morgen", "am Samstag": bot.timewords.TimePhrase), if any;
    #: its words are neither content nor place.
    time: TimePhrase | None = None


def detect_intent(text: str) -> Intent:
    """hours | open_now | phone | contact | address | general."""
    canonical = normalize(text)
    for intent, pattern in _INTENTS:
        if pattern.search(canonical):
            return intent
    return "general"


def detect_person(text: str) -> str | None:
    """A surname after Frau/Herr/Herrn/Dr. ("telefon frau grimm" -> "grimm"), not "meine Frau ist ..."."""
    text = text or ""
    for match in _PERSON.finditer(text):
        before = _LAST_WORD.search(text[max(0, match.start() - 40) : match.start()])
        name = words(match.group("name"))
        if name and name[0] not in STOPWORDS and not (before and words(before.group(1))[-1:] and
                                                      words(before.group(1))[-1] in _NOT_TITLE):
            return name[0]
    return None
