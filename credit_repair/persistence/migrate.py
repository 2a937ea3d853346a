"""Schema migrations with Alembic, driven from code (no alembic.ini needed)."""

from pathlib import Path

import structlog
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"
log = structlog.get_logger(__name__)


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to ``engine``'s URL."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False)
    )
    return config


def upgrade(engine: Engine, revision: str = "head") -> list[str]:
    """Bring the schema up to ``revision``; returns the revisions applied."""
    pending = pending_revisions(engine)
    if not pending:
        return []
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    log.info("schema_upgraded", applied=list(reversed(pending)))
    return pending


def pending_revisions(engine: Engine) -> list[str]:
    """Revisions not yet applied; empty when the schema is current."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current == set(script.get_heads()):
        return []
    pending = []
    for rev in script.walk_revisions():
        if rev.revision in current:
            break
        pending.append(rev.revision)
    return pending
