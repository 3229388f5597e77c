"""A sample's barcode drawn as Code 128 in SVG, for its printable label."""

from __future__ import annotations

import io

import barcode
from barcode.writer import SVGWriter
from markupsafe import Markup

from archive.samples import barcode_is_valid


def barcode_svg(code: str) -> Markup:
    """The barcode as an inline SVG element (only for barcodes the archive issues, so
    nothing a visitor typed reaches the markup)."""
    if not barcode_is_valid(code):
        raise ValueError("not a barcode the archive issued")
    out = io.BytesIO()
    barcode.get("code128", code, writer=SVGWriter()).write(
        out, options={"module_height": 12.0, "write_text": False, "quiet_zone": 4.0})
    svg = out.getvalue().decode("utf-8")
    return Markup(svg[svg.index("<svg"):])
