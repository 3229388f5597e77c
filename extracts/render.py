"""An extract's content as a PDF/A-2b document: formal Vietnamese layout, embedded fonts,
a QR code to the public verification page."""

from __future__ import annotations

from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from PIL import ImageFile

from decoder.untrusted import is_ascii_digits
from extracts.model import ExtractContent

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates" / "extract"
_environment = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(),
                           trim_blocks=True, lstrip_blocks=True)


def vietnamese_date(value: str | None) -> str:
    """``1972-07-15`` as "ngày 15 tháng 7 năm 1972", ``1972-07`` as "tháng 7 năm 1972",
    ``1972`` as "năm 1972"; anything else as it is."""
    if not value:
        return ""
    parts = value.split("-")
    if not all(is_ascii_digits(part) for part in parts) or not 1 <= len(parts) <= 3:
        return value
    words = [f"năm {parts[0]}"]
    if len(parts) >= 2:
        words.insert(0, f"tháng {int(parts[1])}")
    if len(parts) == 3:
        words.insert(0, f"ngày {int(parts[2])}")
    return " ".join(words)


_environment.filters["vn_date"] = vietnamese_date


def verify_link(content: ExtractContent) -> str:
    """The public page that says whether this extract is genuine."""
    return f"{content.office.verify_url.rstrip('/')}/{content.serial}"


def render_html(content: ExtractContent) -> str:
    """The extract as HTML (the preview officers read before issuing)."""
    qr = segno.make(verify_link(content), error="m").svg_data_uri(scale=3, border=0)
    return _environment.get_template("extract.html").render(
        extract=content, qr=qr, link=verify_link(content), issued_on=content.issued_on)


def render_pdf(content: ExtractContent) -> bytes:
    """The extract as a PDF/A-2b file, every glyph's font embedded."""
    from weasyprint import HTML  # a second to import: only the commands that render pay it

    try:
        pdf: bytes = HTML(string=render_html(content), base_url=str(TEMPLATE_DIR)).write_pdf(
            pdf_variant="pdf/a-2b", uncompressed_pdf=False)
    finally:
        # WeasyPrint makes Pillow accept truncated images in the whole process; an extract
        # holds no raster image, and the OCR pipeline must refuse truncated scans in the
        # server that also issues extracts, so the default is put back.
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    return pdf
