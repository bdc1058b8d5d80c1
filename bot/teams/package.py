"""The Teams app package: ``manifest.json`` and its two icons, zipped, for upload to Teams.

The icons are drawn here (a white ring; on the accent colour for ``color.png``, on
transparency for ``outline.png``) and written as PNG with the standard library.
"""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot import messages

MANIFEST_VERSION = "1.17"
MANIFEST_SCHEMA = (
    "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
)
ACCENT = (0x1F, 0x4E, 0x79)  # #1F4E79
COLOR_SIZE, OUTLINE_SIZE = 192, 32  # what Teams asks of each icon
SCOPES = ["personal", "team", "groupChat"]
NAME = "SRO Bot"
FULL_NAME = "SRO Bot: questions about school resource officers"
SHORT_DESCRIPTION = "Answers questions about school resource officers, citing its sources."
Pixel = tuple[int, int, int, int]


def manifest(
    app_id: str,
    *,
    version: str,
    website_url: str,
    privacy_url: str,
    terms_url: str,
    developer: str = NAME,
) -> dict[str, Any]:
    """The manifest of a Teams app whose bot is the Azure Bot ``app_id`` (used as the Teams
    app's id too), in personal chats, teams' channels and group chats."""
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": developer,
            "websiteUrl": website_url,
            "privacyUrl": privacy_url,
            "termsOfUseUrl": terms_url,
        },
        "name": {"short": NAME, "full": FULL_NAME},
        "description": {"short": SHORT_DESCRIPTION, "full": messages.TEAMS_HELP_BODY},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": SCOPES,
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": SCOPES,
                        "commands": [
                            {"title": "help", "description": "What I answer, and how to ask"},
                            {"title": "topics", "description": "Every question I can answer"},
                        ],
                    }
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def png(size: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """A square RGBA PNG, ``pixel(x, y)`` giving each pixel's colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(
        b"\x00" + bytes(c for x in range(size) for c in pixel(x, y)) for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _ring(size: int, background: Pixel) -> Callable[[int, int], Pixel]:
    white: Pixel = (255, 255, 255, 255)
    middle, outer, inner = (size - 1) / 2, size * 0.38, size * 0.26

    def pixel(x: int, y: int) -> Pixel:
        distance = ((x - middle) ** 2 + (y - middle) ** 2) ** 0.5
        return white if inner <= distance <= outer else background

    return pixel


def color_icon() -> bytes:
    return png(COLOR_SIZE, _ring(COLOR_SIZE, (*ACCENT, 255)))


def outline_icon() -> bytes:
    return png(OUTLINE_SIZE, _ring(OUTLINE_SIZE, (0, 0, 0, 0)))


def write_package(path: Path, app_manifest: dict[str, Any]) -> Path:
    """The zip Teams takes: the manifest and the icons at its top level."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(app_manifest, indent=2) + "\n")
        package.writestr("color.png", color_icon())
        package.writestr("outline.png", outline_icon())
    return path
