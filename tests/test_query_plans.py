"""Hot-path lookups use the indexes meant for them on SQLite, whose planner only
takes a partial index when the query repeats its ``WHERE`` term as written."""

from credit_repair.persistence.stores.cases import (
    _GET_FOR_UPDATE,
    OPEN_CASE_FOR_RECORD,
    OPEN_ITEM_FOR_RECORD,
)


def plan(engine, statement, params) -> str:
    compiled = statement.compile(engine)
    values = compiled.construct_params(params)
    positional = tuple(values[name] for name in compiled.positiontup)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", positional)
        rows = rows.all()
    return " / ".join(row[-1] for row in rows)


class TestOpenCaseLookup:
    def test_finding_a_records_open_case_searches_the_partial_index(self, engine):
        detail = plan(engine, OPEN_CASE_FOR_RECORD, {"penalty_id": 1})

        assert "USING INDEX ux_case_open_per_record" in detail, detail
        assert "SCAN" not in detail


class TestOpenBatchItemLookup:
    def test_finding_a_records_open_item_searches_the_partial_index(self, engine):
        detail = plan(engine, OPEN_ITEM_FOR_RECORD, {"penalty_id": 1})

        assert "USING INDEX ux_batch_item_open_per_record" in detail, detail
        assert "SCAN" not in detail


class TestLockedCaseRead:
    def test_the_audit_head_read_with_the_case_searches_the_stream_index(self, engine):
        detail = plan(engine, _GET_FOR_UPDATE, {"case_id": 1})

        assert "SEARCH audit_entry USING INDEX" in detail, detail
        assert "SCAN" not in detail
