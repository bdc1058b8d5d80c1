"""What the maintainers read: how questions were answered, feedback per entry, and the
questions nothing answered, near-duplicates grouped, each group with its closest entry."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import func, select

from bot.matching import Matcher
from bot.store.database import Database
from bot.store.recorder import utc_now
from bot.store.schema import feedback, questions
from bot.text import words

SAME_QUESTION = 75  # rapidfuzz token_set_ratio at which two questions count as one
TOP = 10
MAX_GROUPS = 50
MAX_TEXTS_READ = 5000  # the most recent unanswered questions grouped; bounds the work


@dataclass
class Group:
    """Unanswered questions that ask the same thing, most asked wording first."""

    count: int
    texts: list[str]
    closest_entry: str | None = None
    closest_score: float | None = None


@dataclass
class Report:
    since: str
    until: str
    questions: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    safety: dict[str, int] = field(default_factory=dict)
    top_entries: list[tuple[str, int]] = field(default_factory=list)
    helpful: dict[str, int] = field(default_factory=dict)
    not_helpful: dict[str, int] = field(default_factory=dict)
    comments: list[tuple[str, str]] = field(default_factory=list)
    not_helpful_questions: list[tuple[str, str]] = field(default_factory=list)
    unanswered: list[Group] = field(default_factory=list)

    def rate(self, decision: str) -> float:
        return self.decisions.get(decision, 0) / self.questions if self.questions else 0.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


async def build_report(database: Database, matcher: Matcher, *, days: float) -> Report:
    until = utc_now()
    since = until - dt.timedelta(days=days)
    report = Report(
        since=since.isoformat(timespec="seconds"), until=until.isoformat("T", "seconds")
    )
    asked = questions.c.asked_at >= since
    given = feedback.c.given_at >= since
    async with database.engine.connect() as connection:

        async def counts(column, *where) -> list[tuple[Any, int]]:
            query = select(column, func.count()).where(*where).group_by(column)
            return [(value, n) for value, n in await connection.execute(query)]

        report.decisions = dict(await counts(questions.c.decision, asked))
        report.questions = sum(report.decisions.values())
        report.safety = dict(await counts(questions.c.safety, asked))
        answered = await counts(questions.c.entry_id, asked, questions.c.decision == "answer")
        report.top_entries = sorted(answered, key=lambda pair: (-pair[1], pair[0]))[:TOP]
        report.helpful = dict(
            await counts(feedback.c.entry_id, given, feedback.c.kind == "helpful")
        )
        report.not_helpful = dict(
            await counts(feedback.c.entry_id, given, feedback.c.kind == "not_helpful")
        )
        for kind, into in (
            ("comment", report.comments),
            ("not_helpful", report.not_helpful_questions),
        ):
            texts_of = select(feedback.c.entry_id, feedback.c.text).where(
                given, feedback.c.kind == kind, feedback.c.text.is_not(None)
            )
            into.extend((e, t) for e, t in await connection.execute(texts_of))
        texts = (
            select(questions.c.text)
            .where(asked, questions.c.text.is_not(None))
            .order_by(questions.c.asked_at.desc())
            .limit(MAX_TEXTS_READ)
        )
        unanswered = [t for (t,) in await connection.execute(texts)]
    report.unanswered = group_questions(unanswered, matcher)
    return report


def group_questions(texts: list[str], matcher: Matcher) -> list[Group]:
    """Near-duplicates together (greedy: each wording joins the first group it is like),
    the most asked groups first, each with the entry the lexical matcher finds closest."""
    wordings = Counter(" ".join(t.split()) for t in texts)
    keys: list[str] = []  # each group's first wording, as words
    groups: list[Group] = []
    for text, n in wordings.most_common():
        key = " ".join(words(text))
        found = process.extractOne(
            key, keys, scorer=fuzz.token_set_ratio, score_cutoff=SAME_QUESTION
        )
        if found is None:
            keys.append(key)
            groups.append(Group(count=n, texts=[text]))
        else:
            group = groups[found[2]]
            group.count += n
            group.texts.append(text)
    groups.sort(key=lambda g: -g.count)
    for group in groups[:MAX_GROUPS]:
        best = matcher.match_lexical(group.texts[0]).best
        if best is not None:
            group.closest_entry, group.closest_score = best.entry.id, round(best.score, 1)
    return groups[:MAX_GROUPS]
