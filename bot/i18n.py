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
LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

#: Babel locale used to format dates, times and numbers for each interface language.
BABEL_LOCALES = {"de": "de_DE", "en": "en_GB"}


class Translator(Protocol):
    """What the renderer needs of a catalog (``gettext.GNUTranslations`` fits)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


def normalize_language(code: str | None) -> str:
    """A Telegram ``language_code`` ("en-US", "de") -> one of :data:`LANGUAGES`."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def babel_locale(language: str) -> str:
    return BABEL_LOCALES.get(language, BABEL_LOCALES[DEFAULT_LANGUAGE])


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
        return mo_bytes(read_po(source, locale=po.parent.parent.name, domain=DOMAIN))


@lru_cache(maxsize=8)
def translator(language: str = DEFAULT_LANGUAGE) -> gettext.NullTranslations:
    """The catalog of one interface language; German text when there is none."""
    ensure_compiled()
    return gettext.translation(DOMAIN, LOCALES_DIR, languages=[normalize_language(language)], fallback=True)
