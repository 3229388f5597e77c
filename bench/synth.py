"""Synthetic wartime documents with known text, degraded in controlled ways.

Renders invented Vietnamese death notices, letters and roster lines in several fonts
(two monospaced ones standing in for the typewriter), then skews, turns, blurs, stains,
fades and compresses them. The ground truth is the text as rendered, line by line.
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
#: What :func:`make_page` can make.
DOCUMENT_KINDS = ("death_notice", "letter", "roster", "register", "typed_list", "ledger")
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


def make_page(seed: int, *, kind: str = "death_notice", font: str = "DejaVuSerif.ttf", dpi: int = 200,
              degradation: Degradation | None = None) -> SyntheticPage:
    """A complete synthetic page, reproducible from its seed.

    ``kind`` is ``death_notice``, ``letter``, ``roster``, ``register``, ``typed_list`` (a
    roster under its title, with no rules) or ``ledger`` (a register ruled between its rows
    only); the ground truth
    of a table row is its cells joined by single spaces.
    """
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"no such kind of document: {kind!r}")
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
        lines = death_notice_lines(rng) if kind == "death_notice" else letter_lines(rng)
        clean = render_page(lines, font=font, dpi=dpi)
    image = degrade(clean, how, seed)
    return SyntheticPage(image=image, lines=lines, dpi=dpi, kind=kind, font=font, degradation=how)
