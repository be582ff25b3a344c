"""Every class of bad content: one line FILE:LINE:COL: PATH: message, nothing built."""
import time
import tracemalloc

import pytest
from conftest import MINIMAL, ROOT, content

import rxleaflet
from rxleaflet import UserError, cli
from rxleaflet.content.yamlfile import MAX_CONTENT_BYTES

GOOD_SECTION = """
  - heading: Fine
    content:
      - A paragraph.
"""

BAD_INPUTS = sorted((ROOT / "tests" / "inputs" / "bad").glob("*.yaml"))


@pytest.mark.parametrize("path", BAD_INPUTS, ids=[p.stem for p in BAD_INPUTS])
def test_bad_input_corpus(path, tmp_path, capsys, monkeypatch):
    """Each file in tests/inputs/bad/ is refused with exactly the lines in its .expected file."""
    monkeypatch.chdir(ROOT)
    relative = path.relative_to(ROOT)
    before = path.read_bytes()
    out = tmp_path / "out.pdf"
    assert cli.main(["build", str(relative), "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == path.with_suffix(".expected").read_text(encoding="utf-8")
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert path.read_bytes() == before


def test_the_corpus_covers_every_class():
    names = {p.stem for p in BAD_INPUTS}
    assert {"yaml-syntax", "not-utf8", "empty-file", "list-root", "scalar-root", "wrong-type", "missing-key",
            "unknown-block-key", "duplicate-key", "alias", "merge-key", "billion-laughs", "empty-list",
            "blank-heading", "blank-paragraph", "too-deep", "control-character", "noncharacter-fffe",
            "escaped-ffff", "escaped-surrogate", "no-glyph",
            # issue 10: tags, escaped C1 controls, invisible-only text, nesting depth
            "yaml-tag-binary", "yaml-tag-python", "yaml-tag-local", "yaml-tag-on-a-mapping", "escaped-next-line",
            "escaped-x85", "escaped-vertical-tab", "escaped-control-in-a-key", "invisible-title",
            "invisible-heading", "invisible-paragraph", "invisible-list-item", "invisible-box-title",
            "invisible-bold", "too-deep-lists", "too-deep-yaml"} <= names
    assert all(p.with_suffix(".expected").read_text(encoding="utf-8").strip() for p in BAD_INPUTS)


def test_a_byte_order_mark_is_accepted(write_content):
    path = write_content(None, raw=b"\xef\xbb\xbf" + (MINIMAL + GOOD_SECTION).encode())
    assert rxleaflet.load(path).title.plain == "Test leaflet"


def test_a_file_over_the_size_limit_is_refused(write_content):
    path = write_content(MINIMAL + GOOD_SECTION + "#" * MAX_CONTENT_BYTES)
    with pytest.raises(UserError, match="the limit is 1,000,000"):
        rxleaflet.load(path)


def test_billion_laughs_is_refused_quickly_and_small():
    path = ROOT / "tests" / "inputs" / "bad" / "billion-laughs.yaml"
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(UserError, match="YAML aliases"):
        rxleaflet.load(path)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 0.5 and peak < 4_000_000


def test_a_missing_file(tmp_path):
    with pytest.raises(UserError, match="cannot read the file"):
        rxleaflet.load(tmp_path / "nope.yaml")


def test_plain_scalars_are_kept_as_written(write_content):
    path = write_content(content("""
  - heading: 42
    content:
      - yes
      - 3.50
"""))
    leaflet = rxleaflet.load(path)
    section = leaflet.blocks[0]
    assert section.heading.plain == "42"
    assert [b.text.plain for b in section.blocks] == ["yes", "3.50"]
