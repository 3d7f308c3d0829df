"""Load: 5,000 updates from 500 chats posted concurrently to the webhook, replies recorded by a stand-in Bot API.

    python benchmarks/bench_load.py [--updates 5000] [--chats 500] [--connections 100] [--paced 600]

Everything runs on loopback. The bot runs in a child process exactly as
``python -m bot run --webhook`` builds it (dispatcher, retrying and pacing session,
webhook app with secret); this process plays Telegram twice: a load generator
posting the updates over ``--connections`` parallel connections (Telegram's
``max_connections`` is 40 by default, 100 at most), and a stand-in Bot API server
recording every ``sendMessage`` with the time it arrived.

Runs, each with a fresh bot process:

1. baseline: the same updates fed straight into the dispatcher in this process
   (``feed_update``, in-process session): the cost of the conversation alone;
2. clean: the webhook under load, the stand-in always answers;
3. faults: the stand-in answers 4 % of sends with 429 (``retry_after`` 1 s), 4 % with
   500/502 and drops 1 % of connections; the bot must still deliver every answer once;
4. steady (``--steady R``, 0 to skip): the same updates offered at R a second, below the
   capacity, for the latency a person sees when the bot is busy but not flooded;
5. paced (``--paced N`` updates, 0 to skip): the production send pacing (30 messages a
   second overall) instead of the lifted one of runs 2 to 4.

Every update is a question or command that gets exactly one answer, so "lost" is
expected minus received per chat and "doubled" received beyond expected. Latency
pairs a chat's k-th update with its k-th reply (a chat's updates are 500 apart in
the sending order). Per-person throttling is lifted in the bot process (one chat's
ten updates may come within a second here; throttling has its own tests); runs 2
to 4 also lift the overall pacing of 30 messages a second, which the stand-in
does not enforce, to measure the bot rather than Telegram's limit.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import multiprocessing
import os
import platform
import random
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, ClientTimeout, TCPConnector, web

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.telegram.fake_api import request_params  # noqa: E402

SECRET = "bench-secret"
TOKEN = "4242:BENCH"
BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Hilfe-Finder", "username": "hilfe_finder_bot"}
#: Questions and commands that each get one answer (no eval questions: these are generic).
MESSAGES = ["Schuldnerberatung Sondershausen", "und wann haben die offen?", "/hilfe", "Jugendamt Eisenach",
            "Tafel Artern", "die Telefonnummer bitte", "Suchtberatung Mühlhausen", "/datenschutz",
            "Erziehungsberatung Nordhausen", "Frauenhaus Gotha"]
#: Bounds: no run waits longer than this for missing replies.
SETTLE_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the stand-in Bot API -----------------------------------------------------------------


@dataclass
class StandIn:
    """Answers the Bot API on loopback; records (chat id, time) of every delivered sendMessage."""

    p429: float = 0.0
    p5xx: float = 0.0
    pdrop: float = 0.0
    seed: int = 1
    replies: list[tuple[int, float]] = field(default_factory=list)
    faults: dict[str, int] = field(default_factory=lambda: {"429": 0, "5xx": 0, "drop": 0})

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.ids = itertools.count(1)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        form = await request_params(request)
        if method == "getMe":
            return web.json_response({"ok": True, "result": BOT_USER})
        if method != "sendMessage":
            return web.json_response({"ok": True, "result": True})
        roll = self.rng.random()
        if roll < self.p429:
            self.faults["429"] += 1
            return web.json_response({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                      "parameters": {"retry_after": 1}}, status=429)
        if roll < self.p429 + self.p5xx:
            self.faults["5xx"] += 1
            if self.rng.random() < 0.5:
                return web.Response(status=502, text="<html>502 Bad Gateway</html>", content_type="text/html")
            return web.json_response({"ok": False, "error_code": 500, "description": "Internal Server Error"},
                                     status=500)
        if roll < self.p429 + self.p5xx + self.pdrop:
            self.faults["drop"] += 1
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        chat_id = int(str(form["chat_id"]))
        self.replies.append((chat_id, time.monotonic()))
        message = {"message_id": next(self.ids), "date": int(time.time()), "text": str(form.get("text", "")),
                   "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER}
        return web.json_response({"ok": True, "result": message})

    async def start(self, port: int) -> web.AppRunner:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner


# --- the bot process -------------------------------------------------------------------------


def serve_bot(port: int, api_url: str, db: str, paced: bool, max_in_flight: int | None = None) -> None:
    """The child process: the bot as ``python -m bot run --webhook`` builds it, on loopback
    (``max_in_flight``: updates in hand at once, the webhook's default when None)."""
    from bot.cli.run import build_webhook_app
    from bot.store import Store
    from bot.telegram.app import create_bot, create_dispatcher
    from bot.telegram.middlewares import throttling
    from bot.telegram.middlewares.privacy_logging import configure_logging
    from bot.telegram.sending import SendPacer
    from bot.telegram.session import create_session
    from bot.telegram.webhook import MAX_IN_FLIGHT

    configure_logging("ERROR")
    store = Store(db)
    dp = create_dispatcher(store)
    throttling.install(dp).tolerance = float("inf")  # installed as in run.py, then lifted: see the docstring
    pacer = SendPacer() if paced else SendPacer(overall=1e6, overall_burst=10_000)
    bot = create_bot(TOKEN, session=create_session(api_url, pacer=pacer))
    app = build_webhook_app(dp, bot, path="/webhook", secret=SECRET, store=store,
                            max_in_flight=max_in_flight or MAX_IN_FLIGHT)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# --- updates and measuring -------------------------------------------------------------------


def make_updates(count: int, chats: int) -> list[tuple[int, dict[str, Any]]]:
    """(chat id, update) in sending order: round robin over the chats, each chat's messages in order."""
    out = []
    for n in range(count):
        chat_id, k = 100_000 + n % chats, n // chats
        text = MESSAGES[k % len(MESSAGES)]
        message: dict[str, Any] = {"message_id": n + 1, "date": int(time.time()), "text": text,
                                   "chat": {"id": chat_id, "type": "private", "first_name": "Last"},
                                   "from": {"id": chat_id, "is_bot": False, "first_name": "Last",
                                            "language_code": "de"}}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        out.append((chat_id, {"update_id": n + 1, "message": message}))
    return out


@dataclass
class Result:
    name: str
    updates: int
    seconds: float
    latencies: list[float]
    lost: int
    doubled: int
    faults: dict[str, int] = field(default_factory=dict)
    #: Seconds the load generator took to post every update (the webhook answers before handling).
    posting: float | None = None

    @property
    def throughput(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def wait_for_replies(stand_in: StandIn, expected: int, settle: float, *, quiet: float, after: float) -> None:
    """Wait until ``expected`` replies are in, or nothing new came for ``quiet`` seconds, at most
    ``settle`` seconds; then ``after`` seconds more, in which a late double would show up."""
    deadline, last, seen = time.monotonic() + settle, time.monotonic(), -1
    while len(stand_in.replies) < expected and time.monotonic() < deadline:
        if len(stand_in.replies) != seen:
            seen, last = len(stand_in.replies), time.monotonic()
        elif time.monotonic() - last > quiet:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(after)


def tally(name: str, posted: dict[int, list[float]], replies: list[tuple[int, float]], start: float,
          faults: dict[str, int]) -> Result:
    got: dict[int, list[float]] = {}
    for chat_id, at in replies:
        got.setdefault(chat_id, []).append(at)
    lost = doubled = 0
    latencies = []
    for chat_id, sent in posted.items():
        received = sorted(got.get(chat_id, []))
        lost += max(0, len(sent) - len(received))
        doubled += max(0, len(received) - len(sent))
        latencies += [r - s for s, r in zip(sorted(sent), received, strict=False)]
    end = max((at for _, at in replies), default=start)
    return Result(name, sum(len(v) for v in posted.values()), end - start, latencies, lost, doubled, faults)


async def wait_healthy(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(f"{url} did not become healthy")


async def load_run(name: str, updates: list[tuple[int, dict[str, Any]]], db: Path, connections: int,
                   stand_in: StandIn, *, paced: bool = False, rate: float | None = None) -> Result:
    """Post ``updates`` to a fresh bot process: as fast as the connections allow, or at ``rate`` per second."""
    api_port, bot_port = free_port(), free_port()
    runner = await stand_in.start(api_port)
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=serve_bot, args=(bot_port, f"http://127.0.0.1:{api_port}", str(db), paced),
                              daemon=True)
    process.start()
    try:
        base = f"http://127.0.0.1:{bot_port}"
        await wait_healthy(base + "/health")
        posted: dict[int, list[float]] = {}
        queue = iter(enumerate(updates))
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
        statuses: dict[int, int] = {}

        async def worker(session: ClientSession) -> None:
            for n, (chat_id, update) in queue:
                if rate:
                    await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
                posted.setdefault(chat_id, []).append(time.monotonic())
                async with session.post(base + "/webhook", data=json.dumps(update), headers=headers) as response:
                    statuses[response.status] = statuses.get(response.status, 0) + 1

        start = time.monotonic()
        connector = TCPConnector(limit=connections)
        async with ClientSession(connector=connector, timeout=ClientTimeout(total=60)) as session:
            await asyncio.gather(*(worker(session) for _ in range(connections)))
        posting = time.monotonic() - start
        await wait_for_replies(stand_in, len(updates), SETTLE_SECONDS, quiet=15, after=1.0)
        if set(statuses) != {200}:
            print(f"{name}: webhook answered {statuses}", file=sys.stderr)
        result = tally(name, posted, stand_in.replies, start, dict(stand_in.faults))
        result.posting = posting
        return result
    finally:
        process.terminate()
        process.join(10)
        await runner.cleanup()


async def baseline_run(updates: list[tuple[int, dict[str, Any]]], db: Path) -> Result:
    """The conversation alone: every update through ``feed_update`` with an in-process session."""
    from aiogram.types import Update

    from bot.store import Store
    from bot.telegram.app import create_bot, create_dispatcher
    from bot.telegram.local import LocalSession

    replies: list[tuple[int, float]] = []
    session = LocalSession(on_call=lambda m: replies.append((m.chat_id, time.monotonic()))
                           if type(m).__name__ == "SendMessage" else None)
    dp = create_dispatcher(Store(db))
    bot = create_bot(TOKEN, session=session)
    parsed = [(chat_id, Update.model_validate(u)) for chat_id, u in updates]
    posted: dict[int, list[float]] = {}
    start = time.monotonic()
    for chat_id, update in parsed:
        posted.setdefault(chat_id, []).append(time.monotonic())
        await dp.feed_update(bot, update)
    return tally("baseline: feed_update in process, no HTTP", posted, replies, start, {})


def table(results: list[Result], base: Result) -> str:
    lines = ["| run | updates | posted in s | answered in s | updates/s | × baseline | p50 ms | p99 ms | lost | doubled "
             "| faults injected |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in [base, *results]:
        faults = ", ".join(f"{k} {v}" for k, v in r.faults.items() if v) or "–"
        posting = f"{r.posting:.1f}" if r.posting is not None else "–"
        lines.append(f"| {r.name} | {r.updates} | {posting} | {r.seconds:.1f} | {r.throughput:.0f} | "
                     f"{r.throughput / base.throughput:.2f} | {r.pct(0.5):.0f} | {r.pct(0.99):.0f} | {r.lost} | "
                     f"{r.doubled} | {faults} |")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    db = Path(args.db)
    updates = make_updates(args.updates, args.chats)
    base = await baseline_run(updates, db)
    results = [
        await load_run("clean: webhook under load", updates, db, args.connections, StandIn()),
        await load_run("faults: 4 % 429, 4 % 5xx, 1 % drops", updates, db, args.connections,
                       StandIn(p429=0.04, p5xx=0.04, pdrop=0.01)),
    ]
    if args.steady:
        results.append(await load_run(f"steady: {args.steady:g} updates/s offered", updates, db, args.connections,
                                      StandIn(), rate=args.steady))
    if args.paced:
        paced = make_updates(args.paced, min(args.chats, args.paced))
        results.append(await load_run(f"paced: production pacing, {args.paced} updates", paced, db,
                                      args.connections, StandIn(), paced=True))
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.updates} updates from {args.chats} chats over {args.connections} connections; db {db.name}")
    print(table(results, base))
    return 0 if all(r.lost == 0 and r.doubled == 0 for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--steady", type=float, default=150.0,
                        help="updates per second of the steady run, below capacity (0: skip it)")
    parser.add_argument("--paced", type=int, default=600, help="updates of the paced run (0: skip it)")
    parser.add_argument("--db", default=str(ROOT / "offers.db"))
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
