"""What the sentence encoders read of a message: languages typed without their own letters, in them.

Russian or Ukrainian typed in Latin letters ("muzh menya b'et", :mod:`bot.translit`) is written in
Cyrillic ones, chat Arabic ("ana ta3bana", :mod:`bot.arabizi`) in Arabic ones, and Turkish typed without
its letters ("borc danismanligi", :mod:`bot.turkish_letters`) with them; any other text is read as typed.
The messages and the corpus examples (:mod:`bot.exemplars`) are read alike.
"""

from __future__ import annotations

from bot import arabizi, translit, turkish_letters


def for_encoders(text: str) -> str:
    """The text the sentence encoders read. Translit is checked first: it has no digits inside its words,
    chat Arabic nearly always has, and the chat Arabic check alone took "muzh menya b'et, ya boyus" (a
    Russian woman beaten by her husband) for Arabic. Chat Arabic comes before Turkish: over the corpus and
    the blind sets it never took a Turkish message, while the Turkish check took one chat Arabic message
    ("ana sakin fi Erfurt")."""
    for reader in (translit.readable, arabizi.readable):
        spelled = reader(text)
        if spelled != text:
            return spelled
    return turkish_letters.readable(text)
