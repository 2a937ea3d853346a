"""Department answers in bulk: the item list as JSON, CSV and XLSX, answers read
back from it, and the rules on whose items and when."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from credit_repair import batch_sheets
from credit_repair.persistence.batch_views import department_items
from credit_repair.workflow import batch_confirmation, batch_review, batches
from credit_repair.workflow.batch_confirmation import ItemAnswer, parse_answers
from credit_repair.workflow.errors import (
    Forbidden,
    InvalidInput,
    TransitionNotAllowed,
)
from tests.batch_support import OFFICE, PORTAL, department, items, local, workflow
from tests.checks import assert_log_consistent
from tests.factories import make_department, make_record

ROWS = [
    {
        "item_id": 7,
        "department_code": "SCJ",
        "company_name": "昆明“老字号”餐饮有限公司",
        "penalty_class": "specific_severe",
        "group": "severe",
        "penalty_kinds": "罚款、吊销许可证",
        "decision_date": "2025-06-01",
        "marked_specific_severe": True,
        "state": "candidate",
        "fulfilled": None,
    }
]

#: Cells a spreadsheet would run as formulas (CSV injection, OWASP).
PAYLOADS = [
    '=HYPERLINK("http://evil","x")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]
HOSTILE = [
    {
        **ROWS[0],
        "company_name": PAYLOADS[0],
        "department_name": PAYLOADS[1],
        "decision_number": PAYLOADS[2],
        "uscc": PAYLOADS[3],
        "penalty_kinds": PAYLOADS[4],
        "fulfilled": True,
    },
    {
        **ROWS[0],
        "item_id": 8,
        "department_name": PAYLOADS[5],
        "decision_number": PAYLOADS[6],
        "fulfilled": False,
    },
]


def _with_bad_fifth_answer(items: list[dict], kind: str) -> bytes:
    """The exported sheet of ``items`` with 也许 (maybe) as the fifth answer."""
    if kind == "csv":
        lines = batch_sheets.to_csv(items).decode("utf-8-sig").split("\r\n")
        lines[5] = lines[5].removesuffix(",是") + ",也许"
        return "\r\n".join(lines).encode("utf-8-sig")
    book = load_workbook(io.BytesIO(batch_sheets.to_xlsx(items)))
    book.worksheets[0].cell(6, len(batch_sheets.COLUMNS)).value = "也许"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TestSheets:
    def test_a_csv_export_reads_back_as_answers(self):
        content = batch_sheets.to_csv([{**ROWS[0], "fulfilled": True}])
        assert content.startswith("\ufeff条目编号".encode())
        assert "特定严重失信,罚款、吊销许可证" in content.decode("utf-8-sig")
        assert batch_sheets.read_answers(content, "csv") == [
            {"item_id": "7", "fulfilled": "是", "sheet_row": 2}
        ]

    def test_a_csv_saved_by_chinese_excel_is_read(self):
        text = "条目编号,是否已全部履行\r\n7,否\r\n8,\r\n"
        answers = batch_sheets.read_answers(text.encode("gb18030"), "csv")
        assert parse_answers(answers) == [ItemAnswer(7, False)]

    def test_an_xlsx_export_has_chinese_cells_and_reads_back(self):
        content = batch_sheets.to_xlsx(ROWS)
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        header = [c.value for c in sheet[1]]
        row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
        assert (row["条目编号"], row["状态"], row["特定严重失信（复核时移除）"]) == (
            7,
            "待部门确认",
            "是",
        )
        assert batch_sheets.read_answers(content, "xlsx") == [
            {"item_id": 7, "fulfilled": None, "sheet_row": 2}
        ]

    def test_an_xlsx_export_writes_every_text_as_a_string_never_a_formula(self):
        content = batch_sheets.to_xlsx(HOSTILE)
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row}

        for text in PAYLOADS:
            stored = text.replace("\r", "\n")  # XML keeps line ends as LF
            assert cells[stored].data_type == "s", text
        assert cells[PAYLOADS[0]].quotePrefix
        assert [a["item_id"] for a in batch_sheets.read_answers(content, "xlsx")] == [
            7,
            8,
        ]

    def test_a_csv_export_neutralises_cells_that_start_a_formula(self):
        content = batch_sheets.to_csv(HOSTILE)
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        cells = {cell for row in rows[1:] for cell in row}

        for text in PAYLOADS:
            assert "'" + text in cells, text
            assert text not in cells
        assert "昆明“老字号”餐饮有限公司" in cells  # ordinary text stays as it is
        assert batch_sheets.read_answers(content, "csv") == [
            {"item_id": "7", "fulfilled": "是", "sheet_row": 2},
            {"item_id": "8", "fulfilled": "否", "sheet_row": 3},
        ]

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
    def test_a_utf16_csv_is_refused_naming_its_encoding(self, encoding):
        text = "条目编号,是否已全部履行\r\n7,否\r\n"

        with pytest.raises(InvalidInput) as raised:
            batch_sheets.read_answers(text.encode(encoding), "csv")

        assert raised.value.problems["file"].startswith("the file is UTF-16 text")

    @pytest.mark.parametrize(
        ("content", "kind"),
        [(b"", "csv"), (b"a,b\r\n1,2\r\n", "csv"), (b"not a zip", "xlsx")],
    )
    def test_anything_else_is_refused_as_invalid_input(self, content, kind):
        with pytest.raises(InvalidInput) as raised:
            batch_sheets.read_answers(content, kind)
        assert "file" in raised.value.problems


class TestParseAnswers:
    def test_yes_and_no_in_either_language(self):
        rows = [
            {"item_id": 1, "fulfilled": True},
            {"item_id": "2", "fulfilled": "是"},
            {"item_id": 3, "fulfilled": "no"},
            {"item_id": 4, "fulfilled": " "},
        ]
        assert parse_answers(rows) == [
            ItemAnswer(1, True),
            ItemAnswer(2, True),
            ItemAnswer(3, False),
        ]

    def test_every_bad_entry_of_a_list_is_named_at_once_by_index_and_field(self):
        rows = [
            {"item_id": "x", "fulfilled": True},
            {"item_id": 2, "fulfilled": "maybe"},
            {"item_id": 3, "fulfilled": True},
            {"item_id": 3, "fulfilled": False},
            "7,是",
        ]
        with pytest.raises(InvalidInput) as raised:
            parse_answers(rows)
        assert sorted(raised.value.problems) == [
            "0.item_id",
            "1.fulfilled",
            "3.fulfilled",
            "4",
        ]

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_a_bad_row_of_a_sheet_is_named_as_excel_numbers_it(self, kind):
        items = [{**ROWS[0], "item_id": n, "fulfilled": True} for n in range(1, 6)]
        # the fifth item sits in spreadsheet row 6: the header is row 1
        sheet = _with_bad_fifth_answer(items, kind)

        with pytest.raises(InvalidInput) as raised:
            parse_answers(batch_sheets.read_answers(sheet, kind))

        assert list(raised.value.problems) == ["row 6"]

    def test_nothing_answered_is_refused(self):
        with pytest.raises(InvalidInput, match="no item is answered"):
            parse_answers([{"item_id": 1, "fulfilled": None}])


@pytest.mark.storage
class TestConfirmItems:
    @pytest.fixture
    def setup(self, engine, clock):
        clock.set(local(2026, 4, 1, 9, 0))
        wf = workflow(engine, clock)
        for code in ("SCJ", "HBJ"):
            own = make_department(engine, code)
            for _ in range(3):
                make_record(engine, decision_date=date(2025, 12, 1), department_id=own)
        batch = batches.start_batch(wf, OFFICE)
        with engine.connect() as conn:
            lists = {c: department_items(conn, batch.id, c) for c in ("SCJ", "HBJ")}
        return wf, batch, lists

    def test_another_departments_item_refuses_the_whole_upload(self, setup, engine):
        wf, batch, lists = setup
        mixed = [{**r, "fulfilled": True} for r in lists["SCJ"] + lists["HBJ"][:1]]
        with pytest.raises(Forbidden, match="other departments than SCJ"):
            batch_confirmation.confirm_items(
                wf, batch.id, "SCJ", mixed, department("SCJ")
            )
        assert {i["state"] for i in items(engine, batch.id).values()} == {"candidate"}
        with pytest.raises(Forbidden, match="only for department HBJ"):
            batch_confirmation.confirm_items(
                wf, batch.id, "SCJ", mixed[:1], department("HBJ")
            )

    def test_an_unknown_item_is_named(self, setup):
        wf, batch, _ = setup
        with pytest.raises(InvalidInput, match="not items of batch 1: 999"):
            batch_confirmation.confirm_items(
                wf, batch.id, "SCJ", [ItemAnswer(999, True)], department("SCJ")
            )

    def test_the_office_may_answer_for_a_department(self, setup, engine):
        wf, batch, lists = setup
        answers = [ItemAnswer(r["item_id"], True) for r in lists["HBJ"]]
        receipt = batch_confirmation.confirm_items(wf, batch.id, "HBJ", answers, OFFICE)
        assert receipt.confirmed == 3
        answered = [items(engine, batch.id)[a.item_id] for a in answers]
        assert {(i["state"], i["answered_by"]) for i in answered} == {
            ("confirmed", "王芳 (office)")
        }
        assert_log_consistent(engine)

    def test_answers_after_the_phase_closed_are_refused(self, setup, engine, clock):
        wf, batch, lists = setup
        batches.cancel_batch(wf, batch.id, OFFICE)
        with pytest.raises(TransitionNotAllowed, match="receive_answers"):
            batch_confirmation.confirm_items(
                wf,
                batch.id,
                "SCJ",
                [ItemAnswer(lists["SCJ"][0]["item_id"], True)],
                department("SCJ"),
            )


class TestReviewInput:
    def test_every_bad_exclusion_is_named_before_anything_is_read(self, engine, clock):
        wf = workflow(engine, clock)
        with pytest.raises(InvalidInput) as raised:
            batch_review.exclude_items(wf, 1, {"x": "重复", 5: " "}, OFFICE)
        assert raised.value.problems == {
            "x": "not an item id",
            "5": "give the reason for excluding the item",
        }

    def test_an_objection_needs_who_and_why(self, engine, clock):
        wf = workflow(engine, clock)
        with pytest.raises(InvalidInput) as raised:
            batch_review.object_to_item(wf, 1, 1, " ", "", PORTAL)
        assert sorted(raised.value.problems) == ["by", "reason"]
        with pytest.raises(Forbidden):
            batch_review.object_to_item(wf, 1, 1, "张三", "理由", department("SCJ"))
