"""Product codes: NDCs normalised to their 11-digit 5-4-2 form, GTINs checked by their check digit."""
from __future__ import annotations

import re

# The three 10-digit NDC layouts (labeler-product-package) and the 11-digit one,
# with the zero that pads each to 5-4-2.
_NDC_LAYOUTS = {(4, 4, 2): 0, (5, 3, 2): 1, (5, 4, 1): 2, (5, 4, 2): None}


def normal_ndc(text: str) -> str:
    """An NDC as 5-4-2 with hyphens ("12345-0678-01"); ValueError saying why if it is not one.

    A 10-digit NDC must keep its hyphens: without them 4-4-2, 5-3-2 and 5-4-1
    cannot be told apart.  11 digits may be written without hyphens.
    """
    text = text.strip()
    if re.fullmatch(r"\d{11}", text):
        return f"{text[:5]}-{text[5:9]}-{text[9:]}"
    parts = text.split("-")
    if len(parts) != 3 or not all(part.isascii() and part.isdigit() for part in parts):
        if re.fullmatch(r"\d{10}", text):
            raise ValueError("a 10-digit NDC needs its hyphens (4-4-2, 5-3-2 or 5-4-1)")
        raise ValueError("an NDC is 10 digits as 4-4-2, 5-3-2 or 5-4-1, or 11 digits as 5-4-2")
    layout = tuple(len(part) for part in parts)
    if layout not in _NDC_LAYOUTS:
        raise ValueError(f"an NDC is 4-4-2, 5-3-2, 5-4-1 or 5-4-2 digits, not {'-'.join(map(str, layout))}")
    padded = _NDC_LAYOUTS[layout]
    if padded is not None:
        parts[padded] = "0" + parts[padded]
    return "-".join(parts)


def normal_gtin(text: str) -> str:
    """A GTIN-8, -12, -13 or -14 as 14 digits; ValueError if its length or check digit is wrong."""
    digits = text.strip().replace(" ", "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (8, 12, 13, 14):
        raise ValueError("a GTIN is 8, 12, 13 or 14 digits")
    if gtin_check_digit(digits[:-1]) != int(digits[-1]):
        raise ValueError("the GTIN's check digit is wrong (a digit mistyped?)")
    return digits.rjust(14, "0")


def gtin_check_digit(body: str) -> int:
    """GS1's mod-10 check digit: weights 3, 1, 3 … from the rightmost digit of the body."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


NORMALISE = {"ndc": normal_ndc, "gtin": normal_gtin}
