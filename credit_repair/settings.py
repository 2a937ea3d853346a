"""The one settings object, read from ``CREDIT_REPAIR_*`` variables at start."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of one process; every field has a working embedded default."""

    model_config = SettingsConfigDict(env_prefix="CREDIT_REPAIR_", env_file=".env")

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
    port: int = 8000
    scheduler_sweep_seconds: int = Field(default=30, ge=1)
    instant_answer_working_days: int = Field(default=5, ge=1)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    log_level: str = "INFO"
    log_format: str = Field(default="auto", pattern="^(auto|json|console)$")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process settings, read once."""
    return Settings()
