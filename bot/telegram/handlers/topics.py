"""/themen: browse the topics, then the offers of one topic near the home place."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.telegram.callbacks import MenuCb, TopicCb
from bot.telegram.dialog import Dialog
from bot.telegram.handlers.common import answer, converse, send


async def topics(message: Message, dialog: Dialog) -> None:
    await answer(message, dialog.topics_reply())


async def topics_button(query: CallbackQuery, dialog: Dialog) -> None:
    await query.answer()
    if query.message is not None:
        await send(query.bot, query.message.chat.id, dialog.topics_reply())  # type: ignore[arg-type]


async def topic_chosen(query: CallbackQuery, callback_data: TopicCb, dialog: Dialog, state: FSMContext) -> None:
    await query.answer()
    await converse(query.bot, query.message.chat.id if query.message is not None else None,  # type: ignore[arg-type]
                   state, lambda memory: dialog.topic(callback_data.id, memory))


def router() -> Router:
    r = Router(name="topics")
    r.message.register(topics, Command("themen", "topics"))
    r.callback_query.register(topics_button, MenuCb.filter())
    r.callback_query.register(topic_chosen, TopicCb.filter())
    return r
