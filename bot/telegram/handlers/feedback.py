"""Error reports: "⚠️ Fehler melden" under a card's details, the reasons, the optional line, /meldungen.

The logic lives in bot.feedback (aiogram-free); these handlers ask, store through
``services`` (bot.telegram.services.StateServices, in the workflow data) and answer.
Forged or repeated presses are answered calmly and store nothing wrong: an unknown offer
is refused, a second report of the same offer by the same person is not counted, a line
is attached only to the person's own report, and only admins can close a report.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from html import escape
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.botstate import StateError
from bot.feedback import REASONS, allow
from bot.render import Reply
from bot.store import Store
from bot.telegram.callbacks import CloseReportCb, NoteCb, ReportCb
from bot.telegram.filters import is_command, is_plain_text
from bot.telegram.handlers.admin import IsAdmin
from bot.telegram.handlers.common import NO_PREVIEW, answer
from bot.telegram.handlers.start import help_text
from bot.telegram.services import StateServices

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]

#: The line is taken only this long after the reason was chosen; later text is a question again.
NOTE_WAIT = timedelta(minutes=10)
#: Open reports listed in /meldungen (each with its button; Telegram allows 100 buttons).
LIST_LIMIT = 15
_MAX_CHARS = 3800


class ReportForm(StatesGroup):
    note = State()


def _reason_labels() -> dict[str, str]:
    return {"telefon": _("Telefon"), "zeiten": _("Zeiten"), "adresse": _("Adresse"),
            "weg": _("gibt es nicht mehr"), "anders": _("etwas anderes")}


def _keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d) for t, d in row]
                                                 for row in rows])


async def _say(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await bot.send_message(chat_id=chat_id, text=text, reply_markup=markup, link_preview_options=NO_PREVIEW)


async def ask_reason(query: CallbackQuery, callback_data: ReportCb, bot: Bot, store: Store) -> None:
    offer = store.offer(callback_data.id)
    if offer is None or query.message is None:
        await query.answer(_("Dieses Angebot gibt es nicht mehr."))
        return
    await query.answer()
    labels = _reason_labels()
    rows = [[(labels[a], ReportCb(reason=a, id=offer.id).pack()) for a in pair]
            for pair in (("telefon", "zeiten"), ("adresse", "weg"), ("anders",))]
    text = _("Was stimmt bei <b>{name}</b> nicht?").format(name=escape(offer.name))
    await _say(bot, query.message.chat.id, text, _keyboard(rows))


async def reason_chosen(query: CallbackQuery, callback_data: ReportCb, bot: Bot, store: Store,
                        services: StateServices, state: FSMContext, clock: Clock) -> None:
    offer = store.offer(callback_data.id)
    if offer is None or query.message is None or query.from_user is None:
        await query.answer(_("Dieses Angebot gibt es nicht mehr."))
        return
    if services.feedback is None:
        await query.answer(_("Ihre Meldung kann ich gerade nicht speichern. Bitte versuchen Sie es später "
                             "noch einmal."), show_alert=True)
        return
    now = clock()
    allowed, times = allow((await state.get_data()).get("fb_times", []), now)
    if not allowed:
        await query.answer(_("Sie haben gerade viele Meldungen geschickt. Bitte versuchen Sie es später "
                             "noch einmal."), show_alert=True)
        return
    try:
        filed = await asyncio.to_thread(services.feedback.file, query.from_user.id, offer.id, offer.name,
                                        callback_data.reason, now)
    except StateError as exc:
        services.failed(exc)
        await query.answer(_("Ihre Meldung kann ich gerade nicht speichern. Bitte versuchen Sie es später "
                             "noch einmal."), show_alert=True)
        return
    await query.answer()
    chat_id = query.message.chat.id
    await state.update_data(fb_times=times)
    if not filed.counted:
        await _say(bot, chat_id, _("Dieses Angebot haben Sie schon gemeldet – vielen Dank! "
                                   "Die Redaktion kümmert sich darum."))
        return
    await state.set_state(ReportForm.note)
    await state.update_data(fb_report=filed.report_id, fb_offer=offer.id, fb_at=now.timestamp())
    text = _("Danke! Wenn Sie möchten, schreiben Sie mir in einer kurzen Zeile, was genau nicht stimmt. "
             "<b>Dieser Text geht an die Redaktion</b>, die die Angaben pflegt – bitte schreiben Sie keine "
             "Namen, Telefonnummern oder anderen persönlichen Angaben über sich hinein.")
    await _say(bot, chat_id, text, _keyboard([[(_("Ohne Text absenden"), NoteCb(action="skip").pack())]]))
    record = {"offer_id": offer.id, "offer_name": offer.name, "reason_label": REASONS[callback_data.reason]}
    await services.notifier.report(bot, record, now)


async def _finish(bot: Bot, chat_id: int, state: FSMContext) -> None:
    await state.set_state(None)
    data = await state.get_data()
    await state.set_data({k: v for k, v in data.items() if k not in ("fb_report", "fb_offer", "fb_at")})
    await _say(bot, chat_id, _("Vielen Dank! Ihre Meldung ist bei der Redaktion angekommen."))


async def note_fresh(message: Message, state: FSMContext, clock: Clock) -> bool:
    """A text soon after the reason was chosen is the line; later text is a question again."""
    started = (await state.get_data()).get("fb_at")
    return isinstance(started, int | float) and clock().timestamp() - started <= NOTE_WAIT.total_seconds()


async def note_typed(message: Message, bot: Bot, services: StateServices, state: FSMContext, clock: Clock) -> None:
    data = await state.get_data()
    if services.feedback is not None and message.from_user is not None:
        try:
            await asyncio.to_thread(services.feedback.add_note, int(data.get("fb_report", 0)), message.from_user.id,
                                    str(data.get("fb_offer", "")), message.text or "", clock())
        except StateError as exc:
            services.failed(exc)
    await _finish(bot, message.chat.id, state)


async def skip_note(query: CallbackQuery, bot: Bot, state: FSMContext) -> None:
    await query.answer()
    if query.message is None or await state.get_state() != ReportForm.note.state:
        return  # a repeated press: already thanked
    await _finish(bot, query.message.chat.id, state)


# --- admins -------------------------------------------------------------------------------


def reports_text(reports: list[dict[str, Any]]) -> str:
    """The /meldungen message (HTML, every value escaped); whole reports only, within Telegram's length."""
    if not reports:
        return "Keine offenen Fehlermeldungen."
    lines = [f"<b>Offene Fehlermeldungen: {len(reports)}</b>"]
    shown = 0
    for r in reports[:LIST_LIMIT]:
        block = [f"\n#{r['id']} <b>{escape(str(r['offer_name']))}</b> ({escape(str(r['offer_id']))})\n"
                 f"Grund: {escape(str(r['reason_label']))} · {r['count']}× gemeldet · "
                 f"zuerst {r['first_reported']}, zuletzt {r['last_reported']}",
                 *(f"„{escape(n['text'])}“" for n in r.get("notes", [])[-3:])]
        if len("\n".join(lines + block)) > _MAX_CHARS:
            break
        lines += block
        shown += 1
    if len(reports) > shown:
        lines.append(f"\n… und {len(reports) - shown} weitere (python scripts/report.py --feedback)")
    return "\n".join(lines)


def router(admin_ids: Iterable[int] = ()) -> Router:
    """The report flow for everyone; /meldungen and closing for ``admin_ids`` (the settings' ``ADMIN_IDS``)."""
    ids = frozenset(admin_ids)
    admins = IsAdmin(ids)

    async def list_reports(message: Message, services: StateServices) -> None:
        if services.feedback is None:
            await answer(message, Reply(escape(f"⚠️ Zustandsspeicher nicht nutzbar ({services.error})")))
            return
        try:
            reports = await asyncio.to_thread(services.feedback.reports)
        except StateError as exc:
            services.failed(exc)
            await answer(message, Reply(escape(f"⚠️ Zustandsspeicher nicht nutzbar ({exc})")))
            return
        text = reports_text(reports)
        rows = [[(f"✅ #{r['id']} erledigt", CloseReportCb(id=r["id"]).pack())] for r in reports[:LIST_LIMIT]
                if f"\n#{r['id']} <b>" in text]
        await message.answer(text, reply_markup=_keyboard(rows) if rows else None,
                             link_preview_options=NO_PREVIEW)

    async def close(query: CallbackQuery, callback_data: CloseReportCb, services: StateServices,
                    clock: Clock) -> None:
        if query.from_user is None or query.from_user.id not in ids or services.feedback is None:
            await query.answer()  # not an admin (or a forged press): nothing happens
            return
        try:
            record = await asyncio.to_thread(services.feedback.close, callback_data.id, clock())
        except StateError as exc:
            services.failed(exc)
            await query.answer("Zustandsspeicher nicht nutzbar.", show_alert=True)
            return
        if record is None:
            await query.answer(f"Meldung #{callback_data.id} ist schon erledigt oder unbekannt.")
            return
        await query.answer(f"Meldung #{callback_data.id} erledigt.")
        if query.message is not None:
            await _say(query.bot, query.message.chat.id,  # type: ignore[arg-type]
                       f"Erledigt: #{record['id']} {escape(record['offer_name'])} ({escape(record['reason_label'])}).")

    async def not_admin(message: Message) -> None:
        await answer(message, Reply(help_text()))

    r = Router(name="feedback")
    r.callback_query.register(ask_reason, ReportCb.filter(F.reason == "ask"))
    r.callback_query.register(reason_chosen, ReportCb.filter())
    r.callback_query.register(skip_note, NoteCb.filter())
    r.callback_query.register(close, CloseReportCb.filter())
    r.message.register(list_reports, is_command, Command("meldungen"), admins)
    r.message.register(not_admin, is_command, Command("meldungen"))
    r.message.register(note_typed, StateFilter(ReportForm.note), is_plain_text, note_fresh)
    return r
