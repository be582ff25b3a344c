"""Line breaking: text set as lines of font runs, greedy at spaces, a dose kept with its unit, over-long words cut, right-to-left lines in visual order.

Text is set by our own small line breaker instead of ReportLab's Paragraph:
it never parses content as markup (so ``<``, ``&`` and ``*`` print as
written), picks a font per character so nothing falls to .notdef, keeps the
space at the end of each line (so extracted text reads "end of line. Next"),
and breaks an over-long word inside the margins.  Set lines are cached for the
whole process and shared, so they are immutable.  Drawing them is the layout's
(``rxleaflet.layout.textset``).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple, Optional

from . import bidi, fonts, segment, shaping
from ..model import Span

# A width or height no text reaches: "no limit" to the page filler and the line breaker.
UNLIMITED = 1e9


@dataclass(frozen=True)
class TextStyle:
    size: float
    leading: float
    bold: bool = False
    colour: str = "#000000"
    rtl: bool = False  # right-to-left paragraph: lines ordered and aligned from the right
    lang: str = ""  # the leaflet's language: its CJK fonts and its line-breaking dictionary


class _WholeWord:
    """While lines are made: the text a word cut into chunks is read as (see ``_Word``)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class _Word:
    __slots__ = ("pieces", "width", "space", "opens", "closes", "held")

    def __init__(self, pieces, width, space, opens=None, closes=None, held=False):
        self.pieces = pieces  # [(font, text, width)]
        self.width = width
        self.space = space  # (font, width) of the space after the word, or None
        self.held = held  # the space after it is inside an unbreakable span: no line break there
        # A word too wide for a line is cut into chunks; the first chunk carries
        # the whole word (``opens``) and the last one ``closes`` it, so that the
        # chunks are read as one word, not as several.
        self.opens: Optional[_WholeWord] = opens
        self.closes: Optional[_WholeWord] = closes  # the same object, on the last chunk


class ActualText(NamedTuple):
    """In a line's runs: what the runs up to the next ``END_ACTUAL_TEXT`` are read as."""

    text: Optional[str]


END_ACTUAL_TEXT = ActualText(None)


class Line(NamedTuple):
    """One line of set text: runs of (font name, text) and ActualText markers, or, in a
    line with right-to-left text, ``Placed`` runs (in reading order, each placed).

    Immutable: lines are cached for the whole process and shared between builds.
    """

    runs: tuple
    width: float

    @property
    def text(self) -> str:
        return "".join(run[1] for run in self.runs if not isinstance(run, ActualText))  # Placed: [1] is text


def _words(spans, style: TextStyle, measure) -> list[_Word]:
    """The text as words: parts between spaces, and where the text's script does not
    separate its words (Thai, Chinese …) the pieces UAX #14 allows a break between."""
    words: list[_Word] = []
    pieces: list = []
    width = 0.0
    size = style.size
    for span in spans:
        bold, italic = style.bold or span.bold, span.italic
        parts = span.text.split(" ")
        for index, part in enumerate(parts):
            if index and pieces:  # a space ends the word so far
                # The space takes the font of the text before it, so that a space kept
                # at a line end shares that text's run (readers drop a lone space).
                space_font = pieces[-1][0]
                held = span.unbreakable and bool(parts[index - 1])  # a space the span opens with may break
                words.append(_Word(pieces, width, (space_font, measure(" ", space_font, size)), held=held))
                pieces, width = [], 0.0
            if not part:
                continue
            # In a right-to-left paragraph a word with no left-to-right letter (numbers,
            # signs, Hebrew or Arabic) is set in the right-to-left font, so that a line
            # stays in one font: one run, which every reader orders as a whole.
            same_font = style.rtl and not any(unicodedata.bidirectional(c) == "L" for c in part)
            if part.isascii() or span.unbreakable or not segment.is_unspaced(part):
                chunks = (part,)
            else:
                chunks = segment.pieces(part, style.lang)
            for number, chunk in enumerate(chunks):
                if number:  # a break allowed here, with no space
                    words.append(_Word(pieces, width, None))
                    pieces, width = [], 0.0
                for font, text in fonts.font_runs(chunk, bold, italic, prefer_fallback=same_font, lang=style.lang):
                    piece_width = measure(text, font, size)
                    pieces.append((font, text, piece_width))
                    width += piece_width
    if pieces:
        words.append(_Word(pieces, width, None))
    return words


def _split_long_word(word: _Word, width: float, size: float, lang: str = "") -> list[_Word]:
    """Cut a word wider than the line (a long address, a chemical name) into chunks that
    fit: where UAX #14 allows a break in it (after "/" or "-"), else at a hyphenation
    point of its language (a "-" is drawn there), else between user-perceived characters
    (never between a letter and its marks).  The chunks are read as the whole word once."""
    glyphs = [(font, cluster, fonts.string_width(cluster, font, size))
              for font, text, _ in word.pieces for cluster in segment.graphemes(text)]
    whole = "".join(cluster for _, cluster, _ in glyphs)
    breaks, hyphens = _cut_points(whole, lang)
    starts = {}  # character offset -> index of the grapheme starting there
    at = 0
    for index, (_, cluster, _) in enumerate(glyphs):
        starts[at] = index
        at += len(cluster)
    allowed = {starts[offset]: offset in hyphens for offset in sorted(breaks | hyphens) if offset in starts}
    hyphen_width = fonts.string_width("-", glyphs[0][0], size) if hyphens else 0.0
    chunks: list[_Word] = []
    begin, used, last = 0, 0.0, None  # last: (index, hyphenated) of the last allowed cut in the chunk
    for index, (_, _, char_width) in enumerate(glyphs):
        if index > begin and index in allowed:
            cut_width = used + (hyphen_width if allowed[index] else 0.0)
            if cut_width <= width:
                last = (index, allowed[index])
        if index > begin and used + char_width > width:
            cut, hyphenated = last if last else (index, False)
            chunks.append(_chunk(glyphs[begin:cut], "-" if hyphenated else "", size))
            begin, last = cut, None
            used = sum(glyph[2] for glyph in glyphs[begin:index])
        used += char_width
    chunks.append(_chunk(glyphs[begin:], "", size))
    chunks[-1].space = word.space
    if len(chunks) > 1:
        chunks[0].opens = chunks[-1].closes = _WholeWord(whole)
    return chunks


def _cut_points(word: str, lang: str) -> tuple[set, set]:
    """Offsets inside ``word`` where a line may break (UAX #14) and where it may be
    hyphenated (Pyphen's patterns for its language, for a word of letters)."""
    breaks, at = set(), 0
    for piece in segment.pieces(word, lang)[:-1]:
        at += len(piece)
        breaks.add(at)
    hyphenator = _hyphenator(lang.split("-")[0].lower()) if word.isalpha() and lang else None
    hyphens = set(hyphenator.positions(word)) if hyphenator else set()
    return breaks, hyphens - breaks


# Languages whose writing does not mark a broken word with a hyphen.
_NO_HYPHEN = {"th", "lo", "km", "my", "zh", "ja", "ko", "bo"}


@functools.lru_cache(maxsize=None)
def _hyphenator(language: str):
    """Pyphen (LibreOffice's hyphenation patterns) for a language that hyphenates, or None."""
    if language in _NO_HYPHEN:
        return None
    import pyphen

    found = pyphen.language_fallback(language)
    return pyphen.Pyphen(lang=found) if found else None


def _chunk(glyphs: list, hyphen: str, size: float) -> _Word:
    """A chunk of a cut word: its glyphs as runs of one font, and a drawn hyphen."""
    pieces: list = []
    for font, cluster, char_width in glyphs:
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + cluster, pieces[-1][2] + char_width)
        else:
            pieces.append((font, cluster, char_width))
    if hyphen:
        font = pieces[-1][0]
        hyphen_width = fonts.string_width(hyphen, font, size)
        pieces[-1] = (font, pieces[-1][1] + hyphen, pieces[-1][2] + hyphen_width)
    return _Word(pieces, sum(piece[2] for piece in pieces), None)


@functools.lru_cache(maxsize=4096)
def break_lines(spans, style: TextStyle, width: float) -> tuple[Line, ...]:
    """Greedy, ragged-right line breaking at spaces; no hyphenation.

    Cached, with the widths of its words: a leaflet's body is set once per
    process and reused by every build of it (a batch of patients of one
    medicine).  Only for text that is not one patient's: see
    :func:`break_private_lines`.
    """
    return _set_lines(spans, style, width, fonts.string_width)


def break_private_lines(spans, style: TextStyle, width: float) -> tuple[Line, ...]:
    """:func:`break_lines` for one patient's details, with no cache on the way, so that
    nothing in the process holds them once their leaflet is built."""
    return _set_lines(spans, style, width, fonts.uncached_string_width)


def _set_lines(spans, style: TextStyle, width: float, measure) -> tuple[Line, ...]:
    bidirectional = style.rtl or any(bidi.has_rtl(span.text) for span in spans)
    words = _words(spans, style, measure)
    lines: list[list[_Word]] = []
    current: list[_Word] = []
    used = 0.0
    for group in _unbreakable_groups(words):
        if len(group) > 1 and current:
            # A dose and its unit start a new line together when they do not fit on this one
            # (and fit on a line of their own: a longer group breaks as words do).
            group_width = sum(word.width for word in group) + sum(word.space[1] for word in group[:-1] if word.space)
            gap = current[-1].space[1] if current[-1].space else 0.0
            if used + gap + group_width > width >= group_width:
                lines.append(current)
                current, used = [], 0.0
        for word in group:
            for part in (_split_long_word(word, width, style.size, style.lang) if word.width > width else (word,)):
                gap = current[-1].space[1] if current and current[-1].space else 0.0
                if current and used + gap + part.width > width:
                    lines.append(current)
                    current, used, gap = [], 0.0, 0.0
                current.append(part)
                used += gap + part.width
    if current:
        lines.append(current)
    if not bidirectional:
        _read_hyphens_at_line_ends(lines)
        return tuple(_make_line(line, trailing_space=number < len(lines) - 1) for number, line in enumerate(lines))
    return tuple(_make_visual_line(line, style, measure, trailing_space=number < len(lines) - 1)
                 for number, line in enumerate(lines))


# A number as doses are written: 2, 0.5, 1,000, 2–3, (2, in any script's digits.
_NUMBER = re.compile(r"[(\[]?\d[\d.,\u066b\u066c]*(?:[-\u2010-\u2013]\d[\d.,\u066b\u066c]*)?")


def _unbreakable_groups(words: list[_Word]) -> list[list[_Word]]:
    """The words in runs that no line break may split: a number and the word after it
    ("2 mg", "3 times", "2 מ״ג", "2毫克": a two-character unit written without a space
    comes as two pieces), so that a dose never loses its unit at a line end, and the
    words of an unbreakable span ("(see page 3)")."""
    groups: list[list[_Word]] = []
    glued = 0  # how many more words join the group
    for word in words:
        if glued:
            groups[-1].append(word)
            glued -= 1
        else:
            groups.append([word])
        if word.held:
            glued = max(glued, 1)
        elif word.pieces and word.pieces[-1][1][-1:].isdigit() \
                and _NUMBER.fullmatch("".join(piece[1] for piece in word.pieces)) is not None:  # the quick test first
            glued = 1 if word.space is not None else 2
    return groups


def _read_hyphens_at_line_ends(lines: list[list[_Word]]) -> None:
    """A cut word whose last chunk ends a line with "-" is read as "word- ": said
    before any line is made, since its ActualText opens on an earlier line."""
    for words in lines[:-1]:
        last = words[-1]
        if last.closes and last.space and last.pieces[-1][1].endswith("-"):
            last.closes.text += " "


class Placed(NamedTuple):
    """A run of glyphs drawn, left to right, at ``x`` from the line's start (see
    ``_make_visual_line``)."""

    font: str
    text: str
    x: float
    width: float


def _make_visual_line(words: list[_Word], style: TextStyle, measure, trailing_space: bool) -> Line:
    """A line with right-to-left text: its glyphs in visual order, cut into runs of one
    font, and the runs written in reading order, each placed where it shows.

    Why runs in reading order: readers that follow the content through the structure
    tree take the runs as written.  pdf.js reorders each run's text by the bidi
    algorithm (it takes a run as visual) but not the runs of a line, so runs written
    left to right read in the wrong order wherever a line changes font (a bold word,
    a Latin name).  Why each run in visual order: a run in logical order is reversed
    by pdf.js and by PDFium (which reorders every line by position and its own bidi
    pass: an ActualText in logical order is reversed a second time), and letters
    written one by one in logical order become one text-layer element per letter in
    pdf.js, read out letter by letter.  Readers that sort by position (PDFium,
    pdftotext) are unaffected by the order of the runs."""
    glyphs = list(_visual_glyphs(_line_tokens(words, trailing_space), style.rtl))
    # A run: glyphs next to each other on the line, in one font, that are also next to
    # each other in reading order, all one way (left to right, or right to left).
    runs: list[list] = []  # [font, text, x, width, first character, step, last character]
    x = 0.0
    for font, char, here in glyphs:
        char_width = measure(char, font, style.size)
        run = runs[-1] if runs else None
        step = here - run[6] if run else 0
        if run and run[0] == font and abs(step) == 1 and run[5] in (0, step):
            run[1] += char
            run[3] += char_width
            run[4] = min(run[4], here)
            run[5], run[6] = step, here
        else:
            runs.append([font, char, x, char_width, here, 0, here])
        x += char_width
    # A run whose letters join or stack is as wide as its shaped glyphs: the runs are
    # placed again, left to right, with those widths.
    visual = fonts.visual_width if measure is fonts.string_width else fonts.uncached_visual_width
    shaped = [run for run in runs if fonts.shaping_face(run[0]) is not None and shaping.needs_shaping(run[1])]
    if shaped:
        x = 0.0
        for run in runs:
            if run in shaped:
                run[3] = visual(run[1], run[0], style.size)
            run[2] = x
            x += run[3]
    width = x
    if trailing_space and not style.rtl and glyphs[-1][2] == len(glyphs) - 1:
        width -= measure(" ", glyphs[-1][0], style.size)  # a line's closing space stands past its end
    placed = tuple(Placed(font, text, left, run_width)
                   for font, text, left, run_width, *_ in sorted(runs, key=lambda run: run[4]))
    return Line(placed, width)


def _line_tokens(words: list[_Word], trailing_space: bool) -> list[list]:
    """A line's tokens in logical order, each a list of (font, char): the words (their
    leading and trailing signs and brackets apart: the bidi algorithm places them by
    their neighbours), the spaces between them and the space that ends the line.  A
    sign next to a number stays with it: "1." is drawn "1.", as PDFium and pdf.js read
    it (the algorithm would show ".1" in a right-to-left line)."""
    tokens: list[list] = []
    for position, word in enumerate(words):
        chars = [(font, char) for font, text, _ in word.pieces for char in text]
        strong = [i for i, (_, char) in enumerate(chars) if bidi.direction(char)]
        cuts = [0, len(chars)]
        if strong and not _is_number(chars[strong[0]][1]):
            cuts.insert(1, strong[0])
        if strong and not _is_number(chars[strong[-1]][1]):
            cuts.insert(-1, strong[-1] + 1)
        tokens += [chars[start:end] for start, end in zip(cuts, cuts[1:]) if end > start]
        if word.space and (position < len(words) - 1 or trailing_space):
            tokens.append([(word.space[0], " ")])
    return tokens


def _is_number(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("EN", "AN")


def _visual_glyphs(tokens: list[list], rtl: bool):
    """(font, char, its place in reading order) for each glyph of the line, left to right:
    the tokens by the bidi algorithm's rule L2, a right-to-left word from its end with
    numbers in it kept left to right, brackets in right-to-left runs mirrored."""
    texts = ["".join(char for _, char in chars) for chars in tokens]
    token_levels = bidi.levels(texts, rtl)
    starts = [0] * len(tokens)  # each token's first character, counted in reading order
    for index in range(1, len(tokens)):
        starts[index] = starts[index - 1] + len(texts[index - 1])
    for index in bidi.reorder(token_levels):
        chars = tokens[index]
        if bidi.has_rtl(texts[index]):
            char_levels = bidi.levels([char for _, char in chars], rtl_paragraph=True)
        else:
            char_levels = [token_levels[index]] * len(chars)
        for place in bidi.reorder(char_levels) if any(level % 2 for level in char_levels) else range(len(chars)):
            font, char = chars[place]
            yield font, bidi.mirrored(char) if char_levels[place] % 2 else char, starts[index] + place


def _make_line(words: list[_Word], trailing_space: bool) -> Line:
    runs: list = []
    width = 0.0

    def add(font, text, text_width):
        nonlocal width
        if runs and not isinstance(runs[-1], ActualText) and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + text)
        else:
            runs.append((font, text))
        width += text_width

    for position, word in enumerate(words):
        if word.opens:
            runs.append(ActualText(word.opens.text))
        for font, text, piece_width in word.pieces:
            add(font, text, piece_width)
        is_last = position == len(words) - 1
        # The space at a line break is kept (drawn past the text, invisible) so
        # that extracted text and screen readers do not run words together.
        line_end_space = word.space and is_last and trailing_space
        if line_end_space and runs[-1][1].endswith("-"):
            # "word-" at a line end reads as a hyphenated word joined to the next
            # line (PDFium does so): say explicitly that it is "- ".
            if word.closes:  # read as "word- " already (_read_hyphens_at_line_ends)
                add(word.space[0], " ", 0.0)
            else:
                _keep_hyphen_and_space(runs, word.space[0])
            line_end_space = False
        if word.closes:
            runs.append(END_ACTUAL_TEXT)
        if word.space and (not is_last or line_end_space):
            add(word.space[0], " ", 0.0 if is_last else word.space[1])
    return Line(tuple(runs), width)


def _keep_hyphen_and_space(runs: list, space_font: str) -> None:
    """Replace the line's closing "-" by an ActualText "- " over "-" and a space."""
    font, text = runs.pop()
    if text[:-1]:
        runs.append((font, text[:-1]))
    runs += [ActualText("- "), (font, "-"), (space_font, " "), END_ACTUAL_TEXT]


def one_line_width(text: str, style: TextStyle) -> float:
    return break_lines((Span(text),), style, UNLIMITED)[0].width


def fit_text(text: str, style: TextStyle, width: float, template: str = "{title}") -> str:
    """``template`` filled with ``text``, shortened with "…" until it fits on one line."""
    if one_line_width(template.format(title=text), style) <= width:
        return template.format(title=text)
    shortest, longest = 0, len(text)  # the longest prefix that fits, by bisection
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        if one_line_width(template.format(title=text[:middle].rstrip() + "…"), style) <= width:
            shortest = middle
        else:
            longest = middle - 1
    return template.format(title=text[:shortest].rstrip() + "…")
