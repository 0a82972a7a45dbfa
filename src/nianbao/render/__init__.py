"""Render: reports as people read them (text tables, later XLSX and HTML)."""
