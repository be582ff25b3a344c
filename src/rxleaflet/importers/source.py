"""Reading untrusted label files safely: size limits, zip archives, XML without entities, JSON.

Every refusal is a UserError naming the file (and the line and column where the parser
knows one), so that the command exits with 2.
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from xml.etree.ElementTree import ParseError

from ..errors import UserError

MAX_INPUT_BYTES = 50_000_000  # an XML, JSON or zip file as given
MAX_UNPACKED_BYTES = 200_000_000  # everything read out of one zip together
MAX_ZIP_MEMBERS = 2_000


def refuse(name, message, line=0, column=0):
    raise UserError.single(str(name), line, column, "", message)


def read_bytes(path) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            refuse(path, f"the file is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}")
        with path.open("rb") as stream:
            data = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as err:
        refuse(path, f"cannot read the file: {err.strerror}")
    if len(data) > MAX_INPUT_BYTES:  # grew while we looked, or not a regular file
        refuse(path, f"the file is over the limit of {MAX_INPUT_BYTES:,} bytes")
    return data


def parse_xml(data: bytes, name: str, what: str = "XML"):
    """The root element; entity declarations, external entities and DTDs are refused."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        refuse(name, f"refused: the {what} declares a DTD or entities ({type(err).__name__}); "
                     "label files need neither, and entities can expand without limit")
    except ParseError as err:
        line, column = err.position
        reason = str(err).split(":")[0]
        refuse(name, f"not well-formed {what}: {reason}", line, column + 1)


def parse_json(data: bytes, name: str):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        refuse(name, f"not UTF-8 text (byte {err.start})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        refuse(name, f"not valid JSON: {err.msg}", err.lineno, err.colno)
    except RecursionError:
        refuse(name, "not usable JSON: nested too deeply")


class Archive:
    """A label zip (DailyMed's download): its files by base name, read within the limits."""

    def __init__(self, data: bytes, name: str):
        self.name = name
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, ValueError) as err:
            refuse(name, f"not a usable zip archive: {err}")
        if len(infos) > MAX_ZIP_MEMBERS:
            refuse(name, f"the archive holds {len(infos):,} files; the limit is {MAX_ZIP_MEMBERS:,}")
        if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
            refuse(name, f"the archive unpacks to more than {MAX_UNPACKED_BYTES:,} bytes")
        self._members = {}
        for info in infos:
            base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if base and not info.is_dir():
                self._members.setdefault(base.lower(), info)

    def names(self, suffix: str) -> list[str]:
        return sorted(info.filename for info in self._members.values() if info.filename.lower().endswith(suffix))

    def read(self, base_name: str):
        """The member with this base name (any folder, any case), or None."""
        info = self._members.get(base_name.replace("\\", "/").rsplit("/", 1)[-1].lower())
        if info is None:
            return None
        try:
            with self._zip.open(info) as stream:
                data = stream.read(MAX_INPUT_BYTES + 1)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as err:
            refuse(self.name, f"cannot read {info.filename} from the archive: {err}")
        if len(data) > MAX_INPUT_BYTES:
            refuse(self.name, f"{info.filename} in the archive is over the limit of {MAX_INPUT_BYTES:,} bytes")
        return data
