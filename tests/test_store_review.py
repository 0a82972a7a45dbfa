"""Reviewer decisions survive re-ingest and re-check; users for the web app; the read API shapes."""
from __future__ import annotations

import pytest

from test_store_support import SEED_GOV, gov_2021, seed, store_fixture, store_url_fixture, write  # noqa: F401


def _carry(store):
    rid = next(r.id for r in store.reports(year=2022))
    return rid, [f for f in store.findings(rid) if f.rule == "X-CARRY-OVER"]


def test_decision_survives_reingest_and_recheck(store, tmp_path):
    write(tmp_path / "2021.txt", gov_2021(carried_forward="6\t0\t0\t0\t0\t0\t7"))
    later = write(tmp_path / "2022.txt", seed(SEED_GOV))
    store.ingest([str(tmp_path)])
    rid, found = _carry(store)
    key = found[0].key
    store.decide(key, "dismissed", "机构合并，结转数不可比", user="reviewer1")
    # a changed file: new version of 2022, all findings re-computed
    write(later, seed(SEED_GOV).replace("行政强制\t219", "行政强制\t221"))
    assert store.ingest([str(tmp_path)]).new_versions == 1
    # and a changed previous year: cross checks re-run, same break
    write(tmp_path / "2021.txt", gov_2021(carried_forward="6\t0\t0\t0\t0\t0\t7", in_force=81))
    assert store.ingest([str(tmp_path)]).new_versions == 1
    rid2, found2 = _carry(store)
    assert rid2 == rid and [f.key for f in found2] == [key]
    f = found2[0]
    assert (f.decision, f.decision_note, f.decided_by) == ("dismissed", "机构合并，结转数不可比", "reviewer1")
    assert f.decided_at is not None
    row = store.reports(year=2022)[0]
    assert row.n_error == sum(1 for x in store.findings(rid) if x.severity == "error" and x.decision != "dismissed")
    store.decide(key, "confirmed", "已核实")
    assert _carry(store)[1][0].decision == "confirmed"


def test_decide_rejects_unknown(store):
    from nianbao.store import StoreError

    with pytest.raises(StoreError, match="未找到问题"):
        store.decide("nope", "confirmed")


def test_users(store):
    from nianbao.store import StoreError

    store.create_user("alice", "$argon2id$hash", "admin")
    store.create_user("bob", "h2", "viewer")
    with pytest.raises(StoreError, match="已存在"):
        store.create_user("alice", "x", "viewer")
    with pytest.raises(StoreError, match="角色"):
        store.create_user("carol", "x", "boss")
    assert [u.username for u in store.list_users()] == ["alice", "bob"]
    store.set_user_role("bob", "reviewer")
    bob = store.get_user("bob")
    assert bob.role == "reviewer" and bob.password_hash == "h2" and bob.created_at is not None
    store.delete_user("bob")
    assert store.get_user("bob") is None
    with pytest.raises(StoreError, match="不存在"):
        store.set_user_role("bob", "admin")


def test_read_api(store, tmp_path):
    write(tmp_path / "2021.txt", gov_2021())
    write(tmp_path / "2022.txt", seed(SEED_GOV))
    store.ingest([str(tmp_path)])
    rows = store.reports(order="year")
    assert [r.year for r in rows] == [2021, 2022] and store.count_reports(q="偃师") == 2
    assert store.reports(limit=1, offset=1, order="year")[0].year == 2022
    agency = store.agencies()[0]
    assert agency.years == [2021, 2022] and agency.n_reports == 2 and agency.level == "county"
    assert store.agency(agency.id) == agency and store.agency(99999) is None
    stored = store.report(rows[1].id)
    assert stored.report.year == 2022 and stored.report.agency == "偃师区人民政府办公室"
    new = stored.report.applications["new"]
    assert [v.value for v in new] == [49, 1, 0, 0, 0, 0, 50] and new[0].source.line and new[0].raw == "49"
    assert stored.source_name.endswith("2022.txt") and stored.findings
    assert store.report(12345) is None
