"""Synthetic wartime documents with known text, degraded in controlled ways.

Renders invented Vietnamese death notices, letters and roster lines in several fonts
(two monospaced ones standing in for the typewriter), stamps some, then skews, turns,
blurs, stains, fades and compresses them; and crops of single lines, 12–40 pixels high,
some in low-resolution thermal print. The ground truth is the text as rendered, line by line.
Every name, date and unit in them is invented.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/freefont"),
             Path("/usr/share/fonts/truetype/liberation2"))
# Every one carries the whole Vietnamese alphabet: a font without ``ễ`` has HarfBuzz put
# the tilde beside the letter, and the page no longer shows its ground truth. The two
# monospaced ones stand in for the typewriter (Liberation Mono has Courier's metrics).
FONTS = ("DejaVuSerif.ttf", "DejaVuSans.ttf", "LiberationMono-Regular.ttf", "FreeMono.ttf",
         "FreeSerif.ttf")

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Hữu", "Đình", "Quang", "Minh", "Xuân", "Đức")
GIVEN = ("Thành", "Hùng", "Lợi", "Tuấn", "Sơn", "Hải", "Bình", "Dũng", "Nghĩa", "Thắng", "Quý", "Hòa")
COMMUNES = ("Yên Phong", "Tiên Du", "Quỳnh Lưu", "Hải Hậu", "Thanh Oai", "Kim Sơn", "Đông Anh")
PROVINCES = ("Hà Bắc", "Nghệ Tĩnh", "Hà Nam Ninh", "Hà Sơn Bình", "Thái Bình", "Hải Hưng", "Vĩnh Phú")
PLACES = ("Quảng Trị", "Khe Sanh", "Kon Tum", "Tây Ninh", "Bình Long", "Đắk Tô")
TYPED_LIST_TITLE = "DANH SÁCH QUÂN NHÂN HY SINH"
#: What :func:`make_page` can make: whole pages, then crops of a single line.
DOCUMENT_KINDS = ("death_notice", "letter", "roster", "register", "typed_list", "ledger", "stamped",
                  "line_crop", "receipt_line")
#: The kinds that are one line cut from a page, not a page.
LINE_KINDS = ("line_crop", "receipt_line")
RANKS = ("Binh nhất", "Hạ sĩ", "Trung sĩ", "Thượng sĩ", "Chuẩn úy")


@dataclass
class Degradation:
    """How badly to treat a page."""

    skew: float = 0.0
    turn: int = 0  # degrees clockwise: 0, 90, 180, 270
    blur: float = 0.0
    noise: float = 0.0
    uneven_light: float = 0.0  # 0..1, depth of the shadow
    fade: float = 0.0  # 0..1, how grey the ink becomes
    stains: int = 0
    jpeg_quality: int | None = None


@dataclass
class SyntheticPage:
    """A rendered page and what it says."""

    image: NDArray[np.uint8]
    lines: list[str]
    dpi: int
    kind: str
    font: str
    degradation: Degradation = field(default_factory=Degradation)

    @property
    def text(self) -> str:
        """The ground truth, one line per line."""
        return "\n".join(self.lines)

    def png_bytes(self) -> bytes:
        """The page as PNG with its resolution recorded."""
        buffer = io.BytesIO()
        Image.fromarray(self.image).save(buffer, format="PNG", dpi=(self.dpi, self.dpi))
        return buffer.getvalue()


def find_font(name: str) -> Path | None:
    """The path of an installed font file, if any."""
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    return None


def available_fonts() -> list[str]:
    """The fonts of :data:`FONTS` installed here."""
    return [name for name in FONTS if find_font(name)]


def person(rng: random.Random) -> dict[str, str]:
    """An invented soldier."""
    return {
        "name": f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        "born": str(rng.randint(1945, 1954)),
        "commune": rng.choice(COMMUNES), "province": rng.choice(PROVINCES),
        "rank": rng.choice(RANKS),
        "unit": (f"c{rng.randint(1, 20)} d{rng.randint(1, 9)} e{rng.randint(1, 300)} "
                 f"f{rng.choice([304, 308, 312, 320, 325])}"),
        "day": str(rng.randint(1, 28)), "month": str(rng.randint(1, 12)),
        "year": str(rng.randint(1966, 1975)), "place": rng.choice(PLACES),
    }


def death_notice_lines(rng: random.Random) -> list[str]:
    """The text of a short death notice (giấy báo tử)."""
    p = person(rng)
    return [
        "GIẤY BÁO TỬ",
        f"Đồng chí: {p['name']}",
        f"Sinh năm: {p['born']}",
        f"Quê quán: xã {p['commune']}, tỉnh {p['province']}",
        f"Cấp bậc: {p['rank']}",
        f"Đơn vị: {p['unit']}",
        f"Đã hy sinh ngày {p['day']} tháng {p['month']} năm {p['year']}",
        f"Nơi hy sinh: {p['place']}",
    ]


def letter_lines(rng: random.Random) -> list[str]:
    """A few lines of a letter home, with its mailbox."""
    p = person(rng)
    return [
        f"{p['place']}, ngày {p['day']} tháng {p['month']} năm {p['year']}",
        "Mẹ kính yêu của con,",
        "Con vẫn khỏe, đơn vị con đang hành quân.",
        "Mẹ đừng lo cho con, giữ gìn sức khỏe.",
        f"Thư gửi về: Hòm thư {rng.randint(10000, 99999)} HN",
        f"Con của mẹ: {p['name']}",
    ]


def roster_rows(rng: random.Random) -> list[list[str]]:
    """A unit roster (danh sách quân nhân): a header and five soldiers."""
    rows = [["TT", "Họ và tên", "Năm sinh", "Quê quán", "Đơn vị"]]
    for number in range(1, 6):
        p = person(rng)
        rows.append([str(number), p["name"], p["born"], p["commune"], p["unit"].split(" e")[0]])
    return rows


def register_rows(rng: random.Random) -> list[list[str]]:
    """A burial register (sổ mộ): a header and five graves."""
    rows = [["Mộ số", "Họ và tên", "Quê quán", "Ngày hy sinh", "Lô"]]
    for number in range(1, 6):
        p = person(rng)
        rows.append([str(rng.randint(1, 400)), p["name"], p["province"],
                     f"{p['day']}/{p['month']}/{p['year']}", f"{rng.choice('ABCDE')}{number}"])
    return rows


def render_table(rows: list[list[str]], *, font: str = "DejaVuSerif.ttf", dpi: int = 200,
                 point_size: float = 11, rules: str = "grid", title: str = "") -> NDArray[np.uint8]:
    """A table, as rosters and registers were typed: ruled by hand (``rules="grid"``, or
    ``"rows"``: lines between the rows only), or (``"none"``) columns set by the
    typewriter's tab stops, under a title."""
    path = find_font(font)
    size = round(point_size * dpi / 72)
    typeface = ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)
    pad, margin = round(dpi * 0.06), round(dpi * 0.4)
    widths = [max(round(typeface.getlength(row[c])) for row in rows) + 2 * pad
              for c in range(len(rows[0]))]
    row_height = round(size * 1.9)
    width = margin * 2 + sum(widths)
    height = margin * 2 + row_height * len(rows)
    page = Image.new("L", (width, height + (row_height * 2 if title else 0)), 255)
    draw = ImageDraw.Draw(page)
    top = margin
    if title:
        draw.text((margin + pad, margin), title, fill=0, font=typeface)
        top += row_height * 2
    for r, row in enumerate(rows):
        x = margin
        for c, cell in enumerate(row):
            draw.text((x + pad, top + r * row_height + round(size * 0.35)), cell, fill=0, font=typeface)
            x += widths[c]
    line = max(1, round(dpi / 150))
    for r in range(len(rows) + 1 if rules != "none" else 0):
        y = top + r * row_height
        draw.line([(margin, y), (width - margin, y)], fill=0, width=line)
    if rules != "grid":
        return np.asarray(page, dtype=np.uint8).copy()
    x = margin
    for c in range(len(rows[0]) + 1):
        draw.line([(x, top), (x, top + row_height * len(rows))], fill=0, width=line)
        x += widths[c] if c < len(widths) else 0
    return np.asarray(page, dtype=np.uint8).copy()


def render_page(lines: list[str], *, font: str = "DejaVuSerif.ttf", dpi: int = 200,
                width_in: float = 5.8, height_in: float = 4.2, point_size: float = 12) -> NDArray[np.uint8]:
    """Black text on white paper, left-aligned from a one-inch margin (a little less on
    small pages)."""
    width, height = round(width_in * dpi), round(height_in * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    path = find_font(font)
    size = round(point_size * dpi / 72)
    typeface = ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)
    margin = round(dpi * 0.5)
    line_height = round(point_size * dpi / 72 * 1.6)
    for index, line in enumerate(lines):
        draw.text((margin, margin + index * line_height), line, fill=0, font=typeface)
    return np.asarray(page, dtype=np.uint8).copy()


def degrade(image: NDArray[np.uint8], how: Degradation, seed: int = 0) -> NDArray[np.uint8]:
    """Apply ``how`` to a clean page."""
    rng = np.random.default_rng(seed)
    out = image.astype(np.float32)
    if how.fade:
        out = 255 - (255 - out) * (1 - how.fade)
    if how.stains:
        out = _stain(out, how.stains, rng)
    if how.uneven_light:
        height, width = out.shape
        ys, xs = np.mgrid[0:height, 0:width]
        light = 1 - how.uneven_light * (xs / width * 0.7 + ys / height * 0.3)
        out = out * light
    if how.skew:
        height, width = out.shape
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), how.skew, 1.0)
        out = cv2.warpAffine(out, matrix, (width, height), borderValue=255.0)
    if how.blur:
        out = cv2.GaussianBlur(out, (0, 0), how.blur)
    if how.noise:
        out = out + rng.normal(0, how.noise, out.shape).astype(np.float32)
    result = np.clip(out, 0, 255).astype(np.uint8)
    if how.turn:
        codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
        result = cv2.rotate(result, codes[how.turn])
    if how.jpeg_quality:
        ok, encoded = cv2.imencode(".jpg", result, [cv2.IMWRITE_JPEG_QUALITY, how.jpeg_quality])
        if ok:
            result = np.asarray(cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE), dtype=np.uint8)
    return result


def _stain(out: NDArray[np.float32], count: int, rng: np.random.Generator) -> NDArray[np.float32]:
    height, width = out.shape
    for _ in range(count):
        mask = np.zeros((height, width), np.float32)
        centre = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        axes = (int(rng.integers(width // 12, width // 5)), int(rng.integers(height // 12, height // 5)))
        cv2.ellipse(mask, centre, axes, float(rng.integers(0, 180)), 0, 360, 1.0, -1)
        mask = cv2.GaussianBlur(mask, (0, 0), max(axes) / 3)
        out = out * (1 - 0.35 * mask)
    return out


def receipt_text(rng: random.Random) -> str:
    """One line of a receipt or a label, as a till or a label printer prints it."""
    p = person(rng)
    return rng.choice([
        f"Hòm thư {rng.randint(10000, 99999)} HN",
        f"Tổng cộng: {rng.randint(2, 900)}.000 đồng",
        f"Người nhận: {p['name']}",
        f"Ngày {p['day']}/{p['month']}/{p['year']} số {rng.randint(100, 9999)}",
        f"Quê quán: {p['commune']}, {p['province']}",
    ])


def render_line(text: str, *, font: str, height: int, rng: random.Random) -> NDArray[np.uint8]:
    """One line of text ``height`` pixels high (ascenders to descenders), cropped to its
    ink as a user crops a line from a scan: on some sides the crop touches the letters."""
    path = find_font(font)
    size = 64  # drawn large, then shrunk: small text is anti-aliased as a scanner sees it
    typeface = ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)
    left, top, right, bottom = (round(v) for v in typeface.getbbox(text))
    canvas = Image.new("L", (right - left + 16, bottom - top + 16), 255)
    ImageDraw.Draw(canvas).text((8 - left, 8 - top), text, fill=0, font=typeface)
    big = np.asarray(canvas, dtype=np.uint8)
    rows, cols = np.flatnonzero((big < 128).any(axis=1)), np.flatnonzero((big < 128).any(axis=0))
    # 0 to 6 of the drawn pixels (a tenth of a letter) of margin on each side.
    y0, y1 = rows[0] - rng.randint(0, 6), rows[-1] + 1 + rng.randint(0, 6)
    x0, x1 = cols[0] - rng.randint(0, 6), cols[-1] + 1 + rng.randint(0, 6)
    crop = big[max(0, y0):y1, max(0, x0):x1]
    scale = height / crop.shape[0]
    small = cv2.resize(crop, (max(1, round(crop.shape[1] * scale)), height), interpolation=cv2.INTER_AREA)
    return np.asarray(small, dtype=np.uint8)


def thermal_print(image: NDArray[np.uint8], rng: np.random.Generator) -> NDArray[np.uint8]:
    """Low-resolution thermal print: greyish paper, grey ink fading in streaks along
    the paper's travel (a worn print head), and dots of ink missing."""
    height, width = image.shape
    ink = (255 - image.astype(np.float32)) / 255
    streaks = cv2.GaussianBlur(rng.uniform(0.45, 1.0, (1, width)).astype(np.float32), (0, 0), 2.0)
    ink = ink * np.repeat(streaks, height, axis=0) * (rng.random((height, width)) > 0.12)
    paper, darkest = float(rng.uniform(215, 240)), float(rng.uniform(60, 110))
    return np.asarray(np.clip(paper - ink * (paper - darkest), 0, 255), dtype=np.uint8)


def stamp_over(image: NDArray[np.uint8], dpi: int, rng: random.Random) -> NDArray[np.uint8]:
    """An office's round stamp pressed over the last lines: two rings with lettering
    between them and a star, in a lighter ink than the typing, darkening what it covers."""
    height, width = image.shape
    radius = round(dpi * rng.uniform(0.55, 0.7))
    centre = (round(width * rng.uniform(0.45, 0.7)), round(height * rng.uniform(0.6, 0.75)))
    stamp = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(stamp)
    thick = max(2, dpi // 60)
    for r in (radius, round(radius * 0.68)):
        draw.ellipse([centre[0] - r, centre[1] - r, centre[0] + r, centre[1] + r], outline=255,
                     width=thick)
    star = [(centre[0] + radius * (0.3 if i % 2 == 0 else 0.12) * np.sin(i * np.pi / 5),
             centre[1] - radius * (0.3 if i % 2 == 0 else 0.12) * np.cos(i * np.pi / 5))
            for i in range(10)]
    draw.polygon(star, fill=255)
    _ring_lettering(stamp, centre, round(radius * 0.84), "ỦY BAN HÀNH CHÍNH TỈNH * ", dpi)
    darkness = rng.uniform(0.45, 0.65) * np.asarray(stamp, dtype=np.float32) / 255
    return np.clip(image.astype(np.float32) * (1 - darkness), 0, 255).astype(np.uint8)


def _ring_lettering(stamp: Image.Image, centre: tuple[int, int], radius: int, text: str,
                    dpi: int) -> None:
    """Capitals set round a ring, each turned to face outwards."""
    path = find_font("DejaVuSans.ttf")
    size = max(8, dpi // 12)
    typeface = ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)
    for index, letter in enumerate(text * 2):
        angle = 2 * np.pi * index / (len(text) * 2)
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size // 2, size // 3), letter, fill=255, font=typeface)
        glyph = glyph.rotate(-np.degrees(angle), resample=Image.Resampling.BILINEAR)
        x = round(centre[0] + radius * np.sin(angle)) - size
        y = round(centre[1] - radius * np.cos(angle)) - size
        stamp.paste(255, (x, y), glyph)


def make_line(seed: int, *, kind: str = "line_crop", font: str = "DejaVuSerif.ttf",
              height: int | None = None, degradation: Degradation | None = None) -> SyntheticPage:
    """A crop of one printed line (``line_crop``: a line of a notice or a letter; or
    ``receipt_line``: thermal print), 12–40 pixels high unless ``height`` is given,
    saved as 120 dpi, as a screenshot or a phone's crop of a scan is."""
    rng = random.Random(seed)
    how = degradation or Degradation()
    if kind == "receipt_line":
        text = receipt_text(rng)
        line = render_line(text, font=font, height=height or rng.randint(12, 24), rng=rng)
        line = thermal_print(line, np.random.default_rng(seed))
    else:
        text = rng.choice(death_notice_lines(rng)[1:] + letter_lines(rng))
        line = render_line(text, font=font, height=height or rng.randint(12, 40), rng=rng)
    image = degrade(line, how, seed)
    return SyntheticPage(image=image, lines=[text], dpi=120, kind=kind, font=font, degradation=how)


def make_page(seed: int, *, kind: str = "death_notice", font: str = "DejaVuSerif.ttf", dpi: int = 200,
              degradation: Degradation | None = None) -> SyntheticPage:
    """A complete synthetic page, reproducible from its seed.

    ``kind`` is ``death_notice``, ``letter``, ``roster``, ``register``, ``typed_list`` (a
    roster under its title, with no rules), ``ledger`` (a register ruled between its rows
    only), ``stamped`` (a death notice with a round stamp over its last lines, whose
    lettering is not part of the truth) or one of :data:`LINE_KINDS` (:func:`make_line`);
    the ground truth of a table row is its cells joined by single spaces.
    """
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"no such kind of document: {kind!r}")
    if kind in LINE_KINDS:
        return make_line(seed, kind=kind, font=font, degradation=degradation)
    rng = random.Random(seed)
    how = degradation or Degradation()
    if kind in ("roster", "register"):
        rows = roster_rows(rng) if kind == "roster" else register_rows(rng)
        lines = [" ".join(row) for row in rows]
        clean = render_table(rows, font=font, dpi=dpi)
    elif kind == "typed_list":
        rows = roster_rows(rng)
        lines = [TYPED_LIST_TITLE] + [" ".join(row) for row in rows]
        clean = render_table(rows, font=font, dpi=dpi, rules="none", title=TYPED_LIST_TITLE)
    elif kind == "ledger":
        rows = register_rows(rng)
        lines = [" ".join(row) for row in rows]
        clean = render_table(rows, font=font, dpi=dpi, rules="rows")
    else:
        lines = letter_lines(rng) if kind == "letter" else death_notice_lines(rng)
        clean = render_page(lines, font=font, dpi=dpi)
    if kind == "stamped":
        clean = stamp_over(clean, dpi, rng)
    image = degrade(clean, how, seed)
    return SyntheticPage(image=image, lines=lines, dpi=dpi, kind=kind, font=font, degradation=how)
