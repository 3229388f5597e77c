"""Loading scans: every supported type, and every way a file can be bad."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bench.synth import make_page
from ocr.errors import EncryptedPdfError, TooLargeError, UnreadableFileError
from ocr.loading import count_pages, load_page, sniff_kind
from ocr.options import OcrOptions

OPTIONS = OcrOptions()


def save(image: np.ndarray, path: Path, **params: object) -> Path:
    Image.fromarray(image).save(path, **params)
    return path


@pytest.mark.parametrize(("name", "params", "kind"), [
    ("page.png", {"dpi": (200, 200)}, "png"),
    ("page.jpg", {"quality": 90, "dpi": (200, 200)}, "jpeg"),
    ("page.tif", {"dpi": (200, 200)}, "tiff"),
    ("page.webp", {"quality": 90}, "webp"),
])
def test_each_image_type_loads_grey_with_its_dpi(tmp_path: Path, name: str,
                                                 params: dict[str, object], kind: str) -> None:
    image = make_page(1).image
    path = save(image, tmp_path / name, **params)
    assert sniff_kind(path) == kind
    page = load_page(path, 1, OPTIONS)
    assert page.image.shape == image.shape
    assert page.image.dtype == np.uint8
    assert page.dpi == (200 if kind != "webp" else OPTIONS.assumed_dpi)


def test_multi_page_tiff(tmp_path: Path) -> None:
    frames = [Image.fromarray(make_page(seed).image) for seed in range(3)]
    path = tmp_path / "roster.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert count_pages(path, OPTIONS) == 3
    third = load_page(path, 3, OPTIONS)
    assert np.array_equal(third.image, np.asarray(frames[2]))


def test_pdf_pages_render_and_keep_a_text_layer(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    scan = tmp_path / "scan.pdf"
    Image.fromarray(make_page(2).image).save(scan, resolution=200)
    page = load_page(scan, 1, OPTIONS)
    assert page.text_layer is None
    assert page.dpi == OPTIONS.dpi
    assert min(page.image.shape) > 500

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(300, 200)
    pdf.save(str(tmp_path / "blank.pdf"))
    blank = load_page(tmp_path / "blank.pdf", 1, OPTIONS)
    assert blank.text_layer is None
    expected = (200 * OPTIONS.dpi / 72, 300 * OPTIONS.dpi / 72)
    assert all(abs(got - want) <= 1 for got, want in zip(blank.image.shape, expected, strict=True))


def test_a_pdf_with_text_keeps_it(tmp_path: Path) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 20 100 Td (Giay bao tu: don vi c2 d5 e88 f308) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    path = tmp_path / "typed.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    loaded = load_page(path, 1, OPTIONS)
    assert loaded.text_layer is not None
    assert "c2 d5 e88 f308" in loaded.text_layer


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFileError, match="empty"):
        count_pages(path, OPTIONS)


def test_truncated_image(tmp_path: Path) -> None:
    whole = save(make_page(1).image, tmp_path / "whole.png")
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[:2000])
    with pytest.raises(UnreadableFileError, match=r"damaged|readable"):
        load_page(cut, 1, OPTIONS)


def test_extension_that_lies(tmp_path: Path) -> None:
    png_named_pdf = save(make_page(1).image, tmp_path / "notice.pdf", format="PNG")
    assert sniff_kind(png_named_pdf) == "png"
    assert load_page(png_named_pdf, 1, OPTIONS).image.size > 0
    text_named_png = tmp_path / "scan.png"
    text_named_png.write_text("<html>not an image</html>")
    with pytest.raises(UnreadableFileError, match="not a PNG"):
        sniff_kind(text_named_png)


def _png_header_only(path: Path, width: int, height: int) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
                     + chunk(b"IEND", b""))
    return path


def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    bomb = _png_header_only(tmp_path / "bomb.png", 40_000, 40_000)
    assert bomb.stat().st_size < 2_000
    with pytest.raises(TooLargeError):
        load_page(bomb, 1, OPTIONS)


def test_page_larger_than_the_limit(tmp_path: Path) -> None:
    path = save(make_page(1).image, tmp_path / "page.png")
    with pytest.raises(TooLargeError, match="larger than"):
        load_page(path, 1, OcrOptions(max_pixels=10_000))


def test_file_larger_than_the_limit(tmp_path: Path) -> None:
    path = save(make_page(1).image, tmp_path / "page.png")
    with pytest.raises(TooLargeError, match="bytes"):
        count_pages(path, OcrOptions(max_file_bytes=100))


def test_5000_page_pdf_hits_the_page_limit(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(5_000):
        pdf.new_page(100, 100)
    path = tmp_path / "huge.pdf"
    pdf.save(str(path))
    with pytest.raises(TooLargeError, match="5,000 pages"):
        count_pages(path, OPTIONS)


def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(EncryptedPdfError, match="password"):
        count_pages(path, OPTIONS)


def test_missing_page_number(tmp_path: Path) -> None:
    path = save(make_page(1).image, tmp_path / "page.png")
    with pytest.raises(UnreadableFileError, match="no page 2"):
        load_page(path, 2, OPTIONS)
