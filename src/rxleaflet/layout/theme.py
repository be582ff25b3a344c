"""Every size, colour and spacing of the page, in one place.

The numbers follow ../shared/DESIGN.md §3: body 12 pt Atkinson Hyperlegible
(x-height 2.1 mm; 11 pt would give 1.9 mm), line spacing 1.35 × size, lines
averaging 68 characters (never over 75), margins well over 12.7 mm, all text black on white
or on a pale tint (contrast ≥ 7:1, checked by the tests).
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, A5, LEGAL, LETTER
from reportlab.lib.units import mm

from ..model import PAPERS

PAPER_SIZES = dict(zip(PAPERS, (A4, LETTER, LEGAL, A5)))

# Average width of a character of English running text, in ems: measured on the
# sample leaflet's text in Atkinson Hyperlegible Regular (total string width / length).
_EM_PER_CHARACTER = 0.442


@dataclass(frozen=True)
class BoxColours:
    tint: str
    border: str


@dataclass(frozen=True)
class Theme:
    body_size: float = 12.0
    leading_ratio: float = 1.35
    # heading size by level: H1 is the leaflet title
    heading_sizes: tuple[float, ...] = (22.0, 17.0, 14.5, 13.0, 12.0, 12.0)
    label_size: float = 12.0  # "Patient information leaflet" above the title
    small_size: float = 10.0  # running header, footer, revision line
    characters_per_line: int = 68  # on average; the longest lines stay under 75
    min_side_margin: float = 20 * mm
    top_margin: float = 25 * mm
    bottom_margin: float = 25 * mm
    header_offset: float = 16 * mm  # from the top edge to the header's baseline
    footer_offset: float = 16 * mm  # from the bottom edge to the footer's baseline
    paragraph_space: float = 7.0
    heading_space_before: float = 14.0
    heading_space_after: float = 5.0
    list_indent: float = 24.0  # hanging indent of one list level
    list_item_space: float = 4.0
    max_list_indent: float = 120.0  # nested lists indent no further (five levels at 24 pt)
    box_padding: float = 10.0
    box_border_width: float = 1.5
    box_bar_width: float = 6.0  # the thick bar down the box's left side
    box_space: float = 14.0
    rule_width: float = 1.0
    directions_size: float = 14.0  # the prescriber's directions, in the prescription panel
    panel_border: str = "#000000"
    panel_border_width: float = 2.0
    text_colour: str = "#000000"
    rule_colour: str = "#333333"
    warning: BoxColours = BoxColours(tint="#FFF4D6", border="#8A4B00")
    emergency: BoxColours = BoxColours(tint="#FDE7E7", border="#A4161A")
    # The FDA's "most important information": emphasised by a border twice as heavy.
    important: BoxColours = BoxColours(tint="#F2F2F2", border="#000000")
    intro: BoxColours = BoxColours(tint="#EEF3F8", border="#2B4C6F")  # the EU's "Read all of this leaflet"
    important_border_width: float = 3.0
    table_padding: float = 5.0  # inside each cell
    table_rule_width: float = 0.75
    table_rule_colour: str = "#333333"
    table_header_tint: str = "#E6E6E6"
    pictogram_size: float = 48.0  # each pictogram fits a square this wide
    picture_gap: float = 6.0  # between pictures, and a picture and its caption
    orphans: int = 2  # lines that must stay together at the foot or head of a page

    def leading(self, size: float) -> float:
        return round(size * self.leading_ratio, 2)

    def heading_size(self, level: int) -> float:
        return self.heading_sizes[min(level, len(self.heading_sizes)) - 1]

    def box_colours(self, kind: str) -> BoxColours:
        return getattr(self, kind)

    def box_border(self, kind: str) -> float:
        return self.important_border_width if kind == "important" else self.box_border_width

    def text_width(self, page_width: float) -> float:
        """The measure: as wide as the page allows, but no more than the line length."""
        measure = self.characters_per_line * _EM_PER_CHARACTER * self.body_size
        return min(page_width - 2 * self.side_margin(page_width), measure)

    def side_margin(self, page_width: float) -> float:
        """20 mm on A4 and Letter; less on A5, where every millimetre of line counts."""
        return min(self.min_side_margin, max(13 * mm, page_width * 0.1))


STANDARD = Theme()

# Large print (RNIB Clear Print): 18 pt body, line spacing 1.4, lines averaging 50 characters (never
# over 60), headings, boxes, panel and spacing scaled to match.
LARGE_PRINT = Theme(
    body_size=18.0, leading_ratio=1.4, heading_sizes=(30.0, 25.0, 22.0, 20.0, 18.0, 18.0), label_size=18.0,
    small_size=16.0, characters_per_line=50, paragraph_space=12.0, heading_space_before=22.0,
    heading_space_after=8.0, list_indent=36.0, list_item_space=7.0, max_list_indent=144.0, box_padding=14.0, box_border_width=2.0,
    box_bar_width=9.0, box_space=20.0, important_border_width=4.0, table_padding=7.0, table_rule_width=1.0,
    pictogram_size=72.0, picture_gap=9.0, directions_size=20.0, panel_border_width=3.0,
)


def page_size(paper: str) -> tuple[float, float]:
    try:
        return PAPER_SIZES[paper]
    except KeyError:
        raise ValueError(f"unknown paper size '{paper}' (expected one of: {', '.join(PAPER_SIZES)})") from None
