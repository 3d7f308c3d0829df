"""Error reports on offers ("⚠️ Fehler melden"): filed, deduplicated, listed, closed, forgotten.

A report is one open (offer, reason) pair with how often it was reported; a second
person reporting the same thing raises ``count``. What it keeps, in the state store
(bot.botstate), and why it cannot name the reporter:

- no Telegram id: the same person reporting the same offer twice counts once through a
  mark ``HMAC(salt, user id + offer id)``. The salt is random, shared by all instances and
  replaced every 30 days; the marks expire after 30 days. One mark per (person, offer),
  so two marks of one person cannot be linked to each other; once the salt is gone no
  mark can be linked to anyone.
- the optional free-text line goes to the editors with the report (the bot says so). It
  carries the mark while the mark lives, so /vergessen can delete it (:meth:`Feedback.forget`).

No aiogram here: scripts/report.py lists the reports (``--feedback [--json]``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.botstate import StateStore

#: Reason code (in the buttons' callback data) -> its German label (editors and admins read German).
REASONS: dict[str, str] = {
    "telefon": "Telefon",
    "zeiten": "Zeiten",
    "adresse": "Adresse",
    "weg": "gibt es nicht mehr",
    "anders": "etwas anderes",
}
TABLE = "feedback"
SEEN = "feedback-seen"
SALT = "feedback"
#: How long a reporter's mark (and the salt behind it) is kept.
KEEP = timedelta(days=30)
#: The free-text line: one line, this many characters at most.
NOTE_MAX = 200
#: A flood of reports from one person: at most this many per hour.
FLOOD_LIMIT = 5
FLOOD_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Filed:
    """The outcome of a press on a reason button."""

    report_id: int | None
    #: False when this person had reported this offer already (nothing was counted).
    counted: bool


def _member(salt: bytes, user_id: int, offer_id: str) -> str:
    return hmac.new(salt, f"{user_id}\x1f{offer_id}".encode(), hashlib.sha256).hexdigest()[:32]


def clean_note(text: str) -> str:
    """One short line: whitespace folded, cut at :data:`NOTE_MAX` characters."""
    line = re.sub(r"\s+", " ", text or "").strip()
    return line[:NOTE_MAX].rstrip()


def allow(times: list[float], now: datetime) -> tuple[bool, list[float]]:
    """Whether one more report is allowed within :data:`FLOOD_LIMIT` per :data:`FLOOD_WINDOW`, and the
    report times to keep (only the window's: the list never grows)."""
    start = now.timestamp() - FLOOD_WINDOW.total_seconds()
    recent = [t for t in times if isinstance(t, int | float) and t > start]
    if len(recent) >= FLOOD_LIMIT:
        return False, recent
    return True, [*recent, now.timestamp()]


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A report as admins and ``report.py --feedback --json`` see it (notes without their marks)."""
    out = {k: v for k, v in record.items() if k != "notes"}
    out["notes"] = [{"text": n["text"], "date": n["date"]} for n in record.get("notes", ())]
    return out


class Feedback:
    """The reports in a state store."""

    def __init__(self, state: StateStore) -> None:
        self.state = state
        #: One change at a time in this process (the handlers call in worker threads): a report's
        #: read, count and write, and a new report's id, are not interleaved.
        self._lock = threading.Lock()

    def _salt(self) -> bytes:
        return self.state.secret(SALT, KEEP)

    def file(self, user_id: int, offer_id: str, offer_name: str, reason: str, now: datetime) -> Filed:
        """Count a report of ``reason`` on an offer, once per person and offer."""
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        with self._lock:
            return self._file(user_id, offer_id, offer_name, reason, now)

    def _file(self, user_id: int, offer_id: str, offer_name: str, reason: str, now: datetime) -> Filed:
        if not self.state.mark(SEEN, _member(self._salt(), user_id, offer_id), KEEP):
            return Filed(None, counted=False)
        day = now.date().isoformat()
        record = next((r for r in self.state.records(TABLE) if r["offer_id"] == offer_id
                       and r["reason"] == reason and r["status"] == "open"), None)
        if record is None:
            record = {"id": self.state.next_id(TABLE), "offer_id": offer_id, "offer_name": offer_name,
                      "reason": reason, "reason_label": REASONS[reason], "first_reported": day,
                      "last_reported": day, "count": 0, "status": "open", "closed_at": None, "notes": []}
        record["count"] += 1
        record["last_reported"] = day
        self.state.put(TABLE, record["id"], record)
        return Filed(record["id"], counted=True)

    def add_note(self, report_id: int, user_id: int, offer_id: str, text: str, now: datetime) -> bool:
        """Attach the reporter's line to their report; False when the report is not theirs or gone."""
        with self._lock:
            return self._add_note(report_id, user_id, offer_id, clean_note(text), now)

    def _add_note(self, report_id: int, user_id: int, offer_id: str, note: str, now: datetime) -> bool:
        record = self.state.get(TABLE, report_id)
        if not note or record is None or record["offer_id"] != offer_id:
            return False
        member = _member(self._salt(), user_id, offer_id)
        if not self.state.marked(SEEN, member):
            return False
        record.setdefault("notes", []).append({"text": note, "date": now.date().isoformat(), "key": member})
        self.state.put(TABLE, report_id, record)
        return True

    def reports(self, *, status: str | None = "open") -> list[dict[str, Any]]:
        """Reports, newest first (``status`` None: all)."""
        found = [r for r in self.state.records(TABLE) if status is None or r["status"] == status]
        return sorted(found, key=lambda r: (r["last_reported"], r["id"]), reverse=True)

    def close(self, report_id: int, now: datetime) -> dict[str, Any] | None:
        """Close an open report; None when there is no such open report (a repeated press)."""
        with self._lock:
            return self._close(report_id, now)

    def _close(self, report_id: int, now: datetime) -> dict[str, Any] | None:
        record = self.state.get(TABLE, report_id)
        if record is None or record["status"] != "open":
            return None
        record.update(status="closed", closed_at=now.date().isoformat())
        self.state.put(TABLE, report_id, record)
        return record

    def forget(self, user_id: int) -> int:
        """/vergessen: drop this person's marks and the lines they wrote; returns how many reports changed.

        The counts stay (they cannot name anyone); the marks are found by computing them again
        for each reported offer, since nothing stored says whose they are.
        """
        salt = self.state.peek_secret(SALT)
        if salt is None:
            return 0
        changed = 0
        for record in self.state.records(TABLE):
            member = _member(salt, user_id, record["offer_id"])
            self.state.unmark(SEEN, member)
            notes = [n for n in record.get("notes", ()) if n.get("key") != member]
            if len(notes) != len(record.get("notes", ())):
                record["notes"] = notes
                self.state.put(TABLE, record["id"], record)
                changed += 1
        return changed

    def prune(self, now: datetime) -> None:
        """Drop the marks from notes older than :data:`KEEP` (their marks have expired too)."""
        limit = (now - KEEP).date().isoformat()
        for record in self.state.records(TABLE):
            notes = record.get("notes", ())
            if any("key" in n and n["date"] < limit for n in notes):
                record["notes"] = [{k: v for k, v in n.items() if k != "key" or n["date"] >= limit} for n in notes]
                self.state.put(TABLE, record["id"], record)


class Bundler:
    """Admin notifications: the first report goes out at once; reports within ``window`` after a sent
    notification wait and go out together when the window has passed."""

    def __init__(self, window: timedelta = timedelta(minutes=5)) -> None:
        self.window = window
        self.last_sent: datetime | None = None
        self.waiting: list[dict[str, Any]] = []

    def add(self, item: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
        """The items to send now (empty: wait until :meth:`due`)."""
        self.waiting.append(item)
        if self.last_sent is None or now - self.last_sent >= self.window:
            return self.take(now)
        return []

    def due(self) -> datetime | None:
        return self.last_sent + self.window if self.waiting and self.last_sent is not None else None

    def take(self, now: datetime) -> list[dict[str, Any]]:
        items, self.waiting = self.waiting, []
        if items:
            self.last_sent = now
        return items


def notification_text(items: list[dict[str, Any]]) -> str:
    """The admins' message (plain text) for one or several new reports."""
    lines = ["⚠️ Neue Fehlermeldung:" if len(items) == 1 else f"⚠️ {len(items)} neue Fehlermeldungen:"]
    for item in items[:20]:
        lines.append(f"• {item['offer_name']} ({item['offer_id']}): {item['reason_label']}")
    if len(items) > 20:
        lines.append(f"… und {len(items) - 20} weitere")
    lines.append("Alle offenen Meldungen: /meldungen")
    return "\n".join(lines)


def feedback_text(reports: list[dict[str, Any]]) -> str:
    """``report.py --feedback`` as text: one line per open report."""
    if not reports:
        return "Keine offenen Fehlermeldungen.\n"
    lines = [f"Offene Fehlermeldungen: {len(reports)}", ""]
    for r in reports:
        lines.append(f"#{r['id']} {r['offer_name']} ({r['offer_id']}): {r['reason_label']}, "
                     f"{r['count']}× gemeldet, zuerst {r['first_reported']}, zuletzt {r['last_reported']}")
        lines.extend(f"    „{n['text']}“ ({n['date']})" for n in r.get("notes", ()))
    return "\n".join(lines) + "\n"
