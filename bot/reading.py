"""What the sentence encoders read of a message: languages typed in Latin letters, in their own letters.

Chat Arabic ("ana ta3bana", :mod:`bot.arabizi`) is written in Arabic letters and Russian or Ukrainian
typed in Latin letters ("muzh menya b'et", :mod:`bot.translit`) in Cyrillic ones; any other text is read
as typed. The messages and the corpus examples (:mod:`bot.exemplars`) are read alike.
"""

from __future__ import annotations

from bot import arabizi, translit


def for_encoders(text: str) -> str:
    """The text the sentence encoders read. Translit is checked first: it has no digits inside its words,
    chat Arabic nearly always has, and the chat Arabic check alone took "muzh menya b'et, ya boyus" (a
    Russian woman beaten by her husband) for Arabic."""
    spelled = translit.readable(text)
    return spelled if spelled != text else arabizi.readable(text)
