"""Command line: ``sro-bot ask | check | serve | teams-package`` and more."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from collections.abc import Sequence
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from bot import messages
from bot.classifier import BUNDLED_MODEL
from bot.intent import Intent, question_of
from bot.knowledge import (
    KnowledgeError,
    bundled_knowledge_dir,
    check_knowledge,
    describe_layers,
    entry_locations,
    knowledge_layers,
    load_knowledge,
    source_locations,
)
from bot.linear import ModelFileError
from bot.safety import CrisisPatternError
from bot.store.commands import days, report_command, upgrade_command

if TYPE_CHECKING:
    from bot.answering import Answerer

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        # The reader went away (``sro-bot ask --json - | head -1``): stop quietly, and keep
        # Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KnowledgeError as error:
        print(f"sro-bot: the knowledge cannot be loaded:\n{error}", file=sys.stderr)
        return EXIT_ERROR
    except CrisisPatternError as error:
        print(f"sro-bot: the crisis patterns cannot be loaded:\n{error}", file=sys.stderr)
        return EXIT_ERROR
    except ModelFileError as error:
        print(f"sro-bot: a model cannot be loaded:\n{error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sro-bot",
        description="Answers questions about school resource officers from FAQ knowledge files.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer a question in the terminal")
    ask.add_argument("question", nargs="+", help="the question; '-' reads one per line from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument(
        "--lexical-only", action="store_true", help="match without the learned entry model"
    )
    ask.add_argument(
        "--explain",
        action="store_true",
        help="say why: the wording matched, the score, the runner-up, the safety level",
    )
    _knowledge_option(ask)
    ask.set_defaults(run=_ask)

    check = commands.add_parser("check", help="validate and lint a knowledge directory")
    check.add_argument(
        "directory",
        nargs="?",
        type=Path,
        help="default: $SRO_KNOWLEDGE_DIR; checked over the bundled knowledge",
    )
    _bundled_option(check)
    check.set_defaults(run=_check)

    fit = commands.add_parser(
        "fit-safety", help="fit the emergency model on a corpus (bot/data/safety_corpus.tsv)"
    )
    fit.add_argument("--corpus", type=Path, default=_bundled("data/safety_corpus.tsv"))
    fit.add_argument("--out", type=Path, default=_bundled("data/safety_model.bin"))
    fit.set_defaults(run=_fit_safety)

    entries = commands.add_parser(
        "fit-entries", help="fit the bundled knowledge's entry model (bot/data/entry_model.bin)"
    )
    entries.add_argument("--out", type=Path, default=_bundled(BUNDLED_MODEL))
    entries.set_defaults(run=_fit_entries)

    report = commands.add_parser(
        "report", help="what was asked in Slack, feedback, unanswered questions grouped"
    )
    report.add_argument(
        "--since", type=days, default=7.0, metavar="AGE", help="7d (default), 12h, 2w..."
    )
    report.add_argument("--format", choices=("text", "json", "csv"), default="text")
    report.add_argument(
        "--suggest-alternates",
        action="store_true",
        help="print unanswered wordings as YAML to paste under their closest entry's alternates",
    )
    _knowledge_option(report)
    report.set_defaults(run=report_command)

    database = commands.add_parser("db", help="the database (DATABASE_URL, or SQLite)")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    database_commands.add_parser(
        "upgrade", help="create or migrate the schema (serve does it at start-up)"
    ).set_defaults(run=upgrade_command)

    package = commands.add_parser(
        "teams-package", help="write the Microsoft Teams app package (manifest and icons, zipped)"
    )
    package.add_argument(
        "--app-id",
        help="the Azure Bot's Microsoft App ID "
        "(default: $CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID)",
    )
    package.add_argument("--url", required=True, help="the bot's public https:// address")
    package.add_argument("--privacy-url", help="its privacy statement (default: --url)")
    package.add_argument("--terms-url", help="its terms of use (default: --url)")
    package.add_argument("--developer", default="SRO Bot", help="who publishes it")
    package.add_argument(
        "--out", type=Path, default=Path("sro-bot-teams.zip"), help="the zip to write"
    )
    package.set_defaults(run=_teams_package)

    serve = commands.add_parser("serve", help="run the Slack app (HTTP, or Socket Mode)")
    serve.add_argument("--socket", action="store_true", help="use Socket Mode (SLACK_APP_TOKEN)")
    serve.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    _knowledge_option(serve)
    serve.set_defaults(run=_serve)
    return parser


def _teams_package(args: argparse.Namespace) -> int:
    from bot.config import GUID, TEAMS_CLIENT_ID
    from bot.teams.package import manifest, write_package

    app_id = args.app_id or os.environ.get(TEAMS_CLIENT_ID, "").strip()
    urls = [args.url, args.privacy_url or args.url, args.terms_url or args.url]
    if not GUID.match(app_id):
        print(f"sro-bot: --app-id (or ${TEAMS_CLIENT_ID}) must be a GUID", file=sys.stderr)
        return EXIT_USAGE
    if not all(url.startswith("https://") for url in urls):
        print("sro-bot: --url, --privacy-url and --terms-url must be https://", file=sys.stderr)
        return EXIT_USAGE
    app_manifest = manifest(
        app_id,
        version=_version(),
        website_url=urls[0],
        privacy_url=urls[1],
        terms_url=urls[2],
        developer=args.developer,
    )
    print(write_package(args.out, app_manifest))
    return EXIT_OK


def _knowledge_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge",
        type=Path,
        metavar="DIR",
        help="knowledge of your own, added to the bundled knowledge (default: "
        "$SRO_KNOWLEDGE_DIR); a file with a bundled file's id replaces it",
    )
    _bundled_option(parser)


def _bundled_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-bundled",
        dest="bundled",
        action="store_false",
        default=None,
        help="leave out the bundled knowledge (as SRO_BUNDLED_KNOWLEDGE=0 does)",
    )


def _ask(args: argparse.Namespace) -> int:
    from bot.answering import Answerer

    answerer = Answerer.load(args.knowledge, bundled=args.bundled, lexical_only=args.lexical_only)
    # Wrapped for a person at a terminal; whole lines when piped to another program.
    width = min(shutil.get_terminal_size().columns, 100) if sys.stdout.isatty() else None
    if args.question == ["-"]:
        for line in sys.stdin:
            if not args.json and not line.strip():
                continue  # nothing asked (JSON keeps one line per input line, for tools)
            print(_reply(answerer, line.rstrip("\r\n"), args, width), flush=True)
            if not args.json:
                print()
        return EXIT_OK
    print(_reply(answerer, " ".join(args.question), args, width))
    return EXIT_OK


def _reply(answerer: Answerer, text: str, args: argparse.Namespace, width: int | None) -> str:
    """The answer to one line: help, the topics, thanks, or the core's result (and, with
    ``--explain``, why)."""
    from bot.explain import explain
    from bot.render.text import explain_text, render_json, render_text, topics_text

    intent, _ = question_of(text)
    if intent is Intent.QUESTION:
        result = answerer.answer(text)
        if args.json:
            output = render_json(result)
            if args.explain:
                output["explain"] = explain(result, answerer.matcher).as_json()
            return json.dumps(output, ensure_ascii=False)
        answer = render_text(result, answerer.knowledge, width=width)
        if args.explain:
            why = explain_text(explain(result, answerer.matcher), width=width)
            return f"{answer}\n\n{why}"
        return answer
    if args.json:
        decided = {"query": text, "crisis": False, "safety_notice": False}
        output = {**decided, "decision": str(intent), "matches": [], "suggestions": []}
        if args.explain:
            output["explain"] = None  # a keyword (help, topics, thanks): nothing was matched
        return json.dumps(output)
    if intent is Intent.TOPICS:
        return topics_text(answerer.knowledge)
    return messages.THANKS_REPLY if intent is Intent.THANKS else messages.HELP_TERMINAL


def _check(args: argparse.Namespace) -> int:
    from bot.config import ConfigError
    from bot.freshness import stale_after_days, stale_sources

    try:
        after_days = stale_after_days()
    except ConfigError as error:
        print(f"sro-bot: cannot check, fix the configuration:\n{error}", file=sys.stderr)
        return EXIT_ERROR
    layers = knowledge_layers(args.directory, bundled=args.bundled)
    print(f"checking: {describe_layers(layers)}")
    errors, warnings = check_knowledge(args.directory, bundled=args.bundled)
    sources = source_locations(args.directory, bundled=args.bundled)
    warnings += stale_sources(sources, after_days=after_days, today=dt.date.today())
    if not errors:
        from bot.answering import Answerer
        from bot.checks import unreached_phrasings

        answerer = Answerer.load(args.directory, bundled=args.bundled)
        where = entry_locations(args.directory, bundled=args.bundled)
        warnings += unreached_phrasings(answerer, where)
    for problem in errors:
        print(f"error: {problem}")
    for problem in warnings:
        print(f"warning: {problem}")
    print(f"{layers[-1]}: {len(errors)} error(s), {len(warnings)} warning(s)")
    return EXIT_ERROR if errors else EXIT_OK


def _version() -> str:
    try:
        return metadata.version("sro-bot")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _bundled(name: str) -> Path:
    return Path(str(resources.files("bot").joinpath(name)))


def _fit_safety(args: argparse.Namespace) -> int:
    from bot.training import fit_safety

    model = fit_safety(args.corpus)
    model.save(args.out)
    meta = model.meta
    print(f"{args.out}: fitted on {meta['corpus_rows']} rows of {args.corpus}")
    for level, threshold in meta["thresholds"].items():
        caught = meta["cross_validated_caught"][level]
        print(f"  {level}: threshold {threshold:.3f}, emergencies caught unseen {caught}")
    return EXIT_OK


def _fit_entries(args: argparse.Namespace) -> int:
    from bot.classifier import fit_model

    model = fit_model(load_knowledge(bundled_knowledge_dir(), bundled=True))
    model.save(args.out)
    print(f"{args.out}: fitted on {len(model.rows)} features, classes {', '.join(model.classes)}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from bot.server import serve

    return serve(
        knowledge_dir=args.knowledge, bundled=args.bundled, port=args.port, socket_mode=args.socket
    )
