"""Synthetic wartime documents with known text, degraded in controlled ways.

Renders invented Vietnamese death notices, letters and roster lines in several fonts
(a monospaced one standing in for the typewriter), then skews, turns, blurs, stains,
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

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/freefont"))
FONTS = ("DejaVuSerif.ttf", "DejaVuSans.ttf", "DejaVuSansMono.ttf", "FreeMono.ttf", "FreeSerif.ttf")

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Hữu", "Đình", "Quang", "Minh", "Xuân", "Đức")
GIVEN = ("Thành", "Hùng", "Lợi", "Tuấn", "Sơn", "Hải", "Bình", "Dũng", "Nghĩa", "Thắng", "Quý", "Hòa")
COMMUNES = ("Yên Phong", "Tiên Du", "Quỳnh Lưu", "Hải Hậu", "Thanh Oai", "Kim Sơn", "Đông Anh")
PROVINCES = ("Hà Bắc", "Nghệ Tĩnh", "Hà Nam Ninh", "Hà Sơn Bình", "Thái Bình", "Hải Hưng", "Vĩnh Phú")
PLACES = ("Quảng Trị", "Khe Sanh", "Kon Tum", "Tây Ninh", "Bình Long", "Đắk Tô")
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
    """A complete synthetic page, reproducible from its seed."""
    rng = random.Random(seed)
    lines = death_notice_lines(rng) if kind == "death_notice" else letter_lines(rng)
    how = degradation or Degradation()
    image = degrade(render_page(lines, font=font, dpi=dpi), how, seed)
    return SyntheticPage(image=image, lines=lines, dpi=dpi, kind=kind, font=font, degradation=how)
