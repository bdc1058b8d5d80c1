"""Whether a message asks who the officer at the asker's own school is, or how to reach them.

No FAQ can answer that: the knowledge is general, and the bot does not know which school
the asker means. Such a question gets a pointer to the school instead of a definition.
"""

from __future__ import annotations

import re

from bot.text import words

# "who is", "name of", "contact": the ask, followed closely by the officer it is about.
_ASKS = (
    ("who", "is"), ("who", "are"), ("whos",), ("name", "of"), ("names", "of"),
    ("contact",), ("reach",), ("email",), ("phone", "number"), ("number", "for"),
    ("get", "in", "touch", "with"), ("get", "hold", "of"),
)  # fmt: skip
_OFFICER = frozenset(
    ("sro", "sros", "officer", "officers", "cop", "cops", "deputy", "deputies", "policeman")
)
_BETWEEN_ASK_AND_OFFICER = 4  # "who is [the school resource] officer", "contact [our] sro"
# Words that may stand between the ask and the officer: "who is [the school resource] officer".
_BEFORE_OFFICER = frozenset(
    ("the", "a", "an", "our", "my", "school", "resource", "campus", "local", "police",
     "kid", "kids", "son", "daughter", "child", "children", "new", "current")
)  # fmt: skip
# What ties the officer to a school after it: "the officer [at / assigned to] my son's school".
_TIES = frozenset(("at", "in", "for", "of", "assigned", "here", "on"))
_AFTER_OFFICER = 6
_OWN = frozenset(("our", "my", "here"))
_SCHOOL_KINDS = frozenset(
    ("high", "middle", "elementary", "school", "academy", "hs", "ms", "es", "junior", "prep")
)


def asks_about_local_officer(text: str) -> bool:
    """True for "who is our SRO", "how do I contact the officer at Lincoln High"."""
    said = words(_WHO_IS.sub("who is", text))
    for start in range(len(said)):
        ask = next((a for a in _ASKS if tuple(said[start : start + len(a)]) == a), None)
        if ask is None:
            continue
        after_ask = start + len(ask)
        for at in range(after_ask, min(after_ask + _BETWEEN_ASK_AND_OFFICER, len(said))):
            if said[at] in _OFFICER:
                if _names_a_school(said[after_ask:at]):
                    return True
                after = said[at + 1 : at + 1 + _AFTER_OFFICER]
                return bool(after) and after[0] in _TIES and _names_a_school(after)
            if said[at] not in _BEFORE_OFFICER:
                break
    return False


def _names_a_school(phrase: list[str]) -> bool:
    """Whose school: "our", "my", "here", "this school" or "at <name> high"."""
    if _OWN.intersection(phrase):
        return True
    joined = " ".join(phrase)
    return "this school" in joined or bool(_AT_NAMED_SCHOOL.search(joined))


_WHO_IS = re.compile(r"\bwho[\u2019']s\b", re.IGNORECASE)  # words() reads "'s" as possessive
_AT_NAMED_SCHOOL = re.compile(r"\bat \w+(?: \w+)? (?:" + "|".join(_SCHOOL_KINDS) + r")\b")
