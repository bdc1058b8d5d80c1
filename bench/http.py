"""HTTP benchmark: ``sro-bot serve`` against a bare aiohttp baseline, on 127.0.0.1.

Starts, as separate processes, ``sro-bot serve`` (with a stand-in for Slack's ``auth.test``,
which sro-bot calls once at start-up) and a baseline: a bare aiohttp app that parses the
same form body and returns a fixed JSON answer (the very bytes sro-bot answers with).
For context, a third server: the least a Bolt app does (its defaults and public aiohttp
adapter, one listener acking with the same answer), which bounds what a Bolt app reaches.

1. Throughput: all three driven with the same signed ``/sro`` request at 16 concurrent
   keep-alive connections from a separate load-generator process (wrk if installed, else
   the Python one below), for a fixed time, the servers taking turns:
   requests/s and their ratio (at saturation, latency only says how long the queue is).
2. Open loop: signed requests sent at a fixed rate (200 per second), half of them
   questions never asked before, whatever the server's pace, for 20 s; the latency of each
   from the moment it was due to be sent (p50, p99), for both servers.

Not a test: nothing here asserts a timing.

    .venv/bin/python bench/http.py [--seconds 5] [--rounds 3] [--connections 16]
        [--rate 200] [--open-seconds 20] [--database-url postgres://...]

sro-bot stores every question, as in production (a SQLite file made for the run, or
``--database-url``); the baseline stores nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path, and this file's name
# would hide the standard library's ``http`` package from everything imported below.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import NamedTuple  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

from slack_sdk.signature import SignatureVerifier  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
QUESTION = "how many SROs should a school have?"
TARGET_RATIO = 0.3
TARGET_OPEN_LOOP_P99_MS = 50.0


# --- the baseline server (run as: bench/http.py --baseline PORT) ---------------------------


def fixed_answer() -> bytes:
    """The JSON sro-bot answers QUESTION with, as bytes."""
    from bot.answering import Answerer
    from bot.render.blocks import BlockRenderer, Surface

    answerer = Answerer.load()
    message = BlockRenderer(answerer.knowledge).render(answerer.answer(QUESTION), Surface.EPHEMERAL)
    return json.dumps({"response_type": "ephemeral", **message.as_kwargs()}).encode()


def run_baseline(port: int) -> None:
    """A bare aiohttp app: parse the form, return a fixed JSON answer. Same event loop choice."""
    from aiohttp import web

    from bot.server import _event_loop_factory

    answer = fixed_answer()

    async def command(request: web.Request) -> web.Response:
        form = await request.post()
        if not form.get("text"):
            return web.Response(status=400)
        return web.Response(body=answer, content_type="application/json")

    app = web.Application()
    app.router.add_post("/slack/events", command)
    web.run_app(
        app, host="127.0.0.1", port=port, access_log=None, print=None, loop=_event_loop_factory()
    )


def run_bolt_reference(port: int, api_url: str) -> None:
    """For context, not a target: the least a Bolt app does for a slash command. Bolt's
    defaults (its signature check included) through its public aiohttp adapter, one
    listener acking with the same fixed answer, nothing logged or stored; but, as sro-bot,
    ``process_before_response=True``: by default Bolt runs the listener in a task and
    looks for its ack every 10 ms, which bounds it by latency rather than work."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.server import _event_loop_factory

    answer = json.loads(fixed_answer())
    client = AsyncWebClient(token="xoxb-bench", base_url=api_url)
    bolt = AsyncApp(signing_secret=SECRET, client=client, process_before_response=True)

    @bolt.command("/sro")
    async def command(ack) -> None:
        await ack(answer)

    async def events(request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    web.run_app(
        app, host="127.0.0.1", port=port, access_log=None, print=None, loop=_event_loop_factory()
    )


# --- the load generator (run as: bench/http.py --load PORT SECONDS CONNECTIONS) ------------


def signed_request(port: int, text: str = QUESTION) -> bytes:
    body = urlencode(
        {
            "token": "x",
            "team_id": "T0001",
            "team_domain": "example",
            "channel_id": "C0001",
            "channel_name": "general",
            "user_id": "U0001",
            "user_name": "pat",
            "command": "/sro",
            "text": text,
            "api_app_id": "A0001",
            "response_url": f"http://127.0.0.1:{port}/response",
            "trigger_id": "1.2.3",
        }
    )
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body)
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Slack-Request-Timestamp: {timestamp}\r\nX-Slack-Signature: {signature}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body.encode()


async def _connection(
    port: int, request: bytes | None, until: float, latencies: list[float], number: int
) -> int:
    """One keep-alive connection; ``request`` None sends a question never asked before."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    errors = 0
    sent = 0
    try:
        while (start := time.perf_counter()) < until:
            sent += 1
            if request is None:
                text = f"{QUESTION} (ticket {number}-{sent})"
                writer.write(signed_request(port, text))
            else:
                writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if not head.startswith(b"HTTP/1.1 200"):
                errors += 1
    finally:
        writer.close()
    return errors


async def _load(port: int, seconds: float, connections: int, distinct: bool) -> dict:
    request = None if distinct else signed_request(port)
    latencies: list[float] = []
    until = time.perf_counter() + seconds
    errors = await asyncio.gather(
        *(_connection(port, request, until, latencies, i) for i in range(connections))
    )
    return {"latencies": latencies, "seconds": seconds, "errors": sum(errors)}


def run_load(port: int, seconds: float, connections: int, distinct: bool) -> None:
    print(json.dumps(asyncio.run(_load(port, seconds, connections, distinct))))


async def _open_loop(port: int, rate: float, seconds: float) -> dict:
    """Send at ``rate`` per second whatever the server's pace; time each from when it was due."""
    import aiohttp

    latencies: list[float] = []
    errors = 0
    url = f"http://127.0.0.1:{port}/slack/events"

    async def send(http: aiohttp.ClientSession, number: int, due: float) -> None:
        nonlocal errors
        text = f"{QUESTION} (ticket {number})" if number % 2 else QUESTION
        head, body = signed_request(port, text).decode().split("\r\n\r\n", 1)
        headers = dict(line.split(": ", 1) for line in head.split("\r\n")[1:])
        headers.pop("Content-Length")
        try:
            async with http.post(url, data=body.encode(), headers=headers) as reply:
                await reply.read()
                errors += reply.status != 200
        except aiohttp.ClientError:
            errors += 1
        latencies.append(time.perf_counter() - due)

    connector = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=connector) as http:
        start = time.perf_counter() + 0.1
        tasks = []
        for number in range(int(rate * seconds)):
            due = start + number / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(send(http, number, due)))
        await asyncio.gather(*tasks)
    latencies.sort()
    return {
        "sent": len(latencies),
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000,
        "errors": errors,
    }


def measure_open_loop(port: int, rate: float, seconds: float) -> dict:
    command = [sys.executable, __file__, "--open-loop", str(port), str(rate), str(seconds)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def run_wrk(port: int, seconds: float, connections: int) -> dict:
    """wrk with a Lua script that sends the signed request and reports latency percentiles."""
    request = signed_request(port).decode()
    head, body = request.split("\r\n\r\n", 1)
    headers = dict(line.split(": ", 1) for line in head.split("\r\n")[1:])
    script = Path(os.environ.get("TMPDIR", "/tmp")) / f"sro-bench-{os.getpid()}.lua"
    script.write_text(
        f"wrk.method = 'POST'\nwrk.body = {json.dumps(body)}\n"
        + "".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}\n" for k, v in headers.items())
        + "done = function(summary, latency, requests)\n"
        '  io.write(string.format(\'JSON {"requests": %d, "p50": %f, "p99": %f, '
        '"errors": %d}\\n\', summary.requests, latency:percentile(50) / 1e6, '
        "latency:percentile(99) / 1e6, summary.errors.status))\nend\n"
    )
    out = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{max(1, round(seconds))}s",  # wrk takes whole seconds only
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/slack/events",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    script.unlink()
    seconds = max(1, round(seconds))
    figures = json.loads(out.split("JSON ", 1)[1])
    return {
        "rps": figures["requests"] / seconds,
        "p50": figures["p50"] * 1000,
        "p99": figures["p99"] * 1000,
        "errors": figures["errors"],
    }


def measure(port: int, seconds: float, connections: int, distinct: bool = False) -> dict:
    """One timed run from a separate process."""
    if shutil.which("wrk") and not distinct:
        return run_wrk(port, seconds, connections)
    command = [sys.executable, __file__, "--load", str(port), str(seconds), str(connections)]
    out = subprocess.run(
        [*command, *(["--distinct"] if distinct else [])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out)
    latencies = sorted(result["latencies"])
    return {
        "rps": len(latencies) / result["seconds"],
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000,
        "errors": result["errors"],
    }


# --- orchestration ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listening on port {port}")


def start_fake_auth_test() -> tuple[subprocess.Popen, int]:
    """sro-bot calls auth.test once, at start-up; this answers it on 127.0.0.1."""
    port = free_port()
    code = (
        "from aiohttp import web\n"
        "async def h(r):\n"
        "    return web.json_response({'ok': True, 'user_id': 'UBOT', 'bot_id': 'BBOT',"
        " 'team_id': 'T0001'})\n"
        "app = web.Application(); app.router.add_post('/api/{m}', h)\n"
        f"web.run_app(app, host='127.0.0.1', port={port}, print=None, access_log=None)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code])
    wait_until_listening(port, process)
    return process, port


class Server(NamedTuple):
    process: subprocess.Popen
    port: int


def start_servers(database_url: str = "") -> tuple[list[subprocess.Popen], dict[str, Server]]:
    """Every process started (to stop), and the servers measured by name: baseline,
    sro-bot, and the Bolt reference. Nothing is left running if one fails to start."""
    fake, fake_port = start_fake_auth_test()
    bot_port, baseline_port, bolt_port = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SRO_"))}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"http://127.0.0.1:{fake_port}/api/",
        "HOST": "127.0.0.1",
        "PORT": str(bot_port),
        "LOG_LEVEL": "WARNING",
        # Every question is stored, as in production: on a SQLite file of this run's own,
        # or the database --database-url names.
        "SRO_DATABASE_PATH": str(Path(tempfile.mkdtemp(prefix="sro-bench-")) / "sro-bot.db"),
        "DATABASE_URL": database_url,
    }
    sro_bot = shutil.which("sro-bot", path=str(Path(sys.executable).parent)) or "sro-bot"
    commands = {
        "baseline": ([sys.executable, __file__, "--baseline", str(baseline_port)], baseline_port),
        "sro-bot": ([sro_bot, "serve"], bot_port),
        "bolt-only": (
            [sys.executable, __file__, "--bolt", str(bolt_port), env["SLACK_API_URL"]],
            bolt_port,
        ),
    }
    processes = [fake]
    servers = {}
    try:
        for name, (command, port) in commands.items():
            process = subprocess.Popen(command, env=env if name == "sro-bot" else None, cwd=ROOT)
            processes.append(process)
            servers[name] = Server(process, port)
        for server in servers.values():
            wait_until_listening(server.port, server.process)
    except BaseException:
        stop(processes)
        raise
    return processes, servers


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.send_signal(signal.SIGINT)
    for process in processes:
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each run")
    parser.add_argument("--rounds", type=int, default=3, help="baseline/sro-bot run pairs")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="every request asks a question never asked before (no reply is reused), "
        "signed as it is sent by the Python load generator",
    )
    parser.add_argument("--rate", type=float, default=200.0, help="open loop: requests/s")
    parser.add_argument("--open-seconds", type=float, default=20.0, help="open loop: length")
    parser.add_argument(
        "--database-url",
        default="",
        help="store questions there (postgres://...); default a SQLite file of the run's own",
    )
    parser.add_argument("--baseline", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bolt", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--load", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--open-loop", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        return run_baseline(args.baseline)
    if args.bolt:
        return run_bolt_reference(int(args.bolt[0]), args.bolt[1])
    if args.load:
        return run_load(int(args.load[0]), float(args.load[1]), int(args.load[2]), args.distinct)
    if args.open_loop:
        port, rate, seconds = args.open_loop
        print(json.dumps(asyncio.run(_open_loop(int(port), float(rate), float(seconds)))))
        return None

    processes, servers = start_servers(args.database_url)
    ports = {name: server.port for name, server in servers.items()}
    try:
        wrk = shutil.which("wrk") and not args.distinct
        generator = "wrk" if wrk else "Python load generator (separate process)"
        asked = "a new question each request" if args.distinct else f"'{QUESTION}'"
        print(
            f"{generator}, {args.connections} connections, {args.seconds:g} s per run, "
            f"{args.rounds} rounds, signed /sro {asked}"
        )
        for port in ports.values():  # warm up
            measure(port, 1.0, args.connections)
        runs: dict[str, list[dict]] = {name: [] for name in ports}
        for _ in range(args.rounds):
            for name, port in ports.items():
                runs[name].append(measure(port, args.seconds, args.connections, args.distinct))
        report(runs)
        print(
            f"\nopen loop: {args.rate:g} signed requests/s (half of them new questions) "
            f"for {args.open_seconds:g} s, latency from when each was due"
        )
        for name in ("baseline", "sro-bot"):
            result = measure_open_loop(ports[name], args.rate, args.open_seconds)
            target = f"  (target p99 < {TARGET_OPEN_LOOP_P99_MS:g} ms)" if name == "sro-bot" else ""
            print(
                f"{name:10} sent {result['sent']:6d}  p50 {result['p50']:7.2f} ms  "
                f"p99 {result['p99']:7.2f} ms  errors {result['errors']}{target}"
            )
    finally:
        stop(processes)


def report(runs: dict[str, list[dict]]) -> None:
    summary = {}
    print(f"\n{'':10} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}   per run")
    for name, results in runs.items():
        figures = {k: statistics.median(r[k] for r in results) for k in ("rps", "p50", "p99")}
        summary[name] = figures
        per_run = " ".join(f"{r['rps']:.0f}" for r in results)
        errors = sum(r["errors"] for r in results)
        print(
            f"{name:10} {figures['rps']:11.0f} {figures['p50']:8.2f} {figures['p99']:8.2f} "
            f"{errors:7d}   {per_run} req/s"
        )
    ratio = summary["sro-bot"]["rps"] / summary["baseline"]["rps"]
    print(f"\nsro-bot / baseline requests/s: {ratio:.2f} (target >= {TARGET_RATIO})")
    if "bolt-only" in summary:
        bolt = summary["bolt-only"]["rps"] / summary["baseline"]["rps"]
        print(f"bolt-only / baseline requests/s: {bolt:.2f} (for context: Bolt alone, one ack)")
    print("(medians of the runs; the runs take turns)")


if __name__ == "__main__":
    main()
