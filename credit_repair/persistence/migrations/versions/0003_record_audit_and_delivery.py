"""record audit version and notification delivery

Adds ``penalty_record.version`` (the length of the record's own audit stream,
``record:ID``, written when housekeeping takes it offline) and the e-mail delivery
columns of ``notification``.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import credit_repair.persistence.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("penalty_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "delivered_at",
                credit_repair.persistence.types.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("delivery_error", sa.Text(), nullable=True))
        batch_op.create_index("ix_notification_status", ["status", "id"])


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_status")
        batch_op.drop_column("delivery_error")
        batch_op.drop_column("delivered_at")
    with op.batch_alter_table("penalty_record", schema=None) as batch_op:
        batch_op.drop_column("version")
