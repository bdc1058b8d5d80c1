"""The deploy recipes: Heroku's requirements.txt, the Dockerfile (Render, Fly.io), their configs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_requirements_txt_installs_this_project() -> None:
    # What Heroku's Python buildpack runs, resolved without installing anything.
    pip = [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--quiet"]
    done = subprocess.run(
        [*pip, "--report", "-", "-r", "requirements.txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [item["metadata"]["name"] for item in report["install"]] == ["sro-bot"]


def test_python_version_is_pinned_where_the_buildpacks_look() -> None:
    assert (ROOT / ".python-version").read_text().strip() == "3.11"
    assert not (ROOT / "runtime.txt").exists()  # deprecated by Heroku's buildpack


def test_fly_and_render_check_readiness_on_the_port_the_image_listens_on() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    port = re.search(r"PORT=(\d+)", dockerfile).group(1)
    assert f"EXPOSE {port}" in dockerfile
    fly = tomllib.loads((ROOT / "fly.toml").read_text())
    assert str(fly["http_service"]["internal_port"]) == fly["env"]["PORT"] == port
    assert fly["http_service"]["checks"][0]["path"] == "/readyz"
    render = yaml.safe_load((ROOT / "render.yaml").read_text())["services"][0]
    assert render["runtime"] == "docker"
    assert render["healthCheckPath"] == "/readyz"
    assert {v["key"] for v in render["envVars"]} == {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"}


def _docker_works() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


@pytest.mark.skipif(not _docker_works(), reason="no Docker daemon on this machine: image not built")
def test_the_image_builds_and_answers_its_health_check() -> None:
    tag = "sro-bot-test:latest"
    subprocess.run(["docker", "build", "-t", tag, "."], cwd=ROOT, check=True, timeout=900)
    run = [
        "docker", "run", "-d", "--rm", "-p", "127.0.0.1::8080",
        "-e", "SLACK_BOT_TOKEN=xoxb-docker-test", "-e", "SLACK_SIGNING_SECRET=docker-test",
        "-e", "SLACK_API_URL=http://127.0.0.1:9/api/", tag,
    ]  # fmt: skip
    container = subprocess.run(run, check=True, capture_output=True, text=True).stdout.strip()
    try:
        port = (
            subprocess.run(
                ["docker", "port", container, "8080"], check=True, capture_output=True, text=True
            )
            .stdout.split(":")[-1]
            .strip()
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                    assert json.loads(reply.read())["status"] == "ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "the container never answered /healthz"
                time.sleep(0.5)
    finally:
        subprocess.run(["docker", "stop", container], capture_output=True)
