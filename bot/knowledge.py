"""Knowledge files: load ``knowledge/*.yml`` into a validated, read-only KnowledgeBase.

Every problem found while loading is reported as a KnowledgeError that names the file,
the line, the entry id and the field, and says what is wrong and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

# Slack's Block Kit limits that an entry must fit (see bot/render/blocks.py).
MAX_QUESTION_CHARS = 150  # a header block's plain_text
MAX_PARAGRAPH_CHARS = 3000  # a section block's text; answers are split per paragraph
MAX_ANSWER_PARAGRAPHS = 40  # 50 blocks per message, less header, context and buttons

# libyaml's parser when PyYAML was built with it (its wheels are): several times faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KNOWLEDGE_DIR_ENV = "SRO_KNOWLEDGE_DIR"
BUNDLED_ENV = "SRO_BUNDLED_KNOWLEDGE"  # "0": SRO_KNOWLEDGE_DIR replaces the bundled knowledge


@dataclass(frozen=True, slots=True)
class Source:
    """Where an entry's words come from; cited under every answer."""

    publisher: str
    title: str
    url: str
    retrieved: dt.date


@dataclass(frozen=True, slots=True)
class Entry:
    """One question and its answer, quoted from a source."""

    id: str
    question: str
    answer: str
    source: Source
    alternates: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    knowledge_id: str = ""


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Every entry of every file in a knowledge directory, in file then source order."""

    entries: tuple[Entry, ...]
    titles: dict[str, str] = field(default_factory=dict)  # knowledge file id -> title
    _by_id: dict[str, Entry] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update((entry.id, entry) for entry in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Distinct sources, in the order entries first cite them."""
        return tuple(dict.fromkeys(entry.source for entry in self.entries))


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a look) in a knowledge file."""

    file: Path
    line: int | None
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}" + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.entry:
            parts.append(f"entry '{self.entry}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts) + f": {self.message}"


class KnowledgeError(Exception):
    """A knowledge directory that cannot be served; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def bundled_knowledge_dir() -> Path:
    """The knowledge shipped with sro-bot: ``knowledge/`` in a checkout, else package data."""
    package = Path(__file__).resolve().parent
    installed = package / "_knowledge"
    if installed.is_dir():
        return installed
    return package.parent / "knowledge"


def knowledge_layers(
    directory: Path | str | None = None, *, bundled: bool | None = None
) -> list[Path]:
    """What to load, in order: the bundled knowledge, then ``directory`` (default
    ``$SRO_KNOWLEDGE_DIR``), whose files add to it, a file with a bundled file's knowledge
    ``id`` replacing that file. ``bundled=False`` (or ``SRO_BUNDLED_KNOWLEDGE=0``) loads
    ``directory`` alone."""
    if directory is None:
        configured = os.environ.get(KNOWLEDGE_DIR_ENV, "").strip()
        directory = configured or None
    if bundled is None:
        bundled = os.environ.get(BUNDLED_ENV, "1").strip() != "0"
    own = bundled_knowledge_dir()
    layers = [own] if bundled or directory is None else []
    if directory is not None and Path(directory).resolve() != own.resolve():
        layers.append(Path(directory))
    return layers


def describe_layers(layers: list[Path]) -> str:
    own = bundled_knowledge_dir()
    return " + ".join(f"bundled ({path})" if path == own else str(path) for path in layers)


def load_knowledge(
    directory: Path | str | None = None, *, bundled: bool | None = None
) -> KnowledgeBase:
    """Load and validate the knowledge of :func:`knowledge_layers`: every ``*.yml`` and
    ``*.yaml`` file of each directory (or one file).

    Raises:
        KnowledgeError: listing every problem, each naming file, line, entry and field.
    """
    located, titles, problems = _read_all(knowledge_layers(directory, bundled=bundled))
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(entries=tuple(entry for entry, _ in located), titles=titles)


def load_layers(layers: list[Path]) -> KnowledgeBase:
    """Load and validate knowledge layered as given (see :func:`knowledge_layers`)."""
    located, titles, problems = _read_all(layers)
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(entries=tuple(entry for entry, _ in located), titles=titles)


def check_knowledge(
    directory: Path | str | None = None, *, bundled: bool | None = None
) -> tuple[list[Problem], list[Problem]]:
    """Validate and lint the knowledge of :func:`knowledge_layers`: (errors, warnings)."""
    located, _, errors = _read_all(knowledge_layers(directory, bundled=bundled))
    return errors, _lint(located)


def entry_locations(
    directory: Path | str | None = None, *, bundled: bool | None = None
) -> dict[str, Problem]:
    """Entry id -> where the entry stands (file, line), as a message-less Problem."""
    located, _, _ = _read_all(knowledge_layers(directory, bundled=bundled))
    return {entry.id: where for entry, where in located}


def source_locations(
    directory: Path | str | None = None, *, bundled: bool | None = None
) -> list[tuple[Source, Problem]]:
    """Every source cited (a file's, an entry's own) and where its ``retrieved`` date stands."""
    files, _ = _layered_files(knowledge_layers(directory, bundled=bundled))
    return [located for file in files for located in _FileReader(file).sources]


# --- reading ------------------------------------------------------------------------------


def knowledge_files(path: Path) -> list[Path]:
    """The knowledge files of a layer: its ``*.yml`` and ``*.yaml`` files, or the file itself."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob("*.y*ml") if p.suffix in (".yml", ".yaml"))


# An entry and where it stands (file, line), for messages about it.
_Located = tuple[Entry, Problem]


_KNOWLEDGE_ID = re.compile(r"^id:\s*['\"]?([^'\"#\s]+)", re.MULTILINE)


def _layered_files(layers: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The files of every layer; a later layer's file with an earlier file's knowledge id
    replaces it (a checkout's edited ``knowledge/`` over the installed copy)."""
    by_id: dict[str, Path] = {}
    problems = []
    for path in layers:
        if not path.exists():
            problems.append(Problem(path, None, None, None, "no such file or directory"))
            continue
        files = knowledge_files(path)
        if not files:
            problems.append(Problem(path, None, None, None, "no *.yml knowledge files here"))
        for file in files:
            try:
                found = _KNOWLEDGE_ID.search(file.read_text("utf-8", errors="replace"))
            except OSError:
                found = None
            by_id[found.group(1) if found else str(file)] = file
    return list(by_id.values()), problems


def _read_all(layers: list[Path]) -> tuple[list[_Located], dict[str, str], list[Problem]]:
    files, problems = _layered_files(layers)
    if problems:
        return [], {}, problems
    readers = [_FileReader(file) for file in files]
    problems: list[Problem] = []
    located: list[_Located] = []
    titles: dict[str, str] = {}
    first_file: dict[str, Path] = {}
    for reader in readers:
        problems.extend(reader.problems)
        if reader.knowledge_id:
            titles[reader.knowledge_id] = reader.title
        for entry, node in reader.entries:
            if entry.id in first_file:
                problems.append(
                    reader.problem(
                        node,
                        entry.id,
                        "id",
                        f"duplicate id: already used in {first_file[entry.id]}; ids must be "
                        "unique across all knowledge files",
                    )
                )
                continue
            first_file[entry.id] = reader.file
            located.append((entry, reader.problem(node, entry.id, None, "")))
    # Follow-ups may point into other files, so they are checked once every file is read.
    for reader in readers:
        for entry, node in reader.entries:
            for i, target in enumerate(entry.follow_ups):
                if target == entry.id:
                    message = "points at the entry itself; name a related entry instead"
                elif target not in first_file:
                    message = f"'{target}' is not the id of any entry; use an existing id"
                else:
                    continue
                problems.append(
                    reader.problem(
                        _child(node, "follow_ups", i), entry.id, f"follow_ups[{i}]", message
                    )
                )
    return located, titles, problems


def _child(node: yaml.Node | None, *path: str | int) -> yaml.Node | None:
    """The YAML node at ``path`` below ``node`` (mapping keys or sequence indexes), if any."""
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            node = next((v for k, v in node.value if getattr(k, "value", None) == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if step < len(node.value) else None
        else:
            return None
    return node


def _type_name(value: Any) -> str:
    return {str: "text", list: "a list", dict: "a mapping", type(None): "empty"}.get(
        type(value), type(value).__name__
    )


class _FileReader:
    """Reads one knowledge file, collecting entries and problems (never raising)."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.entries: list[tuple[Entry, yaml.Node | None]] = []
        self.sources: list[tuple[Source, Problem]] = []
        self.knowledge_id = ""
        self.title = ""
        self._read()

    def problem(
        self, node: yaml.Node | None, entry: str | None, field: str | None, message: str
    ) -> Problem:
        line = node.start_mark.line + 1 if node is not None else None
        return Problem(self.file, line, entry, field, message)

    def _add(self, node: yaml.Node | None, entry: str | None, field: str | None, msg: str) -> None:
        self.problems.append(self.problem(node, entry, field, msg))

    def _read(self) -> None:
        try:
            text = self.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self._add(None, None, None, f"cannot read the file: {error}")
            return
        loader = YAML_LOADER(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            what = getattr(error, "problem", None) or str(error)
            self.problems.append(
                Problem(self.file, line, None, None, f"YAML syntax error: {what}; fix the syntax")
            )
            return
        finally:
            loader.dispose()
        if not isinstance(data, dict):
            self._add(root, None, None, f"the file must be a mapping, not {_type_name(data)}")
            return
        self.knowledge_id = self._text(data, root, None, "id", slug=True) or ""
        self.title = self._text(data, root, None, "title") or ""
        language = data.get("language")
        if language is not None and not isinstance(language, str):
            self._add(_child(root, "language"), None, "language", "must be text such as 'en'")
        for key in sorted(set(data) - _FILE_FIELDS, key=str):
            self._add(
                _child(root, key),
                None,
                str(key),
                f"unknown field; a knowledge file takes {', '.join(sorted(_FILE_FIELDS))}",
            )
        file_source = self._source(
            data.get("source"), _child(root, "source") or root, None, "source"
        )
        raw_entries = data.get("entries")
        entries_node = _child(root, "entries")
        if not isinstance(raw_entries, list) or not raw_entries:
            self._add(
                entries_node or root, None, "entries", "required: a non-empty list of entries"
            )
            return
        for index, raw in enumerate(raw_entries):
            node = _child(entries_node, index)
            entry = self._entry(raw, node, index, file_source)
            if entry is not None:
                self.entries.append((entry, node))

    def _text(
        self,
        data: dict,
        node: yaml.Node | None,
        entry: str | None,
        key: str,
        *,
        prefix: str = "",
        required: bool = True,
        slug: bool = False,
    ) -> str | None:
        value = data.get(key)
        field_name = prefix + key
        where = _child(node, key) or node
        if value is None:
            if required:
                self._add(where, entry, field_name, "required field is missing or empty")
            return None
        if not isinstance(value, str):
            self._add(where, entry, field_name, f"must be text, not {_type_name(value)}")
            return None
        value = value.strip()
        if not value:
            self._add(where, entry, field_name, "must not be empty")
            return None
        if slug and not SLUG.match(value):
            self._add(
                where,
                entry,
                field_name,
                f"'{value}' is not a slug: use lowercase letters, digits and single hyphens",
            )
            return None
        return value

    def _text_list(self, data: dict, node: yaml.Node | None, entry: str, key: str) -> tuple:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self._add(_child(node, key), entry, key, f"must be a list, not {_type_name(value)}")
            return ()
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self._add(_child(node, key, i), entry, f"{key}[{i}]", "must be non-empty text")
                continue
            items.append(item.strip())
        return tuple(items)

    def _source(
        self, raw: Any, node: yaml.Node | None, entry: str | None, key: str
    ) -> Source | None:
        if not isinstance(raw, dict):
            what = "required field is missing" if raw is None else "must be a mapping"
            self._add(
                node,
                entry,
                key,
                f"{what}: give publisher, title, url and retrieved (a date, YYYY-MM-DD)",
            )
            return None
        publisher = self._text(raw, node, entry, "publisher", prefix=f"{key}.")
        title = self._text(raw, node, entry, "title", prefix=f"{key}.")
        url = self._text(raw, node, entry, "url", prefix=f"{key}.")
        if url and not url.startswith(("https://", "http://")):
            self._add(_child(node, "url"), entry, f"{key}.url", "must start with https://")
            url = None
        retrieved = raw.get("retrieved")
        if isinstance(retrieved, str):
            try:
                retrieved = dt.date.fromisoformat(retrieved.strip())
            except ValueError:
                retrieved = None
        if isinstance(retrieved, dt.datetime):
            retrieved = retrieved.date()
        if not isinstance(retrieved, dt.date):
            self._add(
                _child(node, "retrieved") or node,
                entry,
                f"{key}.retrieved",
                "required: the date the source was retrieved, as YYYY-MM-DD",
            )
            return None
        if publisher and title and url:
            source = Source(publisher=publisher, title=title, url=url, retrieved=retrieved)
            where = _child(node, "retrieved") or node
            self.sources.append((source, self.problem(where, entry, f"{key}.retrieved", "")))
            return source
        return None

    def _entry(
        self, raw: Any, node: yaml.Node | None, index: int, file_source: Source | None
    ) -> Entry | None:
        if not isinstance(raw, dict):
            self._add(node, None, f"entries[{index}]", "each entry must be a mapping")
            return None
        before = len(self.problems)
        entry_id = self._text(raw, node, f"entries[{index}]", "id", slug=True)
        label = entry_id or f"entries[{index}]"
        question = self._text(raw, node, label, "question")
        if question and len(question) > MAX_QUESTION_CHARS:
            self._add(
                _child(node, "question"),
                label,
                "question",
                f"{len(question)} characters; Slack headers take at most {MAX_QUESTION_CHARS}",
            )
        answer = self._text(raw, node, label, "answer")
        if answer:
            self._check_answer_length(answer, _child(node, "answer"), label)
        alternates = self._text_list(raw, node, label, "alternates")
        tags = self._text_list(raw, node, label, "tags")
        follow_ups = self._text_list(raw, node, label, "follow_ups")
        source = file_source
        if "source" in raw:
            source = self._source(raw["source"], _child(node, "source"), label, "source")
        unknown = sorted(set(raw) - _ENTRY_FIELDS)
        for key in unknown:
            self._add(
                _child(node, key),
                label,
                str(key),
                f"unknown field; entries take {', '.join(sorted(_ENTRY_FIELDS))}",
            )
        if len(self.problems) > before or not (entry_id and question and answer and source):
            return None
        return Entry(
            id=entry_id,
            question=question,
            answer=answer,
            source=source,
            alternates=alternates,
            tags=tags,
            follow_ups=follow_ups,
            knowledge_id=self.knowledge_id,
        )

    def _check_answer_length(self, answer: str, node: yaml.Node | None, label: str) -> None:
        paragraphs = [p for p in re.split(r"\n\s*\n", answer) if p.strip()]
        if len(paragraphs) > MAX_ANSWER_PARAGRAPHS:
            self._add(
                node,
                label,
                "answer",
                f"{len(paragraphs)} paragraphs; a Slack message holds at most "
                f"{MAX_ANSWER_PARAGRAPHS}: split the entry",
            )
        for number, paragraph in enumerate(paragraphs, 1):
            if len(paragraph) > MAX_PARAGRAPH_CHARS:
                self._add(
                    node,
                    label,
                    "answer",
                    f"paragraph {number} has {len(paragraph)} characters; a Slack section "
                    f"holds at most {MAX_PARAGRAPH_CHARS}: break it with a blank line",
                )


_FILE_FIELDS = frozenset({"id", "title", "language", "source", "entries"})
_ENTRY_FIELDS = frozenset(
    {"id", "question", "answer", "alternates", "tags", "follow_ups", "source"}
)


# --- lint ---------------------------------------------------------------------------------

NEAR_DUPLICATE_SCORE = 90  # rapidfuzz token_sort_ratio at which two phrasings look the same


def _lint(located: list[_Located]) -> list[Problem]:
    from rapidfuzz import fuzz, utils

    warnings: list[Problem] = []
    phrasings = [
        (entry, text, utils.default_process(text))
        for entry, _ in located
        for text in (entry.question, *entry.alternates)
    ]
    for entry, place in located:
        if not entry.alternates:
            warnings.append(
                replace(
                    place,
                    field="alternates",
                    message="no alternates: add the other ways people ask this question",
                )
            )
        for i, alternate in enumerate(entry.alternates):
            mine = utils.default_process(alternate)
            for other, text, theirs in phrasings:
                if other.id == entry.id:
                    continue
                score = fuzz.token_sort_ratio(mine, theirs)
                if score >= NEAR_DUPLICATE_SCORE:
                    warnings.append(
                        replace(
                            place,
                            field=f"alternates[{i}]",
                            message=f"'{alternate}' is nearly identical ({score:.0f}/100) to "
                            f"'{text}' of entry '{other.id}': the matcher may confuse them",
                        )
                    )
    return warnings
