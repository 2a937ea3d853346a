"""The one settings object, read from ``CREDIT_REPAIR_*`` variables at start."""

import logging
import re
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from credit_repair.workflow.regimes import available_regimes

ENV_PREFIX = "CREDIT_REPAIR_"
_SHOWN_INPUT = 60
_NOT_ECHOED = ("database_url", "smtp_password")  # may hold a password


class ConfigurationError(Exception):
    """Raised when the process cannot start with its configuration: a setting
    that does not validate, or a database that is missing or unreachable. Each
    line of ``lines`` names the variable and the problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = list(lines)


class Settings(BaseSettings):
    """Configuration of one process; every field has a working embedded default."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env")

    database_url: str = Field(
        default="sqlite:///var/credit-repair.db",
        description="SQLAlchemy URL; e.g. postgresql+psycopg://user@host:5432/db",
    )
    regime: str = Field(default="kunming-2020", description="Active policy regime.")
    timezone: str = Field(default="Asia/Shanghai", description="Business time zone.")
    calendar_overrides: Path | None = Field(
        default=None, description="TOML file that adds or corrects working days."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    scheduler_sweep_seconds: int = Field(default=30, ge=1)
    instant_answer_working_days: int = Field(default=5, ge=1)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    smtp_enabled: bool = Field(
        default=False, description="E-mail pending notifications over SMTP."
    )
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "credit-repair@localhost"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_addresses: dict[str, str] = Field(
        default_factory=dict,
        description='Recipient → e-mail address, e.g. {"office": "xyb@example.cn"}.',
    )
    smtp_send_seconds: int = Field(default=60, ge=5)
    log_level: str = "INFO"
    log_format: str = Field(default="auto", pattern="^(auto|json|console)$")

    @field_validator("database_url")
    @classmethod
    def _is_a_database_url(cls, value: str) -> str:
        try:
            make_url(value)
        except ArgumentError:
            raise ValueError(
                "not a database URL; e.g. sqlite:////srv/credit-repair/var/"
                "credit-repair.db or postgresql+psycopg://user@host:5432/db"
            ) from None
        return value

    @field_validator("regime")
    @classmethod
    def _is_a_shipped_regime(cls, value: str) -> str:
        if value not in (available := available_regimes()):
            raise ValueError(f"unknown regime; choose {', '.join(available)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _is_a_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone; e.g. Asia/Shanghai") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _is_a_log_level(cls, value: str) -> str:
        if not isinstance(logging.getLevelName(value.upper()), int):
            raise ValueError("unknown log level; choose DEBUG, INFO, WARNING, ERROR")
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process settings, read once; ``ConfigurationError`` names every
    variable that does not validate."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigurationError([_problem(e) for e in exc.errors()]) from None
    except SettingsError as exc:  # a value that should be JSON and is not
        raise ConfigurationError([_unparsed(exc)]) from None


def variable(field: str) -> str:
    """The environment variable of a settings field."""
    return f"{ENV_PREFIX}{field.upper()}"


def _problem(error: dict) -> str:
    field = str(error["loc"][0]) if error["loc"] else "?"
    message = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    if isinstance(given, str) and field not in _NOT_ECHOED:
        shown = given if len(given) <= _SHOWN_INPUT else given[:_SHOWN_INPUT] + "…"
        message += f" (got {shown!r})"
    return f"{variable(field)}: {message}"


def _unparsed(exc: SettingsError) -> str:
    named = re.search(r'field "(\w+)"', str(exc))
    name = variable(named.group(1)) if named else "a CREDIT_REPAIR_ variable"
    return f"{name}: not valid JSON ({exc.__cause__ or exc})"
