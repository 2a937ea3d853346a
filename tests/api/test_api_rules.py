"""Routes that read rules and logs: deadlines, eligibility, the publication feed,
the audit log and the machine diagrams."""

import json
import shutil
from datetime import date

import pytest
from sqlalchemy import update

from credit_repair.persistence.tables import AuditEntry
from tests.api.conftest import LETTER, encoded
from tests.factories import make_record

pytestmark = pytest.mark.storage


def reviewed_case(engine, intake, office, **record) -> tuple[int, int]:
    penalty_id = make_record(engine, **record)
    body = {
        "procedure": "commitment",
        "penalty_id": penalty_id,
        "channel": "website",
        "documents": [encoded(*LETTER)],
    }
    case_id = intake.post("/api/v1/cases", json=body).json()["id"]
    office.post(f"/api/v1/cases/{case_id}/events/review")
    return penalty_id, case_id


class TestDeadline:
    def test_one_working_day_skips_the_national_day_holiday(self, office):
        response = office.get(
            "/api/v1/calendar/deadline",
            params={"start": "2026-09-30T16:00:00+08:00", "working_days": 1},
        )

        assert response.status_code == 200
        due = response.json()
        assert due["due_at"] == "2026-10-08T16:00:00Z"
        assert due["local_due"] == "2026-10-09T00:00:00+08:00"
        assert due["last_day"] == "2026-10-08"
        assert due["provisional"] is False
        assert due["skipped"][0]["first"] == "2026-10-01"
        assert "Thu 2026-10-08 24:00" in due["explanation"]

    def test_seven_days_ending_on_a_holiday_move_to_the_next_working_day(self, office):
        due = office.get(
            "/api/v1/calendar/deadline",
            params={"start": "2026-09-25T10:00:00+08:00", "days": 7},
        ).json()

        assert (due["rule"], due["last_day"]) == ("days", "2026-10-08")

    def test_a_year_without_official_data_is_provisional(self, office):
        due = office.get(
            "/api/v1/calendar/deadline",
            params={"start": "2027-03-01T10:00:00+08:00", "working_days": 3},
        ).json()

        assert due["provisional"] is True
        assert "2027" in due["provisional_reason"]

    @pytest.mark.parametrize(
        ("params", "fields"),
        [
            ({"start": "2026-09-30T16:00:00+08:00"}, {"working_days", "days"}),
            (
                {"start": "2026-09-30T16:00:00+08:00", "days": 1, "working_days": 1},
                {"working_days", "days"},
            ),
            ({"start": "2026-09-30T16:00:00", "days": 1}, {"start"}),
            ({"start": "2026-09-30T16:00:00+08:00", "days": -1}, {"days"}),
            ({"start": "3000-01-01T00:00:00+08:00", "days": 1}, {"start"}),
        ],
    )
    def test_bad_questions_name_their_fields(self, office, params, fields):
        response = office.get("/api/v1/calendar/deadline", params=params)

        assert response.status_code == 422
        assert set(response.json()["problems"]) == fields


class TestEligibility:
    def test_a_record_past_its_minimum_period_with_a_letter_is_eligible(
        self, engine, office
    ):
        penalty_id = make_record(engine)

        answer = office.get(
            "/api/v1/eligibility",
            params={
                "penalty_id": penalty_id,
                "procedure": "commitment",
                "documents": "commitment_letter",
            },
        ).json()

        assert (answer["eligible"], answer["unmet"]) == (True, [])
        assert (answer["on"], answer["regime"]) == ("2026-03-02", "kunming-2020")

    def test_every_unmet_condition_is_listed_at_once(self, engine, office):
        penalty_id = make_record(
            engine,
            penalty_class="severe",
            decision_date=date(2026, 1, 10),
            is_published=False,
        )

        answer = office.get(
            "/api/v1/eligibility",
            params={"penalty_id": penalty_id, "procedure": "commitment"},
        ).json()

        assert answer["eligible"] is False
        assert [u["code"] for u in answer["unmet"]] == [
            "not_published",
            "minimum_period_not_reached",
            "commitment_letter_missing",
        ]
        early = answer["unmet"][1]
        assert early["detail"]["eligible_from"] == "2026-07-11"
        assert "2026-07-11" in early["message_zh"]

    def test_unknown_record_and_missing_procedure(self, office):
        unknown = office.get(
            "/api/v1/eligibility", params={"penalty_id": 999, "procedure": "instant"}
        )
        missing = office.get("/api/v1/eligibility", params={"penalty_id": 1})

        assert unknown.status_code == 404
        assert missing.status_code == 422
        assert "procedure" in missing.json()["problems"]


class TestPublicationFeed:
    def test_the_portal_reads_changes_in_order_from_a_sequence_number(
        self, engine, intake, office
    ):
        first, first_case = reviewed_case(engine, intake, office)
        second, _ = reviewed_case(engine, intake, office)
        intake.post(f"/api/v1/cases/{first_case}/events/withdraw")

        page = intake.get("/api/v1/publication-changes", params={"limit": 2}).json()
        rest = intake.get(
            "/api/v1/publication-changes", params={"after": page["next_after"]}
        ).json()

        assert [(c["penalty_id"], c["action"]) for c in page["items"]] == [
            (first, "taken_down"),
            (second, "taken_down"),
        ]
        assert [
            (c["penalty_id"], c["action"], c["published"]) for c in rest["items"]
        ] == [(first, "relisted", True)]
        assert page["items"][0]["decision_number"].startswith("昆市监罚")
        empty = intake.get(
            "/api/v1/publication-changes", params={"after": rest["next_after"]}
        ).json()
        assert empty == {"items": [], "next_after": rest["next_after"]}


class TestAudit:
    def test_verify_replay_and_export_for_an_auditor(
        self, engine, intake, office, auditor
    ):
        reviewed_case(engine, intake, office)

        verified = auditor.get("/api/v1/audit/verify").json()
        replayed = auditor.get("/api/v1/audit/replay").json()
        export = auditor.get("/api/v1/audit/export")

        assert (verified["ok"], verified["streams"], verified["rows"]) == (True, 1, 2)
        assert (replayed["ok"], replayed["cases"]) == (True, 1)
        assert export.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in export.text.splitlines()]
        assert [(r["event"], r["actor"]) for r in lines] == [
            ("submit", "portal (intake)"),
            ("review", "王芳 (office)"),
        ]
        assert lines[1]["prev_hash"] == lines[0]["hash"]

    def test_an_altered_row_is_named(self, engine, intake, office, auditor):
        reviewed_case(engine, intake, office)
        table = AuditEntry.__table__
        with engine.begin() as conn:
            conn.execute(
                update(table).where(table.c.stream_seq == 2).values(actor="someone")
            )

        verified = auditor.get("/api/v1/audit/verify").json()

        assert verified["ok"] is False
        assert verified["problems"][0]["problem"] == "content differs from its hash"
        assert verified["problems"][0]["stream_seq"] == 2


class TestMachines:
    def test_machines_list_their_states_and_events(self, office):
        machines = {m["name"]: m for m in office.get("/api/v1/machines").json()}

        assert sorted(machines) == ["batch", "batch_item", "commitment", "instant"]
        machine = machines["commitment"]
        assert {"value": "effective", "label": "修复生效", "final": True} in machine[
            "states"
        ]
        assert "confirm" in machine["events"]

    def test_a_diagram_is_mermaid_with_the_case_path_marked(
        self, engine, intake, office
    ):
        _penalty, case_id = reviewed_case(engine, intake, office)

        plain = office.get("/api/v1/machines/commitment/diagram")
        marked = office.get(
            "/api/v1/machines/commitment/diagram", params={"case_id": case_id}
        )

        assert plain.status_code == 200
        assert plain.text.startswith("stateDiagram")
        assert "taken_down:::current" in marked.text
        assert "submitted:::visited" in marked.text

    def test_svg_needs_graphviz(self, office):
        response = office.get(
            "/api/v1/machines/commitment/diagram", params={"format": "svg"}
        )

        if shutil.which("dot"):
            assert response.headers["content-type"] == "image/svg+xml"
        else:
            assert response.status_code == 406
            assert "Graphviz" in response.json()["message"]
