"""What does a question ask? Intent, crisis signals, person names and the content words.

Pure functions over text, no database: the bot calls :func:`detect_crisis` and
:func:`detect_intent` for every message, before any search.
Crisis detection is tuned for recall: showing the hotlines once too often costs
a line of text, missing a person in danger costs far more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.normalize import normalize, words

# Patterns run on the canonical text (lower case, umlauts folded: "schlägt" -> "schlagt").
_CRISIS: dict[str, list[str]] = {
    "suicide": [
        r"\bnicht mehr (?:leben|weiter ?leben|da sein|aufwachen)\b", r"\b(?:will|mochte|moechte|werde) sterben\b",
        r"\bsuizid", r"\bselbstmord", r"\bumbringen\b", r"\bmich (?:toten|umbringen|erhangen|vergiften)\b",
        r"\bleben (?:beenden|nehmen)\b", r"\blebensmud", r"\bkeinen sinn mehr\b", r"\bmir (?:was|etwas) antun\b",
        r"\bvon der brucke\b", r"\bnicht mehr leben\b", r"\bschluss machen mit (?:allem|dem leben|mir)\b",
        r"\bwill nicht mehr\b", r"\balles beenden\b", r"\bsterben wollen\b", r"\btot sein\b", r"\britze mich\b",
    ],
    "violence": [
        r"\b(?:schlagt|schlug|schlagen|prugelt|verprugelt|tritt|wurgt|wurgte|bedroht|vergewaltigt|misshandelt)\b"
        r"(?: \w+){0,3} (?:mich|uns|mir)\b",
        r"\b(?:mich|uns) (?:\w+ ){0,2}(?:geschlagen|verprugelt|bedroht|vergewaltigt|gewurgt|misshandelt)\b",
        r"\bhausliche gewalt\b", r"\bgewalt (?:zu hause|daheim|in der (?:ehe|beziehung))\b",
        r"\bangst vor (?:meinem|meiner|ihm|ihr) ?(?:mann|frau|freund|freundin|partner|partnerin|ex|vater)?\b",
        r"\bhat mich (?:\w+ )?(?:geschlagen|bedroht|gewurgt|vergewaltigt|eingesperrt)\b",
        r"\b(?:mann|freund|partner|ex|vater|mutter|bruder) (?:\w+ )?(?:schlagt|bedroht|wurgt|tritt)\b",
    ],
    "child": [
        r"\bkind(?:er)? (?:wird|werden) (?:geschlagen|misshandelt|missbraucht|vernachlassigt)\b",
        r"\bblaue flecken\b", r"\b(?:kind|kinder|tochter|sohn|enkel) (?:ist |sind )?in gefahr\b",
        r"\bkindeswohlgefahrdung\b", r"\bmissbrauch", r"\b(?:schlagt|schlagen) (?:sein|ihr|das|die|mein|unser) kind",
    ],
    "poison": [
        r"\bvergift", r"\bgiftig", r"\b(?:getrunken|verschluckt|geschluckt|gegessen|eingenommen)\b.*\b(?:reinig|putz|"
        r"spulmittel|waschmittel|tablett|medikament|pille|gift|pilz|beere|batterie|lampenol|entkalker|chemikal)",
        r"\b(?:reinig|putz|spulmittel|waschmittel|tablett|medikament|pille|gift|pilz|beere|batterie|lampenol|"
        r"entkalker|chemikal)\w* (?:\w+ )?(?:getrunken|verschluckt|geschluckt|gegessen|eingenommen)\b",
    ],
    "medical": [
        r"\bbewusstlos\b", r"\batmet nicht\b", r"\bkeine luft\b", r"\bherzinfarkt\b", r"\bschlaganfall\b",
        r"\bnotarzt\b", r"\bblutet stark\b", r"\bkrampfanfall\b",
    ],
}
_CRISIS_RE = {kind: [re.compile(p) for p in patterns] for kind, patterns in _CRISIS.items()}

_INTENTS: list[tuple[str, re.Pattern[str]]] = [
    ("open_now", re.compile(r"\b(?:jetzt|gerade|noch|heute|grad|aktuell) (?:\w+ )?(?:offen|geoffnet|auf|erreichbar|da)\b"
                            r"|\b(?:offen|geoffnet|auf) (?:jetzt|gerade|noch|heute)\b|\bhat (?:\w+ )?offen\b")),
    ("hours", re.compile(r"\bwann\b|\boffnungszeit|\bsprechzeit|\bsprechstunde|\boffen\b|\bgeoffnet\b|\buhrzeit"
                         r"|\bausgabe(?:zeit|tag)|\berreichbar\b|\berreichen\b|\bzeiten\b")),
    ("phone", re.compile(r"\btelefon|\bnummer\b|\banrufen\b|\bruf\w* an\b|\btel\b|\bhandy|\bdurchwahl|\bhotline")),
    ("contact", re.compile(r"\bkontakt|\be ?mail\b|\bmail\b|\bansprechp|\bzustandig|\bwer ist\b|\bwen kann ich")),
    ("address", re.compile(r"\badresse\b|\banschrift\b|\bwo (?:ist|sind|finde|liegt|genau)\b|\bstrasse\b|\bwie komme\b"
                           r"|\bhinkommen\b|\bweg dorthin\b")),
]

_PERSON = re.compile(r"\b(?:frau|herrn?|hr|fr|dr)\.? ([a-zäöüß][\w-]{2,})", re.IGNORECASE)

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
will willst wollen mochte möchte brauche brauch brauchen braucht suche such suchen sucht finde finden hilfe
helfen hilft jemand jemanden etwas was irgendwo hier dort da dann jetzt heute gerade grad aktuell noch
gern gerne einfach mehr viel viele alle alles andere anderes anders wieder immer nie oft ganz ganzen
telefon telefonnummer nummer anrufen tel kontakt email mail adresse anschrift wann offen geoffnet
offnungszeiten offnungszeit sprechzeiten sprechzeit sprechstunde uhrzeit erreichbar erreichen
zustandig zuständig ansprechpartner ansprechpartnerin wo ort stelle angebot angebote nahe nähe
umgebung gegend wohne wohnen wohnt leben lebe bei mir uns hin her dahin hingehen gehen geht
frau herr herrn dr tun machen mache macht weiss weiß nicht weiter bald lang langer
""".replace("\n", " ")))


@dataclass
class QueryAnalysis:
    """What a question is about; the bot answers from it, the search ranks with it."""

    text: str
    tokens: list[str]
    intent: str = "general"
    crisis: str | None = None
    person: str | None = None
    topics: list[str] = field(default_factory=list)
    place: object | None = None
    #: Content words for the text match (no stopwords, no place words).
    terms: list[str] = field(default_factory=list)


def detect_crisis(text: str) -> str | None:
    """The kind of acute danger a message signals, or None."""
    canonical = normalize(text)
    for kind, patterns in _CRISIS_RE.items():
        if any(p.search(canonical) for p in patterns):
            return kind
    return None


def detect_intent(text: str) -> str:
    """hours | open_now | phone | contact | address | general."""
    canonical = normalize(text)
    for intent, pattern in _INTENTS:
        if pattern.search(canonical):
            return intent
    return "general"


def detect_person(text: str) -> str | None:
    """A surname after Frau/Herr/Herrn/Dr. ("telefon frau grimm" -> "grimm")."""
    match = _PERSON.search(text)
    return words(match.group(1))[0] if match and words(match.group(1)) else None
