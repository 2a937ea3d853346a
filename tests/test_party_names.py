"""A company is recognised by its USCC, yet every record keeps the party name it
was published under, and a row that names a known company otherwise is warned
with both names: on import, and for records stored before the name was kept."""

from datetime import date

import pytest
from alembic import command
from sqlalchemy import select, text

from credit_repair.importing import import_file
from credit_repair.persistence.batch_views import department_items
from credit_repair.persistence.migrate import alembic_config, upgrade
from credit_repair.persistence.tables import Company, PenaltyRecord
from credit_repair.workflow import batches
from tests.batch_support import OFFICE, local, workflow
from tests.factories import CREATED, make_department, make_record
from tests.penalty_files import CHINESE_HEADERS, MARKET, ORG, _row, write_csv

pytestmark = pytest.mark.storage

USCC = "91530100MA6K1234X5"
RECORD, COMPANY = PenaltyRecord.__table__, Company.__table__


def rows(*names: str) -> list[list[str]]:
    """One row per name, all with the same USCC, each its own decision."""
    return [
        _row(name, ORG, USCC, f"昆市监罚〔2025〕{n}号", "罚款", "罚款0.2万元", "0.2",
             "2025-06-01", MARKET)
        for n, name in enumerate(names, start=1)
    ]  # fmt: skip


def party_names(engine) -> list[tuple[str, str]]:
    """(record's party name, company's name) of every record, in file order."""
    query = (
        select(RECORD.c.party_name, COMPANY.c.name)
        .join(COMPANY, COMPANY.c.id == RECORD.c.company_id)
        .order_by(RECORD.c.source_row)
    )
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


class TestImport:
    def test_one_uscc_under_two_names_is_one_company_and_warned(
        self, engine, tmp_path, clock
    ):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, rows("昆明乙公司", "庚"))

        summary = import_file(engine, path, clock_now=clock.now()).as_dict()

        assert party_names(engine) == [
            ("昆明乙公司", "昆明乙公司"),
            ("庚", "昆明乙公司"),
        ]
        assert summary["warnings_by_kind"]["party_name_differs"] == 1
        assert summary["warning_rows"]["party_name_differs"] == [3]
        assert summary["warning_notes"] == [
            {
                "row": 3,
                "kind": "party_name_differs",
                "detail": f"统一社会信用代码{USCC}已登记为“昆明乙公司”，"
                "本条记录公示为“庚”",
            }
        ]

    def test_a_name_differing_in_width_or_spaces_only_is_the_same_name(
        self, engine, tmp_path, clock
    ):
        path = write_csv(
            tmp_path / "p.csv", CHINESE_HEADERS, rows("昆明乙公司", "昆明 乙公司")
        )

        summary = import_file(engine, path, clock_now=clock.now())

        assert "party_name_differs" not in summary.warnings_by_kind
        assert party_names(engine)[1] == ("昆明 乙公司", "昆明乙公司")

    def test_a_company_stored_earlier_is_compared_too_also_in_a_dry_run(
        self, engine, tmp_path, clock
    ):
        first = write_csv(tmp_path / "a.csv", CHINESE_HEADERS, rows("昆明乙公司"))
        import_file(engine, first, clock_now=clock.now())
        later = write_csv(tmp_path / "b.csv", CHINESE_HEADERS, rows("昆明乙公司", "庚"))

        dry = import_file(engine, later, clock_now=clock.now(), dry_run=True)
        real = import_file(engine, later, clock_now=clock.now())

        for summary in (dry, real):
            assert summary.warning_rows["party_name_differs"] == [3]
        assert (real.imported, real.unchanged) == (1, 1)

    def test_importing_again_changes_nothing_and_a_new_name_updates_the_record(
        self, engine, tmp_path, clock
    ):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, rows("昆明乙公司", "庚"))
        import_file(engine, path, clock_now=clock.now())

        again = import_file(engine, path, clock_now=clock.now())
        renamed = write_csv(
            tmp_path / "r.csv", CHINESE_HEADERS, rows("昆明乙公司", "昆明庚有限公司")
        )
        changed = import_file(engine, renamed, clock_now=clock.now())

        assert (again.updated, again.unchanged) == (0, 2)
        assert (changed.updated, changed.updated_rows) == (1, [3])
        assert party_names(engine)[1] == ("昆明庚有限公司", "昆明乙公司")


def test_a_departments_batch_list_names_the_party_as_published(engine, clock):
    clock.set(local(2026, 4, 1, 9, 0))
    own = make_department(engine, "SCJ")
    make_record(
        engine,
        department_id=own,
        company_name="昆明乙公司",
        party_name="庚",
        decision_date=date(2025, 12, 1),
    )
    batch = batches.start_batch(workflow(engine, clock), OFFICE)

    with engine.connect() as conn:
        [item] = department_items(conn, batch.id, "SCJ")

    assert item["company_name"] == "庚"


class TestMigration:
    def test_records_stored_before_take_their_companys_name(self, engine):
        config = alembic_config(engine)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0005")
        try:
            with engine.begin() as conn:
                _store_a_record_as_0005_did(conn, "昆明乙公司")
        finally:
            upgrade(engine)

        with engine.connect() as conn:
            stored = conn.execute(select(RECORD.c.party_name)).scalar_one()
        assert stored == "昆明乙公司"


def _store_a_record_as_0005_did(conn, company_name: str) -> None:
    """A company, a department and a record, in the columns of revision 0005."""
    conn.execute(
        text(
            "INSERT INTO company (id, name, kind, identity_key, created_at) "
            "VALUES (1, :name, '法人及非法人组织', 'company-1', :now)"
        ),
        {"name": company_name, "now": CREATED},
    )
    conn.execute(
        text("INSERT INTO department (id, code, name) VALUES (1, 'SCJ', '局')")
    )
    conn.execute(
        text(
            "INSERT INTO penalty_record (identity_key, identity_derived, company_id, "
            "department_id, penalty_kinds, published_where, penalty_class, "
            "class_reason, is_published, content_hash, version, created_at, "
            "updated_at) VALUES ('record-1', false, 1, 1, '[\"罚款\"]', 'city', "
            "'general', 'test', true, 'hash', 0, :now, :now)"
        ),
        {"now": CREATED},
    )
