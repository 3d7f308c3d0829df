"""Buttons under the answers: details, map (venue), contact card, more results, did-you-mean."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.render import contact_card, venue
from bot.store import Store
from bot.telegram.callbacks import AskCb, OfferCb, PageCb
from bot.telegram.dialog import Dialog
from bot.telegram.handlers.common import converse, load_memory, send


def _chat_id(query: CallbackQuery) -> int | None:
    return query.message.chat.id if query.message is not None else None


async def offer_action(query: CallbackQuery, callback_data: OfferCb, bot: Bot, store: Store, dialog: Dialog,
                       state: FSMContext) -> None:
    chat_id = _chat_id(query)
    offer = store.offer(callback_data.id)
    if offer is None or chat_id is None:
        await query.answer(_("Dieses Angebot gibt es nicht mehr."))
        return
    if callback_data.action == "details":
        reply = dialog.offer(offer.id, await load_memory(state))
        await query.answer()
        if reply is not None:
            await send(bot, chat_id, reply)
    elif callback_data.action == "map":
        point = venue(offer)
        if point is None:
            await query.answer(_("Für dieses Angebot ist kein Ort auf der Karte bekannt."))
            return
        await query.answer()
        await bot.send_venue(chat_id=chat_id, latitude=point.lat, longitude=point.lon, title=point.title,
                             address=point.address)
    else:
        card = contact_card(offer)
        if card is None:
            await query.answer(_("Für dieses Angebot ist keine Telefonnummer bekannt."))
            return
        await query.answer()
        await bot.send_contact(chat_id=chat_id, phone_number=card.phone_number, first_name=card.first_name,
                               last_name=card.last_name, vcard=card.vcard)


async def more(query: CallbackQuery, callback_data: PageCb, dialog: Dialog, state: FSMContext) -> None:
    await query.answer()
    await converse(query.bot, _chat_id(query), state,  # type: ignore[arg-type]
                   lambda memory: dialog.page(memory, callback_data.page))


async def suggestion(query: CallbackQuery, callback_data: AskCb, dialog: Dialog, state: FSMContext) -> None:
    await query.answer()
    await converse(query.bot, _chat_id(query), state,  # type: ignore[arg-type]
                   lambda memory: dialog.suggestion(callback_data.index, memory))


async def stale(query: CallbackQuery) -> None:
    """Old or forged button data: stop the spinner, change nothing."""
    await query.answer()


def router() -> Router:
    r = Router(name="callbacks")
    r.callback_query.register(offer_action, OfferCb.filter())
    r.callback_query.register(more, PageCb.filter())
    r.callback_query.register(suggestion, AskCb.filter())
    r.callback_query.register(stale)
    return r
