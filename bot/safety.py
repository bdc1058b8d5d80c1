"""Emergency intercept: a message that reads as an emergency never gets an FAQ answer.

Two signals, read together:

- a learned model (``bot/data/safety_model.bin``, fitted on ``bot/data/safety_corpus.tsv``
  by ``sro-bot fit-safety``): the probability that a message reports an emergency, and
  whether it is about self-harm;
- patterns (``bot/data/crisis.yml``, plus a school's own file): phrasings a person chose.

Two levels come of them. ``CRISIS`` (the model is sure, or a pattern and the model's
lower threshold agree): no FAQ answer, only what to do now. ``NOTICE`` (the model's lower
threshold alone, or a pattern alone): the 911/988 notice comes first and the answer
follows, so a false alarm costs the asker nothing. The thresholds were chosen when the
model was fitted, on wording it had not seen (cross-validation): the crisis threshold
flags about 1% of the corpus's look-alike questions, the notice threshold about 5%.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

import yaml

from bot.features import features_of_words
from bot.knowledge import YAML_LOADER
from bot.linear import LinearModel
from bot.text import words

CRISIS_FILE_ENV = "SRO_CRISIS_FILE"
KINDS = ("violence", "self_harm")
MODEL_FILE = "data/safety_model.bin"
# Only so many words of a message are read, so any input costs bounded time. An
# emergency typed into Slack is a line or two; a long message is also read in windows
# of a few sentences, so one buried in context is not diluted by it.
ANALYSED_WORDS = 1200
WINDOW_WORDS = 32
WINDOW_STEP = 16
SELF_HARM_SHARE = 0.5  # the model's self-harm probability from which the 988 advice leads


class SafetyLevel(StrEnum):
    NONE = "none"
    NOTICE = "notice"  # may be an emergency: the 911/988 notice, then the answer
    CRISIS = "crisis"  # an emergency: no FAQ answer, only what to do now


@dataclass(frozen=True, slots=True)
class SafetyVerdict:
    level: SafetyLevel
    kind: str | None = None  # "violence" or "self_harm" unless level is NONE
    probability: float = 0.0  # the model's, for "why this answer" and tuning

    def __bool__(self) -> bool:
        return self.level is not SafetyLevel.NONE


SAFE = SafetyVerdict(SafetyLevel.NONE)


class CrisisPatternError(Exception):
    """A crisis pattern file that cannot be used; names the file, kind and pattern."""


@dataclass(frozen=True, slots=True)
class SafetyCheck:
    """The safety model and compiled crisis patterns by kind. Build once with :meth:`load`."""

    patterns: dict[str, tuple[re.Pattern[str], ...]]
    model: LinearModel

    @classmethod
    def load(cls, extra_file: Path | str | None = None) -> SafetyCheck:
        """The bundled model and patterns, plus the patterns of ``extra_file``
        (or ``$SRO_CRISIS_FILE``)."""
        bundled = resources.files("bot").joinpath("data/crisis.yml")
        merged: dict[str, list[re.Pattern[str]]] = {kind: [] for kind in KINDS}
        sources = [(Path(str(bundled)), bundled.read_text("utf-8"))]
        extra = extra_file or os.environ.get(CRISIS_FILE_ENV, "").strip()
        if extra:
            path = Path(extra)
            try:
                sources.append((path, path.read_text("utf-8")))
            except (OSError, UnicodeDecodeError) as error:
                raise CrisisPatternError(f"{path}: cannot read crisis patterns: {error}") from None
        for path, text in sources:
            for kind, compiled in _parse(path, text).items():
                merged[kind].extend(compiled)
        model = LinearModel.load(Path(str(resources.files("bot").joinpath(MODEL_FILE))))
        return cls({kind: tuple(found) for kind, found in merged.items()}, model)

    def check(self, text: str) -> SafetyVerdict:
        """Whether ``text`` reads as an emergency, how surely, and of which kind."""
        tokens = words(text)[:ANALYSED_WORDS]
        if not tokens:
            return SAFE
        crisis, self_harm = self._probabilities(tokens)
        pattern_kind = self._pattern_kind(" ".join(tokens))
        thresholds = self.model.meta["thresholds"]
        if crisis >= thresholds["crisis"] or (pattern_kind and crisis >= thresholds["notice"]):
            level = SafetyLevel.CRISIS
        elif pattern_kind or crisis >= thresholds["notice"]:
            level = SafetyLevel.NOTICE
        else:
            return SafetyVerdict(SafetyLevel.NONE, probability=crisis)
        # Self-harm when either signal says so: its reply adds the 988 lifeline to 911.
        if pattern_kind == "self_harm" or self_harm >= SELF_HARM_SHARE:
            return SafetyVerdict(level, "self_harm", crisis)
        return SafetyVerdict(level, "violence", crisis)

    def _probabilities(self, tokens: list[str]) -> tuple[float, float]:
        """The model's emergency and self-harm probabilities: of the whole message, or of
        its most alarming window."""
        windows = [tokens]
        if len(tokens) > WINDOW_WORDS:
            windows += [
                tokens[start : start + WINDOW_WORDS]
                for start in range(0, len(tokens) - WINDOW_STEP, WINDOW_STEP)
            ]
        best = (0.0, 0.0)
        for window in windows:
            p = self.model.sigmoids(features_of_words(window))
            if p["crisis"] > best[0]:
                best = (p["crisis"], p["self_harm"])
        return best

    def _pattern_kind(self, plain: str) -> str | None:
        # Self-harm first: its reply adds the 988 lifeline to the 911 advice.
        for kind in ("self_harm", "violence"):
            if any(p.search(plain) for p in self.patterns.get(kind, ())):
                return kind
        return None


def _parse(path: Path, text: str) -> dict[str, list[re.Pattern[str]]]:
    try:
        data = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as error:
        raise CrisisPatternError(f"{path}: YAML syntax error: {error}") from None
    if not isinstance(data, dict):
        raise CrisisPatternError(f"{path}: must be a mapping of {' / '.join(KINDS)} to patterns")
    compiled: dict[str, list[re.Pattern[str]]] = {}
    for kind, patterns in data.items():
        if kind not in KINDS:
            raise CrisisPatternError(f"{path}: unknown kind '{kind}'; use {' or '.join(KINDS)}")
        if not isinstance(patterns, list):
            raise CrisisPatternError(f"{path}: '{kind}' must be a list of regular expressions")
        compiled[kind] = []
        for index, pattern in enumerate(patterns):
            try:
                compiled[kind].append(re.compile(str(pattern), _flags(str(pattern))))
            except re.error as error:
                raise CrisisPatternError(
                    f"{path}: {kind}[{index}] '{pattern}' is not a valid regular expression: "
                    f"{error}"
                ) from None
    return compiled


def _flags(pattern: str) -> re.RegexFlag:
    """Case-insensitive matching only for a pattern with capitals in it.

    The text is matched as lowercase words, so a pattern with no capital letters (hence no
    ``\\W``, ``\\S`` or ``\\B`` either) matches the same without folding case, at about half
    the cost.
    """
    return re.IGNORECASE if any(ch.isupper() for ch in pattern) else re.NOFLAG
