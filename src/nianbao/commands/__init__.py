"""CLI command modules beyond parse/check. Each module defines ``COMMANDS``: a list of click commands
(or groups); :mod:`nianbao.cli` registers them all, so a new command is one new module here."""
