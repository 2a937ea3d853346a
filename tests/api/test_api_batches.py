"""A quarterly batch (批量主动修复) through HTTP, on SQLite and PostgreSQL: start,
each department's list as JSON, CSV and XLSX, answers by JSON and by a filled-in
sheet, review, public notice, an objection, and completion by the scheduler."""

import io

import pytest
from openpyxl import load_workbook

from tests.batch_support import local, sweep
from tests.checks import assert_log_consistent, feed, is_published, notices
from tests.factories import make_department, make_record

pytestmark = pytest.mark.storage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def records(engine, clock) -> dict[str, list[int]]:
    """Published general records past their minimum period: three of SCJ, two
    of HBJ, one of WJW (which never answers)."""
    clock.set(local(2026, 4, 1, 10, 0))  # Wed
    made = {}
    for code, count in (("SCJ", 3), ("HBJ", 2), ("WJW", 1)):
        department_id = make_department(engine, code)
        made[code] = [
            make_record(engine, department_id=department_id) for _ in range(count)
        ]
    return made


def filled_xlsx(content: bytes, answer: str) -> bytes:
    """The exported sheet with ``answer`` (是/否) in every item's answer cell."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    column = [c.value for c in sheet[1]].index("是否已全部履行") + 1
    for line in range(2, sheet.max_row + 1):
        sheet.cell(line, column).value = answer
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["item_id"] for item in response.json()["items"]]


def test_a_batch_from_start_to_completion(
    engine, wf, clock, records, office, intake, auditor, caller
):
    scj, hbj = caller("department", "SCJ"), caller("department", "HBJ")

    assert scj.post("/api/v1/batches", json={}).status_code == 403
    started = office.post("/api/v1/batches", json={"as_of": "2026-04-01"})
    assert started.status_code == 201, started.text
    batch = started.json()
    assert (batch["state"], batch["origin"], batch["as_of"]) == (
        "awaiting_confirmation",
        "staff",
        "2026-04-01",
    )
    assert batch["screened"]["items"] == 6
    assert batch["by_state"] == {"candidate": 6}
    assert {d["kind"] for d in batch["deadlines"]} == {"confirmation"}
    assert notices(engine, "department:SCJ") == ["batch_confirmation_requested"]
    base = f"/api/v1/batches/{batch['id']}"
    listed = auditor.get("/api/v1/batches").json()
    assert (listed["total"], listed["items"][0]["item_count"]) == (1, 6)
    assert intake.get(f"{base}/notice").status_code == 404

    # each department reads its own list, in three formats
    scj_items = ids(scj.get(f"{base}/items"))
    assert len(scj_items) == 3
    assert ids(office.get(f"{base}/items", params={"department": "HBJ"})) == ids(
        hbj.get(f"{base}/items")
    )
    assert len(ids(auditor.get(f"{base}/items"))) == 6
    refused = scj.get(f"{base}/items", params={"department": "HBJ"})
    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")
    assert intake.get(f"{base}/items").status_code == 403
    csv = scj.get(f"{base}/items", params={"format": "csv"})
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.headers["content-disposition"] == (
        f'attachment; filename="batch-{batch["id"]}-SCJ.csv"'
    )
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("条目编号,部门代码")
    assert [int(line.split(",")[0]) for line in lines[1:]] == scj_items
    sheet = hbj.get(f"{base}/items", params={"format": "xlsx"})
    assert sheet.headers["content-type"] == XLSX
    assert 'filename="batch-1-HBJ.xlsx"' in sheet.headers["content-disposition"]

    # SCJ answers by JSON (one not carried out), HBJ by the sheet; WJW never
    answers = [{"item_id": i, "fulfilled": i != scj_items[2]} for i in scj_items]
    hbj_answers = [
        {"item_id": i, "fulfilled": True} for i in ids(hbj.get(f"{base}/items"))
    ]
    foreign = hbj.post(f"{base}/confirmations", json=answers)
    assert (foreign.status_code, foreign.json()["error"]) == (403, "forbidden")
    other = scj.post(
        f"{base}/confirmations", json=hbj_answers, params={"department": "HBJ"}
    )
    assert other.status_code == 403
    unnamed = office.post(f"{base}/confirmations", json=answers)
    assert unnamed.json()["problems"] == {
        "department": "name the department the answers are for"
    }
    receipt = scj.post(f"{base}/confirmations", json=answers)
    assert receipt.status_code == 200, receipt.text
    assert receipt.json() == {
        "batch_id": batch["id"],
        "department": "SCJ",
        "confirmed": 2,
        "not_carried_out": 1,
        "unchanged": 0,
        "late": False,
    }
    upload = {"file": ("回执.xlsx", filled_xlsx(sheet.content, "是"), XLSX)}
    receipt = hbj.post(f"{base}/confirmations", files=upload)
    assert receipt.status_code == 200, receipt.text
    assert (receipt.json()["confirmed"], receipt.json()["department"]) == (2, "HBJ")

    # the deadline (Tue 04-07 24:00, Qingming skipped) closes the phase
    clock.set(local(2026, 4, 8, 0, 30))
    assert sweep(wf, engine) == 1
    report = office.get(base).json()
    assert report["state"] == "under_review"
    assert report["by_reason"] == {"not_carried_out": 1, "not_confirmed_in_time": 1}
    assert report["timeliness"]["WJW"]["status"] == "never"
    assert report["timeliness"]["SCJ"]["answered_in_time"] == 3

    # review: one exclusion, then the rest on notice
    clock.set(local(2026, 4, 8, 10, 0))
    review = {"exclude": {str(scj_items[1]): "重复公示"}, "approve": True}
    assert scj.post(f"{base}/review", json=review).status_code == 403
    reviewed = office.post(f"{base}/review", json=review)
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["state"] == "announced"
    assert reviewed.json()["by_reason"]["excluded_at_review"] == 1
    notice = intake.get(f"{base}/notice").json()
    hbj_items = [a["item_id"] for a in hbj_answers]
    assert [i["item_id"] for i in notice["items"]] == [scj_items[0], *hbj_items]
    assert notice["notice_until"] == "2026-04-09T16:00:00Z"

    # an objection takes one item off the notice
    objection = {"item_id": hbj_items[0], "by": "市民张某", "reason": "仍在违法经营"}
    assert auditor.post(f"{base}/objections", json=objection).status_code == 403
    objected = intake.post(f"{base}/objections", json=objection)
    assert objected.status_code == 201, objected.text
    assert objected.json()["by_reason"]["objected"] == 1
    assert ids(auditor.get(f"{base}/notice")) == [scj_items[0], hbj_items[1]]

    # the end of the notice completes the batch
    clock.set(local(2026, 4, 10, 0, 5))
    assert sweep(wf, engine) == 1
    final = auditor.get(base).json()
    assert final["state"] == "completed"
    assert final["by_state"] == {"excluded": 4, "repaired": 2}
    repaired = [records["SCJ"][0], records["HBJ"][1]]
    for penalty_id in repaired:
        assert not is_published(engine, penalty_id)
        assert feed(engine, penalty_id) == ["taken_down"]
    assert is_published(engine, records["HBJ"][0])
    assert_log_consistent(engine)


def test_the_office_answers_for_a_department_and_cancels(
    engine, clock, records, office
):
    batch = office.post("/api/v1/batches").json()
    base = f"/api/v1/batches/{batch['id']}"
    [item] = ids(office.get(f"{base}/items", params={"department": "WJW"}))

    receipt = office.post(
        f"{base}/confirmations",
        params={"department": "WJW", "expected_version": batch["version"]},
        json=[{"item_id": item, "fulfilled": True}],
    )
    stale = office.post(
        f"{base}/cancel", json={"reason": "重新筛选", "expected_version": 1}
    )
    cancelled = office.post(f"{base}/cancel", json={"reason": "重新筛选"})

    assert receipt.json()["confirmed"] == 1
    assert stale.json()["error"] == "version_conflict"
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["state"], cancelled.json()["is_open"]) == (
        "cancelled",
        False,
    )
    assert cancelled.json()["by_reason"] == {"batch_cancelled": 6}
    assert office.post(f"{base}/cancel", json={}).status_code == 422
    assert_log_consistent(engine)


def test_an_unknown_state_filter_is_422_naming_the_batch_states(office):
    response = office.get("/api/v1/batches", params={"state": "bogus"})

    assert response.status_code == 422
    problem = response.json()["problems"]["state"]
    assert "'awaiting_confirmation'" in problem and "'completed'" in problem


class TestBadAnswers:
    @pytest.fixture
    def base(self, records, office) -> str:
        return f"/api/v1/batches/{office.post('/api/v1/batches').json()['id']}"

    def test_malformed_json_names_the_problem(self, base, caller):
        scj = caller("department", "SCJ")
        response = scj.post(
            f"{base}/confirmations", json=[{"item_id": 1, "fulfilled": "maybe"}]
        )
        assert response.status_code == 422
        assert list(response.json()["problems"]) == ["0.fulfilled"]
        empty = scj.post(f"{base}/confirmations", json=[])
        assert empty.json()["problems"] == {"body": "send 1 to 200000 answers"}

    def test_an_upload_must_be_a_csv_or_xlsx_sheet(self, base, caller):
        scj = caller("department", "SCJ")
        wrong = scj.post(f"{base}/confirmations", files={"file": ("a.txt", b"x")})
        broken = scj.post(
            f"{base}/confirmations", files={"file": ("a.xlsx", b"not a zip", XLSX)}
        )
        missing = scj.post(f"{base}/confirmations", files={"other": ("a.csv", b"")})
        for response in (wrong, broken, missing):
            assert response.status_code == 422, response.text
            assert "file" in response.json()["problems"]

    def test_a_utf16_sheet_is_refused_naming_the_encoding(self, base, caller):
        scj = caller("department", "SCJ")
        rows = ids(scj.get(f"{base}/items"))
        sheet = "条目编号,是否已全部履行\r\n" + "".join(f"{i},是\r\n" for i in rows)
        upload = {"file": ("回执.csv", sheet.encode("utf-16"), "text/csv")}

        response = scj.post(f"{base}/confirmations", files=upload)

        assert response.status_code == 422
        assert "UTF-16" in response.json()["problems"]["file"]

    def test_a_csv_sheet_answers_too(self, base, caller):
        scj = caller("department", "SCJ")
        rows = ids(scj.get(f"{base}/items"))
        sheet = "条目编号,是否已全部履行\r\n" + "".join(f"{i},是\r\n" for i in rows)
        upload = {"file": ("回执.csv", sheet.encode("gb18030"), "text/csv")}
        receipt = scj.post(f"{base}/confirmations", files=upload)
        assert receipt.json()["confirmed"] == 3


class TestInertExports:
    """A party name entered as a formula reaches the department's list as text."""

    NAME = '=HYPERLINK("http://evil","x")'

    @pytest.fixture
    def base(self, engine, clock, office) -> str:
        clock.set(local(2026, 4, 1, 10, 0))
        department_id = make_department(engine, "SCJ")
        make_record(engine, department_id=department_id, company_name=self.NAME)
        make_record(engine, department_id=department_id, company_name="@SUM(1+1)")
        return f"/api/v1/batches/{office.post('/api/v1/batches').json()['id']}"

    def test_the_xlsx_list_holds_strings_and_its_answers_still_match(
        self, base, caller
    ):
        scj = caller("department", "SCJ")
        exported = scj.get(f"{base}/items", params={"format": "xlsx"}).content
        sheet = load_workbook(io.BytesIO(exported)).worksheets[0]
        names = [row[3] for row in sheet.iter_rows(min_row=2)]

        assert [(c.value, c.data_type) for c in names] == [
            (self.NAME, "s"),
            ("@SUM(1+1)", "s"),
        ]
        upload = {"file": ("回执.xlsx", filled_xlsx(exported, "是"), XLSX)}
        receipt = scj.post(f"{base}/confirmations", files=upload)
        assert receipt.status_code == 200, receipt.text
        assert receipt.json()["confirmed"] == 2

    def test_the_csv_list_escapes_them_and_its_answers_still_match(self, base, caller):
        scj = caller("department", "SCJ")
        exported = scj.get(f"{base}/items", params={"format": "csv"}).content
        text = exported.decode("utf-8-sig")

        assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
        assert ",'@SUM(1+1)," in text
        filled = text.replace(",否\r\n", ",是\r\n").replace(",\r\n", ",是\r\n")
        upload = {"file": ("回执.csv", filled.encode("utf-8-sig"), "text/csv")}
        receipt = scj.post(f"{base}/confirmations", files=upload)
        assert receipt.status_code == 200, receipt.text
        assert receipt.json()["confirmed"] == 2
