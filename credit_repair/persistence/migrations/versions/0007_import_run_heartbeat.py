"""import run heartbeat

Adds ``import_run.updated_at``, written with every committed chunk, so that a run
whose process died (SIGKILL, power loss) can be told from one still working: it
stops changing. Existing runs take their start time.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import credit_repair.persistence.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "updated_at",
                credit_repair.persistence.types.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
    op.execute("UPDATE import_run SET updated_at = started_at")


def downgrade() -> None:
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
