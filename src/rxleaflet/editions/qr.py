"""The QR code that opens the electronic edition: its modules, from segno (a well-kept QR encoder, BSD).

Error correction M at least (segno raises it when that costs no larger symbol), the
smallest version that holds the address, and the quiet zone of 4 modules the standard
asks for around it.  The layout draws the modules as vector squares.
"""
from __future__ import annotations

from dataclasses import dataclass

QUIET_ZONE = 4  # modules of light margin on each side (ISO/IEC 18004)


@dataclass(frozen=True)
class QrCode:
    address: str
    error: str  # "M", "Q" or "H"
    rows: tuple[tuple[bool, ...], ...]  # dark modules, top row first, without the quiet zone

    @property
    def size(self) -> int:
        """Modules across, with the quiet zone."""
        return len(self.rows) + 2 * QUIET_ZONE

    def runs(self):
        """(row, first column, length) of each horizontal run of dark modules: fewer shapes to draw."""
        for y, row in enumerate(self.rows):
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    yield y, start, x - start
                else:
                    x += 1


def qr_code(address: str) -> QrCode:
    import segno

    symbol = segno.make_qr(address, error="m", boost_error=True)
    rows = tuple(tuple(bool(module) for module in row) for row in symbol.matrix)
    return QrCode(address, symbol.error, rows)
