"""Real ``credit-repair`` processes for tests: a command in a subprocess running
this checkout's code, its JSON log lines collected as they come."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a child process: this checkout's code, JSON logs, the
    database and any ``CREDIT_REPAIR_*`` settings (given without the prefix)."""
    env = os.environ | {
        "CREDIT_REPAIR_DATABASE_URL": database_url,
        "CREDIT_REPAIR_LOG_FORMAT": "json",
        "CREDIT_REPAIR_SCHEDULER_SWEEP_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
    }
    return env | {f"CREDIT_REPAIR_{k.upper()}": v for k, v in settings.items()}


def run_command(database_url: str, *args: str, **settings: str) -> str:
    """Run a command to its end; its stdout (raises with stderr when it fails)."""
    done = subprocess.run(
        [sys.executable, "-m", "credit_repair", *args],
        cwd=ROOT,
        env=command_env(database_url, **settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


class Process:
    """A ``credit-repair`` command in a subprocess, its JSON log lines collected."""

    def __init__(self, database_url: str, *args: str, **settings: str) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "credit_repair", *args],
            cwd=ROOT,
            env=command_env(database_url, **settings),
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        self.lines: list[dict] = []
        self.raw: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.popen.stderr:
            self.raw.append(line)
            with contextlib.suppress(ValueError):
                self.lines.append(json.loads(line))

    def events(self, name: str) -> list[dict]:
        return [line for line in self.lines if line.get("event") == name]

    def wait_for(self, name: str, timeout: float = 30, **fields) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.events(name):
                if all(line.get(k) == v for k, v in fields.items()):
                    return line
            time.sleep(0.1)
        raise AssertionError(f"no {name} {fields} in:\n{''.join(self.raw)}")

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
        code = self.popen.wait(timeout)
        self._reader.join(timeout=5)
        return code


def wait_until_up(base: str, timeout: float = 30, process=None) -> None:
    """Until ``/healthz`` answers; fails early when ``process`` has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.popen.poll() is not None:
            raise AssertionError(f"the server exited:\n{''.join(process.raw)}")
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("the server did not come up")


class Server(Process):
    """``credit-repair serve`` on a free loopback port."""

    def __init__(self, database_url: str, *args: str, **settings: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        port = str(self.port)
        super().__init__(database_url, "serve", "--port", port, *args, **settings)

    def wait_until_up(self, timeout: float = 30) -> None:
        wait_until_up(self.base, timeout, self)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no goodbye."""
        self.stop(signal.SIGKILL)


def tokens_by_command(database_url: str, specs: dict[str, list[str]]) -> dict[str, str]:
    """``credit-repair token create`` once per entry of ``specs`` (name → its
    options), run side by side; the secret each printed, by name."""
    running = {
        name: subprocess.Popen(
            [sys.executable, "-m", "credit_repair", "token", "create", *options],
            cwd=ROOT,
            env=command_env(database_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, options in specs.items()
    }
    secrets = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=120)
        if process.returncode != 0:
            raise AssertionError(f"token create {specs[name]} failed:\n{err}")
        secrets[name] = out.strip().splitlines()[-1]
    return secrets
