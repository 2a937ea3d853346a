"""Penalty files written for tests: a small national-layout table with one row per
case the importer must handle, as CSV (any encoding) or XLSX."""

import csv
import re
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

CHINESE_HEADERS = [
    "行政相对人名称", "行政相对人类别", "统一社会信用代码", "法定代表人",
    "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别",
    "处罚内容", "罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）",
    "处罚决定日期", "处罚有效期", "处罚机关", "处罚机关统一社会信用代码",
    "数据来源单位", "备注",
]  # fmt: skip
FIELD_CODES = [
    "CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_FRDB", "CF_WSH", "CF_WFXW",
    "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK", "CF_NR_WFFF", "CF_JDRQ",
    "CF_YXQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "BZ",
]  # fmt: skip

MARKET = ("昆明市市场监督管理局", "11530100MA6NXQ2K10")
SAFETY = ("昆明市应急管理局", "11530100MA6NXQ2K23")
LABOUR = ("昆明市人力资源和社会保障局", "11530100MA6NXQ2K36")
TAX = ("国家税务总局昆明市税务局", "")
ORG, PERSON = "法人及非法人组织", "自然人"


def _row(party, kind, uscc, number, kinds, content, fine, decided, authority, **more):
    return [
        party, kind, uscc, "某某", number, more.get("violation", ""),
        more.get("facts", "违法事实"), more.get("basis", ""), kinds, content, fine,
        more.get("confiscated", ""), decided, "2027-12-11", authority[0],
        authority[1], authority[0], more.get("remark", ""),
    ]  # fmt: skip


# Row numbers in the file are the list index + 2 (row 1 is the header).
NATIONAL_ROWS = [
    # 2: general; fines in 万元; YYYY-MM-DD
    _row("昆明甲食品有限公司", ORG, "91530100MA6NXQ2K1P", "昆市监罚〔2024〕101号",
         "罚款;没收违法所得", "罚款0.2万元，没收违法所得0.05万元", "0.2",
         "2024-12-11", MARKET, confiscated="0.05",
         basis="《中华人民共和国食品安全法》第一百二十四条"),
    # 3: minor (simplified procedure); YYYY/MM/DD
    _row("昆明乙建材有限公司", ORG, "91530100MA6NXQ2K2T", "昆市监简〔2024〕7号",
         "警告", "警告", "", "2024/12/11", MARKET, remark="适用简易程序"),
    # 4: specific severe: work safety and suspension; YYYYMMDD
    _row("云南丙化工有限公司", ORG, "91530100MA6NXQ2K3X", "昆应急罚〔2024〕3号",
         "责令停产停业、罚款", "责令停产停业整顿，罚款50万元", "50", "20241211",
         SAFETY, basis="《中华人民共和国安全生产法》第九十九条"),
    # 5: specific severe: wage arrears; 2024年12月11日; a bad USCC check character
    _row("昆明丁劳务有限公司", ORG, "91530100MA6NXQ2K40", "昆人社罚〔2024〕9号",
         "罚款", "罚款1万元", "1", "2024年12月11日", LABOUR,
         facts="拖欠农民工工资"),
    # 6: severe: a fine of 120万元; a date-time; no authority code
    _row("昆明戊贸易有限公司", ORG, "91530100MA6NXQ2K54", "昆税罚〔2024〕12号",
         "罚款、没收违法所得", "罚款120万元", "120", "2024-12-06 15:58:27", TAX),
    # 7: no party
    _row("", ORG, "", "昆市监罚〔2024〕102号", "罚款", "罚款", "0.1",
         "2024-12-11", MARKET),
    # 8: a natural person
    _row("张三", PERSON, "", "昆市监罚〔2024〕103号", "罚款", "罚款", "0.1",
         "2024-12-11", MARKET),
    # 9: the same decision as row 2
    _row("昆明甲食品有限公司", ORG, "91530100MA6NXQ2K1P", "昆市监罚〔2024〕101号",
         "罚款", "罚款0.2万元", "0.2", "2024-12-11", MARKET),
    # 10: no decision number, no USCC, no decision date
    _row("昆明己餐饮店", ORG, "", "", "警告", "警告", "", "", MARKET),
    # 11: a rural collective (N…) and a self-employed-style code
    _row("昆明市某村股份经济合作社", ORG, "N2530100MA6NXQ2K17", "昆市监罚〔2024〕104号",
         "罚款", "罚款0.3万元", "0.3", "2024-12-11", MARKET),
]  # fmt: skip

# What importing NATIONAL_ROWS gives, whatever the file format.
EXPECTED = {
    "read": 10,
    "imported": 7,
    "rejected_by_reason": {
        "duplicate_in_file": 1,
        "missing_party": 1,
        "party_is_person": 1,
    },
    "warnings_by_kind": {
        "derived_identity": 1,
        "missing_decision_date": 1,
        "uscc_bad_check_character": 1,
        "uscc_missing": 1,
    },
    "by_class": {"general": 3, "minor": 1, "severe": 1, "specific_severe": 2},
}


def write_csv(path: Path, headers, rows, *, encoding="utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, headers, rows) -> Path:
    """Write rows as Excel would hold them: dates as date cells, fines as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([_as_excel(value) for value in row])
    workbook.save(path)
    return path


def _as_excel(value: str):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", value):
        return datetime.fromisoformat(value)
    if re.fullmatch(r"\d{1,4}(\.\d+)?", value):
        return float(value)
    return value
