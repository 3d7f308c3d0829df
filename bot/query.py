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

# Patterns run on the canonical text (lower case, umlauts folded: "schlägt" -> "schlagt"),
# once per clause of the message (split at punctuation, so "$" is a clause's end:
# "ich will nicht mehr." is a signal, "ich will nicht mehr zahlen" is not) and once on
# the whole message (for words far apart: "getrunken ... reiniger").
_CRISIS: dict[str, list[str]] = {
    "suicide": [
        r"\bnicht mehr (?:leben|weiter ?leben|da sein|hier sein|existieren)\b", r"\b(?:nie|nicht) mehr aufwachen\b",
        # "er will zuhause sterben" is a dying person's wish about the place (hospice), not a danger;
        # said of oneself it may be either, and recall comes first
        r"\b(?:will|mochte|werde|wurde|moechte|muss) (?:(?!zuhause |daheim )\w+ )?sterben\b", r"\bsterben wollen\b",
        r"\bich (?:will|mochte|moechte|werde) (?:\w+ ){0,2}sterben\b",
        r"\bsuizid", r"\bselbstmord", r"\bsuicid", r"\bumbringen\b", r"\bbring\w* mich um\b",
        r"\bmich (?:toten|umbringen|erhangen|vergiften|aufhangen|erschiessen)\b", r"\bleben (?:beenden|nehmen)\b",
        r"\blebensmud", r"\bkeinen sinn mehr\b", r"\bmir (?:was|etwas) antun\b", r"\bvon der brucke\b",
        r"\bvor (?:den|einen) zug\b", r"\bschluss machen(?: mit (?:allem|dem leben|mir))?$",
        r"\bschluss machen mit (?:allem|dem leben|mir)\b", r"\bwill nicht mehr$", r"\bkann nicht mehr$",
        r"\balles beenden\b", r"\btot sein\b", r"\b(?:ware|war) (?:ich )?(?:lieber |am liebsten |einfach )?tot\b",
        r"\blieber tot\b", r"\bam liebsten tot\b", r"\britze mich\b", r"\bverletze mich\b", r"\bselbstverletz",
        r"\bkeinen ausweg\b", r"\bbesser (?:dran )?ohne mich\b", r"\bkeine lust mehr (?:zu |auf )?(?:das )?leben\b",
        r"\bhalt\w* (?:es|das) (?:alles )?nicht mehr aus\b", r"\bkill myself\b", r"\bwant to die\b",
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
#: One alternation per kind: a message is checked against five patterns, not eighty.
_CRISIS_RE = {kind: re.compile("|".join(f"(?:{p})" for p in patterns)) for kind, patterns in _CRISIS.items()}

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

_CLAUSE = re.compile(r"[.!?;,:\n]+")
#: Spoken forms of "nicht" and "ich", read as the standard word by the crisis check and the search.
_NICHT_ICH = {"nich": "nicht", "nit": "nicht", "net": "nicht", "ned": "nicht", "isch": "ich"}
#: Spoken and dialect forms read as the standard word before the crisis patterns run
#: ("ich will nich mehr leben", "i mag nimmer").
_SPOKEN = {**_NICHT_ICH, "nimmer": "nicht mehr", "nimma": "nicht mehr", "i": "ich", "mi": "mich", "mei": "mein"}
#: Dialect and spoken forms of everyday words, one word for one ("mer brauche hilf mit de pfleg",
#: "isch hab kaa geld mehr"): the question is read as if typed in the standard form.
DIALECT = {**_NICHT_ICH, "mer": "wir",
           "kaa": "kein", "kaan": "keinen", "koa": "kein", "koan": "keinen", "vun": "von", "uff": "auf",
           "iss": "ist", "hilf": "hilfe", "aach": "auch", "ebbes": "etwas", "nischt": "nichts", "wos": "was",
           "de": "die", "un": "und"}
#: "15-jähriger", "meine 8jährige": a child's age (to 17) says who the question is about.
_AGE = re.compile(r"^(\d{1,2})(jahrig\w*)?$")
_PARENT = frozenset(words("mein meine meinen meinem meiner unser unsere unseren unserem unserer"))
MAX_CHILD_AGE = 17


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
    intent: str = "general"
    crisis: str | None = None
    person: str | None = None
    topics: list[str] = field(default_factory=list)
    place: object | None = None
    #: Content words for the text match (no stopwords, no place words).
    terms: list[str] = field(default_factory=list)
    #: Question word -> the topics the vocabulary reads in it ("hartz4" -> buergergeld),
    #: so an offer mainly about that topic carries the word's meaning without its letters.
    word_topics: dict[str, set[str]] = field(default_factory=dict)


def detect_crisis(text: str) -> str | None:
    """The kind of acute danger a message signals, or None; checked in the order of _CRISIS
    (a child in danger before violence in general: "er schlägt sein Kind")."""
    clauses = [" ".join(_SPOKEN.get(w, w) for w in words(part)) for part in _CLAUSE.split(text or "")]
    clauses = [c for c in clauses if c]
    whole = " ".join(clauses)
    for kind, pattern in _CRISIS_RE.items():
        if pattern.search(whole) or any(pattern.search(c) for c in clauses):
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
    """A surname after Frau/Herr/Herrn/Dr. ("telefon frau grimm" -> "grimm"), not "meine Frau ist ..."."""
    text = text or ""
    for match in _PERSON.finditer(text):
        before = _LAST_WORD.search(text[max(0, match.start() - 40) : match.start()])
        name = words(match.group("name"))
        if name and name[0] not in STOPWORDS and not (before and words(before.group(1))[-1:] and
                                                      words(before.group(1))[-1] in _NOT_TITLE):
            return name[0]
    return None
