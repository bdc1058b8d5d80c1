"""Start-up benchmark: time from spawn to ``/readyz`` 200, and resident memory, on 127.0.0.1.

Starts ``sro-bot serve`` as a subprocess, pointed at a stand-in for Slack's Web API (this
process answers ``auth.test``), polls ``/readyz`` every 5 ms, and reads the process's
resident memory (``VmRSS``, and its peak ``VmHWM``) from ``/proc`` once it is ready. In the
same run, as a baseline, it starts a bare aiohttp app with ``python -c`` and measures it
the same way. Runs alternate; medians are printed beside the targets (ready under 1 s,
under 100 MB resident). Not a test: nothing here asserts a timing. Linux only (``/proc``).

    .venv/bin/python bench/startup.py [--rounds 5]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path, and bench/http.py there
# would hide the standard library's ``http`` package from everything imported below.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from aiohttp import ClientConnectionError, ClientSession, web  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET_READY_S = 1.0
TARGET_RSS_MB = 100.0
BASELINE = """
import sys
from aiohttp import web
async def ready(request):
    return web.json_response({"ready": True})
app = web.Application()
app.router.add_get("/readyz", ready)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


@dataclass
class Start:
    ready_s: float
    rss_mb: float
    peak_mb: float


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def fake_slack_api() -> tuple[web.AppRunner, str]:
    """Answers auth.test as Slack does; anything else ``ok``."""

    async def api(request: web.Request) -> web.Response:
        if request.match_info["method"] == "auth.test":
            return web.json_response(
                {"ok": True, "team_id": "T0001", "user_id": "UBOT0001", "bot_id": "BBOT0001"}
            )
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/api/{method}", api)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/api/"


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of ``pid``, in MB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024  # kB
    return values["VmRSS"], values["VmHWM"]


def sro_bot_command() -> list[str]:
    script = Path(sys.executable).with_name("sro-bot")
    return [str(script), "serve"] if script.exists() else [sys.executable, "-m", "bot", "serve"]


async def measure(command: list[str], port: int, env: dict[str, str]) -> Start:
    url = f"http://127.0.0.1:{port}/readyz"
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with ClientSession() as http:
            while True:
                try:
                    async with http.get(url) as reply:
                        if reply.status == 200:
                            break
                except ClientConnectionError:
                    pass
                if process.returncode is not None or time.perf_counter() - started > 30:
                    stderr = await process.stderr.read() if process.stderr else b""
                    raise RuntimeError(f"{command} did not get ready:\n{stderr.decode()}")
                await asyncio.sleep(0.005)
        ready_s = time.perf_counter() - started
        rss, peak = memory_mb(process.pid)
        return Start(ready_s, rss, peak)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 15)


async def main(rounds: int) -> None:
    runner, api_url = await fake_slack_api()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SRO_"))}
    ours: list[Start] = []
    baseline: list[Start] = []
    try:
        for _ in range(rounds):
            port = free_port()
            baseline.append(
                await measure([sys.executable, "-c", BASELINE, str(port)], port, base_env)
            )
            port = free_port()
            env = base_env | {
                "SLACK_BOT_TOKEN": "xoxb-bench-token",
                "SLACK_SIGNING_SECRET": "bench-signing-secret",
                "SLACK_API_URL": api_url,
                "HOST": "127.0.0.1",
                "PORT": str(port),
                "LOG_LEVEL": "WARNING",
            }
            ours.append(await measure(sro_bot_command(), port, env))
    finally:
        await runner.cleanup()

    def median(starts: list[Start], field: str) -> float:
        return statistics.median(getattr(s, field) for s in starts)

    print(f"start-up to ready and resident memory, medians of {rounds} alternating runs")
    print(f"{'':28} {'ready (s)':>10} {'RSS (MB)':>10} {'peak (MB)':>10}")
    for name, starts in (("bare aiohttp (python -c)", baseline), ("sro-bot serve", ours)):
        print(
            f"{name:28} {median(starts, 'ready_s'):10.3f} {median(starts, 'rss_mb'):10.1f} "
            f"{median(starts, 'peak_mb'):10.1f}"
        )
    ready, rss = median(ours, "ready_s"), median(ours, "rss_mb")
    print(
        f"sro-bot / baseline: ready x{ready / median(baseline, 'ready_s'):.2f}, "
        f"RSS x{rss / median(baseline, 'rss_mb'):.2f}"
    )
    ready_met = "met" if ready < TARGET_READY_S else "NOT met"
    rss_met = "met" if rss < TARGET_RSS_MB else "NOT met"
    print(
        f"targets: ready under {TARGET_READY_S:g} s: {ready_met}; "
        f"RSS under {TARGET_RSS_MB:g} MB: {rss_met}"
    )
    print(f"sro-bot runs (ready s): {', '.join(f'{s.ready_s:.3f}' for s in ours)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
