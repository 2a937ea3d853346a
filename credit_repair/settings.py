"""The one settings object, read from ``CREDIT_REPAIR_*`` variables at start."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process settings, read once."""
    return Settings()
