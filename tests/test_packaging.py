"""The wheel ships the knowledge and data files, and a non-editable install finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = "Scripts" if sys.platform == "win32" else "bin"


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)])
    (built,) = out.glob("sro_bot-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed (not editable).

    Its dependencies come from the environment running the tests, through a .pth file
    that lists that environment's site-packages (after the new one's, and without
    running that environment's own .pth files, so an editable install there is not seen).
    """
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=False, symlinks=sys.platform != "win32").create(env_dir)
    python = env_dir / BIN / ("python.exe" if sys.platform == "win32" else "python")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ]
    )
    site_packages = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
        ).stdout.strip()
    )
    outer = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site_packages / "zz_outer_dependencies.pth").write_text("\n".join(outer) + "\n")
    return env_dir


def _clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SRO_") and k not in ("PYTHONPATH", "PYTHONHOME")
    }


def test_wheel_contains_knowledge_and_data(wheel) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bot/_knowledge/nasro-faq.yml" in names
    assert "bot/data/vocabulary.yml" in names
    assert "bot/data/crisis.yml" in names
    assert "bot/__main__.py" in names
    # Only the package: no tests, no checkout clutter.
    assert not [n for n in names if n.startswith(("tests/", ".venv", "knowledge/"))]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "sro-bot = bot.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_wheel_knowledge_is_the_checkout_knowledge(wheel) -> None:
    shipped = zipfile.ZipFile(wheel).read("bot/_knowledge/nasro-faq.yml")
    assert shipped == (REPO / "knowledge" / "nasro-faq.yml").read_bytes()


def test_installed_sro_bot_answers_from_bundled_knowledge(installed, tmp_path) -> None:
    sro_bot = installed / BIN / ("sro-bot.exe" if sys.platform == "win32" else "sro-bot")
    done = _run([str(sro_bot), "ask", "--json", "what is an sro"], cwd=tmp_path, env=_clean_env())
    result = json.loads(done.stdout)
    assert result["crisis"] is False
    assert result["decision"] in ("answer", "suggest")
    best = (result["matches"] or result["suggestions"])[0]
    assert best["id"] == "what-is-sro"
    assert best["source"]["publisher"] == "National Association of School Resource Officers"


def test_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path) -> None:
    python = installed / BIN / ("python.exe" if sys.platform == "win32" else "python")
    code = (
        "import bot, bot.knowledge as k; kb = k.load_knowledge(); "
        "print(bot.__file__); print(k.bundled_knowledge_dir()); print(len(kb))"
    )
    done = _run([str(python), "-c", code], cwd=tmp_path, env=_clean_env())
    module_file, knowledge_dir, count = done.stdout.splitlines()
    assert Path(module_file).is_relative_to(installed)
    assert not Path(module_file).is_relative_to(REPO)
    assert Path(knowledge_dir).name == "_knowledge"
    assert Path(knowledge_dir).is_relative_to(installed)
    assert int(count) == 12


def test_installed_check_passes(installed, tmp_path) -> None:
    sro_bot = installed / BIN / ("sro-bot.exe" if sys.platform == "win32" else "sro-bot")
    done = _run([str(sro_bot), "check"], cwd=tmp_path, env=_clean_env())
    assert "0 error(s)" in done.stdout
    assert "_knowledge" in done.stdout
