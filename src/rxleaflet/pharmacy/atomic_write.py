"""Writing output files so that a failed build never leaves half a PDF behind, nor replaces what is not ours."""
from __future__ import annotations

import contextlib
import functools
import os
import stat
import tempfile
from pathlib import Path
from typing import Optional

from ..errors import UserError
from ..content.yamlfile import special_file_kind

TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".rxleaflet-", ".part"


def require_folder(target: Path) -> Path:
    """The folder ``target`` would be written into; a UserError if there is none."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserError.single(str(target), 0, 0, "", f"cannot write: the folder {folder} does not exist")
    return folder


def check_output(path, shown: Optional[str] = None) -> None:
    """Refuse to replace anything at ``path`` but a regular file.

    A folder, device, pipe or socket is never turned into a PDF (``-o /dev/sda``
    or a FIFO is refused), and neither is a symbolic link: rxleaflet does not
    write through links, so a link planted in an output folder cannot redirect
    a leaflet onto another file.  (The folder itself may be reached through a
    link; only the last part of the path counts.)  ``shown`` is the name messages
    use instead of the path.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return  # a new file
    except OSError as err:  # a path through a file, …
        raise UserError.single(shown or str(path), 0, 0, "", f"cannot write: {err.strerror}") from None
    if stat.S_ISLNK(mode):
        raise UserError.single(shown or str(path), 0, 0, "", "cannot write: it is a symbolic link; rxleaflet does "
                                                             "not write through links: give the file's own path")
    if not stat.S_ISREG(mode):
        raise UserError.single(shown or str(path), 0, 0, "", f"cannot write: it is {special_file_kind(mode)}; "
                                                             "rxleaflet only replaces regular files")


def file_mode(private: bool) -> int:
    """The permissions of a file written: what the umask allows, as for any file a
    program creates; a file with a patient's details (``private``) is the owner's
    only, whatever the umask, so that other accounts on the machine cannot read it."""
    return (0o600 if private else 0o666) & ~current_umask()


@functools.lru_cache(maxsize=1)
def current_umask() -> int:
    """The process's umask, read without changing it where Linux says it (changing it
    for a moment would give any other thread's new file the wrong permissions).  Read
    once: a batch writes a file per row."""
    try:
        with open("/proc/self/status", "rb") as status:  # bytes: the process name may be in any encoding
            for line in status:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def write_atomically(path, data: bytes, shown: Optional[str] = None, private: bool = False) -> None:
    """Write to a temporary file beside the target, then rename it into place.

    A build that fails or is interrupted leaves no file, and never clobbers a
    good file that was there before, nor anything but a regular file (see
    :func:`check_output`).  Any failure (disk full, read-only folder) is a
    UserError naming ``shown`` (default: the path), and the temporary file is removed.
    ``private``: the file holds a patient's details (see :func:`file_mode`).
    """
    shown = shown or str(path)
    target = Path(path)
    check_output(target, shown)
    folder = require_folder(target)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX)
    except OSError as err:
        raise UserError.single(shown, 0, 0, "", f"cannot write to the folder {folder}: {err.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, file_mode(private))
        os.replace(temporary, target)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(err, OSError):
            raise UserError.single(shown, 0, 0, "", f"cannot write: {err.strerror}") from None
        raise


def same_file(first, second) -> bool:
    """Whether two paths name one file (links, case-insensitive file systems and all)."""
    try:
        return os.path.samefile(first, second)
    except OSError:  # one does not exist (yet)
        return Path(first).resolve() == Path(second).resolve()
