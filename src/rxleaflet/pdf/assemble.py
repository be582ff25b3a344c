"""Print jobs: the pharmacy's own pages and leaflets in one PDF, with pypdf.

A print job is for the printer.  pypdf copies pages, not structure trees, so
the tagging of a leaflet does not survive into a job; the job carries each
standalone, accessible leaflet as an embedded file instead.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Iterable

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError

from ..errors import UserError
from ..version import __version__

# pypdf logs what it finds odd in a PDF; a PDF we cannot use is reported as a user error instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Part:
    """One document of a print job."""

    name: str  # where it came from, for messages
    data: bytes
    bookmark: str
    attach_as: str = ""  # a file name: embed the document itself in the job too


def open_pdf(data: bytes, name: str) -> PdfReader:
    """A readable, unencrypted PDF, or a UserError saying why not."""
    if b"%PDF-" not in data[:1024]:  # where the PDF standard allows its header
        raise UserError.single(name, 0, 0, "", "this is not a PDF (it does not start with %PDF-); give a PDF file")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UserError.single(name, 0, 0, "", "the PDF is encrypted; give an unencrypted copy")
        for page in reader.pages:  # pypdf reads lazily: read every page now
            page.mediabox
    except UserError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, IndexError) as err:
        raise UserError.single(name, 0, 0, "", f"cannot read this PDF: it is damaged ({err})") from None
    if not reader.pages:
        raise UserError.single(name, 0, 0, "", "the PDF has no pages")
    return reader


def combine(parts: Iterable[Part], duplex: bool = False, title: str = "Print job") -> bytes:
    """One print job of ``parts`` in order, a bookmark for each.

    With ``duplex`` each part is padded with a blank page (of its last page's
    size) to an even page count, so that every part starts on a fresh sheet.
    Page sizes are kept page by page.
    """
    writer = PdfWriter()
    for part in parts:
        reader = open_pdf(part.data, part.name)
        first = len(writer.pages)
        writer.append(reader, import_outline=False)
        if duplex and len(reader.pages) % 2:
            last = reader.pages[-1].mediabox
            writer.add_blank_page(width=float(last.width), height=float(last.height))
        writer.add_outline_item(part.bookmark, first)
        if part.attach_as:
            writer.add_attachment(part.attach_as, part.data)
    # Only what the job is: nothing from the parts' metadata (a label's may name the patient).
    writer.add_metadata({"/Title": title, "/Producer": f"rxleaflet {__version__}"})
    writer.page_mode = "/UseOutlines"
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def leaflet_title(data: bytes, name: str) -> str:
    """A leaflet's document title, for its bookmark in a job."""
    info = open_pdf(data, name).metadata
    return str(info.title) if info and info.title else name


def attach(prescription: bytes, prescription_name: str, leaflet: bytes, leaflet_name: str,
           leaflet_first: bool = False, duplex: bool = False) -> bytes:
    """A print job of the pharmacy's own document (label, receipt) and a leaflet, bookmarked,
    with the accessible leaflet embedded as a file named ``leaflet_name``'s file name."""
    title = leaflet_title(leaflet, leaflet_name)
    own = Part(prescription_name, prescription, "Prescription")
    leaflet_part = Part(leaflet_name, leaflet, f"Patient information leaflet: {title}",
                        attach_as=leaflet_name.replace("\\", "/").rsplit("/", 1)[-1])
    parts = [leaflet_part, own] if leaflet_first else [own, leaflet_part]
    return combine(parts, duplex=duplex, title=title)


def leaflet_identity(data: bytes):
    """(language, subject) of a leaflet rxleaflet wrote, else None.

    The subject names the medicine ("Patient information leaflet: Diazepam
    2 mg tablets"), never a patient.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        info = reader.metadata
        if not info or not str(info.get("/Creator", "")).startswith("rxleaflet"):
            return None
        return str(reader.trailer["/Root"].get("/Lang", "")), str(info.get("/Subject", ""))
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
