"""What every handler does: a turn of the dialog with the chat's memory, a rendered reply sent."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot
from aiogram.enums import ParseMode
from aiogram.fsm.context import FSMContext
from aiogram.types import LinkPreviewOptions, Message

from bot.limits import split_html
from bot.render import Reply
from bot.telegram.dialog import Memory, Outcome
from bot.telegram.keyboards import inline_keyboard

#: Cards carry several links; a preview of the first one would only push the answer up.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def load_memory(state: FSMContext) -> Memory:
    return Memory.from_data(await state.get_data())


async def save_memory(state: FSMContext, memory: Memory) -> None:
    await state.update_data(memory.to_data())


async def converse(bot: Bot, chat_id: int | None, state: FSMContext,
                   step: Callable[[Memory], Outcome | None]) -> None:
    """One turn: the chat's memory in, the dialog's ``step`` on it, the new memory saved and its
    replies sent; nothing when the step has nothing to say or there is no chat to send to."""
    outcome = step(await load_memory(state))
    if outcome is None or chat_id is None:
        return
    await save_memory(state, outcome.memory)
    for reply in outcome.replies:
        await send(bot, chat_id, reply)


async def send(bot: Bot, chat_id: int, reply: Reply) -> Message:
    """Send one reply with HTML parse mode (every field in it is escaped by the renderer).

    A reply longer than Telegram takes (4,096 characters) goes out as several messages, split
    between cards (bot.limits), the buttons under the last: refused, it would be lost whole."""
    *first, last = split_html(reply.text)
    for text in first:
        await bot.send_message(chat_id=chat_id, text=text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)
    return await bot.send_message(chat_id=chat_id, text=last, parse_mode=ParseMode.HTML,
                                  reply_markup=inline_keyboard(reply.buttons), link_preview_options=NO_PREVIEW)


async def answer(message: Message, reply: Reply) -> Message:
    return await send(message.bot, message.chat.id, reply)  # type: ignore[arg-type]
