"""The "Not helpful" modal: what the person was looking for, in their words (optional)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View

from bot import messages

COMMENT_CALLBACK = "sro.feedback.comment"
COMMENT_BLOCK = "comment"
COMMENT_INPUT = "text"
MAX_COMMENT_CHARS = 500


def comment_modal(entry_id: str) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=COMMENT_CALLBACK,
        private_metadata=entry_id[:200],
        title=messages.COMMENT_TITLE,
        submit=messages.COMMENT_SUBMIT,
        close=messages.COMMENT_CLOSE,
        blocks=[
            SectionBlock(text=messages.COMMENT_INTRO),
            InputBlock(
                block_id=COMMENT_BLOCK,
                label=messages.COMMENT_LABEL,
                optional=True,
                element=PlainTextInputElement(
                    action_id=COMMENT_INPUT, multiline=True, max_length=MAX_COMMENT_CHARS
                ),
            ),
        ],
    )
    return view.to_dict()


def comment_of(view: dict[str, Any]) -> str | None:
    """The text typed in a submitted modal, or None (left empty, or a view of another shape)."""
    values = ((view.get("state") or {}).get("values") or {}).get(COMMENT_BLOCK) or {}
    typed = (values.get(COMMENT_INPUT) or {}).get("value") if isinstance(values, dict) else None
    if not isinstance(typed, str) or not typed.strip():
        return None
    return typed.strip()[:MAX_COMMENT_CHARS]
