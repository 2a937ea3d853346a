"""An import takes the records it stores that are past their maximum period off the
portal at once, in the transaction of their chunk, audited and announced as the
daily housekeeping does; a dry run counts them and writes nothing."""

import pytest
from sqlalchemy import func, select

from credit_repair.importing import ImportInterrupted, PastMaximumExpiry, import_file
from credit_repair.persistence.notifications import notifications
from credit_repair.persistence.tables import AuditEntry, Company, PenaltyRecord
from credit_repair.workflow import housekeeping
from credit_repair.workflow.model import Actor
from tests.checks import assert_log_consistent, feed, is_published
from tests.penalty_files import CHINESE_HEADERS, NATIONAL_ROWS, write_csv

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
RECORD, AUDIT = PenaltyRecord.__table__, AuditEntry.__table__
COMPANY = Company.__table__


def row(party: str, number: str, decided: str, fine: str = "0.2") -> list[str]:
    cells = list(NATIONAL_ROWS[0])
    cells[0], cells[2], cells[4], cells[12] = party, "", number, decided
    cells[9], cells[10] = f"罚款{fine}万元", fine
    return cells


# Imported on Mon 2026-03-02 (the test clock): a general record's 12 months
# from 2025-03-01 ended 2026-03-01; a severe one's 36 months from 2023-03-01 too.
ROWS = [
    row("昆明过期一般有限公司", "昆市监罚〔2025〕1号", "2025-03-01"),
    row("昆明当日一般有限公司", "昆市监罚〔2025〕2号", "2025-03-02"),
    row("昆明过期严重有限公司", "昆市监罚〔2023〕3号", "2023-03-01", fine="120"),
]


@pytest.fixture
def penalty_csv(tmp_path):
    return write_csv(tmp_path / "penalties.csv", CHINESE_HEADERS, ROWS)


def ids_by_party(engine) -> dict[str, int]:
    """Record ids by the first word of their party: 过期一般, 当日一般, 过期严重."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(RECORD.c.id, COMPANY.c.name).join(
                COMPANY, COMPANY.c.id == RECORD.c.company_id
            )
        ).all()
    return {name.removeprefix("昆明")[:4]: penalty_id for penalty_id, name in rows}


def test_records_past_their_maximum_go_offline_in_the_import(
    wf, engine, penalty_csv, clock
):
    expire = PastMaximumExpiry(wf, OFFICE)

    summary = import_file(engine, penalty_csv, clock_now=clock.now(), expire=expire)

    ids = ids_by_party(engine)
    assert (summary.imported, summary.expired) == (3, 2)
    assert summary.as_dict()["expired"] == 2
    published = {party: is_published(engine, i) for party, i in ids.items()}
    assert published == {"过期一般": False, "当日一般": True, "过期严重": False}
    assert feed(engine, ids["过期一般"]) == feed(engine, ids["过期严重"]) == ["expired"]
    with engine.connect() as conn:
        [audited] = conn.execute(
            select(AUDIT).where(AUDIT.c.stream == f"record:{ids['过期一般']}")
        ).all()
        company = conn.execute(
            select(RECORD.c.company_id).where(RECORD.c.id == ids["过期一般"])
        ).scalar_one()
        [notice] = notifications(conn, f"company:{company}")
    assert (audited.event, audited.actor) == ("expired", "王芳 (office)")
    assert audited.payload["import_run_id"] == summary.run_id
    assert audited.payload["as_of"] == "2026-03-02"
    assert audited.payload["maximum_end"] == "2026-03-01"
    assert notice["kind"] == "record_expired"
    assert housekeeping.run(wf, dry_run=True).expired_count == 0
    assert_log_consistent(engine)


def test_a_reimport_expires_nothing_twice(wf, engine, penalty_csv, clock):
    expire = PastMaximumExpiry(wf, OFFICE)
    import_file(engine, penalty_csv, clock_now=clock.now(), expire=expire)

    again = import_file(engine, penalty_csv, clock_now=clock.now(), expire=expire)

    assert (again.unchanged, again.expired) == (3, 0)
    assert_log_consistent(engine)


def test_a_dry_run_counts_them_and_writes_nothing(wf, engine, penalty_csv, clock):
    expire = PastMaximumExpiry(wf, OFFICE)

    dry = import_file(
        engine, penalty_csv, clock_now=clock.now(), expire=expire, dry_run=True
    )

    assert (dry.imported, dry.expired) == (3, 2)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(RECORD)) == 0
        assert conn.scalar(select(func.count()).select_from(AUDIT)) == 0


def test_a_chunk_that_fails_keeps_neither_its_records_nor_their_expiry(
    wf, engine, penalty_csv, clock
):
    expire = PastMaximumExpiry(wf, OFFICE)
    chunks = []

    def expire_then_fail_on_the_second_chunk(conn, keys, run_id):
        chunks.append(expire(conn, keys, run_id))
        if len(chunks) == 2:
            raise RuntimeError("disk full")
        return chunks[-1]

    with pytest.raises(ImportInterrupted, match="disk full"):
        import_file(
            engine,
            penalty_csv,
            clock_now=clock.now(),
            expire=expire_then_fail_on_the_second_chunk,
            chunk_rows=2,
        )

    ids = ids_by_party(engine)
    assert chunks == [1, 1]
    assert ids.keys() == {"过期一般", "当日一般"}
    assert feed(engine, ids["过期一般"]) == ["expired"]
    with engine.connect() as conn:
        streams = conn.execute(select(AUDIT.c.stream).distinct()).scalars().all()
    assert streams == [f"record:{ids['过期一般']}"]
    assert_log_consistent(engine)


def test_the_importer_alone_expires_nothing(engine, penalty_csv, clock):
    summary = import_file(engine, penalty_csv, clock_now=clock.now())

    assert summary.expired == 0
    assert all(is_published(engine, i) for i in ids_by_party(engine).values())


def test_the_day_of_the_import_decides(wf, engine, tmp_path, clock):
    rows = [row("昆明明日过期有限公司", "昆市监罚〔2025〕9号", "2025-03-02")]
    path = write_csv(tmp_path / "one.csv", CHINESE_HEADERS, rows)
    clock.advance(days=1)  # Tue 2026-03-03: its maximum ended yesterday

    summary = import_file(
        engine, path, clock_now=clock.now(), expire=PastMaximumExpiry(wf, OFFICE)
    )

    assert summary.expired == 1
