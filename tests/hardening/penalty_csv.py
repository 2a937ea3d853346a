"""Penalty files for hardening: a large national-layout CSV whose every row is a
new, valid record, so that what an import kept can be counted exactly."""

import csv
import io
from datetime import date

from tests.penalty_files import CHINESE_HEADERS, ORG, _row

AUTHORITY = ("昆明市导入测试局", "11530100MA6NXQ2K99")


def valid_rows(tag: str, count: int, decided: date) -> list[list[str]]:
    """``count`` distinct general records of one authority, named after ``tag``."""
    return [
        _row(
            f"昆明{tag}导入{n}号有限公司",
            ORG,
            "",
            f"昆导罚〔{tag}〕{n}号",
            "罚款",
            "罚款0.1万元",
            "0.1",
            decided.isoformat(),
            AUTHORITY,
        )
        for n in range(count)
    ]


def csv_bytes(rows, headers=CHINESE_HEADERS, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)
