"""Every example question the bot suggests (greeting, help, "try other words", media and inline hints) is
answerable by the shipped offers.db: it finds offers at the place it names, not "nothing here" or the
nearest ones elsewhere. The examples are read from the catalogs, so a new text with a new example is
checked too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.search import engine_for, search
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = [ROOT / "bot" / "locales" / lang / "LC_MESSAGES" / "messages.po" for lang in ("de", "en")]
#: Examples of follow-ups: they answer the previous question, not a new one (tests/telegram cover them).
FOLLOW_UPS = {"und wann haben die offen?", "die Telefonnummer bitte", "gibt es das auch in Artern?", "was anderes?",
              "and when are they open?", "the phone number please", "is there one in Artern too?", "something else?"}


def _examples() -> list[str]:
    found: dict[str, None] = {}
    for path in CATALOGS:
        with path.open("rb") as fh:
            for message in read_po(fh):
                texts = [message.id, message.string] if path.parent.parent.name == "en" else [message.id]
                for text in texts:
                    for example in re.findall(r"[„“]([^“”{}]+)[“”]", text or ""):
                        if example not in FOLLOW_UPS:
                            found.setdefault(example.strip())
    return list(found)


EXAMPLES = _examples()


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(ROOT / "offers.db")


def test_the_catalogs_hold_examples() -> None:
    assert {"Schuldnerberatung in Gotha", "Wann hat das Jugendamt Eisenach offen?", "tafel uhk"} <= set(EXAMPLES)
    assert "Schuldnerberatung in Sondershausen" not in EXAMPLES  # there is none there


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_suggested_example_is_answerable(store: Store, example: str) -> None:
    analysis = engine_for(store).analyze(example)
    if analysis.place is not None and not analysis.terms and not analysis.topics:
        return  # a place to type ("Sondershausen", "99706"): known, that is all it needs
    response = search(store, example)
    assert response.results, example
    assert not response.place_fallback and response.missing_office is None, (
        example, [r.offer.name for r in response.results[:3]])
