"""The web app's security limits as named settings: session timeouts, sign-in throttle, page images.

Defaults suit an office intranet; each can be changed per deployment through the environment
(``NIANBAO_SESSION_IDLE_MINUTES`` …, see :data:`ENV`) or by passing a :class:`Policy` to
``create_app``. A value that is not a positive number is refused with a Chinese message naming it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from datetime import timedelta

from ..errors import NianbaoError


@dataclass(frozen=True, slots=True)
class Policy:
    session_idle_minutes: float = 30  # signed out after this long without a request
    session_absolute_hours: float = 12  # signed out this long after signing in, busy or not (a working day)
    login_window_minutes: float = 15  # failures older than this are forgotten
    login_max_failures_account: int = 5  # failures on one account within the window before it locks
    login_max_failures_address: int = 20  # failures from one address (any accounts) before it locks
    login_lockout_minutes: float = 15  # how long a lock lasts after the failure that set it
    page_image_max_pixels: int = 6_000_000  # a rendered source page larger than this is cropped or scaled
    page_image_cache_bytes: int = 64 * 1024 * 1024  # PNGs of source pages kept in memory, per app

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.session_idle_minutes)

    @property
    def absolute(self) -> timedelta:
        return timedelta(hours=self.session_absolute_hours)

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.login_window_minutes)

    @property
    def lockout(self) -> timedelta:
        return timedelta(minutes=self.login_lockout_minutes)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Policy:
        """Defaults, overridden by ``NIANBAO_<FIELD NAME IN CAPITALS>`` variables."""
        environ = os.environ if environ is None else environ
        changes: dict[str, float | int] = {}
        for f in fields(cls):
            name = ENV[f.name]
            raw = environ.get(name)
            if raw is None or raw.strip() == "":
                continue
            kind = int if f.type in (int, "int") else float
            try:
                value = kind(raw)
            except ValueError:
                value = -1
            if value <= 0:
                raise NianbaoError(name, f"环境变量 {name} 应为正{'整' if kind is int else ''}数，现为 {raw!r}",
                                   kind="config")
            changes[f.name] = value
        return replace(cls(), **changes)


ENV = {f.name: "NIANBAO_" + f.name.upper() for f in fields(Policy)}
