"""/ort (set or change the home place) and shared locations (nearest offers with distance)."""

from __future__ import annotations

from html import escape

from aiogram import Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.render import Reply
from bot.telegram.dialog import Dialog
from bot.telegram.filters import has_location, is_plain_text
from bot.telegram.handlers.common import answer, converse, load_memory


class PlaceForm(StatesGroup):
    waiting = State()


async def ask_place(message: Message, command: CommandObject, dialog: Dialog, state: FSMContext) -> None:
    if command.args:
        await _apply(message, command.args, dialog, state)
        return
    memory = await load_memory(state)
    await state.set_state(PlaceForm.waiting)
    lines = []
    if memory.place:
        lines.append(_("Ihr Ort ist bisher: <b>{place}</b>.").format(place=escape(memory.place)))
    lines.append(_("In welchem Ort suchen Sie Hilfe? Schreiben Sie den Namen oder die Postleitzahl "
                   "(z. B. „Sondershausen“ oder „99706“) – oder teilen Sie Ihren Standort über 📎."))
    await answer(message, Reply("\n".join(lines)))


async def place_typed(message: Message, dialog: Dialog, state: FSMContext) -> None:
    await state.set_state(None)
    await _apply(message, message.text or "", dialog, state)


async def _apply(message: Message, text: str, dialog: Dialog, state: FSMContext) -> None:
    await converse(message.bot, message.chat.id, state,  # type: ignore[arg-type]
                   lambda memory: dialog.set_place(text, memory))


async def location(message: Message, dialog: Dialog, state: FSMContext) -> None:
    await state.set_state(None)
    point = message.location
    await converse(message.bot, message.chat.id, state,  # type: ignore[arg-type]
                   lambda memory: dialog.location(point.latitude, point.longitude, memory))  # type: ignore[union-attr]


def router() -> Router:
    r = Router(name="place")
    r.message.register(ask_place, Command("ort", "place"))
    # StateFilter, not the bare state: aiogram runs a plain State check in a worker thread.
    r.message.register(place_typed, StateFilter(PlaceForm.waiting), is_plain_text)
    r.message.register(location, has_location)
    return r
