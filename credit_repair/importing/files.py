"""Reading penalty files: CSV (UTF-8 with or without BOM, or GB18030/GBK) and XLSX,
from a path or from uploaded bytes, as a header row and numbered data rows."""

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from openpyxl import load_workbook

from credit_repair.workflow.importing import SourceTable

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
ENCODINGS = ("utf-8-sig", "gb18030")
#: Byte-order marks of encodings we do not read (UTF-32 first: its little-endian
#: mark begins with UTF-16's).
_WIDE_MARKS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


class SourceFileError(ValueError):
    """Raised when a file cannot be read as a CSV or XLSX table."""


def read_table(source: Path | str | bytes, filename: str | None = None) -> SourceTable:
    """Open ``source`` (a path, or the bytes of an upload named ``filename``)."""
    if isinstance(source, bytes):
        data, name = source, filename or "upload"
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceFileError(f"cannot read {path}: {exc.strerror}") from exc
        name = filename or path.name
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(OLE_MAGIC):
        raise SourceFileError(f"{name}: old .xls workbooks are not read; save as .xlsx")
    if data.startswith(ZIP_MAGIC):
        return _xlsx(data, name, digest)
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise SourceFileError(f"{name}: not a valid .xlsx workbook")
    return _csv(data, name, digest)


def _csv(data: bytes, name: str, digest: str) -> SourceTable:
    try:
        text, encoding = decode_csv(data)
    except SourceFileError as exc:
        raise SourceFileError(f"{name}: {exc}") from None
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    # a cell may be as long as the file (the default limit is 128 KiB)
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _numbered(name, reader)
    _number, headers = next(rows, (1, None))
    if not headers:
        raise SourceFileError(f"{name}: the file is empty")
    return SourceTable(name, list(headers), _non_blank(rows), digest, encoding)


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in: UTF-8 (with or
    without BOM) or GB18030/GBK. Raises ``SourceFileError`` naming the encoding
    problem, such as the UTF-16 that Excel's "Unicode text" saves."""
    wide = next((label for mark, label in _WIDE_MARKS if data.startswith(mark)), None)
    if wide is None and b"\x00" in data[:4096]:  # no UTF-8 or GBK text has NULs
        wide = "UTF-16 text without a byte-order mark, or no text at all"
    elif wide:
        wide += " text"
    if wide:
        raise SourceFileError(f"the file is {wide}; save it as CSV in UTF-8 (or GBK)")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SourceFileError(
        "neither UTF-8 nor GB18030/GBK text; save the file as UTF-8 CSV"
    )


def _xlsx(data: bytes, name: str, digest: str) -> SourceTable:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SourceFileError(f"{name}: not a readable .xlsx workbook ({exc})") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    numbered = _non_blank(_numbered(name, rows))
    header_row, headers = next(numbered, (0, ()))
    if not headers:
        workbook.close()
        raise SourceFileError(f"{name}: the first sheet is empty")
    total = sheet.max_row - header_row if sheet.max_row else None
    return SourceTable(
        name, list(headers), _closing(numbered, workbook), digest, None, total
    )


def _numbered(name: str, rows: Iterator) -> Iterator[tuple[int, Sequence[object]]]:
    """``rows`` numbered from 1; a file that cannot be read further (a damaged
    sheet, a broken CSV) raises ``SourceFileError`` saying where it broke off."""
    number = 0
    try:
        for number, cells in enumerate(rows, start=1):
            yield number, cells
    except Exception as exc:  # the csv, XML and zip readers each raise their own
        raise SourceFileError(
            f"{name}: cannot be read after row {number} ({type(exc).__name__}: {exc})"
        ) from exc


def _non_blank(
    rows: Iterator[tuple[int, Sequence[object]]],
) -> Iterator[tuple[int, Sequence[object]]]:
    for number, cells in rows:
        if any(cell is not None and str(cell).strip() for cell in cells):
            yield number, cells


def _closing(rows: Iterator, workbook) -> Iterator:
    try:
        yield from rows
    finally:
        workbook.close()
