"""import runs and record provenance: title, source row and run of each record

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 17:14:55.855645
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import credit_repair.persistence.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "layout", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column(
            "published_where",
            sqlmodel.sql.sqltypes.AutoString(length=20),
            nullable=False,
        ),
        sa.Column(
            "status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column(
            "started_at",
            credit_repair.persistence.types.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("rows_committed", sa.Integer(), nullable=False),
        sa.Column("last_row", sa.Integer(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_run_file_sha256"), ["file_sha256"], unique=False
        )

    with op.batch_alter_table("penalty_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("import_run_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("source_row", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_penalty_record_import_run_id", "import_run", ["import_run_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("penalty_record", schema=None) as batch_op:
        batch_op.drop_constraint("fk_penalty_record_import_run_id", type_="foreignkey")
        batch_op.drop_column("source_row")
        batch_op.drop_column("import_run_id")
        batch_op.drop_column("title")

    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_run_file_sha256"))

    op.drop_table("import_run")
