"""Fixtures for the store tests (import the ``*_fixture`` functions; pytest knows them by their names): a store per backend (SQLite always; PostgreSQL when NIANBAO_TEST_PG is set)
and helpers that derive controlled report variants from the seeds."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SAMPLES

PG_URL = os.environ.get("NIANBAO_TEST_PG")
SEED_GOV = "003_2a799143023ee02c"  # 偃师区人民政府办公室 2022, T2021
SEED_UNIT = "004_075fb8c0c28ee6ce"  # 老城区机关事务服务中心 2022, T2021


def seed(seed_id: str) -> str:
    return (SAMPLES / f"{seed_id}.txt").read_text(encoding="utf-8")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def replace_line(text: str, startswith: str, new_line: str) -> str:
    lines = text.split("\n")
    hits = [i for i, line in enumerate(lines) if line.startswith(startswith)]
    assert len(hits) == 1, (startswith, hits)
    lines[hits[0]] = new_line
    return "\n".join(lines)


def gov_2021(carried_forward: str = "7\t0\t0\t0\t0\t0\t7", in_force: int = 80,
             new: str = "56\t1\t0\t0\t0\t0\t57") -> str:
    """Seed 003 as its own previous year: year 2021, controlled 本年新收, 结转下年度 and 现行有效件数.

    The defaults keep 2021 balanced in itself (B1/B3) and continuous with 2022 (B5, B8)."""
    text = seed(SEED_GOV).replace("2022", "2021")
    text = replace_line(text, "一、本年新收政府信息公开申", f"一、本年新收政府信息公开申请数量\t\t{new}")
    text = replace_line(text, "四、结转下年度继续办理", f"四、结转下年度继续办理\t\t{carried_forward}")
    return replace_line(text, "规范性文件\t", f"规范性文件\t5\t38\t{in_force}")


def _reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def _backends() -> list:
    pg_reason = "NIANBAO_TEST_PG 未设置（eval \"$(.ci/postgres.sh)\" 后可运行 PostgreSQL 用例）"
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL and os.environ.get("CI") != "true",
                                                                          reason=pg_reason))]


@pytest.fixture(name="store_url", params=_backends())
def store_url_fixture(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    if not PG_URL:
        pytest.fail("CI=true 但未设置 NIANBAO_TEST_PG：CI 必须运行 PostgreSQL 用例（见 .ci/postgres.sh）")
    _reset_pg(PG_URL)
    return PG_URL


@pytest.fixture(name="store")
def store_fixture(store_url):
    from nianbao.store import Store

    s = Store(store_url)
    yield s
    s.close()


@pytest.fixture(name="sqlite_store")
def sqlite_store_fixture(tmp_path):
    from nianbao.store import Store

    s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


@pytest.fixture(name="loaded_url", scope="module")
def loaded_url_fixture(tmp_path_factory) -> str:
    """A SQLite store holding the five samples (read-only tests share it)."""
    from nianbao.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('loaded') / 'store.db'}"
    s = Store(url)
    s.ingest([str(SAMPLES)])
    s.close()
    return url
