"""How the bundled script fonts were made: each Noto font of a script, with Noto Sans's digits, punctuation and Latin letters added (``python -m rxleaflet.text.fontmaking FOLDER``).

The Noto font of a script (Noto Sans Hebrew, Noto Sans Ethiopic …) holds that script's
letters and little else: Noto Sans Hebrew has no ".", Noto Sans Ethiopic no "4".  A word
such as "בלילה." or "ከ4" would then be drawn in two fonts, and pdf.js (the browser's
viewer, and what its accessibility tree is built from) makes a text item of each font's
glyphs, which a screen reader may hear as two words; a right-to-left line would change
font at every full stop.  So each bundled script font is the Noto font merged (fontTools'
merger) with Noto Sans's common characters, hinting left out (instructions do not carry
over between fonts): ASCII, Latin-1, the general punctuation, "№", "−", "◌".  The
script font's own glyphs win where both have a character (its digits, its danda).

The Noto fonts are under the SIL Open Font License with no Reserved Font Name, which
allows this; the merged fonts say in their names that they are modified
("… rxleaflet").  FOLDER holds the original TrueType files (Debian's fonts-noto-core:
/usr/share/fonts/truetype/noto); the output replaces the files in fonts/.
"""
from __future__ import annotations

import sys
from pathlib import Path

SCRIPT_FAMILIES = ("NotoSansArmenian", "NotoSansGeorgian", "NotoSansHebrew", "NotoSansArabic", "NotoSansDevanagari",
                   "NotoSansBengali", "NotoSansGurmukhi", "NotoSansTamil", "NotoSansThai", "NotoSansLao",
                   "NotoSansKhmer", "NotoSansEthiopic")
COMMON = (list(range(0x20, 0x7F)) + list(range(0xA0, 0x100)) + list(range(0x2010, 0x2028))
          + list(range(0x2030, 0x203B)) + [0x2044, 0x20AC, 0x2116, 0x2122, 0x2212, 0x25CC])


def unhinted_subset(source: Path, out: Path, unicodes=None) -> None:
    """``source`` without hinting, cut to ``unicodes`` (all of its characters if None),
    its layout rules kept for what stays."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.glyph_names = True
    font = TTFont(str(source), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys() if unicodes is None else unicodes)
    subsetter.subset(font)
    font.save(str(out))


def merged(script_font: Path, common: Path, out: Path) -> None:
    from fontTools import merge

    unhinted = out.with_suffix(".unhinted.ttf")
    unhinted_subset(script_font, unhinted)
    font = merge.Merger().merge([str(unhinted), str(common)])
    unhinted.unlink()
    font.recalcTimestamp = False
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 16):  # family, unique id, full name, typographic family
            record.string = f"{record.toUnicode()} rxleaflet"
        elif record.nameID == 6:  # PostScript name
            record.string = record.toUnicode().replace("-", "rxleaflet-", 1)
    font.save(str(out))


def main(folder: str) -> None:
    source = Path(folder)
    target = Path(__file__).resolve().parents[3] / "fonts"
    for weight in ("Regular", "Bold"):
        common = target / f".common-{weight}.ttf"
        unhinted_subset(source / f"NotoSans-{weight}.ttf", common, COMMON)
        for family in SCRIPT_FAMILIES:
            merged(source / f"{family}-{weight}.ttf", common, target / f"{family}-{weight}.ttf")
            print(f"{family}-{weight}.ttf")
        common.unlink()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/noto")
