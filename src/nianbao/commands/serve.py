"""``nianbao serve``: the reviewers' web app over a store (see :mod:`nianbao.web`)."""
from __future__ import annotations

import click

from ._limits import limit_options, limits_of
from ._store_options import db_option, open_store

MB = 1024 * 1024


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址。内网共享时可设为 0.0.0.0（请配合防火墙或反向代理）。")
@click.option("--port", default=8000, show_default=True, type=int, help="监听端口。")
@click.option("--max-file-mb", default=50.0, show_default=True, type=float, help="单个上传文件大小上限（MB）。")
@click.option("--max-files", default=200, show_default=True, type=int, help="每次上传的文件数量上限（含压缩包内文件）。")
@click.option("--max-upload-mb", default=300.0, show_default=True, type=float, help="每次上传合计大小上限（MB）。")
@click.option("--queue-dir", type=click.Path(file_okay=False), default=None,
              help="待处理上传的队列文件夹（默认：SQLite 数据库文件旁的 <数据库>.uploads；"
                   "也可用环境变量 NIANBAO_QUEUE_DIR）。服务器重启后继续处理其中的文件。")
@click.option("--max-queue-mb", default=2048.0, show_default=True, type=float,
              help="待处理上传合计大小上限（MB）；队列满时新的上传返回 503，请稍后再试。")
@click.option("--https-only", is_flag=True, help="会话 Cookie 仅通过 HTTPS 发送（在 HTTPS 反向代理之后使用）。")
@limit_options
def serve(db_url: str | None, host: str, port: int, max_file_mb: float, max_files: int, max_upload_mb: float,
          queue_dir: str | None, max_queue_mb: float, https_only: bool, max_memory_mb: int, timeout_s: float,
          no_isolate: bool) -> None:
    """启动审核网页应用（简体中文界面，所有页面和接口均需登录）。

    首次使用前请先创建管理员账户：nianbao users create 用户名 --admin。
    会话签名密钥取自环境变量 NIANBAO_SECRET；未设置时首次启动自动生成并保存在数据库中。

    \b
    示例：
      nianbao users create admin --admin
      nianbao serve
      nianbao serve --db sqlite:///年报.db --host 0.0.0.0 --port 8080
    """
    import uvicorn

    from ..web import create_app
    from ..web.uploads import Limits

    store = open_store(db_url)
    if not store.list_users():
        click.echo("提示：数据库中还没有用户，请先运行 nianbao users create 用户名 --admin。", err=True)
    limits = Limits(max_file_bytes=int(max_file_mb * MB), max_files=max_files,
                    max_request_bytes=int(max_upload_mb * MB))
    from ..errors import NianbaoError

    try:
        app = create_app(store, limits=limits, https_only=https_only, queue_dir=queue_dir,
                         max_queue_bytes=int(max_queue_mb * MB),
                         parse_limits=limits_of(max_memory_mb, timeout_s, no_isolate))
    except NianbaoError as exc:  # a bad NIANBAO_* security setting
        raise click.ClickException(exc.reason) from exc
    click.echo(f"nianbao 审核应用：http://{host}:{port}/  （Ctrl+C 停止）", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


COMMANDS = [serve]
