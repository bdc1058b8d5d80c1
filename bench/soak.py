"""Soak test: the real ``sro-bot serve`` under mixed Slack traffic while the Web API misbehaves.

Starts, on 127.0.0.1 only, a fake Slack Web API (and ``response_url``) that injects faults
(about 10% 429 with ``Retry-After: 1``, 5% 500, 2% dropped connections, 5% slow answers)
and records every reply it accepted, and ``sro-bot serve`` pointed at it. Then sends
signed slash commands, mentions (about 20% redelivered as Slack retries: same
``event_id``, ``X-Slack-Retry-Num``), DMs, App Home opens and button clicks, plus about 5%
forged and 5% malformed requests, at a steady rate for a fixed time. Every request that
should get a reply carries a unique marker (its channel, user or ``response_url``), so
replies are counted per request: lost, duplicated, or delivered for a forgery. A reply
whose every attempt met an injected fault is counted apart: giving up then is right.

Prints requests by kind, replies expected and received, duplicates, lost replies, 5xx
answers, forged requests accepted, the server's RSS at start and end (``/proc``), and
PASS/FAIL per target. Not a test: it measures and stops by itself.

    .venv/bin/python bench/soak.py [--duration 180] [--rate 20] [--quick] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

# Run as a script, bench/ comes first on sys.path, and bench/http.py would hide the standard
# library's ``http`` package from aiohttp.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from bot.config import DEFAULT_API_RETRIES  # noqa: E402
from bot.intent import Intent, question_of  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: its tests/
from tests.support.proxy import CuttableProxy  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECRET = "soak-signing-secret"
HOST = "127.0.0.1"
BOT_USER_ID = "UBOTSOAK1"
TEAM_ID = "T0SOAK"
# Fault mix of the fake Web API (cumulative thresholds on one random draw per call).
RATE_LIMITED, SERVER_ERROR, DROPPED, SLOW = 0.10, 0.05, 0.02, 0.05
SLOW_SECONDS = (0.5, 2.0)
# Traffic mix (weights), and the share of mentions that Slack redelivers.
MIX = {"command": 30, "mention": 25, "dm": 17, "click": 15, "home": 3, "forged": 5, "bad": 5}
RETRIED_MENTIONS = 0.20
QUESTIONS = [
    "what is an SRO?",
    "how many SROs should a school have?",
    "are SROs armed?",
    "what training do school resource officers get?",
    "do SROs arrest students?",
    "sro overtime pay",  # no answer in the knowledge
    "hi",
    "topics",
    "there is a man with a gun in the hallway",  # crisis
    "<!channel> who pays for the SRO? <https://x.example|click>",
]
ENTRY_IDS = ["what-is-sro", "how-many-sros", "armed", "no-such-entry"]
RSS_GROWTH_LIMIT = 0.10
DRAIN_SECONDS = 30.0  # after the last request, how long replies may still arrive


# --- the fake Slack Web API --------------------------------------------------------------------


@dataclass
class FakeSlack:
    """Answers Web API calls with injected faults; counts the replies it accepted, per marker."""

    rng: random.Random
    delivered: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # per marker: attempts faulted
    faults: Counter[str] = field(default_factory=Counter)
    calls: Counter[str] = field(default_factory=Counter)
    url: str = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self.api)
        app.router.add_post("/response/{marker}", self.response_url)
        return app

    async def fault(self, request: web.Request, method: str) -> web.StreamResponse | None:
        """An injected failure for this call, or None to answer it."""
        draw = self.rng.random()
        if method == "auth.test":
            return None  # the bot's one start-up call; faults are for replies
        if draw < RATE_LIMITED:
            self.faults["429"] += 1
            body = {"ok": False, "error": "ratelimited"}
            return web.json_response(body, status=429, headers={"Retry-After": "1"})
        draw -= RATE_LIMITED
        if draw < SERVER_ERROR:
            self.faults["500"] += 1
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        draw -= SERVER_ERROR
        if draw < DROPPED:
            self.faults["dropped"] += 1
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)  # never reaches the client
        draw -= DROPPED
        if draw < SLOW:
            self.faults["slow"] += 1
            await asyncio.sleep(self.rng.uniform(*SLOW_SECONDS))
        return None

    async def api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        body = await _read_body(request)
        self.calls[method] += 1
        refused = await self.fault(request, method)
        if refused is not None:
            marker = {"chat.postMessage": "channel", "views.publish": "user_id"}.get(method)
            if marker:
                self.refused[str(body.get(marker))] += 1
            return refused
        if method == "auth.test":
            return web.json_response(
                {"ok": True, "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": "BSOAK"}
            )
        if method == "chat.postMessage":
            self.delivered[str(body.get("channel"))] += 1
            return web.json_response({"ok": True, "channel": body.get("channel"), "ts": "1.2"})
        if method == "views.publish":
            self.delivered[str(body.get("user_id"))] += 1
            return web.json_response({"ok": True, "view": {"id": "V1"}})
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": f"D{body.get('users')}"}})
        return web.json_response({"ok": True})

    async def response_url(self, request: web.Request) -> web.StreamResponse:
        await request.read()
        self.calls["response_url"] += 1
        refused = await self.fault(request, "response_url")
        if refused is not None:
            self.refused[request.match_info["marker"]] += 1
            return refused
        self.delivered[request.match_info["marker"]] += 1
        return web.Response(text="ok")


async def _read_body(request: web.Request) -> dict[str, Any]:
    raw = await request.text()
    if request.content_type == "application/json":
        return json.loads(raw or "{}")
    return {**request.query, **dict(parse_qsl(raw))}


# --- requests as Slack sends them -----------------------------------------------------------


def signed(body: bytes, content_type: str, *, secret: str = SECRET, **extra: str) -> dict:
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        **extra,
    }


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def slash_command(text: str, response_url: str) -> bytes:
    fields = {"command": "/sro", "text": text, "team_id": TEAM_ID, "user_id": "U1"}
    fields |= {"channel_id": "C1", "response_url": response_url, "trigger_id": "1.2.3"}
    return urlencode(fields).encode()


def event(event: dict[str, Any], event_id: str) -> bytes:
    envelope = {"type": "event_callback", "team_id": TEAM_ID, "api_app_id": "A1"}
    envelope |= {"event": event, "event_id": event_id, "event_time": int(time.time())}
    envelope["authorizations"] = [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}]
    return json.dumps(envelope).encode()


def click(action_id: str, value: str, container: dict[str, Any], response_url: str) -> bytes:
    payload = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": TEAM_ID},
        "team": {"id": TEAM_ID},
        "container": container,
        "trigger_id": "1.2.3",
        "response_url": response_url,
        "actions": [{"type": "button", "action_id": action_id, "value": value, "block_id": "b"}],
    }
    if container.get("channel_id"):
        payload["channel"] = {"id": container["channel_id"]}
    return urlencode({"payload": json.dumps(payload)}).encode()


MALFORMED: list[tuple[bytes, str]] = [
    (b"{not json", JSON),
    (b"[1, 2, 3]", JSON),
    (b"null", JSON),
    (b'{"type": "event_callback"}', JSON),
    (b'{"type": "event_callback", "event": {"type": "no_such_event"}, "event_id": 5}', JSON),
    (b"payload=%7Bbroken", FORM),
    (b"payload=" + json.dumps({"type": "block_actions", "actions": None}).encode(), FORM),
    (b"command=%2Fsro&text=%FF%FE", FORM),
    (b"\xff\xfe\x00garbage", FORM),
    (b"", FORM),
]


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Tally:
    sent: Counter[str] = field(default_factory=Counter)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)  # (kind, status)
    expected: set[str] = field(default_factory=set)  # markers that must get one reply
    forged: set[str] = field(default_factory=set)  # markers that must get none
    command_replies: int = 0
    commands_expected: int = 0
    server_errors: int = 0
    forged_accepted: int = 0
    connection_errors: int = 0
    questions_answered: int = 0  # first deliveries of questions (not "hi", "topics"): stored


class Soak:
    def __init__(self, bot_url: str, fake: FakeSlack, rng: random.Random) -> None:
        self.bot_url = bot_url
        self.fake = fake
        self.rng = rng
        self.tally = Tally()
        self.http: aiohttp.ClientSession | None = None
        self.pending: set[asyncio.Task[None]] = set()
        self.numbers = iter(range(10**9))  # one marker per request, across runs

    async def post(self, kind: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        assert self.http is not None
        self.tally.sent[kind] += 1
        try:
            async with self.http.post(
                f"{self.bot_url}/slack/events", data=body, headers=headers
            ) as r:
                text = await r.text(errors="replace")
                status = r.status
        except (aiohttp.ClientError, TimeoutError):
            self.tally.connection_errors += 1
            return 0, ""
        self.tally.statuses[kind, status] += 1
        if status >= 500:
            self.tally.server_errors += 1
        return status, text

    async def one(self, number: int) -> None:
        kinds, weights = zip(*MIX.items(), strict=True)
        kind = self.rng.choices(kinds, weights)[0]
        await getattr(self, f"send_{kind}")(number)

    async def send_command(self, number: int) -> None:
        question = self.rng.choice(QUESTIONS)
        body = slash_command(question, f"{self.fake.url}/response/R{number}")
        self.tally.commands_expected += 1
        status, text = await self.post("command", body, signed(body, FORM))
        self.count_question(question, status)
        if status == 200 and '"blocks"' in text:
            self.tally.command_replies += 1

    async def send_mention(self, number: int) -> None:
        channel = f"CM{number}"
        question = self.rng.choice(QUESTIONS)
        text = f"<@{BOT_USER_ID}> {question}"
        mention = {"type": "app_mention", "user": "U1", "text": text, "channel": channel}
        mention |= {"ts": f"{number}.1", "event_ts": f"{number}.1"}
        body = event(mention, f"EvM{number}")
        self.tally.expected.add(channel)
        status, _ = await self.post("mention", body, signed(body, JSON))
        self.count_question(question, status)
        if self.rng.random() < RETRIED_MENTIONS:
            await asyncio.sleep(self.rng.uniform(0.2, 2.0))
            retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
            await self.post("mention retry", body, signed(body, JSON, **retry))

    async def send_dm(self, number: int) -> None:
        channel = f"DM{number}"
        message = {"type": "message", "channel_type": "im", "channel": channel, "user": "U1"}
        question = self.rng.choice(QUESTIONS)
        message |= {"text": question, "ts": f"{number}.2"}
        body = event(message, f"EvD{number}")
        self.tally.expected.add(channel)
        status, _ = await self.post("dm", body, signed(body, JSON))
        self.count_question(question, status)

    def count_question(self, question: str, status: int) -> None:
        if status == 200 and question_of(question)[0] is Intent.QUESTION:
            self.tally.questions_answered += 1

    async def send_home(self, number: int) -> None:
        user = f"UH{number}"
        body = event({"type": "app_home_opened", "user": user, "tab": "home"}, f"EvH{number}")
        self.tally.expected.add(user)
        await self.post("home", body, signed(body, JSON))

    async def send_click(self, number: int) -> None:
        entry = self.rng.choice(ENTRY_IDS)
        action = self.rng.choice([f"sro.answer:{entry}", "sro.topics"])
        marker = f"RK{number}"
        if self.rng.random() < 0.5:
            container = {"type": "message", "channel_id": "C1", "is_ephemeral": True}
        else:
            marker = f"CK{number}"
            container = {"type": "message", "channel_id": marker, "is_ephemeral": False}
        body = click(action, entry, container, f"{self.fake.url}/response/{marker}")
        self.tally.expected.add(marker)
        await self.post("click", body, signed(body, FORM))

    async def send_forged(self, number: int) -> None:
        marker = f"CF{number}"
        if self.rng.random() < 0.5:
            mention = {"type": "app_mention", "user": "U1", "text": "what is an SRO?"}
            mention |= {"channel": marker, "ts": f"{number}.3"}
            body, content_type = event(mention, f"EvF{number}"), JSON
        else:
            body = slash_command("what is an SRO?", f"{self.fake.url}/response/{marker}")
            content_type = FORM
        how = self.rng.choice(["wrong secret", "stale", "unsigned", "made up"])
        if how == "wrong secret":
            headers = signed(body, content_type, secret="not-the-secret")
        elif how == "stale":
            headers = signed(body, content_type)
            headers["X-Slack-Request-Timestamp"] = str(int(time.time()) - 600)
        elif how == "unsigned":
            headers = {"Content-Type": content_type}
        else:
            headers = signed(body, content_type) | {"X-Slack-Signature": "v0=" + "0" * 64}
        self.tally.forged.add(marker)
        status, _ = await self.post("forged", body, headers)
        if status != 401:
            self.tally.forged_accepted += 1

    async def send_bad(self, number: int) -> None:
        body, content_type = self.rng.choice(MALFORMED)
        await self.post("malformed", body, signed(body, content_type))

    async def run(self, duration: float, rate: float) -> None:
        total = int(duration * rate)
        timeout = aiohttp.ClientTimeout(total=15)
        connector = aiohttp.TCPConnector(limit=64)
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as self.http:
            started = time.monotonic()
            for i in range(total):
                delay = started + i / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                task = asyncio.create_task(self.one(next(self.numbers)))
                self.pending.add(task)
                task.add_done_callback(self.pending.discard)
            if self.pending:
                await asyncio.wait(set(self.pending), timeout=60)


# --- the server process ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, api_url: str, log: Path, database_url: str) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-soak",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "HOST": HOST,
        "PORT": str(port),
        "LOG_LEVEL": "ERROR",
    }
    for name in ("SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        env.pop(name, None)
    command = [str(ROOT / ".venv" / "bin" / "sro-bot"), "serve"]
    if not Path(command[0]).exists():
        command = [sys.executable, "-m", "bot", "serve"]
    with log.open("wb") as stderr:
        return subprocess.Popen(command, env=env, cwd=ROOT, stderr=stderr)


async def wait_healthy(url: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(f"{url}/healthz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("sro-bot serve did not become healthy")


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) in kB, from /proc."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def stop_server(process: subprocess.Popen[bytes]) -> tuple[int | None, float]:
    """SIGTERM, as a platform restart sends it; (exit code, seconds to exit)."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        code = None
    return code, time.monotonic() - started


# --- a database outage -----------------------------------------------------------------------

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


class DatabaseOutage:
    """A fresh PostgreSQL database reached through a loopback TCP proxy that can be cut:
    to the bot, a cut looks like the database going away (connections reset, refused)."""

    def __init__(self, admin: Any, name: str, proxy: CuttableProxy) -> None:
        self.admin, self.name, self.proxy = admin, name, proxy
        self.url = f"postgresql://postgres@{HOST}:{proxy.port}/{name}"

    @classmethod
    async def start(cls, admin_url: str) -> DatabaseOutage:
        import asyncpg

        admin = await asyncpg.connect(admin_url)
        name = f"sro_soak_{os.getpid()}"
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        return cls(admin, name, await CuttableProxy(5432).start())

    async def cut(self) -> None:
        await self.proxy.cut()

    async def restore(self) -> None:
        await self.proxy.start()

    async def report(self, tally: Tally) -> bool:
        """Questions stored against questions answered (first deliveries)."""
        import asyncpg

        direct = await asyncpg.connect(f"postgresql://postgres@{HOST}:5432/{self.name}")
        try:
            stored = await direct.fetchval("SELECT count(*) FROM questions")
        finally:
            await direct.close()
        answered = tally.questions_answered
        print(f"questions stored after the outage: {stored} of {answered} answered")
        ok = stored == answered
        print(f"{'PASS' if ok else 'FAIL'}  every question answered is stored, outage or not")
        return ok

    async def close(self) -> None:
        await self.proxy.cut()
        await self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        await self.admin.close()


# --- report ---------------------------------------------------------------------------------


def report(soak: Soak, fake: FakeSlack, rss: dict[str, dict[str, int]], stop: tuple) -> bool:
    tally = soak.tally
    delivered = fake.delivered
    received = sum(1 for m in tally.expected if delivered[m] >= 1) + tally.command_replies
    expected = len(tally.expected) + tally.commands_expected
    lost = expected - received
    # With a fault on 17% of calls, a few replies meet one on every attempt the bot may
    # make (1 + SRO_API_RETRIES): the bot gives up and logs them, as it should. Only a
    # reply lost with attempts left is a fault of the bot.
    attempts = DEFAULT_API_RETRIES + 1
    missing = [m for m in tally.expected if not delivered[m]]
    spent = sum(1 for m in missing if fake.refused[m] >= attempts)
    fault_rate = RATE_LIMITED + SERVER_ERROR + DROPPED
    likely = len(tally.expected) * fault_rate**attempts
    duplicates = sum(delivered[m] - 1 for m in tally.expected if delivered[m] > 1)
    forged_accepted = tally.forged_accepted + sum(1 for m in tally.forged if delivered[m])
    growth = rss["end"]["VmRSS"] / rss["start"]["VmRSS"] - 1
    print("\nrequests sent, by kind (and sro-bot's HTTP statuses):")
    for kind, count in sorted(tally.sent.items()):
        statuses = {s: n for (k, s), n in sorted(tally.statuses.items()) if k == kind}
        print(f"  {kind:<14} {count:>6}  {statuses}")
    print(f"  {'total':<14} {sum(tally.sent.values()):>6}")
    print(f"connection errors to sro-bot: {tally.connection_errors}")
    print(f"Web API calls received by the fake: {dict(sorted(fake.calls.items()))}")
    print(f"faults injected: {dict(sorted(fake.faults.items()))}")
    print(f"replies expected: {expected}  received: {received}")
    print(f"lost replies: {lost}  duplicate replies: {duplicates}")
    print(
        f"  of them, every one of the {attempts} attempts refused by an injected fault: {spent} "
        f"(about {likely:.1f} expected at a {fault_rate:.0%} fault rate)"
    )
    print(f"5xx answers: {tally.server_errors}  forged requests accepted: {forged_accepted}")
    for when in ("start", "end"):
        print(
            f"server memory at {when}: VmRSS {rss[when]['VmRSS'] / 1024:.1f} MB, "
            f"VmHWM (peak) {rss[when]['VmHWM'] / 1024:.1f} MB"
        )
    print(f"RSS growth: {growth:+.1%}")
    print(f"SIGTERM: exit code {stop[0]} after {stop[1]:.2f} s")
    targets = {
        "0 replies lost with attempts left": lost - spent == 0,
        "0 duplicate replies": duplicates == 0,
        "0 5xx answers": tally.server_errors == 0,
        "0 forged requests accepted": forged_accepted == 0,
        f"RSS growth under {RSS_GROWTH_LIMIT:.0%}": growth < RSS_GROWTH_LIMIT,
    }
    print()
    for name, ok in targets.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return all(targets.values())


async def main_async(args: argparse.Namespace) -> bool:
    rng = random.Random(args.seed)
    fake = FakeSlack(random.Random(args.seed + 1))
    runner = web.AppRunner(fake.app(), access_log=None)
    await runner.setup()
    fake_port = free_port()
    await web.TCPSite(runner, HOST, fake_port).start()
    fake.url = f"http://{HOST}:{fake_port}"
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="sro-soak-"))
    log = workdir / "server.log"
    outage = None
    if args.database_outage:
        outage = await DatabaseOutage.start(POSTGRES)
        database = outage.url
    else:
        database = f"sqlite:///{workdir / 'sro-bot.db'}"
    server = start_server(port, f"{fake.url}/api/", log, database)
    bot_url = f"http://{HOST}:{port}"
    try:
        await wait_healthy(bot_url)
        soak = Soak(bot_url, fake, rng)
        warmup = max(2.0, args.duration * 0.05)
        print(f"sro-bot serve (pid {server.pid}) on {bot_url}; fake Slack on {fake.url}")
        print(f"warm-up {warmup:.0f} s, then {args.duration:.0f} s at {args.rate:g} requests/s")
        await soak.run(warmup, args.rate)
        rss = {"start": memory(server.pid)}
        if outage is None:
            await soak.run(args.duration, args.rate)
        else:
            third = args.duration / 3
            await soak.run(third, args.rate)
            await outage.cut()
            print(f"database cut off for {third:.0f} s")
            await soak.run(third, args.rate)
            await outage.restore()
            print("database back")
            await soak.run(third, args.rate)
        await drain(soak, fake)
        rss["end"] = memory(server.pid)
        stop = await asyncio.to_thread(stop_server, server)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        await runner.cleanup()
    ok = report(soak, fake, rss, stop)
    if outage is not None:
        ok = await outage.report(soak.tally) and ok
        await outage.close()
    errors = [line for line in log.read_text(errors="replace").splitlines() if "ERROR" in line]
    print(f"\nserver log: {log} ({len(errors)} ERROR lines)")
    for line in errors[:5]:
        print(f"  {line[:200]}")
    return ok


async def drain(soak: Soak, fake: FakeSlack) -> None:
    """Wait (bounded) until every expected reply arrived, or nothing more is coming."""
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        missing = [m for m in soak.tally.expected if not fake.delivered[m]]
        if not missing:
            return
        await asyncio.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of traffic")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second")
    parser.add_argument("--quick", action="store_true", help="20 seconds instead")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-outage",
        action="store_true",
        help="store on PostgreSQL (127.0.0.1:5432) and cut it off for the middle third",
    )
    args = parser.parse_args()
    if args.quick:
        args.duration = 20.0
    args.duration = min(max(args.duration, 1.0), 3600.0)
    args.rate = min(max(args.rate, 0.1), 500.0)
    return 0 if asyncio.run(main_async(args)) else 1


if __name__ == "__main__":
    sys.exit(main())
