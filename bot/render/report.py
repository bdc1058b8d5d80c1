"""``sro-bot report`` as text, JSON or CSV, and its alternates as YAML to paste."""

from __future__ import annotations

import csv
import io
import json

import yaml

from bot.render.mrkdwn import escape, truncate
from bot.store.report import Group, Report

MAX_WORDINGS_SHOWN = 3
MAX_GROUPS_SHOWN = 5


def report_text(report: Report) -> str:
    lines = [f"sro-bot report, {report.since} to {report.until} (UTC)", ""]
    lines.append(f"questions asked: {report.questions}")
    for decision in ("answer", "suggest", "no_match", "local", "crisis"):
        n = report.decisions.get(decision, 0)
        lines.append(f"  {decision:<9} {n:>6}  {report.rate(decision):6.1%}")
    lines.append(
        f"safety: {report.safety.get('crisis', 0)} read as emergencies, "
        f"{report.safety.get('notice', 0)} given the notice"
    )
    lines += ["", "most answered entries:"]
    lines += [f"  {n:>6}  {entry}" for entry, n in report.top_entries] or ["  (none)"]
    lines += ["", "feedback per entry (helpful / not helpful):"]
    entries = sorted(set(report.helpful) | set(report.not_helpful))
    lines += [
        f"  {report.helpful.get(e, 0):>4} / {report.not_helpful.get(e, 0):<4} {e}" for e in entries
    ] or ["  (none)"]
    if report.not_helpful_questions:
        lines += ["", "questions whose answer was not helpful:"]
        lines += [f"  [{entry}] {text}" for entry, text in report.not_helpful_questions]
    if report.comments:
        lines += ["", "what people said they were looking for:"]
        lines += [f"  [{entry}] {text}" for entry, text in report.comments]
    lines += ["", "unanswered questions, grouped (count, closest entry and score):"]
    lines += [_group_line(g) for g in report.unanswered] or ["  (none)"]
    return "\n".join(lines)


def _group_line(group: Group) -> str:
    closest = (
        f"{group.closest_entry} ({group.closest_score:g})"
        if group.closest_entry
        else "nothing close"
    )
    shown = " | ".join(group.texts[:MAX_WORDINGS_SHOWN])
    more = (
        f" (+{len(group.texts) - MAX_WORDINGS_SHOWN} more wordings)" if len(group.texts) > 3 else ""
    )
    return f"  {group.count:>4}  {shown}{more}\n        closest: {closest}"


def report_json(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)


def report_csv(report: Report) -> str:
    """One table: section, item, count, detail."""
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["section", "item", "count", "detail"])
    rows.writerow(["summary", "questions", report.questions, f"{report.since}/{report.until}"])
    rows.writerows(["decision", d, n, ""] for d, n in sorted(report.decisions.items()))
    rows.writerows(["safety", s, n, ""] for s, n in sorted(report.safety.items()))
    rows.writerows(["top_entry", e, n, ""] for e, n in report.top_entries)
    rows.writerows(["helpful", e, n, ""] for e, n in sorted(report.helpful.items()))
    rows.writerows(["not_helpful", e, n, ""] for e, n in sorted(report.not_helpful.items()))
    rows.writerows(["not_helpful_question", e, 1, t] for e, t in report.not_helpful_questions)
    rows.writerows(["comment", e, 1, t] for e, t in report.comments)
    for group in report.unanswered:
        closest = f"{group.closest_entry} {group.closest_score:g}" if group.closest_entry else ""
        rows.writerow(["unanswered", " | ".join(group.texts), group.count, closest])
    return out.getvalue()


def alternates_yaml(report: Report, homes: dict[str, str], plausible: float) -> str:
    """For each group whose closest entry scores at least ``plausible``, its wordings as a
    YAML list to paste under that entry's ``alternates`` (``homes``: entry id -> file)."""
    parts = []
    for group in report.unanswered:
        if group.closest_entry is None or (group.closest_score or 0) < plausible:
            continue
        where = homes.get(group.closest_entry, "?")
        parts.append(
            f"# entry '{group.closest_entry}' in {where}: asked {group.count} time(s), "
            f"closest score {group.closest_score:g}. Paste under its `alternates:`, "
            "keeping the ones that entry truly answers.\n"
            + yaml.safe_dump(group.texts, allow_unicode=True, default_flow_style=False, width=1000)
        )
    return "\n".join(parts) if parts else "# no unanswered group has a plausible entry\n"


def summary_blocks(report: Report, title: str) -> list[dict]:
    """The report in a few Block Kit blocks: a digest message, or the maintainers' part of
    App Home. Questions people typed are quoted in ``verbatim`` text: never a ping."""
    asked = report.questions
    figures = (
        f"*{asked}* questions: {report.rate('answer'):.0%} answered, "
        f"{report.rate('suggest'):.0%} offered choices, {report.rate('no_match'):.0%} not "
        f"answered; {report.safety.get('crisis', 0)} read as emergencies. "
        f"Not helpful: {sum(report.not_helpful.values())}."
    )
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": figures}},
    ]
    if report.unanswered:
        lines = [
            f"\u2022 {g.count}\u00d7 {escape(truncate(g.texts[0], 150))}"
            + (f" (closest: `{g.closest_entry}`)" if g.closest_entry else "")
            for g in report.unanswered[:MAX_GROUPS_SHOWN]
        ]
        text = "*Most asked without an answer*\n" + "\n".join(lines)
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}
        )
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "More: `sro-bot report --since 7d`"}],
        }
    )
    return blocks


def with_maintainers_section(home: dict, section: list[dict], max_blocks: int = 100) -> dict:
    """App Home for a maintainer: their section first, then the usual view; topic buttons
    at its end give way when Slack's block limit would be passed."""
    blocks = [*section, {"type": "divider"}, *home["blocks"]]
    excess = len(blocks) - max_blocks
    while excess > 0:
        last_row = max(i for i, b in enumerate(blocks) if b["type"] == "actions")
        del blocks[last_row]
        excess -= 1
    return {**home, "blocks": blocks}
