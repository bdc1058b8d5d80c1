"""Words the bot says to people, kept in one place so every adapter says the same."""

CRISIS_VIOLENCE = (
    "If someone is in danger right now, call 911 now. "
    "Follow your school's emergency procedures (lockdown, evacuate, shelter). "
    "This bot cannot alert anyone, call for help or notify your school resource officer."
)
CRISIS_SELF_HARM = (
    "If you or someone else may be about to get hurt, call 911 now. "
    "To talk to someone, call or text 988 (the Suicide & Crisis Lifeline), any time. "
    "This bot cannot alert anyone or call for help."
)
NO_MATCH = "I don't have a good answer to that in my knowledge."
SUGGEST = "I'm not sure which of these you mean:"
TOPICS_HINT = "Some questions I can answer:"


def crisis_message(kind: str | None) -> str:
    return CRISIS_SELF_HARM if kind == "self_harm" else CRISIS_VIOLENCE
