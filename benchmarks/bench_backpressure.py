"""Back-pressure: a flood of updates from many chats, redelivered ones mixed in; peak memory, time to the
last answer, lost and doubled answers, with the bound on the work in hand and without it.

    python benchmarks/bench_backpressure.py [--updates 20000] [--chats 5000] [--redeliver 0.1] [--write]

This process plays Telegram: it posts the updates to the bot's webhook over ``--connections``
parallel connections (Telegram opens 40 by default, 100 at most), as fast as the bot takes them,
and posts a share of them (``--redeliver``) a second time, some at once (a second instance's
delivery) and some later (a redelivery after a timeout); a ``429`` is posted again after its
``Retry-After``, as Telegram does. The stand-in Bot API of benchmarks/bench_load.py records
every ``sendMessage``. The bot runs in a child process as ``python -m bot run --webhook`` builds
it (bench_load.serve_bot: per-person throttling lifted, so that a chat's updates are not dropped),
with the production send pacing of 30 messages a second overall: Telegram's own limit, the
bottleneck of a flood, as in the issue's run (``--unpaced`` lifts it, to load the bot's CPU
instead). Once with the bound of bot.telegram.webhook (``MAX_IN_FLIGHT`` updates in hand) and
once, the baseline in the same run, with the bound lifted: every posted update becomes a task
at once, as before the fix.

Every update is a question or command that gets one answer, so "lost" is unique updates minus
answers per chat, and "doubled" answers beyond them. Peak RSS is the bot process's high-water
mark (``VmHWM``); "after" its resident memory once every answer is out. With ``--write`` the
figures replace the "Back-pressure" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiohttp import ClientSession, ClientTimeout, TCPConnector  # noqa: E402

from benchmarks.bench_load import (  # noqa: E402
    SECRET,
    StandIn,
    free_port,
    make_updates,
    serve_bot,
    tally,
    wait_for_replies,
    wait_healthy,
)
from benchmarks.results import machine, write_section  # noqa: E402
from bot.telegram.webhook import MAX_IN_FLIGHT  # noqa: E402

SECTION = "## Back-pressure"
#: The bound lifted: more than any run posts.
UNBOUNDED = 10**9
#: What RESULTS.md states as the memory bound, below the figures.
BOUND = (f"Memory bound of one process: its idle size, plus at most {MAX_IN_FLIGHT} updates in hand (each a few "
         "tens of kB while searched, rendered and paced), plus the conversation state of at most 20,000 chats "
         "(bot.telegram.state, a few kB each, expiring after 30 days; in Redis with `REDIS_URL`), plus 20,000 "
         "update ids (4 MB; in Redis with `REDIS_URL`). Updates beyond those in hand wait at Telegram: the "
         "webhook holds a posted update until a slot is free (Telegram's connections wait with it), and "
         "answers 429 with Retry-After after 10 s; polling asks for the next updates only when a slot is free.")
#: No run waits longer than this for the last answers.
SETTLE_SECONDS = 300.0


def memory_kb(pid: int, field: str) -> int:
    """``VmRSS`` (resident now) or ``VmHWM`` (resident at most) of a process, in kB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def with_redeliveries(updates: list[tuple[int, dict[str, Any]]], share: float,
                      seed: int = 7) -> list[tuple[int, dict[str, Any]]]:
    """The posting order: every update once, and ``share`` of them a second time, half right after the
    first delivery (another instance's copy, handled concurrently), half up to 2,000 posts later."""
    rng = random.Random(seed)
    out: list[tuple[int, dict[str, Any]] | None] = list(updates)
    later: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for position, item in enumerate(updates):
        if rng.random() < share:
            later.setdefault(position + (1 if rng.random() < 0.5 else rng.randint(2, 2000)), []).append(item)
    order: list[tuple[int, dict[str, Any]]] = []
    for position, item in enumerate(out):
        order += later.pop(position, [])
        if item is not None:
            order.append(item)
    for rest in later.values():
        order += rest
    return order


@dataclass
class Run:
    name: str
    unique: int
    posts: int
    refused: int
    posting_s: float
    last_answer_s: float
    lost: int
    doubled: int
    idle_mb: float
    peak_mb: float
    after_mb: float
    p50_ms: float
    p99_ms: float


async def run(name: str, updates: list[tuple[int, dict[str, Any]]], order: list[tuple[int, dict[str, Any]]],
              db: Path, connections: int, max_in_flight: int, paced: bool) -> Run:
    stand_in = StandIn()
    api_port, bot_port = free_port(), free_port()
    runner = await stand_in.start(api_port)
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=serve_bot, daemon=True,
                              args=(bot_port, f"http://127.0.0.1:{api_port}", str(db), paced, max_in_flight))
    process.start()
    try:
        base = f"http://127.0.0.1:{bot_port}"
        await wait_healthy(base + "/health")
        await asyncio.sleep(2.0)  # the sentence encoder loads at startup, in a thread
        assert process.pid is not None
        idle = memory_kb(process.pid, "VmRSS")
        posted: dict[int, list[float]] = {}
        first_seen: set[int] = set()
        queue = iter(order)
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
        counts = {"posts": 0, "refused": 0}

        async def worker(session: ClientSession) -> None:
            for chat_id, update in queue:
                if update["update_id"] not in first_seen:
                    first_seen.add(update["update_id"])
                    posted.setdefault(chat_id, []).append(time.monotonic())
                body = json.dumps(update)
                while True:
                    counts["posts"] += 1
                    async with session.post(base + "/webhook", data=body, headers=headers) as response:
                        if response.status == 200:
                            break
                        assert response.status == 429, response.status
                        counts["refused"] += 1
                        await asyncio.sleep(float(response.headers.get("Retry-After", "1")))

        start = time.monotonic()
        connector = TCPConnector(limit=connections)
        async with ClientSession(connector=connector, timeout=ClientTimeout(total=120)) as session:
            await asyncio.gather(*(worker(session) for _ in range(connections)))
        posting = time.monotonic() - start
        await wait_for_replies(stand_in, len(updates), SETTLE_SECONDS, quiet=20, after=2.0)
        peak, after = memory_kb(process.pid, "VmHWM"), memory_kb(process.pid, "VmRSS")
        result = tally(name, posted, stand_in.replies, start, {})
        return Run(name, len(updates), counts["posts"], counts["refused"], posting, result.seconds, result.lost,
                   result.doubled, idle / 1024, peak / 1024, after / 1024, result.pct(0.5), result.pct(0.99))
    finally:
        process.terminate()
        process.join(10)
        await runner.cleanup()


def table(runs: list[Run]) -> str:
    base = runs[-1]
    lines = ["| run | unique updates | posts (redelivered, 429 re-posts) | 429 answers | posted in s "
             "| last answer after s | lost | doubled | RSS idle MB | peak RSS MB | peak above idle MB "
             "| × baseline | RSS after MB | p50 ms | p99 ms |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in runs:
        growth = r.peak_mb - r.idle_mb
        ratio = growth / (base.peak_mb - base.idle_mb) if base.peak_mb > base.idle_mb else float("nan")
        lines.append(f"| {r.name} | {r.unique} | {r.posts} | {r.refused} | {r.posting_s:.1f} | {r.last_answer_s:.1f} "
                     f"| {r.lost} | {r.doubled} | {r.idle_mb:.0f} | {r.peak_mb:.0f} | {growth:.0f} | {ratio:.2f} "
                     f"| {r.after_mb:.0f} | {r.p50_ms:.0f} | {r.p99_ms:.0f} |")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    db = Path(args.db)
    updates = make_updates(args.updates, args.chats)
    order = with_redeliveries(updates, args.redeliver)
    paced = not args.unpaced
    runs = [await run(f"bounded: at most {MAX_IN_FLIGHT} updates in hand", updates, order, db, args.connections,
                      MAX_IN_FLIGHT, paced),
            await run("baseline: bound lifted (every update a task at once)", updates, order, db,
                      args.connections, UNBOUNDED, paced)]
    command = (f"python benchmarks/bench_backpressure.py --updates {args.updates} --chats {args.chats} "
               f"--redeliver {args.redeliver:g} --connections {args.connections}" + ("" if paced else " --unpaced"))
    load = os.getloadavg()[0]
    text = (f"{SECTION}\n\n`{command}` — machine: {machine()}, load average {load:.1f} at the end (other "
            f"helpers' work shares the cores). {len(order) - len(updates)} of the "
            f"{len(order)} posts are redeliveries of an update already posted (half at once, half up to 2,000 "
            f"posts later); a 429 is posted again after its Retry-After. Sends "
            f"{'paced to 30 a second overall, as in production' if paced else 'not paced'}. Baseline in the same "
            f"run: the same posts with the bound lifted.\n\n{table(runs)}\n\n{BOUND}\n")
    print(text)
    if args.write:
        write_section(SECTION, text)
    return 0 if all(r.lost == 0 and r.doubled == 0 for r in runs) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--chats", type=int, default=5_000)
    parser.add_argument("--redeliver", type=float, default=0.1, help="share of updates posted a second time")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--unpaced", action="store_true", help="lift the overall send pacing of 30 a second")
    parser.add_argument("--db", default=str(ROOT / "offers.db"))
    parser.add_argument("--write", action="store_true", help="write the figures into benchmarks/RESULTS.md")
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
