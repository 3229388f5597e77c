"""Synthetic wartime documents with known text, degraded in controlled ways.

Renders invented Vietnamese death notices, letters and roster lines in several fonts
(two monospaced ones standing in for the typewriter), stamps some, then skews, turns,
blurs, stains, fades and compresses them; and crops of single lines, 12–40 pixels high,
some in low-resolution thermal print. Real paper's own kinds are drawn too: signatures,
dates and numbers written by hand, carbon copies, typewriters with uneven ink and phone
photographs (:data:`PAPER_KINDS`). The ground truth is the printed text as rendered, line
by line; what a hand wrote or a stamp says is not in it. Every name, date and unit in them is invented.
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
MONOSPACED = ("LiberationMono-Regular.ttf", "FreeMono.ttf")

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Hữu", "Đình", "Quang", "Minh", "Xuân", "Đức")
GIVEN = ("Thành", "Hùng", "Lợi", "Tuấn", "Sơn", "Hải", "Bình", "Dũng", "Nghĩa", "Thắng", "Quý", "Hòa")
COMMUNES = ("Yên Phong", "Tiên Du", "Quỳnh Lưu", "Hải Hậu", "Thanh Oai", "Kim Sơn", "Đông Anh")
PROVINCES = ("Hà Bắc", "Nghệ Tĩnh", "Hà Nam Ninh", "Hà Sơn Bình", "Thái Bình", "Hải Hưng", "Vĩnh Phú")
PLACES = ("Quảng Trị", "Khe Sanh", "Kon Tum", "Tây Ninh", "Bình Long", "Đắk Tô")
TYPED_LIST_TITLE = "DANH SÁCH QUÂN NHÂN HY SINH"
#: What :func:`make_page` can make: whole pages, then crops of a single line.
DOCUMENT_KINDS = ("death_notice", "letter", "roster", "register", "typed_list", "ledger", "stamped",
                  "signed", "handwritten", "carbon", "typewriter", "phone", "line_crop", "receipt_line")
#: The kinds of paper that real archives hold and clean generated pages lack: ink that is
#: not print (stamps, signatures, handwriting), carbon copies, typewriters, phone photos.
PAPER_KINDS = ("stamped", "signed", "handwritten", "carbon", "typewriter", "phone")
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
                width_in: float = 5.8, height_in: float = 4.2, point_size: float = 12,
                indent_from: int | None = None) -> NDArray[np.uint8]:
    """Black text on white paper, left-aligned from a one-inch margin (a little less on
    small pages); lines from ``indent_from`` on start in the page's middle, as the block
    of a signature does. An empty line is a blank row."""
    width, height = round(width_in * dpi), round(height_in * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    typeface = _typeface(font, round(point_size * dpi / 72))
    margin = round(dpi * 0.5)
    line_height = round(point_size * dpi / 72 * 1.6)
    for index, line in enumerate(lines):
        left = width // 2 if indent_from is not None and index >= indent_from else margin
        draw.text((left, margin + index * line_height), line, fill=0, font=typeface)
    return np.asarray(page, dtype=np.uint8).copy()


def _typeface(font: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = find_font(font)
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)


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


# Digits, a slash and a dot as a hand writes them: strokes through points of a unit box
# (x right, y down), rounded once jittered.
_HAND_STROKES: dict[str, list[list[tuple[float, float]]]] = {
    "0": [[(0.5, 0.0), (0.1, 0.3), (0.15, 0.8), (0.5, 1.0), (0.88, 0.7), (0.85, 0.2), (0.5, 0.0)]],
    "1": [[(0.25, 0.25), (0.6, 0.0), (0.55, 1.0)]],
    "2": [[(0.1, 0.25), (0.35, 0.02), (0.75, 0.05), (0.85, 0.3), (0.6, 0.55), (0.1, 1.0), (0.95, 0.97)]],
    "3": [[(0.1, 0.1), (0.5, 0.0), (0.85, 0.2), (0.45, 0.48), (0.9, 0.7), (0.6, 1.0), (0.1, 0.9)]],
    "4": [[(0.7, 1.0), (0.68, 0.0), (0.05, 0.7), (0.95, 0.68)]],
    "5": [[(0.85, 0.0), (0.25, 0.02), (0.18, 0.45), (0.6, 0.38), (0.9, 0.65), (0.7, 0.98), (0.1, 0.9)]],
    "6": [[(0.8, 0.05), (0.4, 0.1), (0.12, 0.6), (0.3, 0.98), (0.75, 0.95), (0.85, 0.65),
           (0.5, 0.5), (0.15, 0.65)]],
    "7": [[(0.05, 0.02), (0.95, 0.0), (0.4, 1.0)], [(0.3, 0.5), (0.8, 0.48)]],
    "8": [[(0.5, 0.48), (0.15, 0.25), (0.5, 0.0), (0.85, 0.25), (0.5, 0.48), (0.1, 0.75), (0.5, 1.0),
           (0.9, 0.75), (0.5, 0.48)]],
    "9": [[(0.85, 0.35), (0.5, 0.5), (0.15, 0.3), (0.5, 0.0), (0.85, 0.3), (0.75, 1.0)]],
    "/": [[(0.8, 0.0), (0.15, 1.0)]],
    ".": [[(0.4, 0.9), (0.5, 1.0), (0.45, 0.95)]],
}


def _rounded(points: NDArray[np.float64], rounds: int = 2) -> NDArray[np.float64]:
    """Chaikin's corner cutting: a polyline made a smooth curve, as a moving pen draws it."""
    for _ in range(rounds):
        near = 0.75 * points[:-1] + 0.25 * points[1:]
        far = 0.25 * points[:-1] + 0.75 * points[1:]
        points = np.vstack([points[:1], np.column_stack([near, far]).reshape(-1, 2), points[-1:]])
    return points


def _pen(image: NDArray[np.uint8], points: NDArray[np.float64], ink: int, thick: int) -> None:
    """Draw a curve in place, anti-aliased, on sub-pixel points."""
    fixed = np.round(points * 4).astype(np.int32).reshape(-1, 1, 2)
    cv2.polylines(image, [fixed], False, ink, thick, cv2.LINE_AA, shift=2)


def handwrite(image: NDArray[np.uint8], text: str, origin: tuple[int, int], height: int,
              rng: random.Random, ink: int = 70) -> int:
    """Write digits, slashes and dots by hand into ``image`` from ``origin`` (left,
    baseline), letters ``height`` pixels high: slanted, every point jittered, the pen
    a little heavier than a typewriter's. Returns the right edge of the writing."""
    x, base = float(origin[0]), float(origin[1])
    slant, width = rng.uniform(0.15, 0.35), height * 0.55
    thick = max(2, round(height / 12))
    for char in text:
        if char not in _HAND_STROKES:
            x += width * 0.8
            continue
        scale = height * rng.uniform(0.88, 1.1)
        for stroke in _HAND_STROKES[char]:
            points = np.array(stroke, float) + np.array([[rng.gauss(0, 0.05), rng.gauss(0, 0.05)]
                                                          for _ in stroke])
            points = _rounded(points)
            xs = x + (points[:, 0] + (1 - points[:, 1]) * slant) * width
            ys = base - scale + points[:, 1] * scale
            _pen(image, np.column_stack([xs, ys]), ink, thick)
        x += width * (0.6 if char in "/." else rng.uniform(1.0, 1.25))
    return round(x)


def scrawl(image: NDArray[np.uint8], box: tuple[int, int, int, int], rng: random.Random,
           ink: int = 40) -> None:
    """A signature across ``box`` (left, top, width, height), in place: loops run
    together as a hand signs (a prolate cycloid, every loop its own size), then a
    flourish under it, the pen's pressure changing along the way."""
    left, top, width, height = box
    loops = rng.randint(4, 8)
    t = np.linspace(0, 1, 60 * loops)
    sizes = np.interp(t, np.linspace(0, 1, loops + 1), [rng.uniform(0.4, 1.0) for _ in range(loops + 1)])
    phase = 2 * np.pi * loops * t
    xs = left + width * 0.85 * t + width / loops * 0.6 * sizes * np.cos(phase)
    ys = top + height * (0.45 - 0.4 * sizes * np.sin(phase) + 0.15 * t)
    curve = np.column_stack([xs, ys])
    for start in range(0, len(curve) - 1, 15):
        _pen(image, curve[start:start + 16], ink, rng.randint(1, 3) + height // 60)
    flourish = np.array([(left + width * rng.uniform(0.0, 0.2), top + height * 0.95),
                         (left + width * 0.5, top + height * rng.uniform(0.7, 1.0)),
                         (left + width * rng.uniform(0.85, 1.0), top + height * rng.uniform(0.6, 0.85))])
    _pen(image, _rounded(flourish, 4), ink, 2 + height // 60)


SIGNERS = ("T/M BAN CHỈ HUY", "CHÍNH TRỊ VIÊN", "THỦ TRƯỞNG ĐƠN VỊ", "T/L TRƯỞNG BAN")


def signed_page(rng: random.Random, font: str, dpi: int) -> tuple[NDArray[np.uint8], list[str]]:
    """A notice closed by a signature block on the right: who signs, a scrawl over the
    two blank rows, and the typed name under it."""
    body = death_notice_lines(rng)
    block = [rng.choice(SIGNERS), "", "", person(rng)["name"]]
    rows = [*body, "", *block]
    image = render_page(rows, font=font, dpi=dpi, height_in=4.4, indent_from=len(body) + 1)
    line_height, margin = round(12 * dpi / 72 * 1.6), round(dpi * 0.5)
    top = margin + (len(body) + 2) * line_height
    scrawl(image, (image.shape[1] // 2, top, round(dpi * rng.uniform(1.1, 1.6)), round(line_height * 1.8)),
           rng, ink=rng.randint(20, 80))
    return image, [row for row in rows if row]


def handwritten_page(rng: random.Random, font: str, dpi: int) -> tuple[NDArray[np.uint8], list[str]]:
    """A notice with numbers and dates written by hand in its right margin, beside the
    short lines, and under its last line: a file number, a date, a count."""
    lines = death_notice_lines(rng)
    image = render_page([*lines, ""], font=font, dpi=dpi, height_in=4.2)
    typeface = _typeface(font, round(12 * dpi / 72))
    line_height, margin = round(12 * dpi / 72 * 1.6), round(dpi * 0.5)
    height = round(line_height * rng.uniform(0.85, 1.1))
    notes = [f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(66, 75)}", str(rng.randint(12, 980)),
             f"{rng.randint(10, 99)}/{rng.randint(1, 9)}"]
    written = 0
    for index in rng.sample(range(1, len(lines)), len(lines) - 1):
        right = margin + round(typeface.getlength(lines[index]))
        if written < 2 and image.shape[1] - right > dpi * 1.4:
            start = max(right + round(dpi * 0.5), image.shape[1] - round(dpi * 1.3))
            handwrite(image, notes[written], (start, margin + index * line_height + height), height, rng,
                      ink=rng.randint(40, 110))
            written += 1
    handwrite(image, notes[2], (margin + round(dpi * 0.3), margin + len(lines) * line_height + height),
              height, rng, ink=rng.randint(40, 110))
    return image, lines


def carbon_copy(image: NDArray[np.uint8], rng: np.random.Generator) -> NDArray[np.uint8]:
    """A carbon copy of a typed page: every letter doubled a pixel or two off (the sheet
    slipped under the platen), blurred through the paper, grey-blue ink on thin grey
    paper with its fibres, and little contrast between the two."""
    ink = (255 - image.astype(np.float32)) / 255
    dx, dy = int(rng.integers(1, 4)), int(rng.integers(-2, 3))
    ghost = np.roll(np.roll(ink, dy, axis=0), dx, axis=1)
    ink = np.clip(ink + ghost * rng.uniform(0.3, 0.55), 0, 1)
    ink = cv2.GaussianBlur(ink, (0, 0), float(rng.uniform(0.9, 1.4)))
    fibres = cv2.GaussianBlur(rng.normal(0, 1, image.shape).astype(np.float32), (0, 0), 3.0)
    paper = float(rng.uniform(185, 210)) + fibres * 12
    darkest = float(rng.uniform(70, 110))
    return np.asarray(np.clip(paper - ink * (paper - darkest), 0, 255), dtype=np.uint8)


def typewritten_page(lines: list[str], rng: random.Random, font: str, dpi: int) -> NDArray[np.uint8]:
    """The lines as a worn typewriter strikes them, one key at a time in a fixed pitch:
    every letter's ink its own (some faint, some heavy, a faint one with gaps in its
    strokes) and every letter a little above or below the line."""
    size = round(12 * dpi / 72)
    typeface = _typeface(font, size)
    pitch = typeface.getlength("M")
    width, height = round(5.8 * dpi), round(4.2 * dpi)
    ink = np.zeros((height, width), np.float32)
    margin, line_height = round(dpi * 0.5), round(size * 1.6)
    cell = (round(pitch * 2) + 4, size * 2)
    for row, line in enumerate(lines):
        for column, letter in enumerate(line):
            if letter == " ":
                continue
            glyph = Image.new("L", cell, 0)
            heavy = rng.random() < 0.12
            ImageDraw.Draw(glyph).text((2, size // 3), letter, fill=255, font=typeface,
                                       stroke_width=1 if heavy else 0, stroke_fill=255)
            strength = 1.0 if heavy else rng.uniform(0.45, 1.0)
            shape = np.asarray(glyph, np.float32) / 255 * strength
            if strength < 0.55:
                shape *= np.asarray(np.random.default_rng(rng.randrange(2**31)).random(shape.shape) > 0.25)
            x = margin + round(column * pitch) - 2
            y = margin + row * line_height - size // 3 + round(rng.gauss(0, dpi / 200))
            target = ink[y:y + cell[1], x:x + cell[0]]
            np.maximum(target, shape[:target.shape[0], :target.shape[1]], out=target)
    return np.asarray(np.clip(255 - ink * 255, 0, 255), dtype=np.uint8)


def phone_photo(page: NDArray[np.uint8], rng: np.random.Generator) -> NDArray[np.uint8]:
    """The page photographed by a phone held over a desk: the paper a quadrilateral
    (seen at an angle, turned a little), the desk darker around it, light falling off
    from one side and one corner, the camera's noise and a soft focus."""
    height, width = page.shape
    canvas_w, canvas_h = round(width * 1.3), round(height * 1.35)
    slack_x, slack_y = (canvas_w - width) / 2, (canvas_h - height) / 2
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    slack = np.array([slack_x, slack_y], np.float32)
    placed = (corners + slack + rng.uniform(-0.64, 0.64, (4, 2)) * slack).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(corners, placed)
    desk = rng.uniform(50, 120) + cv2.GaussianBlur(rng.normal(0, 18, (canvas_h, canvas_w)), (0, 0), 4)
    paper = cv2.warpPerspective(page.astype(np.float32), matrix, (canvas_w, canvas_h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones_like(page, np.float32), matrix, (canvas_w, canvas_h))
    photo = paper * mask + desk * (1 - mask)
    ys, xs = np.mgrid[0:canvas_h, 0:canvas_w].astype(np.float32)
    side, corner = rng.uniform(0.25, 0.45), rng.uniform(0.1, 0.25)
    light = 1 - side * xs / canvas_w - corner * np.hypot(xs / canvas_w, ys / canvas_h) / np.sqrt(2)
    photo = cv2.GaussianBlur(photo * light, (0, 0), 0.8) + rng.normal(0, 4, photo.shape)
    return np.asarray(np.clip(photo, 0, 255), dtype=np.uint8)


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
    only), one of :data:`PAPER_KINDS` (``stamped``: a death notice with a round stamp over
    its last lines; ``signed``: closed by a signature; ``handwritten``: numbers and dates
    written in its margins; ``carbon``: a carbon copy; ``typewriter``: typed with uneven
    ink; ``phone``: photographed on a desk) or one of :data:`LINE_KINDS`
    (:func:`make_line`). The ground truth of a table row is its cells joined by single
    spaces; a stamp's lettering, a signature and handwriting are not part of it.
    """
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"no such kind of document: {kind!r}")
    if kind in LINE_KINDS:
        return make_line(seed, kind=kind, font=font, degradation=degradation)
    rng = random.Random(seed)
    how = degradation or Degradation()
    if kind == "typewriter" and font not in MONOSPACED:
        font = MONOSPACED[0]  # a typewriter's face is monospaced whatever the set turns to
    clean, lines = _draw(kind, rng, font, dpi)
    if kind == "stamped":
        clean = stamp_over(clean, dpi, rng)
    elif kind == "carbon":
        clean = carbon_copy(clean, np.random.default_rng(seed))
    image = degrade(clean, how, seed)
    if kind == "phone":
        image = phone_photo(image, np.random.default_rng(seed))
    return SyntheticPage(image=image, lines=lines, dpi=dpi, kind=kind, font=font, degradation=how)


def _draw(kind: str, rng: random.Random, font: str, dpi: int) -> tuple[NDArray[np.uint8], list[str]]:
    """A clean page of ``kind`` and its printed lines."""
    if kind in ("roster", "register", "ledger"):
        rows = register_rows(rng) if kind != "roster" else roster_rows(rng)
        return render_table(rows, font=font, dpi=dpi, rules="rows" if kind == "ledger" else "grid"), [
            " ".join(row) for row in rows]
    if kind == "typed_list":
        rows = roster_rows(rng)
        return (render_table(rows, font=font, dpi=dpi, rules="none", title=TYPED_LIST_TITLE),
                [TYPED_LIST_TITLE] + [" ".join(row) for row in rows])
    if kind == "signed":
        return signed_page(rng, font, dpi)
    if kind == "handwritten":
        return handwritten_page(rng, font, dpi)
    lines = letter_lines(rng) if kind == "letter" else death_notice_lines(rng)
    if kind == "typewriter":
        return typewritten_page(lines, rng, font, dpi), lines
    return render_page(lines, font=font, dpi=dpi), lines
