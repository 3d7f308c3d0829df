"""``python -m bot chat``: talk to the bot in the terminal, no token, no network.

The very same dispatcher and handlers as on Telegram, fed updates in-process
(``dp.feed_update``) through a local session that prints what the bot sends.
Buttons become numbered choices: type the number to press one. Works with
stdin from a pipe as well; ends on EOF or ``/exit``. ``/standort LAT LON``
stands in for sharing a location.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
from typing import Any, TextIO

from aiogram.fsm.storage.base import StorageKey
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendContact,
    SendMessage,
    SendVenue,
    TelegramMethod,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import default_db_path
from bot.i18n import LANGUAGES
from bot.render import to_plain
from bot.settings import Settings, settings_or_complaint
from bot.store import Store
from bot.telegram.app import create_bot, create_dispatcher
from bot.telegram.local import LocalSession, Updates

_EXIT = {"/exit", "/quit", "/ende"}


class Terminal:
    """Prints the bot's calls and remembers the buttons of the last answer as numbered choices."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.choices: list[InlineKeyboardButton] = []
        self._fresh = True

    def new_turn(self) -> None:
        self._fresh = True

    def show(self, method: TelegramMethod[Any]) -> None:
        if isinstance(method, SendMessage | EditMessageText):
            self._print(to_plain(method.text or ""))
            markup = method.reply_markup
            if isinstance(markup, InlineKeyboardMarkup):
                self._buttons(markup)
        elif isinstance(method, SendVenue):
            self._print(f"📍 {method.title}, {method.address}\n   {method.latitude:.5f}, {method.longitude:.5f} – "
                        f"https://www.openstreetmap.org/?mlat={method.latitude}&mlon={method.longitude}")
        elif isinstance(method, SendContact):
            name = " ".join(p for p in (method.first_name, method.last_name) if p)
            self._print(f"👤 {name}, {method.phone_number}\n{method.vcard or ''}")
        elif isinstance(method, AnswerCallbackQuery) and method.text:
            self._print(f"({method.text})")

    def _buttons(self, markup: InlineKeyboardMarkup) -> None:
        if self._fresh:
            self.choices = []
            self._fresh = False
        lines = []
        for row in markup.inline_keyboard:
            cells = []
            for button in row:
                self.choices.append(button)
                cells.append(f"[{len(self.choices)}] {button.text}")
            lines.append("   ".join(cells))
        self._print("\n".join(lines))

    def _print(self, text: str) -> None:
        print(text, file=self.out)
        print(file=self.out)
        self.out.flush()


async def converse(lines: TextIO, out: TextIO, *, language: str = "de", greet: bool = False,
                   chosen: str | None = None, settings: Settings | None = None) -> None:
    """Read lines, feed them to the dispatcher as updates, print the replies.

    ``language`` is the Telegram account's language; ``chosen`` one set as with /sprache (``--lang``),
    which a first message in another language does not change. ``settings`` name the database and the
    admins (none: ``OFFERS_DB`` or offers.db, no admins)."""
    store = Store(settings.offers_path if settings is not None else default_db_path())
    terminal = Terminal(out)
    session = LocalSession(on_call=terminal.show)
    bot = create_bot("4242:LOCAL-TERMINAL-CHAT", session=session)
    dp = create_dispatcher(store, settings)
    updates = Updates(language_code=chosen or language, first_name="Sie")
    if chosen:
        user = updates.user["id"]
        await dp.fsm.storage.update_data(StorageKey(bot_id=bot.id, chat_id=user, user_id=user), {"locale": chosen})
    if greet:
        await dp.feed_update(bot, updates.text("/start"))
    while True:
        if lines.isatty():
            print("> ", end="", file=out, flush=True)
        line = lines.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text.lower() in _EXIT:
            break
        update = _update_for(text, updates, terminal)
        terminal.new_turn()
        if update is not None:
            await dp.feed_update(bot, update)
    await bot.session.close()


def _update_for(text: str, updates: Updates, terminal: Terminal) -> Any:
    if text.isdigit() and 1 <= int(text) <= len(terminal.choices):
        button = terminal.choices[int(text) - 1]
        if button.url:
            terminal._print(f"🔗 {button.url}")
            return None
        return updates.callback(button.callback_data or "")
    if text.lower().startswith("/standort"):
        parts = text.replace(",", " ").split()[1:]
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            terminal._print("/standort BREITE LÄNGE, z. B. /standort 51.37 10.87")
            return None
        return updates.location(lat, lon)
    return updates.text(text)


def main(argv: list[str], settings: Settings | None = None) -> int:
    """``settings``: the ones ``python -m bot`` read already; else read here."""
    parser = argparse.ArgumentParser(prog="python -m bot chat", description="Mit dem Bot im Terminal schreiben")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="Sprache der Oberfläche, wie mit /sprache gewählt (Standard: die des Kontos, de)")
    args = parser.parse_args(argv)
    settings = settings_or_complaint(settings)
    if settings is None:
        return 2
    try:
        Store(settings.offers_path)
    except (FileNotFoundError, sqlite3.DatabaseError) as exc:  # the reason, not a traceback
        print(exc, file=sys.stderr)
        return 1
    interactive = sys.stdin.isatty()
    if interactive:
        print("Terminal-Chat mit dem Hilfe-Bot. Zahlen wählen Knöpfe, /exit beendet.\n")
    asyncio.run(converse(sys.stdin, sys.stdout, greet=interactive, chosen=args.lang, settings=settings))
    return 0
