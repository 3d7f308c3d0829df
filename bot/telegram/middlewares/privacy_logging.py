"""Keep what people write, and who they are, out of the logs.

People tell this bot about debts, violence and addiction. Logs end up in
journald, log shippers and support tickets, so they must hold neither message
texts nor clear Telegram ids. Two parts, so that no log line anywhere (ours,
aiogram's, aiohttp's) has to be written carefully to be safe:

- :class:`PrivacyLogMiddleware` (outer middleware on ``update``) notes, for the time
  an update is handled, which ids and texts it carries (in a context variable, so
  concurrent updates do not mix).
- :class:`PrivacyFilter` (on the log handlers, installed by :func:`configure_logging`)
  rewrites each record before it is written: the update's texts, names and longer
  words become ``‹…›``, its ids become salted pseudonyms (``u-3f9a…``), and ids in
  the shapes Telegram's error messages use ("in chat 123456789", ``chat_id=…``)
  are pseudonymised even outside an update.

The salt is ``LOG_SALT`` (set it to correlate one person's lines across instances
and restarts; ``python -m bot run`` passes it to :func:`configure_logging`) or random
per process, so pseudonyms cannot be reversed by hashing all ids.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

#: Per process unless ``LOG_SALT`` is set (:func:`configure_logging`): pseudonyms of one run, not reversible
#: across runs. One salt for the whole process, as the logging it serves is one for the whole process.
_salt = os.urandom(16)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "‹…›"

#: Fields of an update that hold what a person wrote or who they are.
_TEXT_FIELDS = frozenset({"text", "caption", "query", "first_name", "last_name", "username", "title",
                          "phone_number", "vcard", "address", "data", "question", "name", "bio"})
#: Objects whose ``id`` identifies a person or chat.
_ID_OWNERS = frozenset({"from_user", "from", "chat", "user", "sender_chat", "sender_user"})
_ID_FIELDS = frozenset({"user_id", "chat_id"})
#: Shorter texts are not redacted on their own ("ja" would garble every line); longer words are.
_MIN_TEXT = 3
_MIN_WORD = 5
#: Ids in the shapes of Telegram's and aiogram's messages, anywhere in a line.
_ID_IN_TEXT = re.compile(r"(?i)\b((?:chat|user|from)(?:[ _]?id)?\s*[=:]?\s*)(-?\d{5,})")
_WORD = re.compile(r"\w+")


def pseudonym(value: int | str, salt: bytes | None = None) -> str:
    """A stable, salted stand-in for a Telegram id: ``u-`` and 10 hex digits (the process's salt by default)."""
    digest = hmac.new(_salt if salt is None else salt, str(value).encode(), hashlib.sha256).hexdigest()
    return f"u-{digest[:10]}"


@dataclass
class Secrets:
    """What one update carries that must not be logged."""

    ids: set[int] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """One regex for every text and longer word, longest first; built only when something is logged."""
        pieces = {t for t in self.texts if len(t) >= _MIN_TEXT}
        pieces |= {w for t in self.texts for w in _WORD.findall(t) if len(w) >= _MIN_WORD}
        if not pieces:
            return None
        # whole words only: the admin's "/reload" must not turn the log's "reloaded" into "‹…›ed"
        alternatives = "|".join(re.escape(p) for p in sorted(pieces, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    @cached_property
    def id_pattern(self) -> re.Pattern[str] | None:
        if not self.ids:
            return None
        return re.compile(r"(?<![\w-])(" + "|".join(str(i) for i in sorted(self.ids, reverse=True)) + r")(?!\d)")

    def redact(self, text: str, salt: bytes | None) -> str:
        if self.pattern is not None:
            text = self.pattern.sub(REDACTED, text)
        if self.id_pattern is not None:
            text = self.id_pattern.sub(lambda m: pseudonym(m.group(1), salt), text)
        return text


_current: ContextVar[Secrets | None] = ContextVar("log_secrets", default=None)


def _walk(value: Any, key: str | None, parent: str | None) -> Iterator[tuple[str | None, str | None, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k, key)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item, key, parent)
    else:
        yield key, parent, value


def collect(update: Update) -> Secrets:
    """The ids and texts of an update (every event type, nested replies and quotes included)."""
    secrets = Secrets()
    for key, parent, value in _walk(update.model_dump(exclude_none=True), None, None):
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and (key in _ID_FIELDS or (key == "id" and parent in _ID_OWNERS)):
            secrets.ids.add(value)
        elif isinstance(value, str) and key in _TEXT_FIELDS:
            secrets.texts.add(value)
    return secrets


class PrivacyLogMiddleware(BaseMiddleware):
    """Outer ``update`` middleware: remember the update's ids and texts while it is handled."""

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        secrets = collect(event)
        token = _current.set(secrets)
        try:
            return await handler(event, data)
        finally:
            _current.reset(token)


class PrivacyFilter(logging.Filter):
    """Rewrite every record: no texts or clear ids of the current update, no ids in Telegram's error shapes."""

    def __init__(self, salt: bytes | None = None) -> None:
        super().__init__()
        self.salt = salt

    def _clean(self, text: str, secrets: Secrets | None) -> str:
        if secrets is not None:
            text = secrets.redact(text, self.salt)
        return _ID_IN_TEXT.sub(lambda m: m.group(1) + pseudonym(m.group(2), self.salt), text)

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = _current.get()
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep only the template, never the arguments
            message = str(record.msg)
        record.msg, record.args = self._clean(message, secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info, secrets)
        return True


def configure_logging(level: int | str = "INFO", *, stream: IO[str] | None = None,
                      salt: bytes | None = None) -> logging.Handler:
    """Log to ``stream`` (stderr by default) through a :class:`PrivacyFilter`; replaces earlier root handlers.

    ``salt`` (``LOG_SALT``) becomes the process's salt: every pseudonym, in the filter and in the error
    handler's own lines, is made with it."""
    global _salt
    if salt is not None:
        _salt = salt
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(PrivacyFilter(salt))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # aiogram warns about unknown update types with the whole update in the text: through the filter too.
    logging.captureWarnings(True)
    return handler
