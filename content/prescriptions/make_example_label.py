"""Make example-label.pdf: a 4 × 6 inch prescription label for an invented patient,
standing in for what a pharmacy system prints (to try `rxleaflet attach`).

    python content/prescriptions/make_example_label.py
"""
from pathlib import Path

from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

LINES = [
    ("Helvetica-Bold", 14, "Riverside Community Pharmacy"),
    ("Helvetica", 10, "12 Mill Lane, Riverside, RV1 2AB   01632 960 123"),
    ("Helvetica", 10, ""),
    ("Helvetica-Bold", 12, "Margaret Example"),
    ("Helvetica", 11, "Diazepam 2 mg tablets   Qty 30"),
    ("Helvetica-Bold", 11, "Take ONE tablet by mouth THREE times"),
    ("Helvetica-Bold", 11, "a day when needed for anxiety."),
    ("Helvetica", 10, "Rx RX-0042137   25 Nov 2026   Dr Alan Sample"),
    ("Helvetica", 10, "Warning: may cause drowsiness."),
]


def main() -> None:
    path = Path(__file__).with_name("example-label.pdf")
    canvas = Canvas(str(path), pagesize=(6 * inch, 4 * inch), invariant=1)
    y = 4 * inch - 0.5 * inch
    for font, size, text in LINES:
        canvas.setFont(font, size)
        canvas.drawString(0.4 * inch, y, text)
        y -= size * 1.5
    canvas.showPage()
    canvas.save()
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
