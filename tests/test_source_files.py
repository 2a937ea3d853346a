"""Reading penalty files: encodings, formats, blank rows and layouts, before any
database is involved."""

import pytest

from credit_repair.importing.files import SourceFileError, read_table
from tests.penalty_files import CHINESE_HEADERS, NATIONAL_ROWS, write_csv, write_xlsx

HEADERS = ["行政相对人名称", "处罚类别", "处罚机关"]
ROW = ["昆明甲食品有限公司", "罚款", "昆明市市场监督管理局"]


class TestCsv:
    @pytest.mark.parametrize(
        ("encoding", "reported"),
        [("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8-sig"), ("gbk", "gb18030")],
    )
    def test_utf8_with_or_without_bom_and_gbk_are_read(
        self, tmp_path, encoding, reported
    ):
        path = write_csv(tmp_path / "p.csv", HEADERS, [ROW], encoding=encoding)

        table = read_table(path)

        assert (table.headers, table.encoding) == (HEADERS, reported)
        assert list(table.rows) == [(2, ROW)]

    def test_bytes_that_are_no_known_text_are_refused_clearly(self):
        data = "行政相对人名称".encode() + b"\x80\xff"

        with pytest.raises(SourceFileError, match="save the file as UTF-8"):
            read_table(data, "p.csv")

    @pytest.mark.parametrize(
        ("encoding", "named"),
        [
            ("utf-16", "UTF-16 text"),
            ("utf-32", "UTF-32 text"),
            ("utf-16-le", "UTF-16 text without a byte-order mark, or no text at all"),
            ("utf-16-be", "UTF-16 text without a byte-order mark, or no text at all"),
        ],
    )
    def test_utf16_or_utf32_text_is_named_as_such(self, encoding, named):
        data = (",".join(HEADERS) + "\n" + ",".join(ROW)).encode(encoding)

        with pytest.raises(SourceFileError) as raised:
            read_table(data, "p.csv")

        assert str(raised.value) == (
            f"p.csv: the file is {named}; save it as CSV in UTF-8 (or GBK)"
        )

    def test_blank_rows_are_skipped_and_row_numbers_kept(self, tmp_path):
        path = write_csv(tmp_path / "p.csv", HEADERS, [ROW, ["", " ", ""], ROW])

        assert [number for number, _ in read_table(path).rows] == [2, 4]

    def test_a_tab_separated_file_is_read(self, tmp_path):
        path = tmp_path / "p.tsv"
        path.write_text("\t".join(HEADERS) + "\n" + "\t".join(ROW) + "\n")

        assert list(read_table(path).rows) == [(2, ROW)]

    def test_an_empty_file_is_refused(self):
        with pytest.raises(SourceFileError, match="empty"):
            read_table(b"", "p.csv")


class TestXlsx:
    def test_the_first_sheet_is_read_with_its_row_count(self, tmp_path):
        path = write_xlsx(tmp_path / "p.xlsx", CHINESE_HEADERS, NATIONAL_ROWS)

        table = read_table(path.read_bytes(), "upload.xlsx")

        assert table.headers == CHINESE_HEADERS
        assert table.total == len(NATIONAL_ROWS)
        rows = list(table.rows)
        assert rows[0][0] == 2 and rows[0][1][0] == "昆明甲食品有限公司"
        assert table.file_sha256 == read_table(path).file_sha256

    def test_an_old_xls_workbook_is_refused(self):
        with pytest.raises(SourceFileError, match=r"save as \.xlsx"):
            read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old.xls")

    def test_a_damaged_workbook_is_refused(self):
        with pytest.raises(SourceFileError, match=r"not a readable \.xlsx"):
            read_table(b"PK\x03\x04 not really a zip", "broken.xlsx")

    def test_a_missing_file_is_refused(self, tmp_path):
        with pytest.raises(SourceFileError, match="cannot read"):
            read_table(tmp_path / "nowhere.xlsx")
