"""Which source column feeds which canonical column: synonyms (English and Chinese), remembered
mappings per header signature, and the guess of a file's kind from its header.

Header names are compared normalised: lower case, without spaces, underscores, hyphens, dots and
brackets, so "Order Date", "order_date" and "ORDER-DATE" are one name.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime

import duckdb

from salesdash.db import scalar
from salesdash.errors import InputError

# Canonical columns a file of each kind must provide (after derivations: orders may derive
# revenue from quantity × unit_price and do without order_id; targets may give a period label).
REQUIRED: dict[str, tuple[str, ...]] = {
    "orders": ("order_date", "revenue"),
    "customers": ("customer_id",),
    "opportunities": ("opportunity_id", "stage"),
    "targets": ("period_start", "scope", "metric", "target"),
    "teams": ("sales_rep",),
    "products": ("product",),
}

# Source names recognised for each canonical column, besides the canonical name itself.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "orders": {
        "order_id": (
            "order id",
            "order no",
            "order number",
            "订单号",
            "订单编号",
            "单号",
            "订单id",
        ),
        "line_no": ("line", "line number", "line no", "item no", "行号", "明细行号", "序号"),
        "order_date": (
            "date",
            "order date",
            "订单日期",
            "下单日期",
            "日期",
            "销售日期",
            "成交日期",
        ),
        "customer_id": (
            "customer",
            "customer id",
            "customer no",
            "client id",
            "account",
            "客户编号",
            "客户id",
            "客户代码",
            "客户",
        ),
        "region": ("area", "territory", "regional office", "区域", "大区", "地区", "片区"),
        "channel": ("sales channel", "渠道", "销售渠道"),
        "sales_rep": (
            "rep",
            "sales rep",
            "salesperson",
            "sales agent",
            "agent",
            "seller",
            "owner",
            "销售员",
            "业务员",
            "销售",
            "销售代表",
            "负责人",
        ),
        "product": ("item", "product name", "sku", "商品", "产品", "产品名称", "商品名称"),
        "category": ("product category", "category name", "series", "类别", "品类", "产品类别"),
        "quantity": ("qty", "units", "数量", "销量", "件数"),
        "unit_price": ("price", "unit price", "单价", "售价"),
        "revenue": (
            "amount",
            "sales",
            "net amount",
            "net sales",
            "total",
            "sales amount",
            "value",
            "销售额",
            "金额",
            "销售金额",
            "实收金额",
            "成交金额",
            "营业额",
        ),
        "cost": ("cogs", "cost amount", "成本", "成本金额"),
    },
    "customers": {
        "customer_id": (
            "customer",
            "customer no",
            "client id",
            "account",
            "客户编号",
            "客户id",
            "客户代码",
        ),
        "customer_name": (
            "name",
            "customer name",
            "company",
            "account name",
            "客户名称",
            "客户名",
            "公司名称",
        ),
        "region": ("area", "territory", "区域", "大区", "地区"),
        "segment": ("customer segment", "tier", "sector", "客户类型", "客户分类", "细分", "行业"),
        "city": ("城市", "所在城市"),
        "signup_date": (
            "created",
            "created date",
            "first contact",
            "signup",
            "registration date",
            "注册日期",
            "开户日期",
            "首次接触日期",
            "建档日期",
        ),
        "birthday": ("birth date", "date of birth", "dob", "生日", "出生日期"),
        "sales_rep": (
            "rep",
            "owner",
            "account owner",
            "sales agent",
            "销售员",
            "业务员",
            "负责人",
            "客户经理",
        ),
        "phone": ("telephone", "mobile", "tel", "电话", "手机", "联系电话", "手机号"),
        "email": ("e-mail", "mail", "邮箱", "电子邮件"),
    },
    "opportunities": {
        "opportunity_id": (
            "opportunity",
            "opportunity id",
            "deal id",
            "deal",
            "商机编号",
            "商机id",
            "机会编号",
            "商机",
        ),
        "created_date": (
            "engage date",
            "created",
            "create date",
            "open date",
            "创建日期",
            "接洽日期",
            "立项日期",
        ),
        "close_date": (
            "closed date",
            "close",
            "expected close date",
            "关闭日期",
            "成交日期",
            "结单日期",
        ),
        "stage": ("deal stage", "status", "sales stage", "阶段", "商机阶段", "销售阶段", "状态"),
        "lost_stage": ("stage lost", "lost at stage", "输单阶段", "丢单阶段"),
        "amount": (
            "close value",
            "value",
            "deal value",
            "expected amount",
            "revenue",
            "金额",
            "商机金额",
            "预计金额",
            "成交金额",
        ),
        "sales_rep": (
            "rep",
            "sales agent",
            "agent",
            "owner",
            "salesperson",
            "销售员",
            "业务员",
            "负责人",
            "销售",
        ),
        "customer_id": ("account", "customer", "client", "客户", "客户编号", "客户名称"),
        "product": ("item", "产品", "商品"),
        "region": ("area", "territory", "regional office", "区域", "大区", "地区"),
        "source": ("lead source", "channel", "来源", "线索来源", "渠道"),
        "lost_reason": ("reason lost", "loss reason", "输单原因", "丢单原因"),
    },
    "targets": {
        "period": ("period label", "month", "quarter", "year", "期间", "月份", "季度", "年度"),
        "period_start": ("start", "start date", "from", "开始日期", "起始日期"),
        "period_end": ("end", "end date", "to", "结束日期", "截止日期"),
        "scope": ("level", "dimension", "维度", "范围", "层级"),
        "scope_value": ("name", "value", "member", "对象", "名称", "维度值"),
        "metric": ("kpi", "measure", "指标"),
        "target": ("goal", "quota", "plan", "target value", "目标", "目标值", "指标值", "计划"),
        "owner": ("responsible", "负责人"),
        "note": ("notes", "comment", "remark", "备注", "说明"),
    },
    "teams": {
        "sales_rep": (
            "rep",
            "sales agent",
            "agent",
            "salesperson",
            "name",
            "销售员",
            "业务员",
            "姓名",
            "销售",
        ),
        "manager": ("team lead", "supervisor", "经理", "主管", "销售经理", "上级"),
        "region": ("area", "territory", "regional office", "office", "区域", "大区", "地区"),
    },
    "products": {
        "product": ("item", "product name", "sku", "产品", "商品", "产品名称", "商品名称"),
        "category": (
            "series",
            "product category",
            "product line",
            "类别",
            "品类",
            "系列",
            "产品线",
        ),
        "list_price": ("price", "sales price", "unit price", "list", "定价", "售价", "单价"),
    },
}

# Columns that exist only in the file, not in the table: a targets period label.
EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {"targets": ("period",)}

_NOISE = re.compile(r"[\s_\-.()（）\[\]/:：]+")


def normalise(name: str) -> str:
    """A header name compared case-, space- and punctuation-insensitively."""
    return _NOISE.sub("", name.strip().lstrip("\ufeff")).lower()


def canonical_columns(kind: str, table_columns: list[str]) -> list[str]:
    """The columns a mapping of ``kind`` covers: the table's plus file-only ones (period)."""
    extra = [c for c in EXTRA_COLUMNS.get(kind, ()) if c not in table_columns]
    return extra + table_columns


def propose_mapping(kind: str, header: list[str], columns: list[str]) -> dict[str, str | None]:
    """canonical column → the source column recognised for it (None when none is).

    An exact canonical name wins over a synonym; a source column feeds at most one canonical one.
    """
    by_norm: dict[str, str] = {}
    for name in header:
        by_norm.setdefault(normalise(name), name)
    used: set[str] = set()
    mapping: dict[str, str | None] = {}
    synonyms = SYNONYMS.get(kind, {})
    for col in columns:  # first pass: exact canonical names
        src = by_norm.get(normalise(col))
        mapping[col] = src
        if src is not None:
            used.add(src)
    for col in columns:
        if mapping[col] is not None:
            continue
        for syn in synonyms.get(col, ()):
            src = by_norm.get(normalise(syn))
            if src is not None and src not in used:
                mapping[col] = src
                used.add(src)
                break
    return mapping


def missing_required(kind: str, mapping: dict[str, str | None]) -> list[str]:
    """Required canonical columns with no source, after the derivations a kind allows."""
    have = {c for c, s in mapping.items() if s}
    missing = []
    for col in REQUIRED[kind]:
        if col in have:
            continue
        if kind == "orders" and col == "revenue" and {"quantity", "unit_price"} <= have:
            continue
        if kind == "targets" and col == "period_start" and "period" in have:
            continue
        missing.append(col)
    return missing


def describe_missing(kind: str, missing: list[str]) -> str:
    """'order_date (looked for: 订单日期, order date, …)' for each missing column."""
    parts = []
    for col in missing:
        names = [col, *SYNONYMS.get(kind, {}).get(col, ())]
        hint = " or quantity + unit_price" if kind == "orders" and col == "revenue" else ""
        hint = " or a period label" if kind == "targets" and col == "period_start" else hint
        parts.append(f"{col} (looked for: {', '.join(names)}{hint})")
    return "; ".join(parts)


def guess_kind(header: list[str]) -> str | None:
    """The kind whose required columns this header covers best (None when it covers none)."""
    best, best_score = None, 0.0
    for kind, synonyms in SYNONYMS.items():
        columns = list(synonyms)
        mapping = propose_mapping(kind, header, columns)
        if missing_required(kind, mapping):
            continue
        matched = sum(1 for s in mapping.values() if s)
        score = matched / len(columns) + matched / max(len(header), 1)
        if score > best_score:
            best, best_score = kind, score
    return best


def header_signature(kind: str, header: list[str]) -> str:
    """Identifies 'a file with this header' for remembering its confirmed mapping."""
    text = kind + "\x1f" + "\x1f".join(normalise(h) for h in header)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def remembered_mapping(
    con: duckdb.DuckDBPyConnection, kind: str, header: list[str]
) -> dict[str, str | None] | None:
    text = scalar(
        con,
        "select mapping_json from ingest_mappings where signature = ?",
        [header_signature(kind, header)],
    )
    return json.loads(text) if text else None


def remember_mapping(
    con: duckdb.DuckDBPyConnection, kind: str, header: list[str], mapping: dict[str, str | None]
) -> None:
    con.execute(
        "insert or replace into ingest_mappings values (?, ?, ?, ?)",
        [
            header_signature(kind, header),
            kind,
            json.dumps(mapping, ensure_ascii=False),
            datetime.now(),
        ],
    )


def apply_override(
    kind: str, header: list[str], proposed: dict[str, str | None], override: dict[str, str | None]
) -> dict[str, str | None]:
    """The proposed mapping with a user's corrections (canonical → source; null unmaps).

    Raises:
        InputError: the override names a column the kind or the file does not have.
    """
    columns = list(proposed)
    unknown_cols = sorted(set(override) - set(columns))
    if unknown_cols:
        raise InputError(
            f"mapping names unknown {kind} column(s) {', '.join(unknown_cols)} "
            f"(columns: {', '.join(columns)})"
        )
    unknown_src = sorted({s for s in override.values() if s} - set(header))
    if unknown_src:
        raise InputError(
            f"mapping names column(s) not in the file: {', '.join(unknown_src)} "
            f"(file has: {', '.join(header)})"
        )
    return {c: (override[c] or None) if c in override else proposed[c] for c in columns}
