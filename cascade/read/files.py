"""Which files to read: the documents under the paths a user gives, and nothing else.

Only regular files are documents. FIFOs, devices and sockets are skipped (a FIFO named
``plan.txt`` would hang a build); a symbolic link is followed only when its target lies
inside one of the folders given (or with ``follow_links``), so a link to ``/etc/passwd``
or ``/dev/zero`` is never read; link loops and unreadable folders are reported, not fatal.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from cascade.errors import ReadError

#: files that describe a folder rather than being documents in it (found while walking a folder)
FOLDER_NOTES = ("readme", "license", "licence", "changelog", "contributing", "notice", "sources")

Skip = Callable[[Path, str], None]


def source_name(path: str | Path) -> str:
    """``path`` as a string that can be written as UTF-8 (records, JSON, terminals).

    A file name that is not UTF-8 reaches Python with its bad bytes as lone surrogates,
    which no JSON or UTF-8 writer accepts; they are shown as ``\\xNN`` escapes instead.

    >>> source_name(os.fsdecode(b"k\\xe9.txt"))
    'k\\\\xe9.txt'
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def _skipped(name: str) -> bool:
    """Hidden files, Office lock files (``~$plan.docx``) and manifests are never documents."""
    return name.startswith((".", "~$")) or os.path.splitext(name)[0].lower() == "manifest"


def _folder_note(name: str) -> bool:
    """README.md, LICENSE.txt...: a folder's own notes, skipped when walking the folder."""
    return os.path.splitext(name)[0].lower().split(".")[0] in FOLDER_NOTES


def special_kind(mode: int) -> str | None:
    """``"a FIFO"``, ``"a device"``, ``"a socket"``... for a file mode that is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def iter_files(paths: Iterable[str | Path], suffixes: Iterable[str], *, follow_links: bool = False,
               on_skip: Skip | None = None) -> list[Path]:
    """The document files under ``paths``: files as named, folders searched recursively.

    In folders, only regular files with one of ``suffixes`` (any case) are kept, and hidden
    files and folders, Office lock files (``~$...``), manifest files and a folder's own
    notes (README.md, LICENSE...) are skipped. A file named explicitly is kept whatever
    its suffix (so that reading it reports an unsupported type rather than silently doing
    nothing), unless it is a lock or manifest file.

    Anything else that is left out for a reason the user should hear of (a FIFO, a device,
    a link out of the folders given, a link loop, an unreadable folder) is passed to
    ``on_skip(path, reason)``.

    Returns the paths sorted, each file once (two spellings of one file count once).

    Raises:
        ReadError: a path that does not exist.
    """
    wanted = tuple(s.lower() for s in suffixes)
    skip: Skip = on_skip or (lambda p, why: None)
    given = [Path(p) for p in paths]
    roots = [_real(p if p.is_dir() else p.parent) for p in given]
    found: dict[str, Path] = {}
    for path in given:
        try:
            st = path.stat()
        except FileNotFoundError:
            raise ReadError(f"{path}: no such file or folder") from None
        except OSError as e:
            skip(path, _os_reason(e))
            continue
        if stat.S_ISDIR(st.st_mode):
            files: Iterable[tuple[str, Path]] = _walk(path, wanted, roots, follow_links, skip)
        else:
            kind = special_kind(st.st_mode)
            lock_or_manifest = path.name.startswith("~$") or path.stem.lower() == "manifest"
            if kind:
                skip(path, f"{kind}, not a regular file: skipped")
                files = []
            else:
                files = [] if lock_or_manifest else [(_real(path), path)]
        for real, f in files:
            found.setdefault(real, f)
    # the order of Path comparison (part by part), without a Path comparison per pair
    return sorted(found.values(), key=lambda p: p.parts)


def _real(path: Path) -> str:
    return os.path.realpath(path)


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _os_reason(e: OSError) -> str:
    if isinstance(e, RuntimeError) or e.errno == 40:          # ELOOP
        return "a symbolic link loop: skipped"
    return f"cannot be read ({e.strerror or e}): skipped"


def _walk(folder: Path, suffixes: tuple[str, ...], roots: list[str], follow_links: bool,
          skip: Skip) -> Iterator[tuple[str, Path]]:
    """(real path, path) of each document file under ``folder``.

    One ``lstat`` per file: the real path of a file that is not a link is its folder's real
    path (resolved once per folder) joined with its name."""
    seen_dirs: set[tuple[int, int]] = set()

    def error(e: OSError) -> None:
        skip(Path(e.filename or folder), _os_reason(e))

    for root, dirs, files in os.walk(folder, followlinks=follow_links, onerror=error):
        try:
            st = os.stat(root)
            if (st.st_dev, st.st_ino) in seen_dirs:    # a linked folder seen before: a loop
                dirs[:] = []
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
        except OSError:
            continue
        dirs[:] = [d for d in dirs
                   if not d.startswith(".") and _dir_ok(Path(root, d), roots, follow_links, skip)]
        real_root = ""
        for name in files:
            if os.path.splitext(name)[1].lower() not in suffixes or _skipped(name) or _folder_note(name):
                continue
            full = root + os.sep + name
            try:
                mode = os.lstat(full).st_mode
            except OSError as e:
                skip(Path(full), _os_reason(e))
                continue
            if stat.S_ISREG(mode):
                real_root = real_root or _real(Path(root)).rstrip(os.sep) + os.sep
                yield real_root + name, Path(full)
            elif _file_ok(path := Path(full), roots, follow_links, skip):   # a link, or not a regular file
                yield _real(path), path


def _dir_ok(path: Path, roots: list[str], follow_links: bool, skip: Skip) -> bool:
    if not path.is_symlink() or follow_links:
        return True
    if not _inside(_real(path), roots):              # a link within the corpus: its files are read there
        skip(path, "a link out of the folders given: not followed (use --follow-links)")
    return False


def _file_ok(path: Path, roots: list[str], follow_links: bool, skip: Skip) -> bool:
    try:
        st = path.stat()
    except OSError as e:
        broken = path.is_symlink() and e.errno != 40
        skip(path, "a broken symbolic link: skipped" if broken else _os_reason(e))
        return False
    kind = special_kind(st.st_mode)
    if kind:
        skip(path, f"{kind}, not a regular file: skipped")
        return False
    if path.is_symlink() and not follow_links and not _inside(_real(path), roots):
        skip(path, "a link out of the folders given: not followed (use --follow-links)")
        return False
    return True
