"""A department's batch items as a spreadsheet (CSV or XLSX) and its answers read
back from the same sheet filled in: one row per item, ``是``/``否`` in the
column 是否已全部履行. Headers are Chinese; the English keys are accepted too.

Every text cell is inert: names and numbers come from published files and from
callers, and a department opens the sheet in Excel, where a cell such as
``=HYPERLINK(…)`` would otherwise run as a formula (CSV injection)."""

import csv
import io

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from credit_repair.importing.files import SourceFileError, decode_csv
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.machines import state_label

COLUMNS = [
    ("item_id", "条目编号"),
    ("department_code", "部门代码"),
    ("department_name", "处罚机关"),
    ("company_name", "行政相对人名称"),
    ("uscc", "统一社会信用代码"),
    ("decision_number", "行政处罚决定书文号"),
    ("group", "失信类别"),
    ("penalty_class", "失信程度"),
    ("penalty_kinds", "处罚类别"),
    ("decision_date", "处罚决定日期"),
    ("published_on", "公示日期"),
    ("period_start", "公示期起算日"),
    ("marked_specific_severe", "特定严重失信（复核时移除）"),
    ("state", "状态"),
    ("fulfilled", "是否已全部履行"),
]
FORMATS = ("json", "csv", "xlsx")
#: First characters that make a spreadsheet read a text cell as a formula (the
#: OWASP CSV-injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_KEYS = {label: key for key, label in COLUMNS} | {key: key for key, _ in COLUMNS}
CLASS_LABELS = {
    "minor": "轻微失信",
    "general": "一般失信",
    "severe": "严重失信",
    "specific_severe": "特定严重失信",
}


def _cell(key: str, value):
    if key in ("fulfilled", "marked_specific_severe"):
        return {True: "是", False: "否"}.get(value, "")
    if key in ("group", "penalty_class"):
        return CLASS_LABELS.get(value, value)
    if key == "state":
        return state_label("batch_item", value)
    return "" if value is None else value


def _rows(items: list[dict]) -> list[list]:
    header = [label for _, label in COLUMNS]
    return [header] + [[_cell(k, item.get(k)) for k, _ in COLUMNS] for item in items]


def inert_csv(value):
    """A cell for CSV: text that a spreadsheet would take for a formula gets a
    leading apostrophe, which Excel reads as "this is text"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(items: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows the Chinese."""
    out = io.StringIO()
    csv.writer(out).writerows([inert_csv(v) for v in row] for row in _rows(items))
    return out.getvalue().encode("utf-8-sig")


def _xlsx_cell(sheet, value):
    """Text as a string cell, never a formula or an error code whatever it starts
    with (openpyxl would store ``=…`` as a formula); characters XML cannot hold
    are dropped."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # stays text when someone edits the cell
    return cell


def to_xlsx(items: list[dict]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("条目")
    for row in _rows(items):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(content: bytes) -> str:
    """CSV text: UTF-8, or the GB 18030 that Excel on a Chinese Windows saves."""
    try:
        return decode_csv(content)[0]
    except SourceFileError as exc:
        raise InvalidInput({"file": str(exc)}) from None


def read_answers(content: bytes, kind: str) -> list[dict]:
    """Rows of a filled-in sheet as ``{"item_id": …, "fulfilled": …, "sheet_row":
    …}``, ``sheet_row`` counted as Excel shows it (the header is row 1); the
    answer is left as written for the use case to judge. Raises ``InvalidInput``
    for a file that is not such a sheet."""
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(_text(content))))
    elif kind == "xlsx":
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True)
        except Exception as exc:
            raise InvalidInput({"file": f"not a readable XLSX file: {exc}"}) from None
        rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    else:
        raise InvalidInput({"file": f"unknown sheet kind {kind!r}; use csv or xlsx"})
    if not rows:
        raise InvalidInput({"file": "the sheet is empty"})
    keys = [_KEYS.get(str(h).strip()) if h is not None else None for h in rows[0]]
    if "item_id" not in keys or "fulfilled" not in keys:
        raise InvalidInput(
            {"file": "the first row needs the columns 条目编号 and 是否已全部履行"}
        )
    at = {key: keys.index(key) for key in ("item_id", "fulfilled")}
    answers = []
    for number, row in enumerate(rows[1:], start=2):
        values = {key: row[i] if i < len(row) else None for key, i in at.items()}
        if values["item_id"] in (None, ""):
            continue
        answers.append(values | {"sheet_row": number})
    return answers
