"""Reading a content file safely into composed YAML nodes, or refusing it at the line of its problem.

The limits (size, nesting), files that are no regular file, UTF-8 and control
characters, and YAML's own features that content has no use for (tags, and
nesting too deep to read) are checked here, before any node is read into the model.
We compose the YAML into nodes (which keep line and column) and build the model from
them ourselves instead of letting PyYAML construct Python objects: that way a
duplicate key is caught (PyYAML keeps the last one silently), an alias cannot
multiply the document, and every message can point at the exact place an author
has to fix.
"""
from __future__ import annotations

import os
import re
import stat
from typing import Optional

import yaml

from . import yamltext
from ..errors import UserError
from .characters import FORBIDDEN, is_visible

MAX_CONTENT_BYTES = 1_000_000
MAX_HEADING_LEVEL = 6  # H1 is the title; sections start at H2
MAX_LIST_DEPTH = 30  # a list in a list item in a list …: thirty lists deep at most
# Mappings and lists inside one another, at most: far more than a leaflet at the other
# limits needs (about 80), and far less than would exhaust Python's stack while reading.
MAX_YAML_NESTING = 100
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_content_bytes(path) -> bytes:
    """A content file's bytes, at most :data:`MAX_CONTENT_BYTES` of them."""
    return read_input(path, MAX_CONTENT_BYTES)


def read_input(path, limit: Optional[int]) -> bytes:
    """A regular file's bytes (a symbolic link to one is followed); a UserError otherwise.

    A folder, device or pipe is refused before it is read: reading ``/dev/zero``
    or a pipe nobody writes to would never end.  At most ``limit`` + 1 bytes are
    read, so a file over the limit is refused without being held in memory.
    """
    name = str(path)
    try:
        # Non-blocking: opening a pipe that nobody writes to would otherwise wait for ever.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise UserError.single(name, 0, 0, "", f"cannot read the file: {err.strerror}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise UserError.single(name, 0, 0, "", f"cannot read the file: it is {special_file_kind(mode)}, "
                                               "not a regular file")
    with os.fdopen(descriptor, "rb") as stream:
        try:
            data = stream.read() if limit is None else stream.read(limit + 1)
        except OSError as err:
            raise UserError.single(name, 0, 0, "", f"cannot read the file: {err.strerror}") from None
    if limit is not None and len(data) > limit:
        raise UserError.single(name, 1, 1, "", f"the file is too large: the limit is {limit:,} bytes")
    return data


def special_file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
             (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))
    return next((word for test, word in kinds if test(mode)), "a special file")


def compose_file(data: bytes, name: str, what: str, keys: str, private=False):
    """(text, root mapping) of a document's bytes; ``what`` and ``keys`` say in a message what it should hold."""
    if len(data) > MAX_CONTENT_BYTES:
        raise UserError.single(name, 1, 1, "", f"the file is {len(data):,} bytes; the limit is {MAX_CONTENT_BYTES:,}")
    text = decode_utf8(data, name)
    return text, compose_document(text, name, what, keys, private)


def decode_utf8(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")  # a BOM is accepted and dropped
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise UserError.single(name, line, column, "", f"not UTF-8: byte 0x{data[err.start]:02X} cannot be decoded; save the file as UTF-8")
    _refuse_control_characters(text, name)
    return text


def _refuse_control_characters(text: str, name: str) -> None:
    found = FORBIDDEN.search(text)
    if found:
        index = found.start()
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        raise UserError.single(name, line, column, "", f"control character U+{ord(found.group()):04X} is not allowed in content")


def compose_document(text: str, name: str, what: str, keys: str, private=False) -> yaml.Node:
    """The YAML's root mapping, composed; ``private``: the text holds patient data, never quote it."""
    try:
        _refuse_tags_and_depth(text, name)
        root = yamltext.compose(text, LOADER)
    except yaml.MarkedYAMLError as err:
        if "maximum nesting depth" in (err.problem or ""):  # libyaml's own limit (1,000), which it reads ahead to
            raise _too_deep(name, err.problem_mark) from None
        line, column, message = yamltext.explain(text, err)
        if private:
            message = _QUOTED.sub(_unquoted, message)
        raise UserError.single(name, line, column, "", message)
    except RecursionError:  # the depth check makes this all but impossible: still a user's file, not a bug
        raise _too_deep(name, yaml.Mark(name, 0, 0, 0, None, None)) from None
    except yaml.YAMLError as err:
        raise UserError.single(name, 1, 1, "", f"YAML error: {err}")
    anchor = yamltext.unused_anchor(text, LOADER)
    if anchor:
        line, column, message = anchor
        raise UserError.single(name, line, column, "", message)
    if root is None:
        raise UserError.single(name, 1, 1, "", f"the file is empty; {what} needs {keys}")
    if not isinstance(root, yaml.MappingNode):
        raise UserError.single(name, root.start_mark.line + 1, root.start_mark.column + 1, "", f"the file holds {node_kind(root)}; {what} is a mapping of keys ({keys})")
    return root


# What a YAML message quotes (a character, an alias, a tag handle, the start of a text).
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def _unquoted(match) -> str:
    """Quoted punctuation as it is, another character as its code point, and longer text
    (a name written as an alias or a tag) not at all."""
    import ast

    try:
        quoted = ast.literal_eval(match.group())
    except (ValueError, SyntaxError):
        quoted = ""
    if quoted and all(is_visible(c) and not c.isalnum() for c in quoted):
        return match.group()  # punctuation only: "no ':' after its key", "(- \"%…\")"
    return f"U+{ord(quoted):04X}" if len(quoted) == 1 else "(text not shown)"


def _refuse_tags_and_depth(text: str, name: str) -> None:
    """Refuse explicit YAML tags and nesting too deep to read, at their line, before composing.

    A tag (``!!binary``, ``!!python/object``, ``!anything``) would otherwise be
    ignored and its text printed as if it were content.  The tag itself is not
    quoted: in dispensing details it could be patient data.
    """
    try:
        found = list(yaml.parse(text, Loader=LOADER))
    except yaml.MarkedYAMLError as err:
        if not yamltext.about_alias(err):
            return  # a syntax error: compose reports it, at its line
        try:  # read as compose reads it: a leading * is text
            found = list(yaml.parse(text, Loader=yamltext.TextLoader))
        except yaml.YAMLError:
            return
    depth = 0
    for event in found:
        mark = event.start_mark
        if getattr(event, "tag", None) is not None:
            raise UserError.single(name, mark.line + 1, mark.column + 1, "",
                                   "YAML tags (!name, !!type) are not supported: remove the tag, or put text "
                                   "that starts with ! in quotes")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_YAML_NESTING:
                raise _too_deep(name, mark)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _too_deep(name: str, mark) -> UserError:
    return UserError.single(name, mark.line + 1, mark.column + 1, "",
                            f"nested too deep: more than {MAX_YAML_NESTING} lists and mappings inside one another "
                            f"(sections nest at most {MAX_HEADING_LEVEL - 1} deep, lists {MAX_LIST_DEPTH})")


def node_kind(node) -> str:
    """What a node is, in words: a mapping, a list or a single value."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a single value"


def first_alias_mark(text: str):
    """Where the first alias is: composed nodes only carry their anchor's place."""
    for event in yamltext.events(text, LOADER):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark
    return None
