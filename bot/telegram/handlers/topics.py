"""/themen: browse the topics, then the offers of one topic near the home place."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.telegram.callbacks import MenuCb, TopicCb
from bot.telegram.dialog import Dialog
from bot.telegram.handlers.common import answer, load_memory, save_memory, send


async def topics(message: Message, dialog: Dialog) -> None:
    await answer(message, dialog.topics_reply())


async def topics_button(query: CallbackQuery, dialog: Dialog) -> None:
    await query.answer()
    if query.message is not None:
        await send(query.bot, query.message.chat.id, dialog.topics_reply())  # type: ignore[arg-type]


async def topic_chosen(query: CallbackQuery, callback_data: TopicCb, dialog: Dialog, state: FSMContext) -> None:
    outcome = dialog.topic(callback_data.id, await load_memory(state))
    await query.answer()
    if outcome is None or query.message is None:
        return
    await save_memory(state, outcome.memory)
    for reply in outcome.replies:
        await send(query.bot, query.message.chat.id, reply)  # type: ignore[arg-type]


def router() -> Router:
    r = Router(name="topics")
    r.message.register(topics, Command("themen", "topics"))
    r.callback_query.register(topics_button, MenuCb.filter())
    r.callback_query.register(topic_chosen, TopicCb.filter())
    return r
