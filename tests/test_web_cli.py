"""``nianbao users`` and ``nianbao serve`` as a user runs them."""
from __future__ import annotations

from click.testing import CliRunner

from nianbao.cli import main
from nianbao.store import Store
from nianbao.web.auth import verify_password


def test_users_create_with_password_stdin(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    runner = CliRunner()
    r = runner.invoke(main, ["users", "create", "admin", "--admin", "--password-stdin", "--db", db],
                      input="a-long-password\n")
    assert r.exit_code == 0, r.output
    assert "已创建用户 admin" in r.output
    user = Store(db).get_user("admin")
    assert user.role == "admin" and user.password_hash.startswith("$argon2")
    assert verify_password(user.password_hash, "a-long-password")
    assert not verify_password(user.password_hash, "wrong")
    again = runner.invoke(main, ["users", "create", "admin", "--admin", "--password-stdin", "--db", db], input="x\n")
    assert again.exit_code != 0 and "已存在" in again.output
    short = runner.invoke(main, ["users", "create", "bob", "--role", "viewer", "--password-stdin", "--db", db],
                          input="short\n")
    assert short.exit_code != 0 and "密码至少" in short.output
    none = runner.invoke(main, ["users", "create", "carol", "--password-stdin", "--db", db], input="x\n")
    assert none.exit_code != 0
    r = runner.invoke(main, ["users", "create", "dave", "--role", "reviewer", "--db", db],
                      input="pass-word-1\npass-word-1\n")
    assert r.exit_code == 0, r.output
    listed = runner.invoke(main, ["users", "list", "--db", db])
    assert "admin\tadmin" in listed.output and "dave\treviewer" in listed.output
    assert runner.invoke(main, ["users", "role", "dave", "viewer", "--db", db]).exit_code == 0
    assert Store(db).get_user("dave").role == "viewer"
    assert runner.invoke(main, ["users", "delete", "dave", "--db", db]).exit_code == 0
    assert Store(db).get_user("dave") is None


def test_help_is_chinese_with_examples() -> None:
    runner = CliRunner()
    for args in (["serve", "--help"], ["users", "--help"], ["users", "create", "--help"]):
        r = runner.invoke(main, args)
        assert r.exit_code == 0 and "示例：" in r.output, args


def test_session_secret_is_generated_once_and_kept(tmp_path, monkeypatch) -> None:
    from nianbao.web.secret import ENV_VAR, session_secret

    monkeypatch.delenv(ENV_VAR, raising=False)
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    first = session_secret(store)
    assert len(first) > 40 and session_secret(Store(f"sqlite:///{tmp_path / 's.db'}")) == first
    monkeypatch.setenv(ENV_VAR, "from-env")
    assert session_secret(store) == "from-env"
