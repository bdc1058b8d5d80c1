"""Emergency intercept: a message that reads as an emergency never gets an FAQ answer."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from bot.knowledge import YAML_LOADER
from bot.text import words

CRISIS_FILE_ENV = "SRO_CRISIS_FILE"
KINDS = ("violence", "self_harm")


class CrisisPatternError(Exception):
    """A crisis pattern file that cannot be used; names the file, kind and pattern."""


@dataclass(frozen=True, slots=True)
class SafetyCheck:
    """Compiled crisis patterns by kind. Build once with :meth:`load`."""

    patterns: dict[str, tuple[re.Pattern[str], ...]]

    @classmethod
    def load(cls, extra_file: Path | str | None = None) -> SafetyCheck:
        """The bundled patterns, plus those of ``extra_file`` (or ``$SRO_CRISIS_FILE``)."""
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
        return cls({kind: tuple(found) for kind, found in merged.items()})

    def check(self, text: str) -> str | None:
        """The crisis kind ("violence" or "self_harm") ``text`` reads as, or None."""
        plain = " ".join(words(text))
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
