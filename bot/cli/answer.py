"""``python -m bot answer [--json] [--at ISO-DATETIME] [--lang L] QUESTION``: the bot's reply to one question.

The same dialog and renderer as on Telegram, without aiogram (so it starts fast):
handy for admins checking an offer and for scripts comparing answers. With ``--json``
it prints ``{"crisis": kind or null, "results": [offer ids, in order], "text": the reply,
"lang": the interface language}`` for outside checks. Without ``--lang`` the language is German, or
the question's when that is clearly another (as for a first message on Telegram).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import datetime

from bot.detect_language import first_language
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, babel_locale, translator
from bot.opening import TZ
from bot.render import Context, to_plain
from bot.settings import CommonSettings
from bot.store import Store
from bot.telegram.dialog import Dialog, Memory


def _moment(text: str | None) -> datetime:
    """An ISO date-time; without a zone it is Berlin time."""
    if not text:
        return datetime.now(TZ)
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment


def main(argv: list[str], settings: CommonSettings | None = None) -> int:
    """``settings``: the ones ``python -m bot`` read already; else read here (only ``OFFERS_DB`` and
    ``BOT_USERNAME`` count, so a variable of the running bot never stops an answer)."""
    parser = argparse.ArgumentParser(prog="python -m bot answer", description="Antwort des Bots auf eine Frage")
    parser.add_argument("--at", help="Zeitpunkt (ISO, z. B. 2025-03-04T15:30), Standard: jetzt")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="Sprache der Oberfläche (Standard: die der Frage, wenn sie klar eine andere ist, sonst de)")
    parser.add_argument("--place", help="Wohnort des Chats (wie mit /ort gesetzt)")
    parser.add_argument("--json", action="store_true",
                        help='als JSON: {"crisis": Art oder null, "results": [Angebots-IDs], "text": Antwort}')
    parser.add_argument("question", nargs="+", help="die Frage")
    args = parser.parse_args(argv)
    try:
        at = _moment(args.at)
    except ValueError:
        parser.error(f"--at {args.at!r} ist kein ISO-Zeitpunkt")
    settings = settings if settings is not None else CommonSettings()
    try:
        store = Store(settings.offers_path)
    except (FileNotFoundError, sqlite3.DatabaseError) as exc:  # the reason, not a traceback
        print(exc, file=sys.stderr)
        return 1
    question = " ".join(args.question)
    lang = args.lang or first_language(question, DEFAULT_LANGUAGE)
    ctx = Context(tr=translator(lang), at=at, locale=babel_locale(lang),
                  bot_username=settings.bot_username, lang=lang)
    outcome = Dialog(store, ctx).ask(question, Memory(place=args.place))
    text = "\n\n".join(to_plain(reply.text) for reply in outcome.replies)
    if args.json:
        crisis = outcome.analysis.crisis if outcome.analysis is not None else None
        print(json.dumps({"crisis": crisis, "results": [hit[0] for hit in outcome.memory.hits], "text": text,
                          "lang": lang}, ensure_ascii=False))
    else:
        print(text)
    return 0
