"""Knowledge of a workspace's own, on top of the shared knowledge: ``<dir>/<team id>/``.

A district's local entries (who to call, its own policies) are answered in its workspace
only: each configured workspace gets a :class:`Replies` of its own (the shared layers plus
its directory, validated like any knowledge); every other workspace gets the shared one.
"""

from __future__ import annotations

from pathlib import Path

from bot.answering import Answerer
from bot.knowledge import knowledge_layers, load_layers
from bot.slack.services import Replies


def team_replies(
    team_dir: Path, shared: Answerer, *, knowledge_dir: Path | None, bundled: bool
) -> dict[str, Replies]:
    """Each workspace directory's replies, keyed by team id (the directory's name, checked
    by :class:`bot.config.Settings`).

    Raises:
        KnowledgeError: a workspace's file does not load (file, entry and field named).
    """
    replies = {}
    for directory in sorted(p for p in team_dir.iterdir() if p.is_dir()):
        layers = [*knowledge_layers(knowledge_dir, bundled=bundled), directory]
        answerer = Answerer(load_layers(layers), shared.safety)
        replies[directory.name] = Replies(answerer)
    return replies
