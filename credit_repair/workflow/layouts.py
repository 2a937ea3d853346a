"""The column layouts of penalty files we accept, and how a file's header row is
matched to one of them.

``national`` is the 双公示 publication template (法人及非法人组织), with Chinese
headers or the CF_ field codes; ``nfra`` is the layout of the national financial
regulator's (国家金融监督管理总局) published notices.
"""

import re
import unicodedata
from dataclasses import dataclass, field

_UNIT_SUFFIX = re.compile(r"\((万元|元)\)$")


class LayoutError(ValueError):
    """Raised when a header row matches no layout, or lacks a required column."""


@dataclass(frozen=True)
class Layout:
    """A layout: for each field we read, the headers that may carry it."""

    name: str
    headers: dict[str, tuple[str, ...]]
    markers: frozenset[str]
    required: tuple[str, ...]
    amount_unit: str
    published_where: str
    organisation_kind: dict[str, str] = field(default_factory=dict)


NATIONAL = Layout(
    name="national",
    headers={
        "party_name": ("行政相对人名称", "CF_XDR_MC"),
        "party_kind": ("行政相对人类别", "CF_XDR_LB"),
        "uscc": ("统一社会信用代码", "CF_XDR_SHXYM"),
        "decision_number": ("行政处罚决定书文号", "CF_WSH"),
        "violation_type": ("违法行为类型", "CF_WFXW"),
        "facts": ("违法事实", "CF_SY"),
        "legal_basis": ("处罚依据", "CF_YJ"),
        "penalty_kinds": ("处罚类别", "CF_CFLB"),
        "content": ("处罚内容", "CF_NR"),
        "fine": ("罚款金额", "CF_NR_FK"),
        "confiscated": ("没收违法所得、没收非法财物的金额", "CF_NR_WFFF"),
        "licence": ("暂扣或吊销证照名称及编号", "CF_NR_ZKDX"),
        "decision_date": ("处罚决定日期", "CF_JDRQ"),
        "authority": ("处罚机关", "CF_CFJG"),
        "authority_uscc": ("处罚机关统一社会信用代码", "CF_CFJGDM"),
        "remark": ("备注", "BZ"),
        "published_on": ("公示日期", "发布日期"),
        "province": ("所属省份", "省份"),
        "procedure": ("程序类型", "适用程序"),
        "declared_class": ("失信类别", "失信严重程度"),
    },
    markers=frozenset({"行政相对人名称", "CF_XDR_MC"}),
    required=("party_name", "authority"),
    amount_unit="万元",
    published_where="city",
)

NFRA = Layout(
    name="nfra",
    headers={
        "decision_number": ("处罚决定书文号",),
        "party_name": ("当事人名称",),
        "party_kind": ("当事人类型",),
        "facts": ("主要违法违规事实",),
        "legal_basis": ("行政处罚依据",),
        "content": ("行政处罚内容",),
        "penalty_kinds": ("处罚类型",),
        "fine": ("罚款金额",),
        "authority": ("作出决定机关",),
        "province": ("所属省份",),
        "decision_date": ("作出处罚决定的日期",),
        "published_on": ("发布日期",),
        "title": ("文档标题",),
        "source_url": ("源链接",),
    },
    markers=frozenset({"当事人名称", "作出决定机关"}),
    required=("party_name", "authority", "published_on"),
    amount_unit="元",
    published_where="national",
    organisation_kind={"机构": "法人及非法人组织"},
)

LAYOUTS = {layout.name: layout for layout in (NATIONAL, NFRA)}


@dataclass(frozen=True)
class ColumnMap:
    """Where each field sits in a file's rows, and the unit of its amount columns."""

    layout: Layout
    positions: dict[str, int]
    amount_units: dict[str, str]
    ignored: tuple[str, ...]

    def has(self, name: str) -> bool:
        return name in self.positions


def header_key(header: object) -> str:
    """A header as compared: width folded, spaces removed, codes in upper case."""
    text = unicodedata.normalize("NFKC", str(header or ""))
    text = "".join(text.split())
    return text.upper() if text.isascii() else text


def detect_layout(headers: list[object]) -> Layout:
    """The layout whose marker headers the row carries; raises when none or both do."""
    keys = {_UNIT_SUFFIX.sub("", header_key(h)) for h in headers}
    found = [layout for layout in LAYOUTS.values() if keys & layout.markers]
    if len(found) != 1:
        known = " / ".join(sorted(m for lay in LAYOUTS.values() for m in lay.markers))
        raise LayoutError(f"cannot tell the layout from the header row (want {known})")
    return found[0]


def map_columns(headers: list[object], layout: Layout) -> ColumnMap:
    """Match a header row to ``layout``; raises when a required column is missing."""
    alias_to_field = {
        alias: name for name, aliases in layout.headers.items() for alias in aliases
    }
    positions: dict[str, int] = {}
    units: dict[str, str] = {}
    ignored = []
    for index, header in enumerate(headers):
        key = header_key(header)
        unit = _UNIT_SUFFIX.search(key)
        name = alias_to_field.get(_UNIT_SUFFIX.sub("", key))
        if name is None or name in positions:
            if key:
                ignored.append(str(header))
            continue
        positions[name] = index
        if name in ("fine", "confiscated"):
            units[name] = unit[1] if unit else layout.amount_unit
    missing = [name for name in layout.required if name not in positions]
    if "penalty_kinds" not in positions and "content" not in positions:
        missing.append("penalty_kinds")
    if missing:
        wanted = ", ".join(layout.headers[name][0] for name in missing)
        raise LayoutError(f"{layout.name} layout: missing column(s) {wanted}")
    return ColumnMap(layout, positions, units, tuple(ignored))
