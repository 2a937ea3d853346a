"""One active scheduler: a PostgreSQL advisory lock, or a lock file for SQLite."""

import fcntl
import os
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

LOCK_KEY = 0x43524544  # "CRED"


class LeaderLock:
    """Held for as long as this process is the active scheduler."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn = None
        self._file = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._file is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this process now leads."""
        if self.held:
            return True
        if self.engine.dialect.name == "postgresql":
            conn = self.engine.connect()
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})
            if got.scalar():
                conn.commit()
                self._conn = conn
                return True
            conn.close()
            return False
        return self._try_file()

    def _try_file(self) -> bool:
        database = make_url(self.engine.url).database or "memory"
        path = Path(f"{database}.scheduler.lock")
        handle = open(path, "a+")  # noqa: SIM115 - kept open while leading
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return True

    def is_alive(self) -> bool:
        """Whether the lock's connection still works (PostgreSQL) or is held."""
        if self._conn is None:
            return self._file is not None
        try:
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
            return True
        except Exception:
            self._conn = None
            return False

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(
                    text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY}
                )
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
