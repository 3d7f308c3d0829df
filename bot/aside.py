"""The parts of a message that set a kind of help aside.

People who ask for help often say first what they do not want or have already had: "nicht das
Jugendamt bitte, ich will erstmal nur reden", "ins Frauenhaus will ich nicht", "bei der
Erziehungsberatung waren wir schon", "um die Schulden kümmer ich mich selber", "die Tafel hat
Aufnahmestopp". Read as words, those clauses name the very service the writer turned away from,
and it came first. This module finds such clauses by their grammar (the writer's own negated
wish, a visit already made, a matter in hand, a service that takes nobody), not by the services
they name, so that the query analysis can leave their words out of the topics and search terms.

Pure functions over text; the positions are those of :func:`bot.normalize.words`.
"""

from __future__ import annotations

import re

from bot.normalize import words

#: A clause that sets help aside is short ("in ein Frauenhaus irgendwo weit weg will ich nicht"); a longer
#: one is a story told without commas, whose "nich" and "will" belong to different thoughts.
MAX_WORDS = 12
#: How many words from the negation its wish may stand ("will ich nicht", "möchte ich da nicht hin").
WISH_NEAR = 3
#: Where a clause ends: sentence marks, commas, brackets and dashes, and the words that turn a
#: sentence ("..., aber wer hilft", "... sondern").
_BREAK = re.compile(r"[.!?;:,()\n–—]+|\s(?=(?:aber|sondern|doch)\s)", re.IGNORECASE)
#: The writer as subject or object: their own wish or doing, not someone else's ("mein Sohn will
#: nicht zur Schule" is the need itself).
_FIRST_PERSON = frozenset({"ich", "wir", "mir", "uns", "mich"})
_NEGATION = frozenset({"nicht", "nich", "net", "nie", "niemals", "keinesfalls"})
#: What follows a refusal that opens a clause: "nicht das Jugendamt", "nicht ins Heim".
_ARTICLES = frozenset({"das", "den", "die", "der", "dem", "zum", "zur", "ins", "ans"})
#: Wanting: "will ich nicht", "möchte ich nicht".
_WISH = frozenset({"will", "wollen", "wollte", "wollten", "mochte", "mochten", "mag", "mogen"})
#: Where one goes or is sent: a negated wish with one of these turns a service down ("ins Frauenhaus will
#: ich nicht"); without, it may be the need itself ("ich will die Wohnung nicht verlieren").
_TOWARDS = frozenset({"ins", "in", "zum", "zur", "zu", "ans", "an", "bitte"})
#: "war schon bei", "waren wir bereits": a visit already made.
_BEEN = frozenset({"war", "waren", "warn", "gewesen"})
_ALREADY = frozenset({"schon", "bereits"})
_AT = frozenset({"bei", "beim", "in", "im", "zur", "zum", "auf", "aufm"})
#: A service that takes nobody now, or sent the writer away; said as a statement ("die Tafel hat
#: Aufnahmestopp"), not asked ("gibt es bei der Tafel eine Warteliste?").
_CLOSED = frozenset({"aufnahmestopp", "warteliste", "ausgebucht"})
_STATED = frozenset({"hat", "haben", "hatte", "hatten", "ist", "sind", "war", "waren"})
_NOT_RESPONSIBLE = frozenset({"zustandig"})
#: The end of a clause that reports what a service said: "das Jobcenter sagt, sie sind nicht zuständig".
_SAID = frozenset({"sagt", "sagen", "sagte", "sagten", "meint", "meinen", "meinte", "meinten", "heisst", "hiess"})


def _clauses(text: str) -> list[list[str]] | None:
    """The message's clauses as lists of its words; None when they do not add up to the message's
    words (a word split by a mark), so that the positions stay those of ``words(text)``."""
    parts = [words(part) for part in _BREAK.split(text)]
    clauses = [part for part in parts if part]
    if sum(len(c) for c in clauses) != len(words(text)):
        return None
    return clauses


def _rejects(clause: list[str]) -> bool:
    """The writer does not want it: "ins Frauenhaus will ich nicht", "nicht das Jugendamt bitte".
    Not "nicht mehr" ("ich will nicht mehr bei ihm wohnen" is the need), nor "nicht nur" or "nicht genug"."""
    if clause[0] in _NEGATION and len(clause) > 1 and clause[1] in _ARTICLES:
        return True
    # the negation beside the wish ("will ich nicht", "möchte nicht ins"), not anywhere in a long clause
    negated = any(w in _NEGATION and nxt != "mehr" and _WISH.intersection(clause[max(0, i - WISH_NEAR):i + WISH_NEAR + 1])
                  for i, (w, nxt) in enumerate(zip(clause, [*clause[1:], ""], strict=True)))
    return negated and bool(_FIRST_PERSON.intersection(clause)) and bool(_TOWARDS.intersection(clause))


def _had(clause: list[str]) -> bool:
    """A visit already made: "war schon bei der Schuldnerberatung", "bei der Erziehungsberatung waren wir schon"."""
    return bool(_BEEN.intersection(clause)) and bool(_ALREADY.intersection(clause)) and bool(_AT.intersection(clause))


def _in_hand(clause: list[str]) -> bool:
    """A matter the writer says they manage: "um die Schulden kümmer ich mich selber", "die Schulden
    krieg ich hin", "mit dem Konto komme ich klar" (not "komme nicht klar", which is the need)."""
    if _NEGATION.intersection(clause) or not _FIRST_PERSON.intersection(clause):
        return False
    said = set(clause)
    return (("selber" in said or "selbst" in said) and bool(said & {"kummer", "kummere", "kummern", "regel", "regle",
                                                                    "regeln"})) \
        or ("hin" in said and bool(said & {"krieg", "kriege", "kriegen", "bekomm", "bekomme", "bekommen"})) \
        or ("klar" in said and bool(said & {"komm", "komme", "kommen"}))


def _closed(clause: list[str]) -> bool:
    """The service takes nobody: "die Tafel hat Aufnahmestopp", "sie sind nicht mehr zuständig"."""
    if _CLOSED.intersection(clause) and _STATED.intersection(clause):
        return True
    # "nicht (mehr) zuständig", not "weiß nicht, welches Amt zuständig ist"
    return any(w in _NOT_RESPONSIBLE and (clause[i - 1] in _NEGATION or (i > 1 and clause[i - 1] == "mehr"
                                                                         and clause[i - 2] in _NEGATION))
               for i, w in enumerate(clause) if i)


def aside_positions(text: str) -> frozenset[int]:
    """Positions (in ``words(text)``) of the words in clauses that set help aside; empty when the whole
    message would be set aside (then it is what it asks about, however put)."""
    clauses = _clauses(text)
    if not clauses or len(clauses) < 2:
        return frozenset()
    starts = [0]
    for clause in clauses:
        starts.append(starts[-1] + len(clause))
    marked: set[int] = set()
    for index, clause in enumerate(clauses):
        if len(clause) > MAX_WORDS:
            continue
        if _rejects(clause) or _had(clause) or _in_hand(clause):
            marked.add(index)
        elif _closed(clause):
            marked.add(index)
            if index and clauses[index - 1][-1] in _SAID:
                marked.add(index - 1)  # "das Jobcenter sagt, sie sind nicht zuständig": the Jobcenter's clause
    if len(marked) == len(clauses):
        return frozenset()
    return frozenset(p for index in marked for p in range(starts[index], starts[index + 1]))
