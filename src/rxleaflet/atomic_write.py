"""Writing output files so that a failed build never leaves half a PDF behind."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import UserError


def require_folder(target: Path) -> Path:
    """The folder ``target`` would be written into; a UserError if there is none."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserError.single(str(target), 0, 0, "", f"cannot write: the folder {folder} does not exist")
    return folder


def write_atomically(path, data: bytes) -> None:
    """Write to a temporary file in the target folder, then rename it into place.

    A build that fails or is interrupted leaves no file, and never clobbers a
    good file that was there before.
    """
    target = Path(path)
    folder = require_folder(target)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as err:
        raise UserError.single(str(target), 0, 0, "", f"cannot write to the folder {folder}: {err.strerror}")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException as err:
        os.unlink(temporary)
        if isinstance(err, OSError):
            raise UserError.single(str(target), 0, 0, "", f"cannot write: {err.strerror}") from None
        raise
