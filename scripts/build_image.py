#!/usr/bin/env python3
"""Build the image with buildah and check it with podman against the fake Bot API.

For machines without Docker Hub (as in the docker review): the base is a debootstrap Debian
bookworm with Python 3.11, imported into podman, and given to the Dockerfile as BASE_IMAGE.
Needs root and: apt-get install podman buildah debootstrap runc uidmap.

    sudo .venv/bin/python scripts/build_image.py            # build, then check
    sudo .venv/bin/python scripts/build_image.py --no-build # check the image built before

Checks: the bot answers a question from inside the container; it runs as 10001:10001; the
health probe says healthy; /data holds the database and a fresh container reads it back
(`faqbot report`); SIGTERM stops it with exit code 0 within seconds, also while it is still
trying to reach Telegram. Prints one line per check; the exit code is the number of failures.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakebotapi import FakeBotApi  # noqa: E402

BASE = "localhost/faqbot-base:bookworm-py3.11"
IMAGE = "localhost/faqbot:check"
CONTAINER = "faqbot-check"
VOLUME = "faqbot-check-data"
HEALTH_PORT = "18080"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
STORAGE = ["--storage-driver", "vfs"]
RUN_OPTIONS = (
    # crun refuses this VM's hybrid cgroups; the VM lacks CAP_SYS_RESOURCE for the default
    # limits; there are no systemd timers for the HEALTHCHECK (the probe runs with exec).
    "--runtime=runc",
    "--ulimit=nofile=20000:20000",
    "--ulimit=nproc=4096:4096",
    "--no-healthcheck",
)
PACKAGES = "python3,python3-venv,python3-pip,ca-certificates,netbase,tzdata,passwd"


def sh(*command: str, check: bool = True, timeout: float = 3600) -> subprocess.CompletedProcess:
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, check=False, timeout=timeout, text=True, capture_output=True)
    if check and result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-2000:], file=sys.stderr)
        result.check_returncode()
    return result


def podman(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    return sh("podman", *STORAGE, *args, check=check, timeout=timeout)


def build_base() -> None:
    if podman("image", "exists", BASE, check=False).returncode == 0:
        return
    with tempfile.TemporaryDirectory(prefix="faqbot-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        sh("debootstrap", "--variant=minbase", f"--include={PACKAGES}", "bookworm", str(rootfs))
        (rootfs / "usr/bin/python").unlink(missing_ok=True)
        (rootfs / "usr/bin/python").symlink_to("python3")
        shutil.rmtree(rootfs / "var/lib/apt/lists", ignore_errors=True)
        shutil.rmtree(rootfs / "var/cache/apt/archives", ignore_errors=True)
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(["podman", *STORAGE, "import", "-", BASE], stdin=tar.stdout, check=True)
        tar.wait()


def build_image() -> None:
    mount = [f"--volume={CA_BUNDLE}:{CA_BUNDLE}:ro"] if CA_BUNDLE.exists() else []
    result = sh(
        "buildah",
        *STORAGE,
        "bud",
        "--format=docker",
        "--isolation=chroot",
        "--layers",
        f"--build-arg=BASE_IMAGE={BASE}",
        *mount,
        f"--tag={IMAGE}",
        str(ROOT),
        check=False,
    )
    print(result.stdout[-3000:], result.stderr[-3000:])
    result.check_returncode()


def run_container(api: FakeBotApi, *extra: str, base_url: str | None = None) -> None:
    podman("rm", "--force", CONTAINER, check=False)
    podman(
        "run",
        "--detach",
        f"--name={CONTAINER}",
        "--network=host",
        *RUN_OPTIONS,
        f"--env=TELEGRAM_BOT_TOKEN={api.token}",
        f"--env=TELEGRAM_API_BASE_URL={base_url or api.base_url}",
        f"--env=HEALTH_PORT={HEALTH_PORT}",
        f"--volume={VOLUME}:/data",
        *extra,
        IMAGE,
    )


def stop_seconds() -> tuple[float, str]:
    start = time.monotonic()
    podman("stop", "--time=10", CONTAINER)
    elapsed = time.monotonic() - start
    code = podman("inspect", "--format={{.State.ExitCode}}", CONTAINER).stdout.strip()
    return elapsed, code


def checks() -> list[tuple[str, bool, str]]:
    results: list[tuple[str, bool, str]] = []
    podman("volume", "rm", "--force", VOLUME, check=False)
    with FakeBotApi() as api:
        run_container(api)
        try:
            api.wait_for_call("getUpdates", timeout=120)
            user = api.user("Container")
            reply = api.wait_for_reply(
                api.send_message(api.private_chat(user), user, "what is bpo"), timeout=60
            )
            results.append(("answers a question", "BPO" in (reply.text or ""), reply.text[:40]))
            ids = podman("exec", CONTAINER, "id", "-u").stdout.strip()
            ids += ":" + podman("exec", CONTAINER, "id", "-g").stdout.strip()
            results.append(("runs as 10001:10001", ids == "10001:10001", ids))
            probe = podman("exec", CONTAINER, "python", "-m", "bot.healthcheck", check=False)
            results.append(("health probe: healthy", probe.returncode == 0, probe.stdout.strip()))
            listing = podman("exec", CONTAINER, "ls", "-ln", "/data").stdout
            owned = "faqbot.sqlite3" in listing and " 10001 10001 " in listing
            results.append(("/data: database owned by 10001", owned, listing.split("\n")[1:2]))
            leftovers = podman(
                "exec",
                CONTAINER,
                "sh",
                "-c",
                "ls -d /src /app 2>/dev/null;"
                " pip list 2>/dev/null | grep -i '^setuptools\\|^wheel'",
                check=False,
            ).stdout.split()
            results.append(("no sources or build tools", not leftovers, leftovers))
            elapsed, code = stop_seconds()
            quick = code == "0" and elapsed < 5
            results.append(("SIGTERM: exit 0 within 5 s", quick, f"exit {code}, {elapsed:.1f} s"))
            report = podman(
                "run",
                "--rm",
                *RUN_OPTIONS,
                f"--volume={VOLUME}:/data",
                IMAGE,
                "report",
                check=False,
            )
            results.append(
                ("a new container reads /data", report.returncode == 0, report.stdout[:60])
            )
        finally:
            podman("rm", "--force", CONTAINER, check=False)
        # SIGTERM while the Bot API cannot be reached: honoured at once, not after 10 s.
        run_container(api, base_url="http://127.0.0.1:9/bot")
        try:
            time.sleep(3)
            elapsed, code = stop_seconds()
            quick = code == "0" and elapsed < 5
            results.append(("SIGTERM while connecting", quick, f"exit {code}, {elapsed:.1f} s"))
        finally:
            podman("rm", "--force", CONTAINER, check=False)
            podman("volume", "rm", "--force", VOLUME, check=False)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="check the image built before")
    args = parser.parse_args()
    if not args.no_build:
        started = time.monotonic()
        build_base()
        build_image()
        print(f"built {IMAGE} in {time.monotonic() - started:.0f} s")
    results = checks()
    for name, ok, detail in results:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    return sum(1 for _, ok, _ in results if not ok)


if __name__ == "__main__":
    sys.exit(main())
