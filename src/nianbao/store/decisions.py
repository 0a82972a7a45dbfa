"""Reviewer decisions, keyed by the stable finding key so they survive re-ingest and re-check."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Decision, FindingRecord, utcnow
from .records import DECISIONS, StoreError

_ALIASES = {"confirm": "confirmed", "dismiss": "dismissed", "确认": "confirmed", "驳回": "dismissed",
            "排除": "dismissed"}


def decide(s: Session, finding_key: str, decision: str | None, note: str = "", user: str | None = None) -> None:
    """Record (or, with ``decision`` None/'clear', remove) the decision on a finding."""
    key = (finding_key or "").strip()
    existing = s.get(Decision, key)
    if existing is None and s.scalar(select(FindingRecord.id).where(FindingRecord.key == key).limit(1)) is None:
        raise StoreError(f"未找到问题 {key}（问题编号见导出 XLSX 的“问题”工作表或网页上的报告详情）")
    if decision in (None, "", "clear"):
        if existing is not None:
            s.delete(existing)
        return
    value = _ALIASES.get(decision, decision)
    if value not in DECISIONS:
        raise StoreError(f"无效的审核结论：{decision}（可选：confirmed 确认、dismissed 排除）")
    if existing is None:
        s.add(Decision(finding_key=key, decision=value, note=note or "", decided_by=user, decided_at=utcnow()))
    else:
        existing.decision, existing.note, existing.decided_by, existing.decided_at = value, note or "", user, utcnow()
