"""Real scans nobody here wrote, for ``bench.ocr --real``: pages and the line crops an
archive cuts from them, each beside a transcription keyed here from the scan.

The scans are three of OCRmyPDF's test resources, taken from its source distribution on
PyPI (the version pinned below, checked by its SHA-256); the project ships none of them:

- ``typewriter``: a recipe typed on a Triumph typewriter, scanned (Wikimedia Commons,
  "Triumph.typewriter text Linzensoep.gif", © 2005 Ellywa, GFDL 1.2+ or CC BY-SA 1.0–3.0);
- ``book``: chapter III's first page of an 1884 edition of *Adventures of Huckleberry
  Finn*, yellowed paper, an engraving beside the text, 150 ppi (Project Gutenberg, public
  domain);
- ``brochure``: a two-column product brochure of 1985 scanned at 300 dpi in black and white
  (Wikimedia Commons, LinnSequencer, © 1985 Forat Electronics, GFDL 1.2+ or CC BY-SA 3.0),
  also written turned a quarter, a half and three quarters, and skewed 3°.

Their transcriptions (``bench/real/NAME.gt.txt``, under the scans' own terms) keep the
lines as printed. Each text line of a page is also cut out tight to its ink (touching the
crop's edge, as the crops archives send do) and scaled to text 16, 24 and 36 pixels high.

Run: ``.venv/bin/python -m bench.real_scans DIR`` then ``.venv/bin/python -m bench.ocr
--real DIR``.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

SDIST = "ocrmypdf==17.13.0"
SDIST_FILE = "ocrmypdf-17.13.0.tar.gz"
SDIST_SHA256 = "151c35d810eb628fbc5cb9bbe80b834ecf094737efa0e7a2e9e1fac3c730ed49"
TRUTHS = Path(__file__).parent / "real"
#: Heights, in pixels, the line crops' text is scaled to.
LINE_HEIGHTS = (16, 24, 36)


@dataclass(frozen=True)
class Scan:
    """A page of the source distribution, and where its lines to cut stand."""

    name: str
    member: str
    #: The truth lines cut out as crops (first, last; None: none cut), and the page's rows
    #: and columns that hold them alone (as fractions of its height and width).
    lines: tuple[int, int] | None = None
    rows: tuple[float, float] = (0.0, 1.0)
    columns: tuple[float, float] = (0.0, 1.0)
    #: The resolution the source declares, written into the page's PNG.
    dpi: int | None = None
    #: Also written turned a quarter, a half and three quarters, and skewed 3 degrees.
    turned: bool = False


SCANS = (
    Scan("typewriter", "tests/resources/typewriter.png", lines=(1, 16), rows=(0.12, 0.97)),
    Scan("book", "tests/resources/c03-29.pdf", lines=(18, 27), rows=(0.70, 1.0), dpi=150),
    Scan("brochure", "tests/resources/linn.png", dpi=300, turned=True),
)
#: How far the skewed copy of a page is turned, in degrees (anticlockwise).
SKEW_DEGREES = 3.0


def fetch(folder: Path) -> Path:
    """The source distribution, downloaded into ``folder`` and checked."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                    "--dest", str(folder), SDIST], check=True)
    path = folder / SDIST_FILE
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(f"{path.name}: SHA-256 {digest}, expected {SDIST_SHA256}")
    return path


def page_image(archive: tarfile.TarFile, member: str, work: Path) -> np.ndarray:
    """A scan as pixels: a PNG as it is, a PDF's page image as it was embedded."""
    data = archive.extractfile(f"{SDIST_FILE.removesuffix('.tar.gz')}/{member}")
    if data is None:
        raise SystemExit(f"{member}: not in {SDIST_FILE}")
    source = work / Path(member).name
    source.write_bytes(data.read())
    if source.suffix == ".pdf":
        subprocess.run(["pdfimages", "-j", str(source), str(work / "embedded")], check=True)
        source = work / "embedded-000.jpg"
    image: np.ndarray | None = cv2.imread(str(source), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise SystemExit(f"{member}: not an image")
    return image


def line_bands(ink: np.ndarray) -> list[tuple[int, int]]:
    """The rows each text line of ``ink`` (a binary image, ink 1) spans: runs of rows with
    ink, a gap of a tenth of a line or less bridged (an underline, a dot above)."""
    inked = ink.sum(axis=1) > max(2, ink.shape[1] // 400)
    bands: list[tuple[int, int]] = []
    start = None
    for row, has_ink in enumerate([*inked, False]):
        if has_ink and start is None:
            start = row
        elif not has_ink and start is not None:
            bands.append((start, row))
            start = None
    height = float(np.median([end - begin for begin, end in bands])) if bands else 0.0
    merged: list[tuple[int, int]] = []
    for begin, end in bands:
        if merged and begin - merged[-1][1] <= height / 10:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((begin, end))
    return [(begin, end) for begin, end in merged if end - begin >= height / 3]


def line_crops(image: np.ndarray, scan: Scan, truth: list[str]) -> list[tuple[np.ndarray, str]]:
    """Each line of the scan's region, cut tight to its ink, with its truth line."""
    if scan.lines is None:
        return []
    height, width = image.shape
    top, bottom = int(scan.rows[0] * height), int(scan.rows[1] * height)
    left, right = int(scan.columns[0] * width), int(scan.columns[1] * width)
    region = image[top:bottom, left:right]
    ink = (cv2.threshold(region, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]).astype(np.uint8)
    bands = line_bands(ink)
    expected = truth[scan.lines[0]:scan.lines[1] + 1]
    if len(bands) != len(expected):
        raise SystemExit(f"{scan.name}: {len(bands)} lines found where the transcription has {len(expected)}")
    crops = []
    for (begin, end), text in zip(bands, expected, strict=True):
        columns = np.flatnonzero(ink[begin:end].sum(axis=0))
        crops.append((region[begin:end, columns[0]:columns[-1] + 1], text))
    return crops


def scaled(crop: np.ndarray, text_height: int) -> np.ndarray:
    """The crop resized so that its line stands ``text_height`` pixels high."""
    factor = text_height / crop.shape[0]
    size = (max(1, round(crop.shape[1] * factor)), text_height)
    smooth = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    resized: np.ndarray = cv2.resize(crop, size, interpolation=smooth)
    return resized


def turned_copies(image: np.ndarray) -> dict[str, np.ndarray]:
    """The page as a scanner fed it the wrong way round, and fed it a little askew."""
    copies = {f"turned-{90 * k}": np.ascontiguousarray(np.rot90(image, k)) for k in (1, 2, 3)}
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), SKEW_DEGREES, 1.0)
    skewed = cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255,))
    copies[f"skewed-{SKEW_DEGREES:g}"] = skewed
    return copies


def write_scans(destination: Path) -> list[str]:
    """Every page and line crop into ``destination``, each beside its ``NAME.gt.txt``."""
    destination.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as work, tarfile.open(fetch(Path(work))) as archive:
        for scan in SCANS:
            truth_text = (TRUTHS / f"{scan.name}-page.gt.txt").read_text(encoding="utf-8")
            image = page_image(archive, scan.member, Path(work))
            written.append(_write(destination, f"{scan.name}-page", image, truth_text, scan.dpi))
            for variant, turned in (turned_copies(image) if scan.turned else {}).items():
                written.append(_write(destination, f"{scan.name}-{variant}", turned, truth_text, scan.dpi))
            for index, (crop, text) in enumerate(line_crops(image, scan, truth_text.splitlines())):
                for text_height in LINE_HEIGHTS:
                    name = f"{scan.name}-line{index + 1:02d}-{text_height}px"
                    written.append(_write(destination, name, scaled(crop, text_height), text + "\n"))
    return written


def _write(folder: Path, name: str, image: np.ndarray, truth: str, dpi: int | None = None) -> str:
    Image.fromarray(image).save(folder / f"{name}.png", dpi=(dpi, dpi) if dpi else None)
    (folder / f"{name}.gt.txt").write_text(truth, encoding="utf-8")
    return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("destination", type=Path, help="folder to write the scans and transcriptions into")
    names = write_scans(parser.parse_args().destination)
    crops = sum("-line" in name for name in names)
    print(f"{len(names)} scans written: {len(names) - crops} pages, {crops} line crops")


if __name__ == "__main__":
    main()
