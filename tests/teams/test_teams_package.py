"""``sro-bot teams-package``: manifest.json and its icons, zipped; the manifest valid against
the Teams manifest schema v1.17 (vendored in ``schema/``, from OfficeDev's repository)."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import jsonschema
import pytest

from bot.cli import main
from bot.config import TEAMS_CLIENT_ID

SCHEMA = Path(__file__).parent / "schema" / "MicrosoftTeams.v1.17.schema.json"
APP_ID = "00000000-0000-4000-8000-00000000b07a"


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGBA pixels of a PNG as bot/teams/package.py writes it."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        chunks[kind] = body
        at += 12 + length
    width, height, depth, color_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, color_type) == (8, 6) and b"IEND" in chunks
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + 4 * width
    pixels = [
        raw[y * stride + 1 + 4 * x : y * stride + 5 + 4 * x]
        for y in range(height)
        for x in range(width)
    ]
    return width, height, pixels


@pytest.fixture
def package(tmp_path, monkeypatch, capsys) -> zipfile.ZipFile:
    monkeypatch.setenv(TEAMS_CLIENT_ID, APP_ID)
    out = tmp_path / "teams.zip"
    assert main(["teams-package", "--url", "https://sro.example.org", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    return zipfile.ZipFile(out)


def test_the_package_holds_the_manifest_and_both_icons(package):
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]


def test_the_manifest_is_valid_against_the_teams_schema(package):
    schema = json.loads(SCHEMA.read_text())
    manifest = json.loads(package.read("manifest.json"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    validator(schema, format_checker=validator.FORMAT_CHECKER).validate(manifest)
    assert manifest["manifestVersion"] == "1.17"
    assert manifest["id"] == APP_ID
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_the_schema_check_can_fail(package):
    schema = json.loads(SCHEMA.read_text())
    manifest = json.loads(package.read("manifest.json"))
    for broken in ({**manifest, "id": "not-a-guid"}, {**manifest, "accentColor": "blue"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)


def test_the_icons_are_the_sizes_teams_asks_for(package):
    width, height, color = read_png(package.read("color.png"))
    assert (width, height) == (192, 192)
    assert all(p[3] == 255 for p in color)  # a full-colour icon: opaque
    width, height, outline = read_png(package.read("outline.png"))
    assert (width, height) == (32, 32)
    # An outline icon: white on transparency, and nothing else.
    assert {bytes(p) for p in outline} == {b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"}


@pytest.mark.parametrize(
    "args",
    [
        ["--app-id", "not-a-guid", "--url", "https://sro.example.org"],
        ["--app-id", APP_ID, "--url", "http://sro.example.org"],
    ],
)
def test_a_bad_app_id_or_url_is_refused(tmp_path, args, capsys, monkeypatch):
    monkeypatch.delenv(TEAMS_CLIENT_ID, raising=False)
    out = tmp_path / "teams.zip"
    assert main(["teams-package", *args, "--out", str(out)]) == 2
    assert not out.exists()
