"""Who sent an activity: the Bearer token checked as the Agents SDK checks it (signature by
a key of the issuer's JWKS, issuer allow-list, audience = the bot's app id, expiry with the
SDK's clock skew), and the token's ``serviceurl`` claim against the activity's."""

from __future__ import annotations

import logging

import jwt
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    AuthenticationConstants,
    ClaimsIdentity,
    JwtTokenValidator,
)

logger = logging.getLogger("bot.teams")

BOT_FRAMEWORK_ISSUER = AuthenticationConstants.AGENTS_SDK_TOKEN_ISSUER


def auth_configuration(app_id: str, secret: str, tenant_id: str | None) -> AgentAuthConfiguration:
    """The SDK's configuration of the bot's connection, its issuer allow-list enforced."""
    return AgentAuthConfiguration(
        client_id=app_id,
        client_secret=secret,
        tenant_id=tenant_id,
        connection_name="SERVICE_CONNECTION",
        anonymous_allowed=False,
        validate_issuer=True,
    )


# Entra's issuers: the SDK checks the tenant (its allow-list includes Microsoft's own).
ENTRA_ISSUER_PREFIXES = ("https://login.microsoftonline.com/", "https://sts.windows.net/")


def _issuer_possible(issuer: object, config: AgentAuthConfiguration) -> bool:
    """Whether the SDK could accept the issuer: otherwise no key is looked up for it."""
    if not isinstance(issuer, str):
        return False
    issuer = issuer.casefold()
    allowed = {i.casefold() for i in config.ISSUERS}
    return issuer in allowed or issuer.startswith(ENTRA_ISSUER_PREFIXES)


def bearer_token(header: str | None) -> str | None:
    scheme, _, token = (header or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or any(c.isspace() for c in token):
        return None
    return token


async def authenticate(header: str | None, config: AgentAuthConfiguration) -> ClaimsIdentity | None:
    """The token's verified claims, or None when it is missing, forged, expired, for another
    bot or from an issuer not allowed. Only the kind of failure is logged, never the token."""
    token = bearer_token(header)
    if token is None:
        return None
    try:
        # Keys are looked up only for an issuer allowed: no request for anyone's JWKS.
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        if not _issuer_possible(issuer, config):
            logger.warning("Teams request refused: token from an issuer not allowed")
            return None
        identity = await JwtTokenValidator(config).validate_token(token)
    except Exception as error:  # every failure, a malformed token's KeyError too, is a 401
        logger.warning("Teams request refused: token not accepted (%s)", type(error).__name__)
        return None
    if "exp" not in identity.claims:
        logger.warning("Teams request refused: token has no expiry")
        return None
    return identity


def service_url_allowed(identity: ClaimsIdentity, activity: Activity) -> bool:
    """The activity's ``serviceUrl`` is the one the token was issued for: replies go there.
    The Bot Framework's tokens always name it; an Entra token that names it must match."""
    claimed = identity.claims.get(AuthenticationConstants.SERVICE_URL_CLAIM)
    if claimed is None:
        return identity.claims.get("iss") != BOT_FRAMEWORK_ISSUER
    if not isinstance(claimed, str) or not activity.service_url:
        return False
    return claimed.rstrip("/").casefold() == activity.service_url.rstrip("/").casefold()
