"""The page filler (pagefill.py): where blocks land, page by page, with a canvas that
records what it is asked to do."""
import pytest

from rxleaflet.layout.pagefill import Flowable, LayoutError, PageFiller


class Recorder:
    """The canvas calls the page filler makes: pages shown, and where each block drew."""

    def __init__(self):
        self.pages, self.drawn, self._origin = [[]], [], (0.0, 0.0)

    def saveState(self):
        pass

    def restoreState(self):
        pass

    def translate(self, x, y):
        self._origin = (x, y)

    def setPageRotation(self, rotation):
        assert rotation == 0

    def showPage(self):
        self.pages.append([])

    def place(self, name):
        self.pages[-1].append((name, self._origin[1]))


class Block(Flowable):
    def __init__(self, name, height, space_before=0.0, splits_at=None):
        super().__init__()
        self.name, self.height, self.spaceBefore, self.splits_at = name, height, space_before, splits_at

    def wrap(self, avail_width, avail_height):
        return avail_width, self.height

    def split(self, avail_width, avail_height):
        if self.splits_at is None or self.splits_at > avail_height:
            return []
        return [Block(self.name + "a", self.splits_at), Block(self.name + "b", self.height - self.splits_at)]

    def draw(self):
        self.canv.place(self.name)


def fill(*blocks, height=100.0):
    canvas = Recorder()
    PageFiller(canvas, 10.0, 20.0, 200.0, height).fill(list(blocks))
    return canvas.pages[:-1] if canvas.pages[-1] == [] else canvas.pages


def test_blocks_stack_down_the_page_with_the_space_before_them():
    # the frame's top is at 120: each block's bottom is where the next one starts
    assert fill(Block("a", 30), Block("b", 20, space_before=10)) == [[("a", 90.0), ("b", 60.0)]]


def test_the_space_before_a_block_is_left_out_at_the_top_of_a_page():
    assert fill(Block("a", 80), Block("b", 30, space_before=15)) == [[("a", 40.0)], [("b", 90.0)]]


def test_a_block_that_does_not_fit_is_split_where_it_can_be():
    assert fill(Block("a", 60), Block("b", 70, splits_at=30)) == [[("a", 60.0), ("ba", 30.0)], [("bb", 80.0)]]


def test_a_block_no_page_can_hold_is_a_layout_error_and_the_filler_names_it():
    canvas = Recorder()
    filler = PageFiller(canvas, 10.0, 20.0, 200.0, 100.0)
    tall = Block("tall", 150)
    with pytest.raises(LayoutError):
        filler.fill([Block("a", 10), tall])
    assert filler.placing is tall


def test_a_block_that_fills_the_page_exactly_ends_it_and_no_empty_page_follows():
    assert fill(Block("a", 100.0 + 5e-7)) == [[("a", -5e-7 + 20.0)]]
    assert len(fill(Block("a", 100), Block("b", 100))) == 2


class Measured(Block):
    def wrap(self, avail_width, avail_height):
        self.offered = avail_width
        return avail_width, self.height


def test_blocks_get_the_width_as_the_frame_computed_it():
    """Right edge less left edge, as ReportLab's frame did: for large print on A4 that is
    397.80000000000007, not 397.8, and a line exactly 397.8 wide breaks by it."""
    x = (595.2755905511812 - 397.8) / 2  # A4, large print's column centred
    block = Measured("a", 10)
    PageFiller(Recorder(), x, 20.0, 397.8, 100.0).fill([block])
    assert block.offered == (x + 397.8) - x != 397.8
