"""When a handler fails: log where (never what the person wrote), apologise, keep the bot running.

aiogram hands every exception raised while an update is handled (in a handler, a
middleware or the FSM storage) to the ``errors`` observers; this router handles
all of them, so nothing escapes to the polling loop or the webhook server. The
log line names the update type, a pseudonym of the person, the exception type
and the code location. Not the exception's message: that can quote the
person's text or name the chat.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from aiogram import Bot, Router
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramForbiddenError
from aiogram.types import ErrorEvent, Update

from bot.i18n import Translator, _n
from bot.telegram.middlewares.privacy_logging import pseudonym

log = logging.getLogger(__name__)

#: How many innermost stack frames the log line names.
_FRAMES = 3


APOLOGY = _n("Entschuldigung, da ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal "
             "oder schreiben Sie /hilfe.\n\n"
             "In Gefahr? Notruf <b>112</b> · TelefonSeelsorge <b>0800 111 0 111</b>")


def apology_text(tr: Translator | None) -> str:
    """The apology in the person's language (German when the failure came before the language was known)."""
    return tr.gettext(APOLOGY) if tr is not None else APOLOGY


def where(exc: BaseException) -> str:
    """The innermost frames as ``file.py:line function``, without the exception's message."""
    frames = traceback.extract_tb(exc.__traceback__)[-_FRAMES:]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames)) or "-"


def _origin(update: Update) -> tuple[int | None, int | None, str | None]:
    """(user id, chat id to apologise in, callback query id) of an update, as far as it has them."""
    if update.message is not None:
        user = update.message.from_user
        return (user.id if user else None), update.message.chat.id, None
    query = update.callback_query
    if query is not None:
        chat_id = query.message.chat.id if query.message is not None else None
        return query.from_user.id, chat_id, query.id
    for event in (update.inline_query, update.edited_message, update.my_chat_member):
        user = getattr(event, "from_user", None)
        if user is not None:
            return user.id, None, None
    return None, None, None


def _kind(update: Update) -> str:
    try:
        return update.event_type
    except Exception:  # an update type this aiogram version does not know
        return "unknown"


async def on_error(event: ErrorEvent, bot: Bot, tr: Translator | None = None) -> bool:
    exc, update = event.exception, event.update
    user_id, chat_id, query_id = _origin(update)
    who = pseudonym(user_id) if user_id is not None else "-"
    if isinstance(exc, TelegramForbiddenError):
        log.info("update %d: %s has blocked the bot or left the chat", update.update_id, who)
        return True
    log.error("update %d (%s) from %s failed: %s at %s", update.update_id, _kind(update), who,
              type(exc).__name__, where(exc))
    if query_id is not None:
        try:
            await bot.answer_callback_query(query_id)
        except Exception as failed:  # already answered, or too old: the message below still explains
            log.debug("callback not answered after an error: %s", type(failed).__name__)
    if chat_id is not None:
        try:
            await bot.send_message(chat_id=chat_id, text=apology_text(tr), parse_mode=ParseMode.HTML)
        except Exception as failed:
            log.warning("update %d: apology not delivered: %s", update.update_id, type(failed).__name__)
    return True


def router() -> Router:
    r = Router(name="errors")
    r.errors.register(on_error)
    return r
