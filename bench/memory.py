"""Memory under long messages: the server's RSS after 300 distinct 40,000-character questions.

Starts ``sro-bot serve`` as bench/http.py does (and, as the baseline in the same run, the
bare aiohttp app of bench/http.py), sends each 300 distinct signed ``/sro`` requests whose
text is 40,000 characters (Slack's limit), and prints each server's resident memory
(``VmRSS``) before and after, from ``/proc``. Every text is different, so no cache can
answer twice. Linux only. Not a test: nothing here asserts a figure.

    .venv/bin/python bench/memory.py [--messages 300]
"""

from __future__ import annotations

import argparse
import importlib.util
import socket
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_http", HERE / "http.py")
bench_http = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_http)

SLACK_LIMIT = 40_000
TARGET_GROWTH_MB = 50.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for process {pid}")


def long_text(number: int) -> str:
    words = f"question {number} about the school resource officer and their training "
    return (words * (SLACK_LIMIT // len(words) + 1))[:SLACK_LIMIT]


def send(port: int, text: str) -> int:
    request = bench_http.signed_request(port, text)
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(
            request.replace(b"HTTP/1.1\r\n", b"HTTP/1.1\r\nConnection: close\r\n", 1)
        )
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    processes, servers = bench_http.start_servers()
    try:
        for name in ("baseline", "sro-bot"):
            send(servers[name].port, "warm up")
        time.sleep(0.5)
        print(f"{args.messages} distinct signed /sro requests of {SLACK_LIMIT:,} characters each")
        print(f"{'':10} {'RSS before':>11} {'RSS after':>10} {'growth':>8}  statuses")
        for name in ("baseline", "sro-bot"):
            process, port = servers[name].process, servers[name].port
            before = rss_mb(process.pid)
            statuses = {send(port, long_text(i)) for i in range(args.messages)}
            after = rss_mb(process.pid)
            target = f"  (target growth < {TARGET_GROWTH_MB:g} MB)" if name == "sro-bot" else ""
            print(
                f"{name:10} {before:8.1f} MB {after:7.1f} MB {after - before:+6.1f} MB  "
                f"{sorted(statuses)}{target}"
            )
    finally:
        bench_http.stop(processes)


if __name__ == "__main__":
    sys.exit(main())
