"""quarterly batches and their items

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import credit_repair.persistence.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "origin", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("quarter", sa.String(length=8), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column(
            "regime", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False
        ),
        sa.Column(
            "regime_version",
            sqlmodel.sql.sqltypes.AutoString(length=40),
            nullable=False,
        ),
        sa.Column(
            "started_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False
        ),
        sa.Column("criteria", sa.JSON(), nullable=True),
        sa.Column("screened_through", sa.Integer(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("general_count", sa.Integer(), nullable=False),
        sa.Column("severe_count", sa.Integer(), nullable=False),
        sa.Column("marked_count", sa.Integer(), nullable=False),
        sa.Column(
            "escalated_at",
            credit_repair.persistence.types.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            credit_repair.persistence.types.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            credit_repair.persistence.types.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("quarter"),
    )
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.create_index("ix_batch_state", ["state"], unique=False)

    op.create_table(
        "batch_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("penalty_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column(
            "penalty_class", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("marked_specific_severe", sa.Boolean(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fulfilled", sa.Boolean(), nullable=True),
        sa.Column(
            "answered_at",
            credit_repair.persistence.types.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "answered_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True
        ),
        sa.Column(
            "exclusion_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True
        ),
        sa.Column("exclusion_text", sa.Text(), nullable=True),
        sa.Column(
            "objected_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True
        ),
        sa.Column(
            "created_at",
            credit_repair.persistence.types.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            credit_repair.persistence.types.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["penalty_id"],
            ["penalty_record.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("batch_item", schema=None) as batch_op:
        batch_op.create_index(
            "ix_batch_item_state", ["batch_id", "state", "department_id"], unique=False
        )
        batch_op.create_index(
            "ux_batch_item_open_per_record",
            ["penalty_id"],
            unique=True,
            sqlite_where=sa.text("is_open"),
            postgresql_where=sa.text("is_open"),
        )


def downgrade() -> None:
    with op.batch_alter_table("batch_item", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_batch_item_open_per_record",
            sqlite_where=sa.text("is_open"),
            postgresql_where=sa.text("is_open"),
        )
        batch_op.drop_index("ix_batch_item_state")

    op.drop_table("batch_item")
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.drop_index("ix_batch_state")

    op.drop_table("batch")
