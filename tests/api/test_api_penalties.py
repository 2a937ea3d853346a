"""Penalty records through HTTP: entering one, reading it with its disclosure
window, listing with filters, and the file import route."""

from datetime import UTC, datetime

import pytest

from tests.factories import department_code, make_record

pytestmark = pytest.mark.storage


def decision(**changes) -> dict:
    return {
        "party_name": "昆明某某餐饮有限公司",
        "uscc": "91530100MA6K1234X1",
        "department_code": "KMSJGJ",
        "department_name": "昆明市市场监督管理局",
        "decision_number": "昆市监罚〔2025〕88号",
        "penalty_kinds": ["罚款"],
        "fine_yuan": "5000.00",
        "facts": "经营超过保质期的食品",
        "decision_date": "2025-11-30",
        "published_on": "2025-12-05",
        "penalty_class": "general",
    } | changes


class TestEntering:
    def test_a_uscc_failing_its_check_character_is_stored_with_a_warning(self, intake):
        response = intake.post("/api/v1/penalties", json=decision())

        assert response.status_code == 201, response.text
        assert response.json()["warnings"] == [
            {
                "field": "uscc",
                "code": "uscc_bad_check_character",
                "message": "校验码为1，按GB 32100计算应为5",
            }
        ]
        good = decision(
            uscc="91530100MA6K1234X5", decision_number="昆市监罚〔2025〕89号"
        )
        assert intake.post("/api/v1/penalties", json=good).json()["warnings"] == []

    def test_a_record_is_stored_with_its_class_and_disclosure_window(self, intake):
        response = intake.post("/api/v1/penalties", json=decision())

        assert response.status_code == 201, response.text
        record = response.json()
        assert record["penalty_class"] == "general"
        assert record["is_published"] is True
        assert record["fine_yuan"] == "5000.00"
        assert record["company"]["uscc"] == "91530100MA6K1234X1"
        assert record["department"] == {
            "code": "KMSJGJ",
            "name": "昆明市市场监督管理局",
        }
        # decided 2025-11-30, 3 months → ends 2026-02-28, eligible from 03-01
        assert record["period"] == {
            "regime": "kunming-2020",
            "minimum_period_end": "2026-02-28",
            "maximum_period_end": "2026-11-30",
            "eligible_from": "2026-03-01",
        }
        assert record["open_case_id"] is None

    def test_the_same_decision_twice_is_a_conflict(self, office):
        office.post("/api/v1/penalties", json=decision())

        again = office.post("/api/v1/penalties", json=decision(fine_yuan="6000"))

        assert again.status_code == 409
        assert "昆市监罚〔2025〕88号" in again.json()["message"]

    def test_a_known_department_and_company_are_reused(self, office):
        first = office.post("/api/v1/penalties", json=decision()).json()
        second = office.post(
            "/api/v1/penalties",
            json=decision(decision_number="昆市监罚〔2025〕89号", department_name=None),
        ).json()

        assert second["company"]["id"] == first["company"]["id"]
        assert second["department"]["code"] == "KMSJGJ"

    def test_a_known_uscc_under_another_name_keeps_the_name_and_warns(self, office):
        office.post("/api/v1/penalties", json=decision(party_name="昆明乙公司"))
        other = decision(party_name="庚", decision_number="昆市监罚〔2025〕89号")

        response = office.post("/api/v1/penalties", json=other)

        assert response.status_code == 201, response.text
        record = response.json()
        assert (record["party_name"], record["company"]["name"]) == ("庚", "昆明乙公司")
        assert record["warnings"][1] == {
            "field": "party_name",
            "code": "party_name_differs",
            "message": "统一社会信用代码91530100MA6K1234X1已登记为“昆明乙公司”，"
            "本条记录公示为“庚”",
        }
        shown = office.get(f"/api/v1/penalties/{record['id']}").json()
        assert shown["party_name"] == "庚"
        found = office.get("/api/v1/penalties", params={"company_name": "庚"}).json()
        assert [(p["party_name"], p["company_name"]) for p in found["items"]] == [
            ("庚", "昆明乙公司")
        ]

    def test_the_same_name_in_another_width_is_no_other_name(self, office):
        office.post("/api/v1/penalties", json=decision(party_name="昆明乙公司"))
        other = decision(
            party_name="昆明 乙公司", decision_number="昆市监罚〔2025〕89号"
        )

        response = office.post("/api/v1/penalties", json=other)

        assert [w["code"] for w in response.json()["warnings"]] == [
            "uscc_bad_check_character"
        ]

    def test_an_unknown_department_needs_its_name(self, office):
        response = office.post(
            "/api/v1/penalties",
            json=decision(department_code="NEWDEPT", department_name=None),
        )

        assert response.status_code == 422
        assert "department_name" in response.json()["problems"]

    def test_the_classifier_decides_the_class(self, office):
        body = decision(penalty_class=None, penalty_kinds=["吊销许可证件"])

        response = office.post("/api/v1/penalties", json=body)

        assert response.status_code == 201
        assert response.json()["penalty_class"] in ("severe", "specific_severe")

    def test_revoking_a_food_licence_is_specific_severe(self, office):
        body = decision(
            penalty_class=None, penalty_kinds=["吊销许可证件"], facts="销售过期食品"
        )

        response = office.post("/api/v1/penalties", json=body)

        assert response.status_code == 201, response.text
        assert response.json()["penalty_class"] == "specific_severe"
        assert response.json()["class_reason"].endswith("（规则 SS1）")
        assert [w["code"] for w in response.json()["warnings"]] == [
            "uscc_bad_check_character"
        ]

    def test_the_content_counts_for_the_class_too(self, office):
        body = decision(
            penalty_class=None,
            penalty_kinds=["吊销许可证件"],
            facts="未按规定经营",
            content="吊销食品经营许可证",
        )

        response = office.post("/api/v1/penalties", json=body)

        assert response.json()["penalty_class"] == "specific_severe"

    def test_a_declared_class_cannot_lower_a_specific_severe_one(self, office):
        body = decision(
            penalty_class="general",
            penalty_kinds=["吊销许可证件"],
            facts="销售过期食品",
            uscc="91530100MA6K1234X5",
        )

        response = office.post("/api/v1/penalties", json=body)

        assert response.status_code == 201, response.text
        record = response.json()
        assert record["penalty_class"] == "specific_severe"
        assert record["class_reason"] == (
            "特定严重失信：食品药品领域处以吊销许可证件（规则 SS1）"
            "；明示的失信类别“general”不能降低特定严重失信"
        )
        [warning] = record["warnings"]
        assert (warning["field"], warning["code"]) == (
            "penalty_class",
            "declared_class_overruled",
        )
        assert warning["message"].startswith("declared general, but rule SS1")

    def test_a_declared_class_still_counts_where_it_lowers_no_specific_severe(
        self, office
    ):
        body = decision(
            penalty_class="general", penalty_kinds=["吊销许可证件"], facts="超范围经营"
        )

        response = office.post("/api/v1/penalties", json=body)

        assert response.json()["penalty_class"] == "general"
        assert [w["code"] for w in response.json()["warnings"]] == [
            "uscc_bad_check_character"
        ]

    @pytest.mark.parametrize(
        ("change", "field", "problem"),
        [
            (
                {"decision_date": "2030-11-30", "published_on": None},
                "decision_date",
                "2030-11-30 is after today (2026-03-02, Asia/Shanghai)",
            ),
            (
                {"published_on": "2030-01-01"},
                "published_on",
                "2030-01-01 is after today (2026-03-02, Asia/Shanghai)",
            ),
            (
                {"published_on": "2025-11-29"},
                "published_on",
                "published 2025-11-29, before the decision of 2025-11-30",
            ),
            (
                {"decision_date": "1900-01-01"},
                "decision_date",
                "Input should be greater than or equal to 1990-01-01",
            ),
        ],
    )
    def test_an_implausible_date_is_refused_naming_the_field(
        self, office, change, field, problem
    ):
        response = office.post("/api/v1/penalties", json=decision(**change))

        assert response.status_code == 422, response.text
        assert response.json()["problems"] == {field: problem}
        assert office.get("/api/v1/penalties").json()["total"] == 0

    def test_today_is_judged_in_shanghai(self, office, clock):
        clock.set(datetime(2026, 3, 1, 16, 30, tzinfo=UTC))  # 03-02 00:30 in Shanghai

        response = office.post(
            "/api/v1/penalties",
            json=decision(decision_date="2026-03-02", published_on="2026-03-02"),
        )

        assert response.status_code == 201, response.text

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"uscc": "123"}, "uscc"),
            ({"fine_yuan": "-1"}, "fine_yuan"),
            ({"fine_yuan": "1e400"}, "fine_yuan"),
            ({"fine_yuan": "12.345"}, "fine_yuan"),
            ({"decision_date": "2025-02-30"}, "decision_date"),
            ({"decision_date": "9999-01-01"}, "decision_date"),
            ({"penalty_kinds": []}, "penalty_kinds"),
            ({"party_name": "   "}, "party_name"),
            ({"party_name": "x" * 301}, "party_name"),
            ({"penalty_class": "terrible"}, "penalty_class"),
            ({"department_code": "市场局"}, "department_code"),
        ],
    )
    def test_bad_values_are_named(self, office, change, field):
        response = office.post("/api/v1/penalties", json=decision(**change))

        assert response.status_code == 422, response.text
        assert field in response.json()["problems"]


class TestReading:
    def test_filters_and_pagination(self, engine, office):
        severe = make_record(engine, penalty_class="severe")
        general = make_record(engine)
        hidden = make_record(engine, is_published=False)

        by_class = office.get(
            "/api/v1/penalties", params={"penalty_class": "severe"}
        ).json()
        unpublished = office.get(
            "/api/v1/penalties", params={"published": "false"}
        ).json()
        paged = office.get("/api/v1/penalties", params={"limit": 2}).json()

        assert [p["id"] for p in by_class["items"]] == [severe]
        assert [p["id"] for p in unpublished["items"]] == [hidden]
        assert (paged["total"], [p["id"] for p in paged["items"]]) == (
            3,
            [hidden, general],
        )

    def test_company_name_matches_any_part_and_wildcards_are_literal(
        self, engine, office
    ):
        wanted = make_record(engine, company_name="昆明云岭100%食品厂")
        make_record(engine, company_name="昆明云岭1000食品厂")

        found = office.get("/api/v1/penalties", params={"company_name": "100%"}).json()

        assert [p["id"] for p in found["items"]] == [wanted]

    def test_a_department_sees_its_own_records_only(
        self, engine, office, department_of
    ):
        mine = make_record(engine)
        other = make_record(engine)
        department = department_of(mine)

        listed = department.get("/api/v1/penalties").json()

        assert [p["id"] for p in listed["items"]] == [mine]
        assert department.get(f"/api/v1/penalties/{mine}").status_code == 200
        assert department.get(f"/api/v1/penalties/{other}").status_code == 403
        code = department_code(engine, mine)
        assert listed["items"][0]["department_code"] == code

    def test_a_record_with_an_open_case_names_it(self, engine, intake):
        penalty_id = make_record(engine)
        case = intake.post(
            "/api/v1/cases",
            json={
                "procedure": "commitment",
                "penalty_id": penalty_id,
                "channel": "email",
            },
        ).json()

        shown = intake.get(f"/api/v1/penalties/{penalty_id}").json()

        assert shown["open_case_id"] == case["id"]
        assert shown["class_reason"] == "test"


class TestImport:
    def test_a_file_is_imported_with_the_command_lines_summary(self, office):
        csv = (
            "行政相对人名称,统一社会信用代码,行政处罚决定书文号,处罚类别,"
            "处罚决定日期,处罚机关\n"
            "昆明某某商贸有限公司,91530100MA6K1234X1,昆市监罚〔2025〕1号,罚款,"
            "2025-06-01,昆明市市场监督管理局\n"
        ).encode()

        response = office.post(
            "/api/v1/penalties/import",
            files={"file": ("records.csv", csv, "text/csv")},
        )

        assert response.status_code == 200, response.text
        assert isinstance(response.json(), dict)

    def test_a_record_past_its_maximum_goes_offline_at_once(self, office):
        csv = (
            "行政相对人名称,行政处罚决定书文号,处罚类别,处罚决定日期,处罚机关\n"
            "昆明某某商贸有限公司,昆市监罚〔2025〕2号,罚款,2025-02-01,"
            "昆明市市场监督管理局\n"
        ).encode()

        response = office.post(
            "/api/v1/penalties/import",
            files={"file": ("records.csv", csv, "text/csv")},
        )

        assert response.status_code == 200, response.text
        assert response.json()["expired"] == 1
        offline = office.get("/api/v1/penalties?published=false").json()
        assert offline["total"] == 1
        history = office.get("/api/v1/publication-changes").json()["items"]
        assert [c["action"] for c in history] == ["expired"]

    def test_an_unreadable_file_is_422(self, office):

        response = office.post(
            "/api/v1/penalties/import",
            files={"file": ("records.csv", b"\x00\x01garbage", "text/csv")},
        )

        assert response.status_code == 422
        assert "file" in response.json()["problems"]
