"""Generated person records and OCR-style damage, for the search tests and benchmark."""

from __future__ import annotations

import random
from datetime import date

from search.model import IndexDocument

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai"]
MIDDLES = ["Văn", "Đình", "Hữu", "Đức", "Công", "Quang", "Minh", "Xuân", "Thị", "Ngọc", "Bá", "Trọng"]
GIVEN = ["Thành", "Thanh", "Hùng", "Dũng", "Hải", "Sơn", "Tuấn", "Nam", "Bình", "Hòa", "Lâm", "Long",
         "Phúc", "Quý", "Tâm", "Thắng", "Toàn", "Trung", "Vinh", "Việt", "Cường", "Đạt", "Hiếu", "Khánh",
         "Lợi", "Mạnh", "Nghĩa", "Phong", "Quân", "Sáng", "Tài", "Thịnh", "Thuận", "Tiến", "Tùng",
         "Ước", "Xuyên", "Yên", "Ánh", "Bảo", "Chiến", "Diệu", "Hạnh", "Kiên", "Lực", "Nhân", "Oanh"]
PROVINCES = ["Hà Bắc", "Thái Bình", "Nam Hà", "Hải Hưng", "Nghệ Tĩnh", "Thanh Hóa", "Hà Tây", "Vĩnh Phú"]
#: What OCR does to Vietnamese letters: marks lost or changed, look-alike letters.
CONFUSIONS = {"a": "o", "o": "a", "n": "h", "h": "b", "u": "v", "c": "e", "e": "c", "i": "l",
              "m": "rn", "ă": "ǎ", "ơ": "o", "ư": "u", "đ": "d", "t": "f", "g": "q"}


def full_name(rng: random.Random) -> str:
    """A name as Vietnamese names are built: surname, middle name, one or two given names."""
    given = rng.choice(GIVEN) if rng.random() < 0.7 else f"{rng.choice(GIVEN)} {rng.choice(GIVEN)}"
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {given}"


def person(index: int, rng: random.Random) -> IndexDocument:
    """One generated martyr record as a search document."""
    name = full_name(rng)
    born = rng.randint(1930, 1956)
    died = date(rng.randint(max(born + 17, 1965), 1975), rng.randint(1, 12), rng.randint(1, 28))
    province = rng.choice(PROVINCES)
    unit = f"c{rng.randint(1, 20)} d{rng.randint(1, 9)} e{rng.randint(1, 270)} f{rng.randint(300, 340)}"
    body = (f"{name}\nsinh {born}\nxã {rng.choice(GIVEN)}, tỉnh {province}\n{unit}\n"
            f"hy sinh {died.isoformat()}")
    return IndexDocument(type="person", id=f"p{index:07d}", title=name, body=body, names=[name],
                         codes=[f"p{index:07d}", *unit.split()], provinces=[province], dates=[died],
                         summary=f"{born} · {province} · {unit}")


def people(count: int, seed: int = 7) -> list[IndexDocument]:
    """``count`` generated records, the same for the same seed."""
    rng = random.Random(seed)
    return [person(index, rng) for index in range(count)]


def misread(text: str, errors: int, rng: random.Random) -> str:
    """``text`` with ``errors`` OCR-style character errors, never in the first letter of a word."""
    chars = list(text)
    positions = [i for i, c in enumerate(chars) if c.lower() in CONFUSIONS and i and chars[i - 1] != " "]
    for position in rng.sample(positions, min(errors, len(positions))):
        replacement = CONFUSIONS[chars[position].lower()]
        chars[position] = replacement.upper() if chars[position].isupper() else replacement
    return "".join(chars)


def strip_marks(text: str) -> str:
    """What a family types on a phone without a Vietnamese keyboard."""
    from decoder.text import fold

    return fold(text)
