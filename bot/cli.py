"""Command line: ``sro-bot ask | check | serve``."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.knowledge import KnowledgeError, check_knowledge, default_knowledge_dir
from bot.safety import CrisisPatternError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except KnowledgeError as error:
        print(f"sro-bot: the knowledge cannot be loaded:\n{error}", file=sys.stderr)
        return EXIT_ERROR
    except CrisisPatternError as error:
        print(f"sro-bot: the crisis patterns cannot be loaded:\n{error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sro-bot",
        description="Answers questions about school resource officers from FAQ knowledge files.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer a question in the terminal")
    ask.add_argument("question", nargs="+", help="the question; '-' reads one per line from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    _knowledge_option(ask)
    ask.set_defaults(run=_ask)

    check = commands.add_parser("check", help="validate and lint a knowledge directory")
    check.add_argument("directory", nargs="?", type=Path, help="default: the bundled knowledge")
    check.set_defaults(run=_check)

    serve = commands.add_parser("serve", help="run the Slack app (HTTP, or Socket Mode)")
    serve.add_argument("--socket", action="store_true", help="use Socket Mode (SLACK_APP_TOKEN)")
    serve.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    _knowledge_option(serve)
    serve.set_defaults(run=_serve)
    return parser


def _knowledge_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge",
        type=Path,
        metavar="DIR",
        help="knowledge directory (default: $SRO_KNOWLEDGE_DIR, else the bundled knowledge)",
    )


def _ask(args: argparse.Namespace) -> int:
    from bot.answering import Answerer
    from bot.render.text import render_json, render_text

    answerer = Answerer.load(args.knowledge)
    # Wrapped for a person at a terminal; whole lines when piped to another program.
    width = min(shutil.get_terminal_size().columns, 100) if sys.stdout.isatty() else None
    if args.question == ["-"]:
        for line in sys.stdin:
            result = answerer.answer(line.rstrip("\r\n"))
            if args.json:
                print(json.dumps(render_json(result), ensure_ascii=False), flush=True)
            else:
                print(render_text(result, answerer.knowledge, width=width), end="\n\n", flush=True)
        return EXIT_OK
    result = answerer.answer(" ".join(args.question))
    if args.json:
        print(json.dumps(render_json(result), ensure_ascii=False))
    else:
        print(render_text(result, answerer.knowledge, width=width))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    directory = args.directory or default_knowledge_dir()
    errors, warnings = check_knowledge(directory)
    for problem in errors:
        print(f"error: {problem}")
    for problem in warnings:
        print(f"warning: {problem}")
    print(f"{directory}: {len(errors)} error(s), {len(warnings)} warning(s)")
    return EXIT_ERROR if errors else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from bot.server import serve

    return serve(knowledge_dir=args.knowledge, port=args.port, socket_mode=args.socket)
