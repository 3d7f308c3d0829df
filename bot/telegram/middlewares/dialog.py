"""Hand every handler a :class:`~bot.telegram.dialog.Dialog` in the chat's language and at "now".

"Now" comes from the ``clock`` in the workflow data, so tests can fix the time
(a holiday, a minute before closing). The dialog tells ``services`` of each answered search
(the demand statistics, bot.demand): in memory only, written later in a batch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject

from bot.i18n import babel_locale
from bot.render import Context
from bot.telegram.dialog import Dialog


class DialogMiddleware(BaseMiddleware):
    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        bot: Bot = data["bot"]
        me = await bot.me()
        ctx = Context(tr=data["tr"], at=data["clock"](), locale=babel_locale(data["lang"]),
                      bot_username=me.username, lang=data["lang"])
        services = data.get("services")
        user = data.get("event_from_user")
        observe = services.observer(data["store"], language=data["lang"], at=ctx.at,
                                    person=user.id if user is not None else None) if services is not None else None
        data["dialog"] = Dialog(data["store"], ctx, observe=observe)
        return await handler(event, data)
