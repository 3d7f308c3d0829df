"""Interface language outside aiogram: the same gettext catalogs, loaded with the standard library.

The Telegram side translates through aiogram's ``I18n`` (which reads
``bot/locales/<lang>/LC_MESSAGES/messages.mo``); the renderer and
``python -m bot answer`` must not import aiogram, so they get their translator
here, from the very same files. Message ids are the German texts: German is the
complete, primary language and also what a missing catalog falls back to.
"""

from __future__ import annotations

import gettext
import io
import os
from contextlib import suppress
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
#: Interface languages: German, English, Ukrainian, Russian, Arabic, Turkish and German in Leichte Sprache.
LANGUAGES = ("de", "en", "uk", "ru", "ar", "tr", "de-leicht")
DEFAULT_LANGUAGE = "de"
#: Leichte Sprache: German words, short sentences, one offer per message (``Context.plain``).
PLAIN_GERMAN = "de-leicht"
#: Languages written right to left (their catalogs carry directional marks, see tests/test_catalogs.py).
RTL_LANGUAGES = frozenset({"ar"})

#: Babel locale used to format dates, times and numbers for each interface language.
BABEL_LOCALES = {"de": "de_DE", "en": "en_GB", "uk": "uk_UA", "ru": "ru_RU", "ar": "ar", "tr": "tr_TR",
                 "de-leicht": "de_DE"}
#: Each language named in itself, for the /sprache buttons (the flags would name countries, not languages).
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "uk": "Українська", "ru": "Русский", "ar": "العربية",
                  "tr": "Türkçe", "de-leicht": "Leichte Sprache"}


def _n(message: str) -> str:
    """Mark a text for the catalog (scripts/compile_locales.py extracts ``_n``); it is translated
    where it is shown, per language."""
    return message


class Translator(Protocol):
    """What the renderer needs of a catalog (``gettext.GNUTranslations`` fits)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


def normalize_language(code: str | None) -> str:
    """A Telegram ``language_code`` ("en-US", "de", "uk") or a chosen form ("de-leicht") -> one of
    :data:`LANGUAGES`; anything else is German."""
    if not code:
        return DEFAULT_LANGUAGE
    code = code.replace("_", "-").lower()
    if code in LANGUAGES:
        return code
    base = code.split("-")[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def babel_locale(language: str) -> str:
    return BABEL_LOCALES.get(language, BABEL_LOCALES[DEFAULT_LANGUAGE])


def catalog_locale(language: str) -> str:
    """The Babel locale of a catalog (its plural rules): "de-leicht" is German."""
    return language.split("-")[0]


def ensure_compiled(directory: Path = LOCALES_DIR) -> None:
    """Build a missing or outdated ``.mo`` from its ``.po`` (a fresh checkout without build step).

    A checkout gives every file the time of the checkout, so a ``.po`` often looks newer than
    its ``.mo``: the catalog is compiled in memory and the file written only when the bytes
    differ, so starting the bot leaves a fresh clone's working tree clean.
    """
    for po in directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
            continue
        compiled = compile_catalog(po)
        if mo.exists() and mo.read_bytes() == compiled:
            with suppress(OSError):  # only the time stamp, so the next start skips the comparison
                os.utime(mo)
            continue
        tmp = mo.with_suffix(".mo.tmp")
        tmp.write_bytes(compiled)
        tmp.replace(mo)


#: The compiled catalog's creation date: fixed, so compiling the same ``.po`` gives the same bytes.
_CREATION_DATE = datetime(2000, 1, 1, tzinfo=UTC)


def mo_bytes(catalog: Catalog) -> bytes:
    """A catalog compiled to ``.mo`` bytes, the same bytes for the same texts (no time stamp)."""
    from babel.messages.mofile import write_mo

    catalog.creation_date = _CREATION_DATE
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def compile_catalog(po: Path) -> bytes:
    """Compile one catalog with Babel (imported only when something needs compiling)."""
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        return mo_bytes(read_po(source, locale=catalog_locale(po.parent.parent.name), domain=DOMAIN))


@lru_cache(maxsize=16)
def translator(language: str = DEFAULT_LANGUAGE) -> gettext.NullTranslations:
    """The catalog of one interface language; German text when there is none.

    Read straight from ``<language>/LC_MESSAGES`` as aiogram's ``I18n`` does: ``gettext.translation``
    would pass "de-leicht" through the C library's locale aliases."""
    ensure_compiled()
    mo = LOCALES_DIR / normalize_language(language) / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.exists():
        return gettext.NullTranslations()
    with mo.open("rb") as f:
        return gettext.GNUTranslations(f)
