"""Reading a PDF back with poppler (``pdffonts``, ``pdftotext``, ``pdfimages``, ``pdfinfo``,
``pdftoppm``; Debian's poppler-utils). A missing tool fails the test: it never skips."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, check=False, timeout=120)
    assert done.returncode == 0, f"{command[0]} failed: {done.stderr.decode(errors='replace')}"
    return done.stdout.decode()


def fonts(pdf: Path) -> list[dict[str, str]]:
    """``pdffonts`` rows: the font's name, whether it is embedded, whether it maps to Unicode."""
    lines = run("pdffonts", str(pdf)).splitlines()
    assert lines[0].split()[:2] == ["name", "type"] and lines[1].startswith("---"), lines[:2]
    rows = []
    for line in lines[2:]:
        words = line.split()
        # The last five columns are: emb sub uni object-number generation.
        rows.append({"name": words[0], "emb": words[-5], "uni": words[-3]})
    return rows


def text(pdf: Path) -> str:
    """The text, NFKC-normalised; right-to-left runs come back in logical order, their embedding
    marks removed."""
    extracted = run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    return BIDI_MARKS.sub("", unicodedata.normalize("NFKC", extracted))


def images(pdf: Path) -> list[str]:
    """One line per image drawn in the file (``pdfimages -list`` without its two header lines)."""
    return run("pdfimages", "-list", str(pdf)).splitlines()[2:]


def urls(pdf: Path) -> list[str]:
    """One line per URL in the file's link annotations (``pdfinfo -url`` without its header)."""
    return run("pdfinfo", "-url", str(pdf)).splitlines()[1:]


def first_page_png(pdf: Path, name: str) -> Path:
    """The first page at 80 dpi, saved as test-artifacts/<name>.png for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / name
    run("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem))
    png = stem.with_suffix(".png")
    assert png.read_bytes().startswith(b"\x89PNG")
    return png
