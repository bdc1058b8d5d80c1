"""A learned reading of questions: which entry a question asks for, or none.

A multinomial regression over :mod:`bot.features`, fitted on the knowledge itself: each
entry's question and alternates are examples of that entry, and the questions of
``bot/data/out_of_scope.txt`` (near the subject, but not answered by an FAQ) are examples
of "none". It reads wording the lexical matcher cannot (typos, slang, indirect questions)
and the matcher keeps its evidence-based "I don't know" (see ``bot.matching``).

Fitting takes seconds, so a fitted model is kept, keyed by a fingerprint of what it was
fitted on: the bundled knowledge's ships with the bot (``bot/data/entry_model.bin``),
others are kept in ``$SRO_CACHE_DIR`` (default ``~/.cache/sro-bot``). When no model can be
loaded or fitted, the matcher works alone (lexical-only mode) and says so in the log.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path

from bot import log_messages
from bot.analysis import Vocabulary
from bot.features import FEATURES_VERSION, features
from bot.knowledge import KnowledgeBase
from bot.linear import LinearModel, ModelFileError

NONE = ""  # the class of questions no entry answers
CACHE_DIR_ENV = "SRO_CACHE_DIR"
BUNDLED_MODEL = "data/entry_model.bin"
OUT_OF_SCOPE = "data/out_of_scope.txt"
# A multinomial model keeps a weight per feature per entry: beyond this many entries it
# grows past what one process should hold and fit, and the lexical matcher works alone.
MAX_ENTRIES = 300

logger = logging.getLogger(__name__)


class EntryClassifier:
    """Probabilities that a question asks for each entry (and for none)."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model

    def probabilities(self, text: str) -> dict[str, float]:
        """Entry id -> probability; :data:`NONE` -> the probability that none answers."""
        return self.model.probabilities(features(text))

    @classmethod
    def for_knowledge(cls, knowledge: KnowledgeBase, *, fit: bool = True) -> EntryClassifier | None:
        """The kept model for this knowledge, else a new fit (kept for next time), else
        None (lexical-only) when ``fit`` is false or fitting is not possible here."""
        if len(knowledge) > MAX_ENTRIES:
            logger.info(log_messages.ENTRY_MODEL_TOO_MANY, len(knowledge), MAX_ENTRIES)
            return None
        texts, labels = training_examples(knowledge)
        fingerprint = _fingerprint(texts, labels)
        kept = _cache_dir() / f"entry-model-{fingerprint[:16]}.bin"
        for path in (_bundled_model(), kept):
            model = _load_if_fits(path, fingerprint)
            if model:
                return cls(model)
        if not fit:
            return None
        try:
            model = _fit(texts, labels, fingerprint)
        except ImportError as error:
            logger.warning(log_messages.ENTRY_MODEL_CANNOT_FIT, error)
            return None
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            model.save(kept)
        except OSError as error:
            logger.warning(log_messages.ENTRY_MODEL_NOT_KEPT, error)
        return cls(model)


# "How many nurses should a school have" is shaped like "how many SROs should a school
# have" but asks about someone else. Each phrasing that names the officer is also taught,
# with another school role in the officer's place, as a question of "none": the model
# learns that who is asked about matters, not only how the question is put.
OFFICER_CONCEPTS = ("sro", "police")
OTHER_ROLES = (
    ("nurse", "nurses"),
    ("teacher", "teachers"),
    ("counselor", "counselors"),
    ("principal", "principals"),
    ("librarian", "librarians"),
    ("bus driver", "bus drivers"),
    ("coach", "coaches"),
    ("social worker", "social workers"),
    ("firefighter", "firefighters"),
    ("lawyer", "lawyers"),
)


def fit_model(knowledge: KnowledgeBase) -> LinearModel:
    """A new fit for this knowledge. Needs NumPy and scikit-learn (ImportError without)."""
    texts, labels = training_examples(knowledge)
    return _fit(texts, labels, _fingerprint(texts, labels))


def _fit(texts: list[str], labels: list[str], fingerprint: str) -> LinearModel:
    from bot.training import fit_classes  # imported only to fit: it takes a second

    logger.info(log_messages.ENTRY_MODEL_FITTING, len(texts))
    return replace(fit_classes(texts, labels), meta={"fingerprint": fingerprint})


def training_examples(knowledge: KnowledgeBase) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    officer = _officer_pattern()
    others = roles_elsewhere(knowledge)
    for entry in knowledge:
        for text in (entry.question, *entry.alternates):
            texts.append(text)
            labels.append(entry.id)
            if not others:
                continue
            role, roles = others[len(texts) % len(others)]
            elsewhere = officer.sub(lambda m, r=role, rs=roles: rs if m.group(2) else r, text)
            if elsewhere != text:
                texts.append(elsewhere)
                labels.append(NONE)
    for line in resources.files("bot").joinpath(OUT_OF_SCOPE).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            texts.append(line.strip())
            labels.append(NONE)
    return texts, labels


def roles_elsewhere(knowledge: KnowledgeBase) -> list[tuple[str, str]]:
    """The other roles the knowledge never asks about ("should teachers be armed" does)."""
    asked = " ".join(p for e in knowledge for p in (e.question, *e.alternates)).lower()
    return [r for r in OTHER_ROLES if not re.search(rf"\b({r[0]}|{r[1]})\b", asked)]


def _officer_pattern() -> re.Pattern[str]:
    synonyms = Vocabulary.bundled().synonyms
    names = sorted({n for c in OFFICER_CONCEPTS for n in synonyms.get(c, ())}, key=len)
    name = "|".join(re.escape(n) for n in reversed(names))
    # A run of them ("police officer") is one person.
    return re.compile(rf"\b((?:{name})(?:s?\s+(?:{name}))*)(s?)\b", re.IGNORECASE)


def _fingerprint(texts: list[str], labels: list[str]) -> str:
    data = json.dumps([FEATURES_VERSION, texts, labels], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def _bundled_model() -> Path:
    return Path(str(resources.files("bot").joinpath(BUNDLED_MODEL)))


def _cache_dir() -> Path:
    configured = os.environ.get(CACHE_DIR_ENV, "").strip()
    return Path(configured) if configured else Path.home() / ".cache" / "sro-bot"


def _load_if_fits(path: Path, fingerprint: str) -> LinearModel | None:
    if not path.is_file():
        return None
    try:
        model = LinearModel.load(path)
    except ModelFileError as error:
        logger.warning(log_messages.ENTRY_MODEL_IGNORED, error)
        return None
    return model if model.meta.get("fingerprint") == fingerprint else None
