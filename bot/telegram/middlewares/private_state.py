"""A private chat has conversation state even when a message comes without a sender.

aiogram keys the FSM state by chat and user; an update without ``from`` gets no
``state`` at all, and every handler that takes one failed with a TypeError (the
person got the apology). Telegram always names the sender in a private chat, but
a forged, old-format or relayed update may not. In a private chat the chat *is*
the person (same id), so the state is keyed as for any of their messages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.middlewares.user_context import EVENT_CONTEXT_KEY, EventContext
from aiogram.enums import ChatType
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.types import TelegramObject


class PrivateStateMiddleware(BaseMiddleware):
    """Outer ``update`` middleware (after aiogram's FSM one): the chat's state when the sender is missing."""

    def __init__(self, fsm: FSMContextMiddleware) -> None:
        self.fsm = fsm

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        context: EventContext | None = data.get(EVENT_CONTEXT_KEY)
        if "state" not in data and context is not None and context.user is None and context.chat is not None \
                and context.chat.type == ChatType.PRIVATE:
            bot: Bot = data["bot"]
            state = self.fsm.get_context(bot=bot, chat_id=context.chat.id, user_id=context.chat.id)
            data.update(state=state, raw_state=await state.get_state())
        return await handler(event, data)
