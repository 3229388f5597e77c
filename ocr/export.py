"""hOCR and ALTO XML for archival tools, written from our own page model.

Writing them from the model (rather than asking Tesseract a second time) costs no extra
recognition and puts every box on the page as loaded, before any rotation or deskew.
Stamps, signatures and handwriting are written as what each format has for ink that is
not text: an hOCR ``ocr_image`` float, an ALTO ``Illustration``, each with its kind.
"""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from ocr.model import OcrPage, OcrWord, union_box


def _lines(page: OcrPage) -> list[list[OcrWord]]:
    grouped: dict[int, list[OcrWord]] = defaultdict(list)
    for word in page.words:
        grouped[word.line].append(word)
    return [grouped[index] for index in sorted(grouped)]


def _union(words: list[OcrWord]) -> tuple[int, int, int, int]:
    """Left, top, right and bottom edges around the words."""
    left, top, width, height = union_box([w.box for w in words])
    return left, top, left + width, top + height


def to_hocr(page: OcrPage, *, lang: str = "vi", image: str = "") -> str:
    """The page as an hOCR 1.2 document."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"'
        ' "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
        f'<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="{lang}" lang="{lang}">',
        "<head><title></title>",
        '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
        f'<meta name="ocr-system" content={quoteattr(page.engine or "phienhieu")}/>',
        '<meta name="ocr-capabilities" content="ocr_page ocr_line ocrx_word ocr_image"/>',
        "</head><body>",
        f'<div class="ocr_page" id="page_{page.number}" title='
        f'{quoteattr(f"image {image}; bbox 0 0 {page.width} {page.height}; ppageno {page.number - 1}")}>',
    ]
    for index, line in enumerate(_lines(page), start=1):
        left, top, right, bottom = _union(line)
        out.append(f'<span class="ocr_line" id="line_{page.number}_{index}" '
                   f'title="bbox {left} {top} {right} {bottom}">')
        for number, word in enumerate(line, start=1):
            x, y, w, h = word.box
            out.append(f'<span class="ocrx_word" id="word_{page.number}_{index}_{number}" '
                       f'title="bbox {x} {y} {x + w} {y + h}; x_wconf {round(word.conf * 100)}">'
                       f"{escape(word.text)}</span>")
        out.append("</span>")
    for index, region in enumerate(page.regions, start=1):
        x, y, w, h = region.box
        # hOCR leaves properties starting with x_ to the engine: the kind is one.
        out.append(f'<div class="ocr_image" id="region_{page.number}_{index}" '
                   f'title="bbox {x} {y} {x + w} {y + h}; x_kind {region.kind}"></div>')
    out += ["</div>", "</body></html>", ""]
    return "\n".join(out)


def to_alto(page: OcrPage, *, image: str = "") -> str:
    """The page as an ALTO v4 document (pixel units)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://www.loc.gov/standards/alto/ns-v4#'
        ' http://www.loc.gov/alto/v4/alto-4-2.xsd">',
        "<Description><MeasurementUnit>pixel</MeasurementUnit>",
        f"<sourceImageInformation><fileName>{escape(image)}</fileName></sourceImageInformation>",
        "</Description>",
        "<Layout>",
        f'<Page ID="page_{page.number}" PHYSICAL_IMG_NR="{page.number}" '
        f'WIDTH="{page.width}" HEIGHT="{page.height}">',
        f'<PrintSpace HPOS="0" VPOS="0" WIDTH="{page.width}" HEIGHT="{page.height}">',
        '<TextBlock ID="block_1">',
    ]
    for index, line in enumerate(_lines(page), start=1):
        left, top, right, bottom = _union(line)
        out.append(f'<TextLine ID="line_{index}" HPOS="{left}" VPOS="{top}" '
                   f'WIDTH="{right - left}" HEIGHT="{bottom - top}">')
        for number, word in enumerate(line, start=1):
            if number > 1:
                out.append("<SP/>")
            x, y, w, h = word.box
            out.append(f'<String ID="string_{index}_{number}" HPOS="{x}" VPOS="{y}" WIDTH="{w}" '
                       f'HEIGHT="{h}" WC="{word.conf:.2f}" CONTENT={quoteattr(word.text)}/>')
        out.append("</TextLine>")
    out.append("</TextBlock>")
    for index, region in enumerate(page.regions, start=1):
        x, y, w, h = region.box
        out.append(f'<Illustration ID="region_{index}" TYPE="{region.kind}" HPOS="{x}" VPOS="{y}" '
                   f'WIDTH="{w}" HEIGHT="{h}"/>')
    out += ["</PrintSpace>", "</Page>", "</Layout>", "</alto>", ""]
    return "\n".join(out)
