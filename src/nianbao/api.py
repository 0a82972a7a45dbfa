"""The batch-level API the CLI mirrors: results per file, failures kept, never raised."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .checks import Context, Finding, run_checks
from .errors import NianbaoError
from .extract import extract
from .ingest import DEFAULT_MAX_BYTES, read_document
from .isolate import DEFAULT_LIMITS, ParseLimits, WorkerFailure, run_each, warm_up
from .report import Report

OUTSIDE_LINK = "outside_link"


@dataclass(slots=True)
class Result:
    """One file's outcome: a report and its findings, or the reason it could not be read."""

    file: str
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    error_kind: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read one file into a report (raises :class:`NianbaoError`)."""
    return extract(read_document(path, max_bytes=max_bytes))


def check_report(report: Report, *, rules: Iterable[str] | None = None, context: Context | None = None) -> list[Finding]:
    return run_checks(report, rules=rules, context=context)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path found in a folder that is not read, and why (a link leading out of the folder)."""

    path: str
    reason: str
    kind: str = OUTSIDE_LINK


def iter_inputs(paths: Iterable[str | os.PathLike[str]], *, follow_links: bool = False) -> Iterator[str | Skipped]:
    """Files as given; folders recursively (sorted); ``@list.txt`` reads one path per line.

    In a folder, a symbolic link is followed only when it stays inside the folder: a link to
    ``/etc/passwd`` dropped into a shared folder must not be read (and stored, and shown) unless
    the user says so with *follow_links*. Links that lead out are yielded as :class:`Skipped`.
    Files and list entries named explicitly are the user's own choice and always read.
    """
    for p in paths:
        s = str(p)
        if s.startswith("@") and Path(s[1:]).is_file():
            for line in Path(s[1:]).read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.startswith("#"):
                    yield line.strip()
        elif Path(s).is_dir():
            yield from _walk_folder(Path(s), follow_links)
        else:
            yield s


def _walk_folder(root: Path, follow_links: bool) -> Iterator[str | Skipped]:
    """The files under *root*, sorted by path; links leading out of *root* skipped unless followed."""
    top = root.resolve()
    found: list[tuple[Path, str | Skipped]] = []
    seen_dirs: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_links):
        here = Path(dirpath)
        real = here.resolve()
        if real in seen_dirs:  # a followed link loop
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        for name in dirnames:
            link = here / name
            if link.is_symlink() and not follow_links and not _inside(link, top):
                found.append((link, _outside(link)))
        for name in filenames:
            f = here / name
            if name.startswith(".") or name.endswith(".truth.json") or not f.is_file():
                continue
            if not follow_links and (f.is_symlink() or here != real) and not _inside(f, top):
                found.append((f, _outside(f)))
                continue
            found.append((f, str(f)))
    for _path, item in sorted(found, key=lambda pair: pair[0]):
        yield item


def _inside(path: Path, top: Path) -> bool:
    try:
        return path.resolve().is_relative_to(top)
    except (OSError, RuntimeError):  # a link loop
        return False


def _outside(path: Path) -> Skipped:
    try:
        target = str(path.resolve())
    except (OSError, RuntimeError):
        target = "无法解析的位置"
    return Skipped(str(path), f"符号链接指向所选文件夹之外（{target}），未读取；确需读取请使用 --follow-links")


def expand_paths(paths: Iterable[str | os.PathLike[str]], *, follow_links: bool = False) -> Iterator[str]:
    """The readable paths of :func:`iter_inputs` (links leading out of a folder left out)."""
    for item in iter_inputs(paths, follow_links=follow_links):
        if isinstance(item, str):
            yield item


def parse_checked(task: tuple[str, int, bool, Context | None]) -> Result:
    """Read, parse and (optionally) check one file; every failure becomes the result's error.

    Runs in a child process (:mod:`nianbao.isolate`); a ``MemoryError`` is left to the child's
    wrapper, which reports it as the memory ceiling.
    """
    path, max_bytes, check, context = task
    try:
        report = parse_file(path, max_bytes=max_bytes)
        findings = run_checks(report, context=context) if check else []
    except NianbaoError as exc:
        return Result(path, error=exc.reason, error_kind=exc.kind)
    except MemoryError:
        raise
    except Exception as exc:  # a bug must not stop a batch of hundreds of reports
        return Result(path, error=f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}", error_kind="internal")
    return Result(path, report, findings)


def process(paths: Iterable[str | os.PathLike[str]], *, check: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
            context: Context | None = None, limits: ParseLimits = DEFAULT_LIMITS, jobs: int = 1,
            follow_links: bool = False) -> Iterator[Result]:
    """Parse (and check) every file, each in a child process under *limits*; a bad file — even one
    that kills its parser — yields a failed result and the batch goes on."""
    inputs = list(iter_inputs(paths, follow_links=follow_links))
    tasks = [(x, max_bytes, check, context) for x in inputs if isinstance(x, str)]
    if limits.isolate and len(tasks) > 1:
        warm_up()  # imported once here rather than in every child
    results = run_each(parse_checked, tasks, jobs=jobs, limits=limits)
    for item in inputs:
        if isinstance(item, Skipped):
            yield Result(item.path, error=item.reason, error_kind=item.kind)
            continue
        _task, out = next(results)
        if isinstance(out, WorkerFailure):
            yield Result(item, error=out.reason, error_kind=out.kind)
        else:
            yield out
