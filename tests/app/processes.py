"""Real app processes for tests that need more than one: uvicorn or `jinlin serve`."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import SECRET_KEY
from tests.helpers import ENGLISH

ROOT = Path(__file__).resolve().parents[2]
JINLIN = str(Path(sys.executable).parent / "jinlin")


def app_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of an app process: this run's database, quiet logs, SETTINGS."""
    return {
        **os.environ,
        "JINLIN_DATABASE_URL": database_url,
        "JINLIN_SECRET_KEY": SECRET_KEY,
        "JINLIN_LOG_LEVEL": "WARNING",
        **{f"JINLIN_{name.upper()}": value for name, value in settings.items()},
    }


def uvicorn_command(port: int) -> list[str]:
    module = [sys.executable, "-m", "uvicorn", "app.asgi:app"]
    return [*module, "--port", str(port), "--log-level", "warning"]


@contextmanager
def running(commands: Sequence[Sequence[str]], env: dict[str, str]) -> Iterator[list[int]]:
    """Start each command; on leaving, SIGTERM whatever still runs and wait for it."""
    processes = [
        subprocess.Popen(list(command), cwd=ROOT, env=env)  # noqa: S603
        for command in commands
    ]
    try:
        yield [process.pid for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def free_port() -> int:
    """A port nothing listens on now (for a process to start on, or one to find closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_ports(count: int) -> list[int]:
    return [free_port() for _ in range(count)]


def wait_until_ready(url: str, seconds: float = 60) -> None:
    """Block until URL's /readyz answers 200 (fails after SECONDS)."""
    with httpx.Client(headers=ENGLISH, timeout=2) as client:
        for _ in range(int(seconds * 10)):
            try:
                if client.get(f"{url}/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise AssertionError(f"{url} did not become ready")


async def wait_ready(url: str, seconds: float = 60) -> None:
    await asyncio.to_thread(wait_until_ready, url, seconds)


@contextmanager
def serving(database_url: str, **settings: str) -> Iterator[str]:
    """One uvicorn process of the app on DATABASE_URL with SETTINGS, ready: its host:port."""
    (port,) = free_ports(1)
    with running([uvicorn_command(port)], app_env(database_url, **settings)):
        wait_until_ready(f"http://127.0.0.1:{port}")
        yield f"127.0.0.1:{port}"
