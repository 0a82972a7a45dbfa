"""Users of the web app. The store keeps hashes only; hashing is the web app's job (argon2)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from .models import User
from .records import ROLES, StoreError, UserRow


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise StoreError(f"无效的角色：{role}（可选：viewer 查看、reviewer 审核、admin 管理）")


def _row(u: User) -> UserRow:
    return UserRow(u.id, u.username, u.password_hash, u.role, u.created_at)


def create_user(factory: sessionmaker, username: str, password_hash: str, role: str) -> None:
    _check_role(role)
    if not username or not username.strip():
        raise StoreError("用户名不能为空")
    try:
        with factory.begin() as s:
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise StoreError(f"用户 {username} 已存在")
            s.add(User(username=username, password_hash=password_hash, role=role))
    except IntegrityError as exc:
        raise StoreError(f"用户 {username} 已存在") from exc


def _get(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise StoreError(f"用户 {username} 不存在")
    return user


def get_user(s: Session, username: str) -> UserRow | None:
    user = s.scalar(select(User).where(User.username == username))
    return _row(user) if user else None


def list_users(s: Session) -> list[UserRow]:
    return [_row(u) for u in s.scalars(select(User).order_by(User.username))]


def set_user_role(s: Session, username: str, role: str) -> None:
    _check_role(role)
    _get(s, username).role = role


def set_password_hash(s: Session, username: str, password_hash: str) -> None:
    _get(s, username).password_hash = password_hash


def delete_user(s: Session, username: str) -> None:
    s.delete(_get(s, username))
