"""Imported by the parsing forkserver (:mod:`nianbao.isolate`): warm the caches once, so that every
child forked from it inherits them instead of rebuilding them for each file."""
from __future__ import annotations

from .isolate import warm_up

warm_up()
