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
SAFETY_NOTICE_VIOLENCE = (
    "If this is happening now or someone is in danger, call 911 now. "
    "This bot cannot alert anyone. If you are asking in general, the answer is below."
)
SAFETY_NOTICE_SELF_HARM = (
    "If you or someone you know may be thinking about suicide or self-harm, call or text "
    "988 (the Suicide & Crisis Lifeline), any time; if someone is in danger now, call 911. "
    "This bot cannot alert anyone. If you are asking in general, the answer is below."
)
THANKS_REPLY = "You're welcome. Ask me anything else about school resource officers."
HELP_TERMINAL = (
    'Ask me about school resource officers, for example: sro-bot ask "are SROs armed?". '
    'Say "topics" to see every question I can answer. Every answer quotes its source. '
    "I am not an emergency service: if someone is in danger, call 911."
)
NO_MATCH = "I don't have a good answer to that in my knowledge."
LOCAL_OFFICER = (
    "I can't tell who the school resource officer at your school is, or how to reach them: "
    "I answer general questions from published FAQs. Your school's front office or your "
    "district can tell you, or the police or sheriff's department that assigns the officer. "
    "If someone is in danger now, call 911."
)
SUGGEST = "I'm not sure which of these you mean:"
TOPICS_HINT = "Some questions I can answer:"

# "Why this answer?" (bot/explain.py): labels, then what each says.
EXPLAIN_TITLE = "Why this answer"
EXPLAIN_MATCHED = "Matched"
EXPLAIN_CLOSEST = "Closest"
EXPLAIN_SCORE = "Score"
EXPLAIN_RUNNER_UP = "Runner-up"
EXPLAIN_CHOSEN_BY = "Chosen by"
EXPLAIN_ALSO = "Also answered (other questions in the message)"
EXPLAIN_WHY = "Why"
EXPLAIN_SAFETY = "Safety"
EXPLAIN_QUESTION = '"{question}" (the entry\'s question)'
EXPLAIN_ALTERNATE = '"{phrasing}", another wording of "{question}"'
EXPLAIN_OF_100 = "{:.1f} of 100"
EXPLAIN_ENTRY_SCORE = '"{question}", {score:.1f}'
EXPLAIN_BY_WORDS = "the words (the lexical matcher)"
EXPLAIN_BY_MODEL = "the entry model"
EXPLAIN_BY_MODEL_PROBABILITY = "the entry model, probability {:.2f}"
EXPLAIN_ANSWERED = "It scored at least {answer:g} and led the runner-up by at least {margin:g}."
EXPLAIN_MODEL = (
    "The entry model (fitted on every entry's question and alternates) chose it; "
    "the words alone did not settle on it."
)
EXPLAIN_CLOSE = (
    "The best led the runner-up by {lead:.1f}, less than the {margin:g} an answer needs, "
    "so the closest questions are offered."
)
EXPLAIN_SUGGEST_LOW = (
    "The best scored {score:.1f}, under the {answer:g} an answer needs; "
    "questions scoring {suggest:g} or more are offered."
)
EXPLAIN_NO_MATCH_LOW = "The closest scored {score:.1f}, under the {suggest:g} needed to offer it."
EXPLAIN_WITHDRAWN = (
    "The words pointed to it, but the entry model read the question as one the knowledge "
    "does not answer."
)
EXPLAIN_OFF_SUBJECT = "No entry uses its words, or none of them is about school resource officers."
EXPLAIN_NO_WORDS = "It has no words to match (only greetings, filler or function words)."
EXPLAIN_LOCAL = "It asks who serves a particular school, which general FAQ knowledge cannot know."
EXPLAIN_CRISIS = "It reads as an emergency happening now, so no FAQ answer is given."
EXPLAIN_SAFETY_NONE = "none"
EXPLAIN_SAFETY_NOTICE = "notice ({kind}): the 911/988 notice comes first, then the answer"
EXPLAIN_SAFETY_CRISIS = "crisis ({kind}): it reads as an emergency, so no FAQ answer is given"


def crisis_message(kind: str | None) -> str:
    return CRISIS_SELF_HARM if kind == "self_harm" else CRISIS_VIOLENCE


def safety_notice(kind: str | None) -> str:
    return SAFETY_NOTICE_SELF_HARM if kind == "self_harm" else SAFETY_NOTICE_VIOLENCE


# --- Slack -------------------------------------------------------------------------------

COMMAND = "/sro"
NO_MATCH_ECHO = "You asked:"
NO_MATCH_HINT_COMMAND = "Try `/sro topics` to see every question I can answer."
NO_MATCH_HINT_MESSAGE = "Say `topics` to see every question I can answer."
SHOW_TOPICS = "Show topics"
SHARE = "Share in channel"
HELPFUL = "Helpful"
NOT_HELPFUL = "Not helpful"
FOLLOW_UPS = "Related questions:"
TOPICS_TITLE = "Questions I can answer"
TOPICS_INTRO = "Every question in my knowledge. Pick one to see its answer:"
SHARED_BY = "Shared by <@{user}>"
FEEDBACK_THANKS_HELPFUL = "Thanks, glad it helped."
FEEDBACK_THANKS_NOT_HELPFUL = (
    "Thanks for telling me. Try asking in other words, or see `/sro topics`."
)
ENTRY_GONE = "That question is no longer in my knowledge. Try `/sro topics`."
EXPLAIN_BUTTON = "Why this answer?"
EXPLAIN_CHANGED = "My knowledge has changed since that answer. Asked now:"
EXPLAIN_MALFORMED = (
    "I can't tell which answer that button belongs to, so I can't explain it. "
    "Ask again and use the button under the new answer."
)
EXPLAIN_GONE = (
    "The answer that button belongs to is no longer in my knowledge, so I can't explain it. "
    "Ask again, or see `/sro topics`."
)
SOURCE_CITATION = "Source: {publisher}, {title}, retrieved {retrieved}"

HELP_TITLE = "Ask me about school resource officers"
HELP_BODY = (
    "I answer questions about school resource officers (SROs) from curated FAQ "
    "knowledge, and every answer cites its source.\n\n"
    "\u2022 `/sro &lt;question&gt;`: for example `/sro how many SROs should a school have?` "
    "The answer is shown only to you, with a button to share it in the channel.\n"
    "\u2022 `/sro topics`: every question I can answer.\n"
    "\u2022 Mention me in a channel (`@SRO Bot what is an SRO?`): I reply in a thread.\n"
    "\u2022 Send me a direct message: I reply there."
)
HELP_CRISIS = (
    "I am not an emergency service. If someone is in danger, call 911. "
    "I cannot alert anyone or contact your school resource officer."
)
HOME_INTRO = (
    "*SRO Bot* answers questions about school resource officers from curated FAQ "
    "knowledge. It quotes its sources word for word and cites every answer."
)
HOME_SOURCES = "*Sources I answer from*"
HOME_TOPICS = "*Questions I can answer* (pick one and I will answer in our messages)"

COMMENT_TITLE = "Not helpful"
COMMENT_SUBMIT = "Send"
COMMENT_CLOSE = "Skip"
COMMENT_INTRO = (
    "Thanks for telling me. What were you looking for? The people who keep my knowledge "
    "read this to add what is missing."
)
COMMENT_LABEL = "What were you looking for? (optional)"
HOME_MAINTAINERS = "For maintainers: the last 7 days"
DIGEST_TITLE = "SRO Bot: the week to {day}"
INSTALL_UNAVAILABLE = (
    "SRO Bot cannot be installed right now (its database is unavailable). "
    "Please try again in a few minutes."
)

# --- Microsoft Teams -----------------------------------------------------------------------

TEAMS_NO_MATCH_HINT = "Say topics to see every question I can answer, or pick one:"
TEAMS_FEEDBACK_THANKS_NOT_HELPFUL = (
    "Thanks for telling me. Try asking in other words, or say topics to see every question "
    "I can answer."
)
TEAMS_HELP_BODY = (
    "I answer questions about school resource officers (SROs) from curated FAQ knowledge, "
    "and every answer cites its source. Send me a question in a chat, or mention me in a "
    "channel. Say topics to see every question I can answer."
)
TEAMS_ENTRY_GONE = "That question is no longer in my knowledge. Say topics to see what is."
