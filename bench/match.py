"""Answering latency, adversarial input and `sro-bot ask` cold start, beside baselines.

Run from a checkout: ``.venv/bin/python bench/match.py``. Prints, per knowledge base (the
bundled one, and synthetic ones of 1,000 and 10,000 entries generated here from a seeded
random generator), the build time and per-question latency of the whole answer (safety
check, lexical matcher and, where it is used, the entry model: mean, p50, p99 in
microseconds) beside rapidfuzz ``process.extractOne`` over the same questions; then the
same for 40,000-character adversarial messages; then the wall time of ``python -m bot
ask`` beside a bare ``python -c pass``.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import process, utils  # noqa: E402

from bot.answering import Answerer  # noqa: E402
from bot.knowledge import Entry, KnowledgeBase, Source, load_knowledge  # noqa: E402

SEED = 20261127
SYNTHETIC_SIZES = (1_000, 10_000)
ROUNDS = 15  # each query is timed this many times (in a shuffled order per round)
WARMUP_ROUNDS = 2
COLD_START_RUNS = 10
TARGET_BUNDLED_P99_US = 20_000.0
TARGET_10K_P99_US = 20_000.0
TARGET_ADVERSARIAL_P99_US = 50_000.0
TARGET_COLD_START_S = 1.5
ADVERSARIAL_ROUNDS = 5
SLACK_LIMIT = 40_000  # characters in one message
ADVERSARIAL = {
    "repeated if": "if " * (SLACK_LIMIT // 3),
    "repeated clauses": "what if a student has a gun, " * (SLACK_LIMIT // 29),
    "one long token": "a" * SLACK_LIMIT,
    "commas and words": "sro, gun, school, " * (SLACK_LIMIT // 18),
    "punctuation run": "?!.,;:-" * (SLACK_LIMIT // 7),
    "pills clauses": "when he took all of the pills " * (SLACK_LIMIT // 30),
    "many questions": "are SROs armed? " * (SLACK_LIMIT // 16),
    "1 MiB of 'a '": "a " * (1 << 19),
}

# --- queries (written for this benchmark; not taken from any eval set) --------------------

QUERIES = (
    # short
    "sro?",
    "armed?",
    "sro training",
    "nasro certification",
    "arrests",
    "who pays",
    # ordinary
    "what is a school resource officer",
    "do school cops carry guns",
    "how do I become an SRO",
    "does NASRO certify officers?",
    "should SROs arrest students for misbehaviour?",
    "how should an officer respond to an active shooter",
    "is there research showing SROs make schools safer?",
    "what does an sro actually do all day",
    "how many school resource officers are in the country",
    "who decides which officer gets assigned to a school",
    # long, wrapped in context, Slack markup
    "hey <@U024BE7LH> quick q: our school board meets on Thursday and a parent asked me what "
    "the research says about whether having a resource officer on campus reduces violence, "
    "do you know?",
    "So I'm a middle school counselor and we just got a new officer this year, and I'm "
    "trying to understand what his role is supposed to be versus ours when a kid gets in "
    "trouble - is he there to discipline students or not?",
    "<https://nasro.org|NASRO> says something about 40 hours of training before an officer "
    "is assigned to a school, is that a requirement or just a recommendation?",
    "I read on <#C0123|general> that some districts don't let their SROs carry firearms, "
    "is that common, and what does NASRO think about that policy overall?",
    # misspelt
    "waht is an sro",
    "do school resorce oficers cary guns",
    "how to becom a scool polise officer",
    "nasro certfication",
    "shud teachers be armd",
    "reserch on sros and arests",
    # out of scope, near and far
    "how much do SROs get paid",
    "can an sro search my locker without a warrant",
    "what is the SRO overtime policy in our union contract",
    "how many nurses should a school have",
    "what time does the cafeteria open",
    "best pizza near the high school",
    "how do I reset my email password",
    "when is spring break this year",
)


def typo_queries(rng: random.Random, count: int) -> list[str]:
    """Seeded misspellings of the ordinary queries: one dropped, doubled or swapped letter."""
    ordinary = QUERIES[6:16]
    made = []
    for _ in range(count):
        chars = list(rng.choice(ordinary))
        i = rng.randrange(1, len(chars) - 1)
        op = rng.choice(("drop", "double", "swap"))
        if op == "drop":
            del chars[i]
        elif op == "double":
            chars.insert(i, chars[i])
        else:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        made.append("".join(chars))
    return made


# --- synthetic knowledge ------------------------------------------------------------------

SUBJECTS = (
    "school resource officer", "SRO", "campus police", "school counselor", "principal",
    "teacher", "student", "parent", "district", "school board", "superintendent", "nurse",
    "bus driver", "coach", "security guard", "deputy", "sheriff's office", "police department",
    "social worker", "psychologist", "volunteer", "substitute teacher", "custodian", "mentor",
)  # fmt: skip
TOPICS = (
    "training", "certification", "arrest", "discipline", "search", "firearm", "uniform",
    "funding", "salary", "overtime", "schedule", "policy", "contract", "memorandum of "
    "understanding", "complaint", "evaluation", "supervision", "hiring", "selection",
    "background check", "drill", "lockdown", "evacuation", "threat assessment", "bullying",
    "vaping", "truancy", "attendance", "dress code", "cell phone", "social media",
    "cyberbullying", "mental health", "crisis intervention", "de-escalation", "restraint",
    "juvenile court", "diversion", "restorative justice", "records", "privacy", "FERPA",
    "body camera", "patrol car", "radio", "first aid", "naloxone", "traffic", "parking",
    "field trip", "sports event", "graduation", "dance", "summer program", "after-school club",
    "visitor", "ID badge", "camera", "metal detector", "backpack", "locker", "k9 unit",
    "special education", "English learners", "gang activity", "drugs", "alcohol", "weapon",
    "fight", "theft", "vandalism", "graffiti", "trespassing", "reporting", "statistics",
    "research", "survey", "grant", "budget", "community meeting", "newsletter", "mentoring",
)  # fmt: skip
PLACES = (
    "elementary school", "middle school", "high school", "charter school", "campus",
    "classroom", "cafeteria", "gym", "parking lot", "bus stop", "library", "hallway",
    "playground", "rural district", "urban district", "private school", "alternative school",
)  # fmt: skip
VERBS = (
    "handle", "report", "approve", "review", "request", "pay for", "schedule", "document",
    "investigate", "train for", "prepare for", "respond to", "prevent", "limit", "track",
)  # fmt: skip
QUESTION_TEMPLATES = (
    "What is the {topic} policy for a {subject} at a {place}?",
    "Who is responsible for {topic} at the {place}?",
    "How should a {subject} {verb} {topic}?",
    "Does the {subject} {verb} {topic} in the {place}?",
    "When does a {subject} need {topic}?",
    "Can a {subject} {verb} {topic} without the {subject2}?",
    "What {topic} does a {subject} receive?",
    "Is {topic} required for every {subject} in a {place}?",
    "Where can a {subject} learn about {topic} and {topic2}?",
    "Why does the {subject} {verb} {topic} differently at a {place}?",
)
ALTERNATE_TEMPLATES = (
    "{topic} {subject}",
    "{subject} {topic} rules",
    "who handles {topic}",
    "{topic} at the {place}",
    "does the {subject} {verb} {topic}?",
    "how does {topic} work for a {subject}",
    "{topic} and {topic2}",
    "what about {topic} for {subject}s?",
)
ANSWER_SENTENCES = (
    "The {subject} works with the {subject2} on {topic} according to the written agreement.",
    "Most districts {verb} {topic} through a committee that meets each semester.",
    "A {place} usually follows the state guidance on {topic}, adapted to local needs.",
    "Questions about {topic2} go to the {subject2}, who keeps the records.",
    "{Topic} is reviewed every year, and changes are shared with families in the newsletter.",
    "The {subject} should {verb} {topic} only after talking with the {subject2}.",
    "Training on {topic} takes about {hours} hours and is repeated every {years} years.",
    "In {name} County the {subject} handles {topic} at {count} schools.",
    "The {name} program, run with {name}, covers {topic} and {topic2}.",
)
SYLLABLES = (
    "mar", "lo", "ken", "dra", "vel", "tor", "ash", "bri", "quin", "sel", "ford", "ham",
    "wick", "ton", "ber", "ly", "sha", "dun", "pel", "gar",
)  # fmt: skip
PLACE_NAMES = 4_000  # made-up proper nouns (counties, programs): the long tail of rare words
SOURCE = Source(
    publisher="Synthetic Benchmark Publisher",
    title="Generated FAQ",
    url="https://example.org/generated-faq",
    retrieved=dt.date(2026, 1, 1),
)


@cache
def zipf_weights(count: int) -> tuple[float, ...]:
    """Cumulative weights 1/rank: a few items are common and most are rare."""
    return tuple(itertools.accumulate(1 / rank for rank in range(1, count + 1)))


def zipf_choice(rng: random.Random, items: Sequence[str]) -> str:
    return rng.choices(items, cum_weights=zipf_weights(len(items)))[0]


@cache
def place_names(seed: int = SEED) -> tuple[str, ...]:
    rng = random.Random(seed)
    names: dict[str, None] = {}
    while len(names) < PLACE_NAMES:
        names["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()] = None
    return tuple(names)


def fill(rng: random.Random, template: str) -> str:
    name = zipf_choice(rng, place_names())
    topic = zipf_choice(rng, TOPICS)
    return template.format(
        subject=zipf_choice(rng, SUBJECTS),
        subject2=zipf_choice(rng, SUBJECTS),
        topic=topic,
        Topic=topic[0].upper() + topic[1:],
        topic2=zipf_choice(rng, TOPICS),
        place=zipf_choice(rng, PLACES),
        verb=rng.choice(VERBS),
        name=name,
        hours=rng.choice((4, 8, 16, 24, 40)),
        years=rng.choice((1, 2, 3)),
        count=rng.randint(2, 40),
    )


def synthetic_entry(rng: random.Random, index: int) -> Entry:
    # A made-up proper noun makes some words as rare as a real FAQ's names of places.
    question = f"{fill(rng, rng.choice(QUESTION_TEMPLATES))[:-1]} in {fill(rng, '{name}')}?"
    alternates = tuple(fill(rng, t) for t in rng.sample(ALTERNATE_TEMPLATES, rng.randint(1, 5)))
    sentences = rng.sample(ANSWER_SENTENCES, rng.randint(2, 5))
    return Entry(
        id=f"synthetic-{index}",
        question=question,
        answer=" ".join(fill(rng, s) for s in sentences),
        source=SOURCE,
        alternates=alternates,
        tags=tuple({zipf_choice(rng, TOPICS).replace(" ", "-") for _ in range(2)}),
        knowledge_id="synthetic",
    )


def synthetic_knowledge(size: int, seed: int = SEED) -> KnowledgeBase:
    rng = random.Random(seed + size)
    return KnowledgeBase(entries=tuple(synthetic_entry(rng, i) for i in range(size)))


# --- timing -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Latency:
    mean_us: float
    p50_us: float
    p99_us: float


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, round(share * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def time_queries(
    run: Callable[[str], object], queries: Sequence[str], seed: int, rounds: int = ROUNDS
) -> Latency:
    rng = random.Random(seed)
    order = list(queries)
    for _ in range(WARMUP_ROUNDS):
        for query in order:
            run(query)
    samples: list[float] = []
    gc.disable()
    try:
        for _ in range(rounds):
            rng.shuffle(order)
            for query in order:
                start = time.perf_counter_ns()
                run(query)
                samples.append((time.perf_counter_ns() - start) / 1_000)
    finally:
        gc.enable()
    samples.sort()
    return Latency(statistics.fmean(samples), percentile(samples, 0.50), percentile(samples, 0.99))


def build_answerer(knowledge: KnowledgeBase) -> tuple[Answerer, float]:
    start = time.perf_counter()
    answerer = Answerer(knowledge)
    return answerer, time.perf_counter() - start


def baseline(knowledge: KnowledgeBase) -> Callable[[str], object]:
    questions = [entry.question for entry in knowledge]
    return lambda query: process.extractOne(query, questions, processor=utils.default_process)


def cold_start(command: Sequence[str]) -> list[float]:
    times = []
    for _ in range(COLD_START_RUNS):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return times


# --- report -------------------------------------------------------------------------------


def verdict(value: float, limit: float | None) -> str:
    if limit is None:
        return "-"
    return "PASS" if value < limit else "FAIL"


def print_latency_table(rows: list[tuple[str, int, float, Latency, Latency, float | None]]) -> None:
    header = (
        f"{'knowledge':<30} {'entries':>7} {'build ms':>9} | {'answer us':^26} | "
        f"{'extractOne us':^26} | {'p99 ratio':>9} | {'target p99':>10} {'':>4}"
    )
    print(header)
    print(f"{'':<48} | {'mean':>8} {'p50':>8} {'p99':>8} | {'mean':>8} {'p50':>8} {'p99':>8} |")
    print("-" * len(header))
    for name, size, build_s, ours, theirs, target in rows:
        target_text = f"< {target:,.0f} us" if target else "-"
        print(
            f"{name:<30} {size:>7,} {build_s * 1000:>9.1f} | "
            f"{ours.mean_us:>8.1f} {ours.p50_us:>8.1f} {ours.p99_us:>8.1f} | "
            f"{theirs.mean_us:>8.1f} {theirs.p50_us:>8.1f} {theirs.p99_us:>8.1f} | "
            f"{ours.p99_us / theirs.p99_us:>8.1f}x | {target_text:>10} "
            f"{verdict(ours.p99_us, target):>4}"
        )


def latency_rows(queries: Sequence[str]) -> list[tuple]:
    cases = [("bundled", load_knowledge(), TARGET_BUNDLED_P99_US)]
    for size in SYNTHETIC_SIZES:
        target = TARGET_10K_P99_US if size == 10_000 else None
        cases.append((f"synth-{size // 1000}k", synthetic_knowledge(size), target))
    rows = []
    for name, knowledge, target in cases:
        answerer, build_s = build_answerer(knowledge)
        model = "with entry model" if answerer.matcher.classifier else "lexical only"
        ours = time_queries(answerer.answer, queries, SEED)
        theirs = time_queries(baseline(knowledge), queries, SEED)
        rows.append((f"{name} ({model})", len(knowledge), build_s, ours, theirs, target))
    return rows


def print_adversarial() -> None:
    answerer = Answerer.load()
    questions = [entry.question for entry in answerer.knowledge]
    print(f"\nadversarial messages, answered in-process ({ADVERSARIAL_ROUNDS} rounds each)")
    print(f"{'message':<18} {'chars':>9} | {'answer p99 ms':>13} | {'extractOne p99 ms':>17} |")
    for name, text in ADVERSARIAL.items():
        ours = time_queries(answerer.answer, [text], SEED, ADVERSARIAL_ROUNDS)
        theirs = time_queries(
            lambda q: process.extractOne(q, questions, processor=utils.default_process),
            [text],
            SEED,
            ADVERSARIAL_ROUNDS,
        )
        print(
            f"{name:<18} {len(text):>9,} | {ours.p99_us / 1000:>13.1f} | "
            f"{theirs.p99_us / 1000:>17.1f} | target < {TARGET_ADVERSARIAL_P99_US / 1000:.0f} ms "
            f"{verdict(ours.p99_us, TARGET_ADVERSARIAL_P99_US)}"
        )


def print_cold_start() -> None:
    ask = [sys.executable, "-m", "bot", "ask", "what is an sro"]
    bare = [sys.executable, "-c", "pass"]
    print(f"\ncold start, wall time over {COLD_START_RUNS} runs (process start to exit)")
    cases = (("sro-bot ask", ask, TARGET_COLD_START_S), ("python -c pass", bare, None))
    for label, command, target in cases:
        times = cold_start(command)
        median = statistics.median(times)
        target_text = f"target < {target} s {verdict(median, target)}" if target else "baseline"
        print(f"  {label:<14} median {median:.3f} s  max {max(times):.3f} s  {target_text}")


def main() -> None:
    queries = [*QUERIES, *typo_queries(random.Random(SEED), 10)]
    print(f"{len(queries)} queries x {ROUNDS} rounds after {WARMUP_ROUNDS} warm-up rounds")
    print("baseline: rapidfuzz process.extractOne(query, questions, processor=default_process)\n")
    print_latency_table(latency_rows(queries))
    print_adversarial()
    print_cold_start()


if __name__ == "__main__":
    main()
