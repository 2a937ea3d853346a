"""Penalty records as the use cases read them, and their published flag."""

from datetime import datetime

from sqlalchemy import Connection, bindparam, select, update

from credit_repair.persistence.tables import Company, Department, PenaltyRecord
from credit_repair.workflow.errors import NotFound
from credit_repair.workflow.model import PenaltyData

RECORD = PenaltyRecord.__table__
COMPANY = Company.__table__
DEPARTMENT = Department.__table__

PENALTY_DATA = (
    select(
        RECORD.c.id,
        RECORD.c.company_id,
        COMPANY.c.name.label("company_name"),
        RECORD.c.department_id,
        DEPARTMENT.c.code.label("department_code"),
        DEPARTMENT.c.name.label("department_name"),
        RECORD.c.penalty_class,
        RECORD.c.decision_date,
        RECORD.c.published_on,
        RECORD.c.is_published,
        RECORD.c.published_where,
        RECORD.c.decision_number,
        COMPANY.c.uscc.label("company_uscc"),
        RECORD.c.identity_key,
        RECORD.c.class_reason,
    )
    .join(COMPANY, COMPANY.c.id == RECORD.c.company_id)
    .join(DEPARTMENT, DEPARTMENT.c.id == RECORD.c.department_id)
)
_GET = PENALTY_DATA.where(RECORD.c.id == bindparam("penalty_id"))
_DEPARTMENT_CODE = (
    select(DEPARTMENT.c.code)
    .select_from(RECORD.join(DEPARTMENT, DEPARTMENT.c.id == RECORD.c.department_id))
    .where(RECORD.c.id == bindparam("penalty_id"))
)
_SET_PUBLISHED = update(RECORD).where(RECORD.c.id == bindparam("penalty_id"))
_RECLASSIFY = (
    update(RECORD)
    .where(RECORD.c.id == bindparam("penalty_id"))
    .values(version=RECORD.c.version + 1)
)


class SqlPenaltyStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, penalty_id: int) -> PenaltyData:
        row = self.conn.execute(_GET, {"penalty_id": penalty_id}).first()
        if row is None:
            raise NotFound("penalty record", penalty_id)
        return PenaltyData(**row._mapping)

    def department_code(self, penalty_id: int) -> str:
        code = self.conn.execute(_DEPARTMENT_CODE, {"penalty_id": penalty_id}).scalar()
        if code is None:
            raise NotFound("penalty record", penalty_id)
        return code

    def set_published(self, penalty_id: int, published: bool, at: datetime) -> None:
        self.conn.execute(
            _SET_PUBLISHED,
            {"penalty_id": penalty_id, "is_published": published, "updated_at": at},
        )

    def reclassify(
        self,
        penalty_id: int,
        penalty_class: str,
        reason: str,
        case_id: int,
        at: datetime,
    ) -> None:
        """Store a confirmed class and its reason; one more row in the record's
        stream."""
        self.conn.execute(
            _RECLASSIFY,
            {
                "penalty_id": penalty_id,
                "penalty_class": penalty_class,
                "class_reason": reason,
                "class_confirmed_by_case": case_id,
                "updated_at": at,
            },
        )
