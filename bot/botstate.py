"""The bot's own small store for error reports and demand statistics (never offers.db, which the sync replaces).

It lives beside the conversation state: in Redis when ``REDIS_URL`` is set, so several
instances count together, else in a SQLite file at ``BOT_STATE_DB`` (default
``bot-state.db`` in the working directory). Both backends offer the same few
operations, so the feature modules (bot.feedback, bot.demand) are written once:

- counters: ``add_counts(table, {key: n})`` adds in one transaction (Redis: one pipeline);
- marks: ``mark(ns, member, ttl)`` is a set-if-absent with an expiry (deduplication hashes);
- secrets: ``secret(name, ttl)`` is a random salt created once and shared by all instances,
  forgotten after ``ttl`` (then hashes made with it can no longer be linked to anyone);
- records: small JSON documents with an integer id (the error reports).

Blocking calls: the bot runs them in a worker thread (``asyncio.to_thread``), after the reply.
Every failure surfaces as :class:`StateError`; the bot logs it, keeps answering, and /status
says so. No aiogram here: scripts/report.py reads the same store.
"""

from __future__ import annotations

import json
import secrets as _secrets
import sqlite3
import threading
import time
from collections.abc import Awaitable, Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

DEFAULT_STATE_DB = "bot-state.db"
Key = tuple[str, ...]
_T = TypeVar("_T")


class StateError(RuntimeError):
    """The state store cannot be read or written (corrupt file, no Redis, full disk)."""


class StateStore(Protocol):
    """What the feature modules need; :class:`SqliteState` and :class:`RedisState` implement it."""

    where: str

    def add_counts(self, table: str, counts: Mapping[Key, int]) -> None: ...

    def counts(self, table: str) -> dict[Key, int]: ...

    def replace_counts(self, table: str, new: Mapping[Key, int], drop: list[Key]) -> None: ...

    def mark(self, ns: str, member: str, ttl: timedelta) -> bool: ...

    def marked(self, ns: str, member: str) -> bool: ...

    def unmark(self, ns: str, member: str) -> None: ...

    def secret(self, name: str, ttl: timedelta) -> bytes: ...

    def peek_secret(self, name: str) -> bytes | None: ...

    def next_id(self, table: str) -> int: ...

    def put(self, table: str, record_id: int, record: dict[str, Any]) -> None: ...

    def get(self, table: str, record_id: int) -> dict[str, Any] | None: ...

    def records(self, table: str) -> list[dict[str, Any]]: ...

    def check(self) -> None: ...

    def close(self) -> None: ...


def _key(key: Key) -> str:
    return json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))


def _unkey(text: str | bytes) -> Key:
    return tuple(json.loads(text))


_SCHEMA = """
CREATE TABLE IF NOT EXISTS counter (tbl TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
                                    PRIMARY KEY (tbl, key));
CREATE TABLE IF NOT EXISTS mark (ns TEXT NOT NULL, member TEXT NOT NULL, expires REAL NOT NULL,
                                 PRIMARY KEY (ns, member));
CREATE TABLE IF NOT EXISTS secret (name TEXT PRIMARY KEY, value BLOB NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS record (tbl TEXT NOT NULL, id INTEGER NOT NULL, data TEXT NOT NULL,
                                   PRIMARY KEY (tbl, id));
"""


class SqliteState:
    """The store in one SQLite file (one instance). Expired marks and secrets are dropped as they are met."""

    def __init__(self, path: str | Path, *, clock: Any = time.time) -> None:
        self.path = str(path)
        self.where = f"SQLite {self.path}"
        self._clock = clock
        self._lock = threading.Lock()
        try:
            self.conn = sqlite3.connect(self.path, check_same_thread=False, timeout=5, isolation_level=None)
            self.conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StateError(f"{self.where}: {exc}") from exc

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.conn
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StateError(f"{self.where}: {exc}") from exc

    def add_counts(self, table: str, counts: Mapping[Key, int]) -> None:
        with self._tx() as conn:
            conn.executemany("INSERT INTO counter (tbl, key, n) VALUES (?, ?, ?) "
                             "ON CONFLICT (tbl, key) DO UPDATE SET n = n + excluded.n",
                             [(table, _key(k), n) for k, n in counts.items()])

    def counts(self, table: str) -> dict[Key, int]:
        with self._tx() as conn:
            return {_unkey(k): n for k, n in conn.execute("SELECT key, n FROM counter WHERE tbl = ?", (table,))}

    def replace_counts(self, table: str, new: Mapping[Key, int], drop: list[Key]) -> None:
        with self._tx() as conn:
            conn.executemany("DELETE FROM counter WHERE tbl = ? AND key = ?", [(table, _key(k)) for k in drop])
            conn.executemany("INSERT INTO counter (tbl, key, n) VALUES (?, ?, ?) "
                             "ON CONFLICT (tbl, key) DO UPDATE SET n = n + excluded.n",
                             [(table, _key(k), n) for k, n in new.items()])

    def mark(self, ns: str, member: str, ttl: timedelta) -> bool:
        now = self._clock()
        with self._tx() as conn:
            conn.execute("DELETE FROM mark WHERE ns = ? AND member = ? AND expires <= ?", (ns, member, now))
            cursor = conn.execute("INSERT OR IGNORE INTO mark (ns, member, expires) VALUES (?, ?, ?)",
                                  (ns, member, now + ttl.total_seconds()))
            return cursor.rowcount == 1

    def marked(self, ns: str, member: str) -> bool:
        with self._tx() as conn:
            row = conn.execute("SELECT 1 FROM mark WHERE ns = ? AND member = ? AND expires > ?",
                               (ns, member, self._clock())).fetchone()
            return row is not None

    def unmark(self, ns: str, member: str) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM mark WHERE ns = ? AND member = ?", (ns, member))

    def secret(self, name: str, ttl: timedelta) -> bytes:
        now = self._clock()
        with self._tx() as conn:
            conn.execute("DELETE FROM secret WHERE expires <= ?", (now,))
            conn.execute("DELETE FROM mark WHERE expires <= ?", (now,))
            conn.execute("INSERT OR IGNORE INTO secret (name, value, expires) VALUES (?, ?, ?)",
                         (name, _secrets.token_bytes(16), now + ttl.total_seconds()))
            return bytes(conn.execute("SELECT value FROM secret WHERE name = ?", (name,)).fetchone()[0])

    def peek_secret(self, name: str) -> bytes | None:
        with self._tx() as conn:
            row = conn.execute("SELECT value FROM secret WHERE name = ? AND expires > ?",
                               (name, self._clock())).fetchone()
            return bytes(row[0]) if row else None

    def next_id(self, table: str) -> int:
        with self._tx() as conn:
            return int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM record WHERE tbl = ?",
                                    (table,)).fetchone()[0])

    def put(self, table: str, record_id: int, record: dict[str, Any]) -> None:
        with self._tx() as conn:
            conn.execute("INSERT INTO record (tbl, id, data) VALUES (?, ?, ?) "
                         "ON CONFLICT (tbl, id) DO UPDATE SET data = excluded.data",
                         (table, record_id, json.dumps(record, ensure_ascii=False)))

    def get(self, table: str, record_id: int) -> dict[str, Any] | None:
        with self._tx() as conn:
            row = conn.execute("SELECT data FROM record WHERE tbl = ? AND id = ?", (table, record_id)).fetchone()
            return json.loads(row[0]) if row else None

    def records(self, table: str) -> list[dict[str, Any]]:
        with self._tx() as conn:
            return [json.loads(r[0]) for r in conn.execute("SELECT data FROM record WHERE tbl = ? ORDER BY id",
                                                           (table,))]

    def check(self) -> None:
        with self._tx() as conn:
            conn.execute("SELECT count(*) FROM counter").fetchone()

    def close(self) -> None:
        self.conn.close()


class RedisState:
    """The store in Redis (shared by every instance); Redis expires marks and secrets itself."""

    PREFIX = "hilfe:"

    def __init__(self, url: str) -> None:
        import redis

        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self.where = "Redis"
        self.r = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._errors as exc:
            raise StateError(f"{self.where}: {type(exc).__name__}: {exc}") from exc

    def add_counts(self, table: str, counts: Mapping[Key, int]) -> None:
        with self._guard():
            pipe = self.r.pipeline()
            for key, n in counts.items():
                pipe.hincrby(f"{self.PREFIX}count:{table}", _key(key), n)
            pipe.execute()

    def counts(self, table: str) -> dict[Key, int]:
        with self._guard():
            return {_unkey(k): int(v) for k, v in _reply(self.r.hgetall(f"{self.PREFIX}count:{table}")).items()}

    def replace_counts(self, table: str, new: Mapping[Key, int], drop: list[Key]) -> None:
        with self._guard():
            pipe = self.r.pipeline()  # MULTI/EXEC: the move is all or nothing
            if drop:
                pipe.hdel(f"{self.PREFIX}count:{table}", *[_key(k) for k in drop])
            for key, n in new.items():
                pipe.hincrby(f"{self.PREFIX}count:{table}", _key(key), n)
            pipe.execute()

    def mark(self, ns: str, member: str, ttl: timedelta) -> bool:
        with self._guard():
            return bool(self.r.set(f"{self.PREFIX}mark:{ns}:{member}", b"1", nx=True, px=int(ttl.total_seconds() * 1000)))

    def marked(self, ns: str, member: str) -> bool:
        with self._guard():
            return bool(self.r.exists(f"{self.PREFIX}mark:{ns}:{member}"))

    def unmark(self, ns: str, member: str) -> None:
        with self._guard():
            self.r.delete(f"{self.PREFIX}mark:{ns}:{member}")

    def secret(self, name: str, ttl: timedelta) -> bytes:
        key = f"{self.PREFIX}secret:{name}"
        with self._guard():
            self.r.set(key, _secrets.token_bytes(16), nx=True, px=int(ttl.total_seconds() * 1000))
            return bytes(_reply(self.r.get(key)) or b"")

    def peek_secret(self, name: str) -> bytes | None:
        with self._guard():
            value = _reply(self.r.get(f"{self.PREFIX}secret:{name}"))
            return bytes(value) if value else None

    def next_id(self, table: str) -> int:
        with self._guard():
            return int(_reply(self.r.incr(f"{self.PREFIX}seq:{table}")))

    def put(self, table: str, record_id: int, record: dict[str, Any]) -> None:
        with self._guard():
            self.r.hset(f"{self.PREFIX}record:{table}", str(record_id), json.dumps(record, ensure_ascii=False))

    def get(self, table: str, record_id: int) -> dict[str, Any] | None:
        with self._guard():
            value = _reply(self.r.hget(f"{self.PREFIX}record:{table}", str(record_id)))
            return json.loads(value) if value else None

    def records(self, table: str) -> list[dict[str, Any]]:
        with self._guard():
            found = _reply(self.r.hgetall(f"{self.PREFIX}record:{table}"))
        return [json.loads(found[k]) for k in sorted(found, key=int)]

    def check(self) -> None:
        with self._guard():
            self.r.ping()

    def close(self) -> None:
        self.r.close()


def _reply(reply: Awaitable[_T] | _T) -> _T:
    """A reply of the blocking Redis client as what it is: redis-py types each command once for its
    blocking and its asyncio client (``Awaitable[T] | T``), and the blocking one never returns an awaitable."""
    return cast("_T", reply)


def open_state(*, redis_url: str | None = None, path: str | Path | None = None) -> StateStore:
    """The store the settings name: Redis at ``redis_url`` (``REDIS_URL``), else SQLite at ``path``
    (``BOT_STATE_DB``, default ``bot-state.db`` in the working directory).

    Raises :class:`StateError` when it cannot be opened (the bot then runs without it).
    """
    if redis_url:
        return RedisState(redis_url)
    return SqliteState(path or DEFAULT_STATE_DB)
