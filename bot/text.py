"""Text normalisation shared by the matcher and the safety check.

Turns what a person typed in Slack into plain lowercase words: Unicode folded, Slack
markup (mentions, channel links, ``<url|label>`` links, special mentions) reduced to what
a reader sees, invisible and control characters dropped, punctuation turned to spaces.
"""

from __future__ import annotations

import re
import unicodedata

# <@U123>, <@U123|name>, <#C123|general>, <!here>, <!subteam^S1|@team>: nothing to match on.
_SLACK_REFERENCE = re.compile(r"<[@#!][^<>]*>")
# <https://example.com|label> -> label; <https://example.com> -> dropped.
_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^<>|]*(?:\|([^<>]*))?>")
# A bare @handle at the start of a message ("@srobot what is ...").
_HANDLE = re.compile(r"(?:^|\s)@[\w.\-]+")
# Upper-case "US"/"U.S." is the country, lower-case "us" is a pronoun.
_COUNTRY = re.compile(r"\bU\.?S\.?(?:A\.?)?(?=\W|$)")
# "can't", "won't", "shan't", "ain't" lose more than "n't": restore the whole verb.
_IRREGULAR_NEGATION = re.compile(r"\b(ca|wo|sha|ai)n['\u2019]t\b", re.IGNORECASE)
_NEGATED_VERB = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
_CONTRACTION = re.compile(r"n['\u2019]t\b")
# "they'll" says "will" (a threat reads differently without it); "'s" may be "is" or a
# possessive, so it is only dropped.
_VERB_CONTRACTION = re.compile(r"['\u2019](re|ve|ll|m)\b", re.IGNORECASE)
_VERBS = {"re": " are", "ve": " have", "ll": " will", "m": " am"}
_POSSESSIVE = re.compile(r"['\u2019](?:s|d)\b")
_NON_WORD = re.compile(r"[^\w]+|_+")
# ASCII bytes to what _NON_WORD and casefold make of them: letters lowercase, digits
# kept, everything else (the underscore too) a space.
_ASCII_WORDS = bytes(c if chr(c).isalnum() else 32 for c in range(128)).lower() + bytes(128)
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})


# ASCII control characters but tab and newline: the only invisible ones plain ASCII has.
_ASCII_CONTROL = dict.fromkeys([*range(0, 9), *range(11, 32), 127])


def strip_invisible(text: str) -> str:
    """Drop control, format (zero-width, bidi) and unassigned characters; keep line breaks."""
    if text.isascii():
        return text.translate(_ASCII_CONTROL)
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )


def plain_text(text: str) -> str:
    """What a reader sees of a Slack message: markup reduced, invisibles dropped, NFKC."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = strip_invisible(text)
    if "<" in text:
        text = _SLACK_LINK.sub(lambda m: f" {m.group(1) or ''} ", text)
        text = _SLACK_REFERENCE.sub(" ", text)
    if "&" in text:
        # Slack escapes only these three; "&amp;" last so a typed "&lt;" stays "&lt;".
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Lowercase words of a message, after :func:`plain_text`."""
    text = plain_text(text)
    if "@" in text:
        text = _HANDLE.sub(" ", text)
    if "U" in text:
        text = _COUNTRY.sub(" usa ", text)
    if "'" in text or "\u2019" in text:
        text = _IRREGULAR_NEGATION.sub(lambda m: f"{_NEGATED_VERB[m.group(1).lower()]} not", text)
        text = _CONTRACTION.sub(" not", text)
        text = _VERB_CONTRACTION.sub(lambda m: _VERBS[m.group(1).lower()], text)
        text = _POSSESSIVE.sub("", text)
    if "%" in text:
        text = text.replace("%", " percent ")
    if text.isascii():
        return text.encode().translate(_ASCII_WORDS).decode().split()
    return _NON_WORD.sub(" ", text.casefold()).split()
