"""Slack mrkdwn: escape people's words, convert knowledge Markdown, cut text to Slack's limits."""

from __future__ import annotations

import re
from collections.abc import Iterator

ELLIPSIS = "\u2026"

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]\n]+)\]\((\S+?)\)")
_BULLET = re.compile(r"^(\s*)[-*+]\s+", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_BOLD_MARK = "\x00"  # stands in for a bold '*' while single-star italics are converted
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so Slack shows them and never reads a mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    """Convert the Markdown used in knowledge answers to Slack mrkdwn.

    Bold (``**x**``), italics (``*x*``), links (``[label](url)``), bullets (``- x``) and
    headings (``# x``) are converted; everything else is escaped and kept as written.
    """
    text = escape(markdown)
    text = _HEADING.sub(lambda m: f"{_BOLD_MARK}{m.group(1)}{_BOLD_MARK}", text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}\u2022 ", text)
    text = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(1) or m.group(2)}{_BOLD_MARK}", text)
    text = _ITALIC.sub(r"_\1_", text)
    text = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1).replace('|', '/')}>", text)
    return text.replace(_BOLD_MARK, "*")


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + ELLIPSIS


def sections(text: str, limit: int) -> list[str]:
    """Pack paragraphs into as few pieces of at most ``limit`` characters as fit.

    Pieces break on paragraph boundaries; a paragraph longer than ``limit`` breaks on line,
    then sentence, then word boundaries.
    """
    pieces: list[str] = []
    current = ""
    for paragraph in _paragraphs(text, limit):
        joined = f"{current}\n\n{paragraph}" if current else paragraph
        if len(joined) <= limit:
            current = joined
        else:
            pieces.append(current)
            current = paragraph
    if current:
        pieces.append(current)
    return pieces


def _paragraphs(text: str, limit: int) -> Iterator[str]:
    for paragraph in _PARAGRAPH_BREAK.split(text.strip()):
        paragraph = paragraph.strip("\n").rstrip()
        if paragraph:
            yield from _split_long(paragraph, limit)


def _split_long(text: str, limit: int) -> Iterator[str]:
    """Cut at the last line break, else sentence end, else space within ``limit``.

    A cut never falls inside a ``<url|label>`` link or an ``&amp;``-style entity, which
    Slack would otherwise show as raw text on both sides of the cut.
    """
    while len(text) > limit:
        cut = _cut(text[:limit])
        yield text[:cut].rstrip()
        text = text[cut:].lstrip()
    if text:
        yield text


def _cut(window: str) -> int:
    """Where to cut ``window``: after its last separator outside markup, else at its end."""
    for separator in ("\n", ". ", " "):
        found = window.rfind(separator)
        while found > 0:
            opening = _open_link(window, found)
            if opening < 0:
                return found + len(separator)
            found = window.rfind(separator, 0, opening)
    end = len(window)
    opening = _open_link(window, end)
    if opening > 0:
        return opening
    entity = window.rfind("&", max(0, end - len("&amp;") + 1))
    return entity if entity > 0 and ";" not in window[entity:] else end


def _open_link(window: str, at: int) -> int:
    """The index of the ``<`` of a link still open at ``at``, or -1."""
    opening = window.rfind("<", 0, at)
    return opening if opening > window.rfind(">", 0, at) else -1
