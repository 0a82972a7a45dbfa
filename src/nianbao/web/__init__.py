"""The reviewers' web app: upload and check reports, read one report, compare an agency's years,
summarize the corpus. Server-rendered pages (Jinja2) plus a JSON API, all behind sign-in.

One concern a module (datasette's habit): :mod:`.app` builds the application, :mod:`.auth` and
:mod:`.csrf` guard it, :mod:`.upload`, :mod:`.reports`, :mod:`.agencies`, :mod:`.corpus`,
:mod:`.users` and :mod:`.api` hold the routes of one area each, :mod:`.layout` lays out the three
statistical tables from :mod:`nianbao.templates`, :mod:`.provenance` shows where a value came from.
"""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
