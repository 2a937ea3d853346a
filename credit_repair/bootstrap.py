"""Wiring: builds the engine and the other real parts from the settings, once per process."""

from sqlalchemy import Engine

from credit_repair.logs import configure_logging
from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import upgrade
from credit_repair.settings import Settings, get_settings


def open_engine(settings: Settings | None = None, *, migrate: bool = True) -> Engine:
    """An engine on the configured database, its schema upgraded unless told not to."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    return engine
