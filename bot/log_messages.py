"""What sro-bot writes to its log, kept in one place (the words people read are in messages.py).

No message here ever takes a token, a secret or a request body as an argument.
"""

STARTING = "starting with %d knowledge entries: %s"
LISTENING = "listening on http://%s:%d%s"
SOCKET_CONNECT_FAILED = "Socket Mode: cannot open the WebSocket (%s); trying again in %gs"
SOCKET_CONNECTED = "connected to Slack in Socket Mode"
STOPPING = (
    "stopping: answering %gs more (not ready), then no new connections; "
    "finishing requests and %d reply(ies) in flight"
)
STOPPED = "stopped"

READY = "ready: Slack accepted the bot token (auth.test) for team %s as %s"
TOKEN_REJECTED = (
    "not ready: Slack rejected the bot token (%s): check SLACK_BOT_TOKEN (a bot token, "
    "xoxb-..., of this app, installed in the workspace); trying again in %gs"
)
AUTH_TEST_FAILED = "not ready: auth.test failed (%s); trying again in %gs"

REQUEST = "request"  # one line per handled request; its fields say the rest
REFUSED = "refused"  # a request turned away before any handler: status and reason in fields

REPLY_FAILED = "reply not delivered"  # a Web API call that failed after its retries
UNHANDLED = "a request no listener handles; answered with a quiet 200"
LISTENER_FAILED = "a listener failed; Slack gets a quiet 200 so it does not redeliver"
WORK_CANCELLED = "%s: not delivered, cut off at shutdown"
WORK_FAILED = "%s failed"  # background work that raised something unexpected

# Why a request was refused (the ``reason`` field of a REFUSED line).
TOO_LARGE = "body larger than %d bytes"
NOT_SIGNED = "missing, stale or wrong signature"
NOT_UTF8 = "body is not UTF-8"
BAD_FORM = "body is not valid form encoding"
BAD_JSON = "body is not valid JSON"
NOT_AN_OBJECT = "body is not a JSON object"
BAD_SHAPE = "body has %s"

# The entry model (bot/classifier.py).
ENTRY_MODEL_TOO_MANY = (
    "answering with the lexical matcher only: %d entries, the entry model is fitted for at most %d"
)
ENTRY_MODEL_CANNOT_FIT = "answering with the lexical matcher only: cannot fit the entry model (%s)"
ENTRY_MODEL_NOT_KEPT = "cannot keep the fitted entry model: %s"
ENTRY_MODEL_IGNORED = "ignoring a kept entry model: %s"
ENTRY_MODEL_FITTING = "fitting the entry model on %d examples (once per knowledge)"

# Storage (bot/store/).
DATABASE_DOWN = "database unavailable, answering goes on and rows wait (%s); %d queued"
DATABASE_BACK = "database available again; %d row(s) dropped while it was not"
ROWS_NOT_WRITTEN = "%d row(s) not written to the database at shutdown"
DATABASE_OPENED = "database: %s"

# Reloading the knowledge while serving (bot/reload.py).
RELOADED = "knowledge reloaded (%s): %d entries, in %.2fs"
RELOAD_FAILED = "knowledge not reloaded (%s), still answering from the %d entries before: %s"
RELOAD_CRASHED = "knowledge not reloaded (%s), still answering from the %d entries before"
HOME_REPORT_FAILED = "App Home without the maintainers' figures: %s"
DIGEST_POSTED = "weekly digest for %s posted to %s"
DIGEST_FAILED = "weekly digest for %s not posted: %s"
REDIS_DOWN = "Redis unavailable (%s): de-duplicating events in this process only"
REDIS_BACK = "Redis available again: de-duplicating events across processes"
WORKSPACE_FORGOTTEN = (
    "workspace %s uninstalled the app: its installation and stored rows are deleted"
)
INSTALL_FAILED = "installation not completed, the database is unavailable: %s"
