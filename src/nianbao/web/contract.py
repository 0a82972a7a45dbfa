"""The few names the web app takes from the store package, imported in one place.

The store is being built alongside the web app; if its modules move, only this file changes.
``StoreError`` subclasses ``ValueError`` by contract, so routes catch ``ValueError``.
"""
from __future__ import annotations

from ..store.records import DECISIONS, LEVEL_NAMES, LEVELS

__all__ = ["DECISIONS", "LEVELS", "LEVEL_NAMES"]
