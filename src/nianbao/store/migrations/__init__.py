"""Alembic migrations of the store (run by ``Store()``; see :func:`nianbao.store.db.upgrade`)."""
