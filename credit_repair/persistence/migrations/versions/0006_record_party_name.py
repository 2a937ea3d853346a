"""the party's name as published on each penalty record

Adds ``penalty_record.party_name``: the name a record was published under. A
company is recognised by its USCC, so two records of one company may name it
differently (a renamed company, a typing error); the company keeps the name it
was first stored under and each record keeps its own. Existing records take
their company's name, the only one that was kept.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("penalty_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("party_name", sa.String(300), nullable=True))
    record = sa.table(
        "penalty_record",
        sa.column("company_id", sa.Integer),
        sa.column("party_name", sa.String),
    )
    company = sa.table("company", sa.column("id", sa.Integer), sa.column("name"))
    op.execute(
        record.update().values(
            party_name=sa.select(company.c.name)
            .where(company.c.id == record.c.company_id)
            .scalar_subquery()
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("penalty_record", schema=None) as batch_op:
        batch_op.drop_column("party_name")
