"""The key that signs session cookies: from the environment, else generated once and kept in the store.

Keeping it in the store (not in a file beside the code) means every worker and every restart of
``nianbao serve`` on the same store signs with the same key, so reviewers stay signed in, while a
fresh store gets a fresh random key.
"""
from __future__ import annotations

import os
import secrets
from typing import Any

ENV_VAR = "NIANBAO_SECRET"
SETTING_KEY = "session_secret"


def session_secret(store: Any) -> str:
    """$NIANBAO_SECRET, else the key kept in the store, else a new random key (kept for next time)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return env
    if not callable(getattr(store, "ensure_setting", None)):  # a store double in tests: a per-process key
        return secrets.token_urlsafe(48)
    return store.get_setting(SETTING_KEY) or store.ensure_setting(SETTING_KEY, secrets.token_urlsafe(48))
