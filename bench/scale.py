"""Scale-out benchmark: two ``sro-bot serve`` processes against one, on this machine.

Starts one process, drives it with the signed ``/sro`` request of ``bench/http.py`` from a
load-generator process; then two processes on one database, each driven by its own load
generator with half the connections, at the same time. Prints requests/s of each and the
ratio (two / one). On a 2-core machine the load generators take CPU too: the ratio says
what a second process adds here, not on a larger host.

    .venv/bin/python bench/scale.py [--seconds 5] [--rounds 3] [--connections 16]
        [--database-url postgres://...]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, bench/ comes first on sys.path, and bench/http.py would hide the standard
# library's ``http`` package from aiohttp.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_http", Path(__file__).with_name("http.py"))
assert _spec is not None and _spec.loader is not None
bench_http = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_http)


def start_bot(port: int, fake_port: int, database_url: str, sqlite: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SRO_"))}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": bench_http.SECRET,
        "SLACK_API_URL": f"http://127.0.0.1:{fake_port}/api/",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "SRO_DATABASE_PATH": str(sqlite),
    }
    sro_bot = shutil.which("sro-bot", path=str(Path(sys.executable).parent)) or "sro-bot"
    bot = subprocess.Popen([sro_bot, "serve"], env=env, cwd=ROOT)
    bench_http.wait_until_listening(port, bot)
    return bot


def run(processes: int, args: argparse.Namespace, fake_port: int, sqlite: Path) -> list[float]:
    """Total requests/s of each round, over ``processes`` servers driven at once."""
    ports = [bench_http.free_port() for _ in range(processes)]
    bots = [start_bot(port, fake_port, args.database_url, sqlite) for port in ports]
    try:
        share = max(1, args.connections // processes)
        totals = []
        for _ in range(args.rounds):
            with ThreadPoolExecutor(processes) as pool:
                runs = pool.map(lambda p: bench_http.measure(p, args.seconds, share), ports)
                totals.append(sum(r["rps"] for r in runs))
        return totals
    finally:
        for bot in bots:
            bot.terminate()
            bot.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database-url", default="", help="default: a SQLite file for the run")
    args = parser.parse_args()
    fake, fake_port = bench_http.start_fake_auth_test()
    sqlite = Path(tempfile.mkdtemp(prefix="sro-scale-")) / "sro-bot.db"
    try:
        one = run(1, args, fake_port, sqlite)
        two = run(2, args, fake_port, sqlite)
    finally:
        fake.terminate()
    print(f"{os.cpu_count()} cores, {args.connections} connections in all, {args.seconds:g} s runs")
    print(f"one process   {statistics.median(one):8.0f} requests/s  (runs: {one})")
    print(f"two processes {statistics.median(two):8.0f} requests/s  (runs: {two})")
    print(f"two / one: {statistics.median(two) / statistics.median(one):.2f}")


if __name__ == "__main__":
    main()
