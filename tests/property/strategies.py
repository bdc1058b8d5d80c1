"""Text strategies shared by the property tests: what people type into Slack, and worse."""

from __future__ import annotations

from hypothesis import strategies as st

# Invisible characters: zero-width and bidi marks, BOM, soft hyphen, C0 controls and DEL.
INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066"]
INVISIBLES += ["\u2069", "\ufeff", "\u00ad", "\x00", "\x07", "\x1b", "\x7f", "\r", "\x0b"]
# Combining marks, ligatures and full-width forms (NFKC), emoji, other scripts, escapes.
ODD = [*INVISIBLES, "\u0301", "\ufb01", "\uff33\uff32\uff2f", "\U0001f46e\u200d\u2640\ufe0f"]
ODD += ["\u0645\u0631\u062d\u0628\u0627", "\u8b66\u5bdf", "\u0130", "\u00df", "&amp;", "&lt;"]
# Slack markup that must never ping or link when echoed, then Markdown and code.
MARKUP = ["<!channel>", "<!here>", "<!everyone>", "<@U123>", "<@U123|pat>", "<#C123|general>"]
MARKUP += ["<https://x.example|y>", "<mailto:a@b.c|mail>", "<!subteam^S1|@team>", "@srobot"]
MARKUP += ["`code`", "```\nfence\n```", "**bold**", "> quote", "[x](https://y)", "<", ">"]
DOMAIN = ["what is an SRO?", "are SROs armed", "school resource officer", "how many officers"]
DOMAIN += ["help", "topics", "911", "gun", "arrest", "training", "?"]

PIECES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(ODD),
    st.sampled_from(MARKUP),
    st.sampled_from(DOMAIN),
    st.just(" "),
)
# Any message: arbitrary Unicode, or odd pieces glued together or spaced apart.
MESSAGES = st.one_of(
    st.text(max_size=400),
    st.lists(PIECES, max_size=30).map("".join),
    st.lists(PIECES, max_size=30).map(" ".join),
)
# One huge message: a few pieces repeated up to thousands of times.
HUGE = st.builds(
    lambda piece, count: piece * count,
    st.lists(PIECES, min_size=1, max_size=8).map("".join),
    st.integers(1, 3000),
)
