"""The rule registry itself, the documentation of every rule, and the cost of checking."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import nianbao
from conftest import ROOT, SAMPLES
from nianbao.checks import REGISTRY, SEVERITY_ORDER, iter_rules, run_checks
from nianbao.checks.privacy import _name_shaped, surnames

RULE_ID = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
DEFECT_ID = re.compile(r"^D-\d{2}$")
FORMAT_DEFECTS = {f"D-{n:02d}" for n in range(1, 35)}


def test_every_rule_has_id_defect_severity_and_docstring() -> None:
    assert len(REGISTRY) >= 30
    for rule in iter_rules():
        assert RULE_ID.match(rule.id), rule.id
        assert rule.defect is None or (DEFECT_ID.match(rule.defect) and rule.defect in FORMAT_DEFECTS), rule.id
        assert rule.severity in SEVERITY_ORDER, rule.id
        assert len(rule.doc) > 20, f"{rule.id} needs a docstring saying what it finds and how"


def test_checks_md_documents_every_rule() -> None:
    doc = (ROOT / "docs" / "CHECKS.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([A-Z0-9-]+)` \| (D-\d{2}|—) \|", doc, flags=re.M))
    ours = {r.id: r for r in iter_rules() if not r.id.startswith("OCR-")}  # OCR rules are documented with OCR
    assert set(ours) <= set(rows), sorted(set(ours) - set(rows))
    for rid, rule in ours.items():
        assert rows[rid] == (rule.defect or "—"), rid


def test_surname_data_and_name_shape() -> None:
    single, compound = surnames()
    assert {"王", "解", "任", "薛"} <= single and "欧阳" in compound
    assert _name_shaped("杨春生") and _name_shaped("薛刚") and _name_shaped("欧阳修文")
    assert not _name_shaped("孟津清泉模具有限公司")
    assert not _name_shaped("赵某") and not _name_shaped("张局长")
    assert not _name_shaped("其杨春生")


def test_jieba_is_loaded_only_for_a_list_of_names() -> None:
    """Parsing and checking a report without a name-shaped list must not pay jieba's load time."""
    code = (
        "import sys, nianbao\n"
        "from nianbao.checks import run_checks\n"
        f"run_checks(nianbao.parse({str(SAMPLES / '000_a122145f4d95bb2d.txt')!r}))\n"
        "assert 'jieba' not in sys.modules, 'jieba loaded for a clean report'\n"
        f"run_checks(nianbao.parse({str(SAMPLES / '002_e36d426879923bc1.txt')!r}))\n"
        "assert 'jieba' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_checks_are_fast() -> None:
    report = nianbao.parse(SAMPLES / "003_2a799143023ee02c.txt")
    rules = [r for r in REGISTRY if r != "PRIVACY-NAMES"]
    run_checks(report)
    start = time.perf_counter()
    for _ in range(20):
        run_checks(report, rules=rules)
    per_report = (time.perf_counter() - start) / 20
    assert per_report < 0.02, f"{per_report * 1000:.1f} ms per report"


def test_rule_modules_do_not_repeat_template_labels() -> None:
    """Row and column labels come from nianbao.templates, never typed again in a rule module."""
    labels = ["本年新收政府信息公开申请数量", "予以公开", "社会公益组织", "法律服务机构", "结转下年度继续办理",
              "结果维持", "尚未审结", "未经复议直接起诉", "本年处理决定数量", "本年收费金额"]
    checks_dir = Path(nianbao.__file__).parent / "checks"
    for module in checks_dir.glob("*.py"):
        if module.name in ("__init__.py", "ocr.py"):
            continue
        code = "\n".join(line for line in module.read_text(encoding="utf-8").splitlines()
                         if not line.lstrip().startswith("#"))
        body = re.sub(r'"""[\s\S]*?"""', "", code)  # docstrings may cite labels
        for label in labels:
            assert label not in body, f"{module.name} hard-codes {label}"
