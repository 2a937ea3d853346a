"""Batches and item reads; the set-based item writes live in ``batch_items``."""

from collections.abc import Sequence

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from credit_repair.persistence.stores.batch_items import ITEM, BatchItemWrites
from credit_repair.persistence.stores.records import DEPARTMENT, RECORD
from credit_repair.persistence.tables import Batch
from credit_repair.workflow.batch_model import BatchData, ItemData
from credit_repair.workflow.errors import Conflict, NotFound, VersionConflict

BATCH = Batch.__table__
_FIELDS = [c.name for c in BATCH.columns if c.name != "id"]
_ITEM_DATA = [c for c in ITEM.columns if c.name in ItemData.__dataclass_fields__]


class SqlBatchStore(BatchItemWrites):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, batch: BatchData) -> int:
        values = {name: getattr(batch, name) for name in _FIELDS}
        values["version"] = 1
        try:
            return self.conn.execute(
                insert(BATCH).values(values).returning(BATCH.c.id)
            ).scalar_one()
        except IntegrityError:
            raise Conflict(f"quarter {batch.quarter}", "already has a batch") from None

    def get(self, batch_id: int, lock: bool = False) -> BatchData:
        query = select(BATCH).where(BATCH.c.id == batch_id)
        row = self.conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise NotFound("batch", batch_id)
        return BatchData(**row._mapping)

    def update(self, batch: BatchData) -> int:
        values = {name: getattr(batch, name) for name in _FIELDS}
        values["version"] = batch.version + 1
        result = self.conn.execute(
            update(BATCH)
            .where(BATCH.c.id == batch.id, BATCH.c.version == batch.version)
            .values(values)
        )
        if result.rowcount != 1:
            actual = self.conn.execute(
                select(BATCH.c.version).where(BATCH.c.id == batch.id)
            ).scalar()
            raise VersionConflict(batch.label, batch.version, actual)
        return batch.version + 1

    def by_quarter(self, quarter: str) -> BatchData | None:
        row = self.conn.execute(select(BATCH).where(BATCH.c.quarter == quarter)).first()
        return BatchData(**row._mapping) if row else None

    def ids_in_state(self, state: str) -> list[int]:
        return list(
            self.conn.execute(
                select(BATCH.c.id).where(BATCH.c.state == state).order_by(BATCH.c.id)
            ).scalars()
        )

    def record_id_range(self) -> tuple[int, int] | None:
        low, high = self.conn.execute(
            select(func.min(RECORD.c.id), func.max(RECORD.c.id))
        ).one()
        return None if low is None else (low, high)

    def record_screening(
        self, batch_id: int, record_id: int, found: dict[str, int]
    ) -> None:
        self.conn.execute(
            update(BATCH)
            .where(BATCH.c.id == batch_id)
            .values(
                screened_through=record_id,
                **{
                    f"{name}_count": BATCH.c[f"{name}_count"] + n
                    for name, n in found.items()
                },
            )
        )

    def items(self, batch_id: int, item_ids: Sequence[int]) -> list[ItemData]:
        """Found by id alone (the primary key is the cheapest way in), then kept
        when they belong to the batch."""
        found: list[ItemData] = []
        ids = list(item_ids)
        for start in range(0, len(ids), 2000):
            rows = self.conn.execute(
                select(*_ITEM_DATA, DEPARTMENT.c.code.label("department_code"))
                .join(DEPARTMENT, DEPARTMENT.c.id == ITEM.c.department_id)
                .where(ITEM.c.id.in_(ids[start : start + 2000]))
            )
            found += [ItemData(**r._mapping) for r in rows if r.batch_id == batch_id]
        return found

    def departments(self, batch_id: int, state: str) -> dict[str, int]:
        rows = self.conn.execute(
            select(DEPARTMENT.c.code, func.count())
            .join(DEPARTMENT, DEPARTMENT.c.id == ITEM.c.department_id)
            .where(ITEM.c.batch_id == batch_id, ITEM.c.state == state)
            .group_by(DEPARTMENT.c.code)
            .order_by(DEPARTMENT.c.code)
        )
        return {code: n for code, n in rows}
