"""the case in which a department confirmed a record's class

Adds ``penalty_record.class_confirmed_by_case``: set when the penalising
department confirms another class in a commitment case, so that importing the
notice again keeps that class instead of the one the file's text suggests.
Records reclassified before this revision keep their class reason and audit row
but are not marked.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("penalty_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("class_confirmed_by_case", sa.Integer(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("penalty_record", schema=None) as batch_op:
        batch_op.drop_column("class_confirmed_by_case")
