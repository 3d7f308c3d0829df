"""Is someone in acute danger? Patterns and nearest examples, recall first.

Readers of one message:

- patterns on the canonical text (the crisis words this project has always known);
- the message's sentence embedding (:mod:`bot.semantic`) against the examples of
  knowledge/crisis/ (crisis messages of every kind and harmless look-alikes, in six
  languages): all kinds pooled are compared with the look-alikes, and a message whose
  nearest crisis examples lead by :data:`MARGIN` is a crisis;
- near that line (:data:`BAND`) a second, stronger encoder (:mod:`bot.second_opinion`)
  reads the message too, and the two leads together decide.

The patterns' kind stands unless the encoder reads the message as far from any crisis
(:data:`PATTERN_VETO`: "suizidprävention fortbildung", "die nachzahlung bringt mich um"), or both
encoders together do (:data:`PATTERN_BOTH`: "vor fünf Jahren hatte ich einen Suizidversuch, heute geht es mir gut").
A message close to a crisis but not past the line is ``uncertain``: it gets the soft
TelefonSeelsorge line, never silence or a spelling suggestion. Showing the hotlines
once too often costs a line of text; missing a person in danger costs far more.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from bot.normalize import words
from bot.query import NICHT_ICH

if TYPE_CHECKING:
    import numpy as np

    from bot.second_opinion import Reading
    from bot.semantic import ExampleIndex

#: The kinds of danger, in the order the patterns are checked (a child in danger before
#: violence in general: "er schlägt sein Kind"). The words are stable: the JSON answer
#: (``python -m bot answer --json``) and the hotlines' ``crisis`` lists carry them.
CrisisKind = Literal["suicide", "selfharm", "child", "violence", "poison", "medical"]
KINDS: tuple[CrisisKind, ...] = get_args(CrisisKind)
#: Which reader raised an alarm: the patterns, the examples' model, or none ("").
CrisisReader = Literal["pattern", "model", ""]
#: The label of harmless look-alikes among the examples.
NONE = "none"
#: The lines (knowledge/hotlines.yaml ids) a counsellor expects first for each kind.
LINES: dict[CrisisKind, tuple[str, ...]] = {
    "suicide": ("notruf-112", "telefonseelsorge"),
    "selfharm": ("telefonseelsorge", "nummer-gegen-kummer"),
    "violence": ("notruf-110", "hilfetelefon-gewalt"),
    "child": ("notruf-110", "nummer-gegen-kummer"),
    "poison": ("notruf-112", "giftnotruf-erfurt"),
    "medical": ("notruf-112",),
}

# Patterns run on the canonical text (lower case, umlauts folded: "schlägt" -> "schlagt"),
# once per clause of the message (split at punctuation, so "$" is a clause's end:
# "ich will nicht mehr." is a signal, "ich will nicht mehr zahlen" is not) and once on
# the whole message (for words far apart: "getrunken ... reiniger").
_CRISIS: dict[CrisisKind, list[str]] = {
    "suicide": [
        r"\bnicht mehr (?:leben|weiter ?leben|da sein|hier sein|existieren)\b", r"\b(?:nie|nicht) mehr aufwachen\b",
        # "er will zuhause sterben" is a dying person's wish about the place (hospice), not a danger;
        # said of oneself it may be either, and recall comes first
        r"\b(?:will|mochte|werde|wurde|moechte|muss) (?:(?!zuhause |daheim )\w+ )?sterben\b", r"\bsterben wollen\b",
        r"\bich (?:will|mochte|moechte|werde) (?:\w+ ){0,2}sterben\b",
        r"\bsuizid", r"\bselbstmord", r"\bsuicid", r"\bumbringen\b", r"\bbringe? mich um\b",
        r"\bmich (?:toten|umbringen|erhangen|vergiften|aufhangen|erschiessen)\b", r"\bleben (?:beenden|nehmen)\b",
        r"\blebensmud", r"\bkeinen sinn mehr\b", r"\bmir (?:was|etwas) antun\b", r"\bvon der brucke\b",
        r"\bvor (?:den|einen) zug\b", r"\bschluss machen(?: mit (?:allem|dem leben|mir))?$",
        r"\bschluss machen mit (?:allem|dem leben|mir)\b", r"\bwill nicht mehr$", r"\bkann nicht mehr$",
        r"\balles beenden\b", r"\btot sein\b", r"\b(?:ware|war) (?:ich )?(?:lieber |am liebsten |einfach )?tot\b",
        r"\blieber tot\b", r"\bam liebsten tot\b", r"\bkeinen ausweg\b", r"\bbesser (?:dran )?ohne mich\b", r"\bkeine lust mehr (?:zu |auf )?(?:das )?leben\b",
        r"\bhalt\w* (?:es|das) (?:alles )?nicht mehr aus\b", r"\bkill myself\b", r"\bwant to die\b",
    ],
    "selfharm": [
        r"\britze mich\b", r"\britz(?:e|en)?\b", r"\bverletze mich\b", r"\bselbstverletz", r"\bsvv\b",
        r"\bschneide mich\b", r"\bcutting\b", r"\bself ?harm",
    ],
    "child": [
        r"\bkind\w* (?:\w+ ){0,2}(?:wird|werden) (?:\w+ )?(?:geschlagen|misshandelt|missbraucht|vernachlassigt)\b",
        r"\bkind\w* (?:\w+ ){0,3}allein(?:e)? gelassen\b", r"\bfasst mich an\b",
        r"\bblaue flecken\b", r"\b(?:kind|kinder|tochter|sohn|enkel) (?:ist |sind )?in gefahr\b",
        r"\bkindeswohlgefahrdung\b", r"\b(?:kindes)?missbrauch", r"\b(?:schlagt|schlagen) (?:sein|ihr|das|die|mein|unser) kind",
    ],
    "violence": [
        r"\b(?:schlagt|schlug|schlagen|prugelt|verprugelt|tritt|wurgt|wurgte|bedroht|vergewaltigt|misshandelt)\b"
        r"(?: \w+){0,3} (?:mich|uns|mir)\b",
        r"\b(?:mich|uns) (?:\w+ ){0,2}(?:geschlagen|verprugelt|bedroht|vergewaltigt|gewurgt|misshandelt)\b",
        r"\b(?:werde|wurde|werden|wurden) (?:\w+ ){0,3}(?:geschlagen|verprugelt|bedroht|vergewaltigt|misshandelt)\b",
        r"\b(?:stalkt|verfolgt|belastigt|terrorisiert|erpresst|bedrangt)\b(?: \w+){0,2} (?:mich|uns)\b",
        r"\bdroht\w* (?:mir|mich|uns)\b", r"\bgewalttatig\b", r"\bhausliche gewalt\b",
        r"\bgewalt (?:zu hause|daheim|in der (?:ehe|beziehung|familie))\b",
        r"\bangst vor (?:meinem|meiner|ihm|ihr) ?(?:mann|frau|freund|freundin|partner|partnerin|ex|vater)?\b",
        r"\bhat mich (?:\w+ )?(?:geschlagen|bedroht|gewurgt|vergewaltigt|eingesperrt|verletzt)\b",
        r"\b(?:mann|freund|partner|ex|vater|mutter|bruder) (?:\w+ )?(?:schlagt|bedroht|wurgt|tritt)\b",
    ],
    "poison": [
        r"\bvergift", r"\bgiftig", r"\b(?:getrunken|verschluckt|geschluckt|gegessen|eingenommen)\b.{0,120}?\b(?:reinig|putz|"
        r"spulmittel|waschmittel|tablett|medikament|pille|gift|pilz|beere|batterie|lampenol|entkalker|chemikal)",
        r"\b(?:reinig|putz|spulmittel|waschmittel|tablett|medikament|pille|gift|pilz|beere|batterie|lampenol|"
        r"entkalker|chemikal)\w* (?:\w+ )?(?:getrunken|verschluckt|geschluckt|gegessen|eingenommen)\b",
    ],
    "medical": [
        r"\bbewusstlos\b", r"\bohnmachtig\b", r"\batmet nicht\b", r"\bkeine luft\b", r"\bherzinfarkt\b",
        r"\bschlaganfall\b", r"\bnotarzt\b", r"\bblutet (?:stark|sehr)\b", r"\bkrampfanfall\b",
    ],
}
#: One alternation per kind: a message is checked against six patterns, not eighty.
_CRISIS_RE = {kind: re.compile("|".join(f"(?:{p})" for p in patterns)) for kind, patterns in _CRISIS.items()}
_CLAUSE = re.compile(r"[.!?;,:\n]+")
#: Spoken and dialect forms read as the standard word before the crisis patterns run
#: ("ich will nich mehr leben", "i mag nimmer").
_SPOKEN = {**NICHT_ICH, "nimmer": "nicht mehr", "nimma": "nicht mehr", "i": "ich", "mi": "mich", "mei": "mein"}


#: Someone else threatening to kill: violence, though the words are a suicide pattern's
#: ("er will mich umbringen" beside "ich will mich umbringen"); checked before the kinds' order.
_THREAT = re.compile(r"\b(?:er|sie|mann|freund|partner|ex|vater|papa|mutter|bruder|nachbar)\b(?: \w+){0,4} "
                     r"(?:mich|uns|dich) (?:umbringen|toten|abstechen|kaltmachen)\b|\bbringt (?:mich|uns) um\b")


#: Violence against the writer by a parent, step-parent or foster parent ("mein papa schlägt mich",
#: "mama sagt sie bringt mich um"), in one clause, or told by someone who says they are a child ("ich bin
#: 13", "bin 16 und"): a child in danger, whose lines are 110 and the Nummer gegen Kummer, not the women's
#: helpline. The violence itself is the violence patterns' (or :data:`_THREAT`'s) to see.
_BY_A_PARENT = re.compile(r"\b(?:papa|papi|mama|mami|vater|mutter|stief\w+|pflege(?:vater|mutter|papa|mama|eltern))\b"
                          r"(?: \w+){0,4} (?:mich|mir)\b")
_A_CHILD_WRITES = re.compile(r"\b(?:ich bin|bin) (?:erst |grad |gerade |jetzt |doch erst )?(?:[7-9]|1[0-7])"
                             r"(?: jahre?(?: alt)?)?(?: und| aber|$)|\bich (?:[7-9]|1[0-7]) jahre?\b")


#: A stroke, heart attack or seizure told as past ("hatte vor zwei Jahren einen Schlaganfall", "nach seinem
#: Herzinfarkt", "ist an einem Herzinfarkt gestorben"), in a clause without a word of now or again ("hat gerade
#: einen Krampfanfall", "wieder Druck auf der Brust"): the event is over, and what the message asks for is care,
#: a rehabilitation group or a pension. Only these words of the medical patterns name an event that can be past;
#: "bewusstlos" and "atmet nicht" describe a state.
_EVENTS = r"(?:schlaganfall|herzinfarkt|krampfanfall)"
_EVENT = re.compile(rf"\b{_EVENTS}\b")
_PAST = re.compile(r"\b(?:hatte|hatten|hattest|gehabt|her|gestorben|verstorben)\b"
                   rf"|\b(?:nach|seit) (?:dem|einem|seinem|ihrem|meinem|deinem|unserem)? ?(?:\w+ )?{_EVENTS}\b"
                   r"|\bvor (?:\w+ )?(?:\w+ )?(?:tag|tagen|woche|wochen|monat|monaten|jahr|jahren)\b"
                   r"|\bletzte[nmrs]? (?:jahr|monat|woche|winter|sommer|fruhling|herbst)\b")
_NOW = re.compile(r"\b(?:gerade|grad|grade|eben|soeben|jetzt|vorhin|heute|wieder|noch)\b")


#: Where a sentence ends (a clause's :data:`_CLAUSE` marks without the comma and colon: "vor acht Jahren habe
#: ich versucht, mich umzubringen" is one sentence).
_SENTENCE = re.compile(r"[.!?;\n]+")
#: Words that place a sentence long ago: "vor acht Jahren", "letztes Jahr", "damals", "als Kind", "2016",
#: "ist lange her", "überstanden". As the clinical ConText algorithm reads "history of" (Harkema et al., 2009),
#: a danger named there is history unless the sentence has a word of now or again (:data:`_NOW`).
_LONG_AGO = re.compile(r"\bvor (?:\w+ )?(?:\w+ )?(?:jahr|jahren|jahrzehnt\w*)\b"
                       r"|\bletzte[nmrs]? (?:jahr|winter|sommer|fruhling|herbst)\b|\bdamals\b|\bfruher\b"
                       r"|\bals (?:kind|jugendliche\w*|teenager|schuler\w*|teenie)\b|\b(?:19[4-9]\d|20[01]\d|202[0-4])\b"
                       r"|\bjahre? her\b|\blange her\b|\buberstanden\b")
#: "vorbei" places a sentence in the past for the patterns ("das ist lange vorbei"), not for the encoders: it is
#: also how a farewell ends ("damit es für uns alle vorbei ist").
_OVER = re.compile(r"\bvorbei\b")
#: Words that make a sentence a story told or studied: a film, a series, a book, a song, a sermon, a paper.
#: A danger named there is the story's ("im Tatort vergiftet die Frau ihren Mann"), whatever its tense.
_STORY_WORDS = (r"(?:film|filme|films|filmes|serie|serien|staffel|tatort|krimi\w*|roman\w*|buch|buches|lied\w*|song\w*"
                r"|songtext|predigt\w*|referat\w*|hausarbeit\w*|figur|doku\w*|podcast\w*|zeitungs\w*|artikel)")
_STORY = re.compile(rf"\b{_STORY_WORDS}\b")
#: A story denied is none ("Frage nicht für ein Referat, ich bin schon oben auf dem Parkhaus", "das ist kein Film"):
#: ConText's pseudo-triggers, a trigger word that a negation before it turns round.
_NO_STORY = re.compile(rf"\b(?:nicht|kein|keine|keinen|keiner|not|no)\b(?: \w+){{0,2}} {_STORY_WORDS}\b")


#: English words of now, which a sentence with a year in it may carry ("self harm free since 2021, tonight i ...").
_NOW_EN = re.compile(r"\b(?:now|tonight|today|again|right now|just)\b")


def _told(sentence: str, over: bool = True) -> bool:
    """Whether a sentence tells of a danger long past (:data:`_LONG_AGO`, or :data:`_OVER` unless ``over`` is
    False, with no word of now) or of a story (:data:`_STORY`). (Not "Aufsatz": a pupil's essay may be how a
    pupil says it.)"""
    said = " ".join(words(sentence))
    past = _LONG_AGO.search(said) or (over and _OVER.search(said))
    story = bool(_STORY.search(said)) and not _NO_STORY.search(said)
    return story or (bool(past) and not _NOW.search(said) and not _NOW_EN.search(said))


def untold(text: str) -> str | None:
    """The message without its sentences told of long ago or of a story (:func:`_told`, "vorbei" aside), for
    the encoders to read again; None when no sentence, or every one, is told."""
    parts = re.split(f"({_SENTENCE.pattern})", text or "")  # with the marks, which the encoders read too
    sentences = [(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    kept = [s + end for s, end in sentences if not (s.strip() and _told(s, over=False))]
    if len(kept) == len(sentences) or not any(s.strip() for s in kept):
        return None
    return "".join(kept).strip()


def _past_events_told(clause: str) -> str:
    """The clause without the event words of :data:`_EVENT` when it tells them as past (:data:`_PAST`)."""
    if _EVENT.search(clause) and _PAST.search(clause) and not _NOW.search(clause):
        return _EVENT.sub("ereignis", clause)
    return clause


#: The writer's words about killing someone else ("ich will ihn umbringen", "ich könnt ihn umbringen"), in a
#: clause without "mich" or "sich" ("ich will mich umbringen", "sie will sich umbringen" stay suicide): no suicide,
#: though "umbringen" alone is one of its patterns. Said in the conditional (:data:`_JEST`: "ich könnt ihn
#: umbringen", "ich hätt sie umbringen können") it is a way of speaking about a snoring husband or a cheating
#: brother; said as intent ("ich will ihn umbringen, das Messer hab ich dabei") it is a danger to another,
#: whose line is 110: violence.
_KILL_ANOTHER = re.compile(r"\bich\b(?: \w+){0,3} (?:ihn|sie|dich|euch|jemand|jemanden|den|die|dem|alle|einen|eine)"
                           r"(?: \w+){0,2} umbringen\b")
_REFLEXIVE = re.compile(r"\b(?:mich|sich)\b")
_JEST = re.compile(r"\b(?:konnt|konnte|konnten|hatt|hatte|wurd|wurde)\b")


def _kills_another(clause: str) -> bool:
    """Whether the writer says "umbringen" of someone else in this clause (:data:`_KILL_ANOTHER`)."""
    return bool(_KILL_ANOTHER.search(clause)) and not _REFLEXIVE.search(clause)


def _others_killed(clause: str) -> str:
    """The clause without "umbringen" when the writer says it of someone else, in the conditional."""
    if _kills_another(clause) and _JEST.search(clause):
        return re.sub(r"\bumbringen\b", "umhauen", clause)
    return clause


def pattern_kind(text: str) -> CrisisKind | None:
    """The kind of danger the patterns see in a message, or None. Sentences that tell of something long
    past or of a story (:func:`_told`) are the encoders' to weigh, not the patterns'."""
    clauses = [_others_killed(_past_events_told(" ".join(_SPOKEN.get(w, w) for w in words(part))))
               for sentence in _SENTENCE.split(text or "") if not _told(sentence)
               for part in _CLAUSE.split(sentence)]
    clauses = [c for c in clauses if c]
    whole = " ".join(clauses)
    threat = _THREAT.search(whole) or any(_kills_another(c) for c in clauses)
    kind: CrisisKind | None = "violence" if threat else next(
        (k for k, pattern in _CRISIS_RE.items() if pattern.search(whole) or any(pattern.search(c) for c in clauses)),
        None)
    return "child" if kind == "violence" and any(_a_child_hurt(c) for c in clauses) else kind


def _a_child_hurt(clause: str) -> bool:
    """Whether a clause of a violent message says the one hurt is a child (:data:`_BY_A_PARENT`)."""
    by_a_parent = _BY_A_PARENT.search(clause) and (_THREAT.search(clause) or _CRISIS_RE["violence"].search(clause))
    return bool(by_a_parent or _A_CHILD_WRITES.search(clause))


#: The topics of knowledge/topics.yaml that answer each kind of danger.
TOPICS: dict[CrisisKind, tuple[str, ...]] = {
    "suicide": ("krise", "psyche"), "selfharm": ("krise", "psyche"),
    "violence": ("gewalt", "frauenhaus", "opferhilfe"), "child": ("kinderschutz", "jugendamt"),
    "poison": ("vergiftung",), "medical": ("gesundheit",),
}
#: Topics whose situations (knowledge/situations/) may be a danger told another way ("mein mann
#: trinkt", "seit dem tod meiner frau"): every other topic's situations are harmless look-alikes too.
NEAR_DANGER = frozenset({t for topics in TOPICS.values() for t in topics} | {"sucht", "trauer"})

#: Nearest examples the crisis kinds together and the look-alikes are compared by.
POOL_K = 8
#: A message is a crisis when its nearest crisis examples are this much more similar than its
#: nearest look-alikes (the first encoder alone; chosen on the held-out corpus for recall first:
#: see benchmarks/RESULTS.md; -0.036 until the everyday help requests of crisis/*-none-everyday.yaml
#: joined the look-alikes, which moved the held-out corpus' recall from 0.979 to 0.974 there; -0.046 until the
#: crises and look-alikes told as factual questions of crisis/*-factual.yaml came: with them, the largest raise
#: of this line and :data:`MARGIN_BOTH` at which no blind set's or held-out corpus' recall fell below what it
#: was without them, 0.006, took the false alarms below theirs too (benchmarks/RESULTS.md, twenty-seventh session).
MARGIN = -0.040
#: Where the first encoder's lead lies in this range, the second reader (bot.second_opinion) is
#: asked too: outside it, the first encoder's verdict stands whatever the second would say
#: (on the held-out corpus the narrowest range tried that changed no verdict of the two together).
BAND = (-0.08, 0.05)
#: The two together: the first lead plus this many times the second's (of 2, 3, 4 tried, the one
#: with the fewest held-out false alarms at recall >= 0.98) ...
SECOND_WEIGHT = 4.0
#: ... above this is a crisis (chosen on the held-out corpus: the largest margin keeping recall >= 0.98;
#: lowered by 0.008 with :data:`MARGIN` when the everyday look-alikes came, to keep that corpus' recall; raised
#: by 0.006 with it when the factual questions came).
MARGIN_BOTH = -0.018
#: The second best window's share of a long message's lead (:func:`message_lead`). Of 0, 0.25, 0.35 and 0.5
#: tried: crisis5-long (written blind: 70 crises told inside long ordinary messages, 130 long harmless ones)
#: 0.986 / 0.308 with the best window alone, 0.986 / 0.246 at 0.35, 0.971 / 0.215 at 0.5 (a crisis lost);
#: the held-out corpus and the other blind sets unchanged.
NEIGHBOUR_SHARE = 0.35
#: A long message's windows the second reader reads: those where crisis examples come closest.
SECOND_WINDOWS = 3
#: Patterns' words in a message the first encoder reads this far from any crisis ("die
#: stromrechnung bringt mich um", "suizidprävention fortbildung") get the soft line, not the
#: emergency block (of the settings tried, the one with the fewest held-out false alarms at the margin).
PATTERN_VETO = -0.15
#: Patterns' words in a message the first encoder places on the harmless side (lead under 0) are read by the second
#: reader too; when both together place it this far from a crisis (the first lead plus :data:`SECOND_WEIGHT`
#: times the second's), the words tell of a danger rather than live one: "vor drei Jahren hatte ich einen
#: Suizidversuch, heute geht es mir gut", "Referat über Suizid", "Mathe bringt mich um" (a stroke told as past
#: no longer fires a pattern at all: :func:`_past_events_told`). Such a message gets the soft line, not the emergency block. Chosen on the development
#: halves of the blind crisis sets: 18 of the 66 false alarms the patterns raised there go, no crisis is lost,
#: and the closest real crisis lies at -0.134 (benchmarks/RESULTS.md, twentieth session).
PATTERN_BOTH = -0.17
#: A second kind whose nearest examples are this close to the first kind's shows its lines too.
KIND_NEAR = 0.05
#: Which kind: the first encoder's score of each kind plus this many times the second reader's
#: (held-out corpus: the fitting lines in 0.906 of alarms with the first alone, 0.922 with both).
KIND_SECOND_WEIGHT = 2.0
#: A lead the meaning alone raised an alarm with, at or above this, is clearly past the line: the help for
#: the danger joins the offers (the youth office for a child shouted at next door). Below it, the alarm
#: shows the lines above the answer and the offers follow the words. Of the model's alarms on the blind
#: sets (older sets, development halves), 92 % of those on real crises lie above it and 36 % of those on
#: everyday questions (a parent's worry about a son who throws things, a brother who no longer leaves the
#: flat), whose answers had lost the counselling they asked for to the danger's lines: +13 top-1 answers of
#: 1,240 situation questions, +7 of 760 in other languages (benchmarks/RESULTS.md, tenth session).
CLEAR_LEAD = 0.02
#: The meaning's alarm is beyond doubt this far past the line: under it the offers beside the danger's help are
#: only those the words name or the meaning reads far closer than the danger (bot.search). Of the model's
#: clear alarms on all blind sets (2026-12-07), 54 % of those on real crises lie above it, none of the 122 on
#: harmless look-alikes and 8 % of the 494 on everyday questions (most of which tell of violence at home).
SURE_LEAD = 0.08
#: A short message is read clause by clause too (bot.semantic.clauses): a crisis said in passing beside a
#: practical question is averaged away in the whole (crisis12, written blind in that style: recall 0.68 on its
#: development half). A clause alone raises the alarm only when both readers place it well past their lines,
#: the first by this much above :data:`MARGIN` ...
CLAUSE_MARGIN = 0.114  # 0.12 above the margin before it rose by 0.006: the clauses' own line stays
#: ... and the second reader's own lead above this. Each clause is one more chance of a false alarm: of
#: 0.08-0.16 and 0.005-0.015 tried, these caught 4 of crisis12's 7 missed multi-clause crises (development
#: half), 1 of the older sets' 8 and 4 of the held-out corpus' 12, for 39 more false alarms among their
#: 1,873 harmless multi-clause messages and 22 among 1,119 everyday ones that raised none before; 0.08 / 0.01 caught 5 more
#: crises for 106 more false alarms (benchmarks/RESULTS.md, twelfth session).
CLAUSE_SECOND = 0.01
#: Closer to a crisis than this below the margin: uncertain (the soft line).
SOFT_MARGIN = 0.056  # 0.05 below the margin before it rose by 0.006: the soft line's floor stays
#: Uncertain messages leaning to one of these kinds get the lines of both beside the soft line: a
#: missed poisoning or collapse needs them within minutes, and few harmless messages lean there (blind
#: sets: 4 missed crises and 46 harmless messages of 741 uncertain). Both, because near the line the
#: encoder hardly tells them apart (2 of the 3 missed poisonings leaned to medical). Violence and child
#: are left out: most messages leaning there are everyday worries about partners and children (420
#: harmless against 5 missed crises), and 110 over a slammed door would frighten rather than help.
SOFT_KINDS: tuple[CrisisKind, ...] = ("poison", "medical")
#: The labels pooled on each side of the crisis line.
CRISIS_LABELS = frozenset(KINDS)
HARMLESS_LABELS = frozenset({NONE})


@dataclass(frozen=True)
class Verdict:
    """What the crisis check says of one message."""

    #: suicide, selfharm, violence, child, poison, medical, or None
    kind: CrisisKind | None = None
    #: No alarm, but close to one: the soft TelefonSeelsorge line.
    uncertain: bool = False
    #: Which reader raised it: "pattern", "model", or "" for none.
    by: CrisisReader = ""
    #: A second kind nearly as close as ``kind`` (the model cannot tell violence against a mother
    #: from violence against her child): its lines are shown too.
    also: CrisisKind | None = None
    #: The meaning's alarm is clearly past the line (:data:`CLEAR_LEAD`; a pattern's always is).
    clear: bool = False
    #: The alarm is beyond doubt (:data:`SURE_LEAD`; a pattern's always is).
    sure: bool = False
    #: Of an uncertain message the model read: the kinds whose lines the soft line names too, all of
    #: :data:`SOFT_KINDS` when the meaning is closest to one of them ("ibni shrib klor" -> 112,
    #: Giftnotruf and the doctor on call, not only TelefonSeelsorge); else none.
    leaning: tuple[CrisisKind, ...] = ()


def milder(first: Verdict, second: Verdict) -> Verdict:
    """The milder of two readings of one message (an alarm, the soft line, nothing): a message whose told sentences
    (:func:`untold`) were left out is a crisis only when it reads as one with and without them. Left out, they
    leave a rest that may read nearer a danger than the whole ("Passiert sowas wirklich so oft?" after a Tatort)."""
    def level(verdict: Verdict) -> int:
        return 2 if verdict.kind else int(verdict.uncertain)

    return second if level(second) < level(first) else first


def read_examples(conn: Any, k: int) -> ExampleIndex | None:
    """The crisis corpus from offers.db, with the situations of every topic far from danger as more
    harmless look-alikes: a debt or housing question is what most messages are, and without them
    one in four of those came close enough to a crisis to raise an alarm (benchmarks/RESULTS.md)."""
    from bot.semantic import ExampleIndex

    marks = ", ".join("?" * len(NEAR_DANGER))
    return ExampleIndex.query(
        conn, "SELECT CASE kind WHEN 'topic' THEN ? ELSE label END, vector FROM semantic_examples "
              f"WHERE kind = 'crisis' OR (kind = 'topic' AND label NOT IN ({marks}))",
        (NONE, *sorted(NEAR_DANGER)), k)


def assess(text: str, vectors: np.ndarray | None = None, examples: ExampleIndex | None = None,
           second: Callable[[Sequence[int]], Reading | None] | None = None, windows: int | None = None) -> Verdict:
    """The crisis verdict of a message; ``vectors`` are its pieces' embeddings (None without the
    model): its first ``windows`` are its windows (all when None), the rest a short message's clauses
    (:func:`bot.semantic.clauses`); ``second`` asks the second reader about some of those pieces (None,
    or it returns None, without it).

    The patterns' kind stands when they fire, unless the encoder reads the message as far from
    any crisis; otherwise the examples decide whether it is a crisis (all kinds pooled against the
    look-alikes, near the line with the second reader) and which kind (the kind whose own nearest
    examples are closest). A clause both readers place well past their lines raises the alarm too."""
    kind = pattern_kind(text)
    if vectors is None or examples is None or not len(vectors):
        return Verdict(kind, by="pattern", clear=True, sure=True) if kind else Verdict()
    count = len(vectors) if windows is None else windows
    sims = examples.similarities(vectors)
    all_leads = examples.leads(sims, CRISIS_LABELS, HARMLESS_LABELS, POOL_K).tolist()
    leads, sims_windows = all_leads[:count], sims[:count]
    lead = message_lead(leads)
    picks = sorted(range(len(leads)), key=lambda i: -leads[i])[:SECOND_WINDOWS]
    ask = functools.cache(lambda: second(picks)) if second is not None else None
    if kind:
        if (lead > PATTERN_VETO and not _told_of(lead, ask)) or _crisis_clause(all_leads, count, second) is not None:
            return Verdict(kind, by="pattern", clear=True, sure=True)
        return Verdict(uncertain=True)
    if _is_crisis(lead, ask):
        first, other, close = _kinds(examples.scores(sims_windows), ask() if ask is not None else None)
        return Verdict(first, by="model", also=other if close else None, clear=lead >= CLEAR_LEAD,
                       sure=lead >= SURE_LEAD)
    clause = _crisis_clause(all_leads, count, second)
    if clause is not None:
        index, reading = clause
        first, other, close = _kinds(examples.scores(sims[index : index + 1]), reading)
        return Verdict(first, by="model", also=other if close else None, clear=True)
    if lead <= MARGIN - SOFT_MARGIN:
        return Verdict()
    leaning = _kinds(examples.scores(sims_windows), None)[0]
    return Verdict(uncertain=True, leaning=SOFT_KINDS if leaning in SOFT_KINDS else ())


def _crisis_clause(leads: Sequence[float], windows: int,
                   second: Callable[[Sequence[int]], Reading | None] | None) -> tuple[int, Reading] | None:
    """The first clause (of the pieces after the ``windows``) that both readers place past their clause
    lines, with the second reader's reading of it; None when none is. The second reader reads only the
    clauses the first places past its line (few: it takes ten times the first one's time)."""
    if second is None:
        return None
    for index in range(windows, len(leads)):
        if leads[index] > MARGIN + CLAUSE_MARGIN:
            reading = second([index])
            if reading is not None and reading.lead > CLAUSE_SECOND:
                return index, reading
    return None


def message_lead(leads: Sequence[float]) -> float:
    """A message's lead from its windows' (:meth:`bot.semantic.ExampleIndex.leads`): the best window's, with
    :data:`NEIGHBOUR_SHARE` of the second best's in a long message. A crisis told inside a long message
    colours more than the window that names it; a harmless story whose one window comes near a crisis
    ("vor drei Jahren hat er mich geschlagen ... das ist vorbei") leads by that window alone."""
    if len(leads) < 2:
        return max(leads)
    first, second = sorted(leads, reverse=True)[:2]
    return (1 - NEIGHBOUR_SHARE) * first + NEIGHBOUR_SHARE * second


def _told_of(lead: float, second: Callable[[], Reading | None] | None) -> bool:
    """Whether a message the patterns fired on, and the first encoder places on the harmless side (lead
    under 0, which is above its line, :data:`MARGIN`), is one both readers together place far from any crisis
    (:data:`PATTERN_BOTH`): a danger told of, not lived."""
    if lead >= 0 or second is None:
        return False
    reading = second()
    return reading is not None and lead + SECOND_WEIGHT * reading.lead <= PATTERN_BOTH


def _is_crisis(lead: float, second: Callable[[], Reading | None] | None) -> bool:
    """The first encoder's lead decides outside :data:`BAND`; inside it, with the second reader's."""
    if BAND[0] < lead < BAND[1] and second is not None:
        reading = second()
        if reading is not None:
            return lead + SECOND_WEIGHT * reading.lead > MARGIN_BOTH
    return lead > MARGIN


def _kinds(scores: dict[str, float], reading: Reading | None) -> tuple[CrisisKind, CrisisKind, bool]:
    """The likeliest kind of danger, the next one, and whether that one is close enough to show too."""
    near = KIND_NEAR
    if reading is not None:
        scores = {k: scores.get(k, -1.0) + KIND_SECOND_WEIGHT * reading.scores.get(k, -1.0) for k in KINDS}
        near = KIND_NEAR * (1 + KIND_SECOND_WEIGHT)
    first, other = sorted(KINDS, key=lambda k: -scores.get(k, -1.0))[:2]
    return first, other, scores.get(other, -1.0) >= scores.get(first, -1.0) - near
