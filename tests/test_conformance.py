"""A PDF/UA-1 checker we did not write: outloud (its rules are tuned against veraPDF)."""

from conftest import content, findings, outloud_report

import rxleaflet

def test_the_sample_passes_outloud(tmp_path, sample_pdf):
    path = tmp_path / "sample.pdf"
    path.write_bytes(sample_pdf)
    report = outloud_report(path)
    assert report["verdict"] == "pass", findings(report)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 0}, findings(report)
    assert report["stats"]["tagged"] and report["stats"]["elements"] > 100


def test_a_structure_heavy_leaflet_passes_outloud(tmp_path, write_content):
    sentence = "Take this medicine exactly as your doctor or pharmacist has told you. "
    items = "\n".join(f"            - \"Point {n}: {sentence * 3}\"" for n in range(12))
    path = write_content(content(f"""
  - heading: Outer
    content:
      - "Plain, **bold**, *emphasis*; Greek αβγ, Cyrillic Дозировка, arrows →."
      - heading: Inner
        content:
          - "{sentence * 40}"
          - bullets:
              - text: Parent
                numbered: [One, Two]
  - emergency:
      title: Long box
      content:
        - numbered:
{items}
"""))
    pdf = tmp_path / "stress.pdf"
    pdf.write_bytes(rxleaflet.build(rxleaflet.load(path)))
    report = outloud_report(pdf)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 0}, findings(report)
