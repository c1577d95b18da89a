"""Start a real `celery worker` process on the test database, for one or more queues."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import connection

REPO = Path(__file__).resolve().parents[1]


class Worker:
    def __init__(
        self,
        *,
        queues: str,
        redis_url: str,
        mail_dir: Path | None = None,
        name: str = "w",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        s = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "exhibition.settings",
            "LOG_FORMAT": "json",
            **(extra_env or {}),
        }
        if mail_dir is not None:
            env.update({"EMAIL_URL": "filemail://", "EMAIL_FILE_PATH": str(mail_dir)})
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "exhibition",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "-Q",
                queues,
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.log: list[str] = []
        threading.Thread(target=lambda: self.log.extend(self.proc.stdout), daemon=True).start()
        deadline = time.monotonic() + 30
        while not any("ready" in line for line in self.log):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError("worker did not start:\n" + "".join(self.log))
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
