"""``nianbao users``: accounts of the web app (create, list, change role, delete)."""
from __future__ import annotations

import sys

import click

from ._store_options import db_option, open_store

ROLE_CHOICES = ("viewer", "reviewer", "admin")


def _read_password(from_stdin: bool) -> str:
    """From standard input (first line) for scripts, else prompted twice without echo."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    from ..web.users import MIN_PASSWORD

    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"密码至少 {MIN_PASSWORD} 个字符。")
    return password


@click.group("users")
def users() -> None:
    """管理审核网页应用的用户：viewer 查看者（只读）、reviewer 审核员（可上传、审核）、admin 管理员（可管理用户）。

    \b
    示例：
      nianbao users create admin --admin
      nianbao users create 张三 --role reviewer
      echo '密码密码密码' | nianbao users create 李四 --role viewer --password-stdin
      nianbao users list
      nianbao users password 张三
      nianbao users logout 张三
    """


@users.command("create")
@click.argument("username")
@click.option("--admin", "is_admin", is_flag=True, help="创建管理员（等同于 --role admin）。")
@click.option("--role", type=click.Choice(ROLE_CHOICES), default=None, help="角色：viewer、reviewer 或 admin。")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行），用于脚本。")
@db_option
def create(username: str, is_admin: bool, role: str | None, password_stdin: bool, db_url: str | None) -> None:
    """新建用户；密码交互输入（不回显）或用 --password-stdin 从标准输入读取。

    \b
    示例：
      nianbao users create admin --admin
      nianbao users create 张三 --role reviewer --db sqlite:///年报.db
    """
    from ..web.auth import hash_password
    from ..web.users import validate_new_user

    if is_admin and role not in (None, "admin"):
        raise click.UsageError("--admin 与 --role 冲突。")
    if not is_admin and role is None:
        raise click.UsageError("请用 --admin 或 --role 指定角色。")
    role = "admin" if is_admin else role
    assert role is not None
    store = open_store(db_url)
    if store.get_user(username) is not None:
        raise click.ClickException(f"用户 {username} 已存在。")
    password = _read_password(password_stdin)
    problem = validate_new_user(username, password, role)
    if problem:
        raise click.ClickException(problem)
    store.create_user(username, hash_password(password), role, by="命令行")
    click.echo(f"已创建用户 {username}（{role}）。")


@users.command("list")
@db_option
def list_users(db_url: str | None) -> None:
    """列出用户。

    \b
    示例：
      nianbao users list
    """
    for u in open_store(db_url).list_users():
        click.echo(f"{u.username}\t{u.role}\t{u.created_at:%Y-%m-%d %H:%M}")


@users.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLE_CHOICES))
@db_option
def set_role(username: str, role: str, db_url: str | None) -> None:
    """修改用户角色。

    \b
    示例：
      nianbao users role 张三 admin
    """
    store = open_store(db_url)
    if store.get_user(username) is None:
        raise click.ClickException(f"用户 {username} 不存在。")
    store.set_user_role(username, role, by="命令行")
    click.echo(f"已将 {username} 的角色改为 {role}（其登录会话已全部结束）。")


@users.command("delete")
@click.argument("username")
@db_option
def delete(username: str, db_url: str | None) -> None:
    """删除用户。

    \b
    示例：
      nianbao users delete 张三
    """
    store = open_store(db_url)
    if store.get_user(username) is None:
        raise click.ClickException(f"用户 {username} 不存在。")
    store.delete_user(username, by="命令行")
    click.echo(f"已删除用户 {username}。")


@users.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取新密码（一行），用于脚本。")
@db_option
def set_password(username: str, password_stdin: bool, db_url: str | None) -> None:
    """重设用户密码；该用户的所有登录会话随即结束。

    \b
    示例：
      nianbao users password 张三
      echo '新的密码密码' | nianbao users password 张三 --password-stdin
    """
    from ..web.auth import hash_password

    store = open_store(db_url)
    if store.get_user(username) is None:
        raise click.ClickException(f"用户 {username} 不存在。")
    password = _read_password(password_stdin)
    store.set_password_hash(username, hash_password(password), by="命令行")
    click.echo(f"已重设 {username} 的密码（其登录会话已全部结束）。")


@users.command("logout")
@click.argument("username")
@db_option
def logout(username: str, db_url: str | None) -> None:
    """结束用户的所有登录会话（如电脑丢失、账户疑似被盗用）。

    \b
    示例：
      nianbao users logout 张三
    """
    store = open_store(db_url)
    if store.get_user(username) is None:
        raise click.ClickException(f"用户 {username} 不存在。")
    click.echo(f"已结束 {username} 的 {store.end_user_sessions(username)} 个登录会话。")


COMMANDS = [users]
