"""The electronic editions' style sheet: the PDF's legibility on a screen that reflows.

Black text on white or on the PDF's pale box tints (contrast ≥ 7:1), links underlined,
sizes in rem so that a reader's zoom and font size apply, one column that reflows down
to 320 CSS pixels with no sideways scrolling (long words and addresses wrap, tables fit
the column), and a box's kind said in words, never by its colour alone.
"""
from __future__ import annotations

# Atkinson Hyperlegible where the reader has it (the PDF's face), else the system's sans serif.
_CSS = """\
html { font-family: "Atkinson Hyperlegible", "Noto Sans", "DejaVu Sans", system-ui, sans-serif;
  font-size: BODY; line-height: 1.5; color: #000; background: #fff; }
body { margin: 0; }
main { max-width: 40em; margin: 0 auto; padding: 0.75rem; overflow-wrap: anywhere; }
h1 { font-size: 1.8em; line-height: 1.2; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.4em; line-height: 1.25; margin: 1.2em 0 0.3em; }
h3 { font-size: 1.2em; margin: 1em 0 0.3em; }
h4, h5, h6, [role=heading] { font-size: 1.05em; font-weight: bold; margin: 1em 0 0.3em; }
p { margin: 0.5em 0; }
.leaflet-label { font-weight: bold; margin-bottom: 0; }
.revised { font-size: 0.9em; border-bottom: 1px solid #333; padding-bottom: 0.6em; }
a { color: #0b3d91; text-decoration: underline; }
ul, ol { padding-inline-start: 1.6em; }
li { margin: 0.3em 0; }
.box { border: 2px solid #000; border-inline-start-width: 0.5em; padding: 0.2em 0.8em; margin: 1em 0; }
.box > :first-child { margin-top: 0.4em; }
.warning { background: #fff4d6; border-color: #8a4b00; }
.emergency { background: #fde7e7; border-color: #a4161a; }
.important { background: #f2f2f2; border-width: 3px; }
.intro { background: #eef3f8; border-color: #2b4c6f; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0.8em 0; }
caption { font-weight: bold; text-align: start; padding-bottom: 0.3em; }
th, td { border: 1px solid #333; padding: 0.3em; text-align: start; vertical-align: top; }
thead th { background: #e6e6e6; }
td > :first-child, th > :first-child { margin-top: 0; }
table.prescription { border: 2px solid #000; }
table.prescription th { width: 35%; }
.directions { font-size: 1.15em; font-weight: bold; }
figure { margin: 0.8em 0; }
img { max-width: 100%; height: auto; }
.pictograms img { width: 4em; margin-inline-end: 0.5em; }
.edition-code img { width: 8em; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
"""


def style_sheet(large_print: bool) -> str:
    """The CSS; large print sets the body at 1.5 rem (the PDF's 18 pt to its 12 pt)."""
    return _CSS.replace("BODY", "150%" if large_print else "112.5%")
