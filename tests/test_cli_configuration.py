"""What the command line does with a configuration that cannot work: one line per
problem naming the variable, exit status 2, no traceback; and no command but
``serve``, ``scheduler`` and ``db upgrade`` creates a database."""

import os
import sys

import pytest

from credit_repair.cli import main
from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import upgrade
from credit_repair.settings import get_settings
from tests.processes import Server


@pytest.fixture
def command(monkeypatch, tmp_path, capsys):
    """Run ``credit-repair ARGS`` in a fresh folder with only the given settings;
    returns (exit status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("CREDIT_REPAIR_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("CREDIT_REPAIR_LOG_LEVEL", "WARNING")

    def run(*args: str, **settings: str) -> tuple[int, str, str]:
        for name, value in settings.items():
            monkeypatch.setenv(f"CREDIT_REPAIR_{name.upper()}", value)
        monkeypatch.setattr(sys, "argv", ["credit-repair", *args])
        get_settings.cache_clear()
        try:
            main()
            status = 0
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            get_settings.cache_clear()
        out, err = capsys.readouterr()
        return status, out, err

    return run


class TestNoDatabaseIsCreatedByAccident:
    @pytest.mark.parametrize(
        "args",
        [
            ("token", "create", "--role", "office", "--name", "王芳"),
            ("penalties",),
            ("case", "show", "1"),
            ("audit", "verify"),
            ("housekeeping", "--dry-run"),
            ("db", "status"),
        ],
    )
    def test_a_command_in_another_folder_names_the_missing_file(
        self, command, tmp_path, args
    ):
        status, out, err = command(*args)

        expected = tmp_path / "var" / "credit-repair.db"
        assert status == 2
        assert out == ""
        assert err.startswith(
            f"error: CREDIT_REPAIR_DATABASE_URL: no database at {expected}"
        )
        assert "relative to the current directory" in err
        assert "CREDIT_REPAIR_DATABASE_URL=sqlite:////" in err
        assert len(err.splitlines()) == 1
        assert not (tmp_path / "var").exists()

    def test_an_absolute_url_to_a_missing_file_is_named_too(self, command, tmp_path):
        missing = tmp_path / "elsewhere" / "cr.db"

        status, _out, err = command("penalties", database_url=f"sqlite:///{missing}")

        assert status == 2
        assert f"no database at {missing};" in err
        assert "relative" not in err
        assert not missing.parent.exists()

    def test_db_upgrade_creates_it_and_then_commands_work(self, command, tmp_path):
        created, out, _err = command("db", "upgrade")
        listed, counts, err = command("penalties")

        assert created == 0, out
        assert (tmp_path / "var" / "credit-repair.db").exists()
        assert listed == 0, err
        assert counts.startswith("records: 0 (0 published)")

    def test_an_existing_database_is_used_from_anywhere(self, command, tmp_path):
        url = f"sqlite:///{tmp_path}/kept.db"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        (tmp_path / "other").mkdir()

        status, out, err = command("penalties", database_url=url)

        assert status == 0, err
        assert out.startswith("records: 0")


class TestConfigurationErrors:
    @pytest.mark.parametrize(
        ("name", "value", "problem"),
        [
            ("timezone", "Mars/Base", "unknown time zone; e.g. Asia/Shanghai"),
            ("port", "abc", "Input should be a valid integer"),
            ("port", "70000", "Input should be less than or equal to 65535"),
            ("regime", "bogus", "unknown regime; choose kunming-2020, "),
            ("log_level", "loud", "unknown log level"),
            ("database_url", "nonsense", "not a database URL"),
            ("smtp_addresses", "{bad", "not valid JSON"),
        ],
    )
    def test_a_bad_setting_is_one_line_naming_the_variable(
        self, command, name, value, problem
    ):
        status, out, err = command("penalties", **{name: value})

        assert status == 2
        assert out == ""
        assert err.startswith(f"error: CREDIT_REPAIR_{name.upper()}: {problem}")
        assert len(err.splitlines()) == 1
        assert "Traceback" not in err and "--regime" not in err

    def test_every_bad_setting_is_named_at_once(self, command):
        _status, _out, err = command("penalties", port="abc", timezone="Mars/Base")

        named = sorted(line.split(":")[1].strip() for line in err.splitlines())
        assert named == ["CREDIT_REPAIR_PORT", "CREDIT_REPAIR_TIMEZONE"]

    def test_an_unreachable_postgresql_is_one_line_without_the_password(self, command):
        url = "postgresql+psycopg://credit:s3cret@127.0.0.1:1/credit_repair"

        status, _out, err = command("penalties", database_url=url)

        assert status == 2
        assert err.startswith(
            "error: CREDIT_REPAIR_DATABASE_URL: cannot connect to "
            "postgresql+psycopg://credit:***@127.0.0.1:1/credit_repair: "
        )
        assert "s3cret" not in err and len(err.splitlines()) == 1


@pytest.mark.slow
def test_serve_creates_a_new_database_and_logs_its_absolute_path(tmp_path):
    path = tmp_path / "new" / "credit-repair.db"
    server = Server(f"sqlite:///{path}", "--no-scheduler")
    try:
        server.wait_until_up()
    finally:
        server.stop()

    (starting,) = server.events("service_starting")
    assert starting["database"] == str(path)
    assert path.exists()
