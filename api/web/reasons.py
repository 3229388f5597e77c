"""The decoder's reasons in Vietnamese, for the Vietnamese pages.

The decoder writes its reasons in English (the API's contract); they are built from a
small, fixed set of sentence forms. Each form is matched whole here and rebuilt in
Vietnamese from its parts; a sentence that matches no form is shown as it came, and a
test decodes thousands of generated texts to make sure none is left in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

LEVELS = {"squad": "tiểu đội", "platoon": "trung đội", "company": "đại đội", "battalion": "tiểu đoàn",
          "regiment": "trung đoàn", "brigade": "lữ đoàn", "division": "sư đoàn", "group": "đoàn",
          "corps": "quân đoàn", "military region": "quân khu", "front": "mặt trận", "theatre": "chiến trường"}
BRANCHES = {"infantry": "bộ binh", "artillery": "pháo binh", "anti_aircraft": "phòng không",
            "engineers": "công binh", "signals": "thông tin", "sappers": "đặc công",
            "armor": "tăng thiết giáp", "medical": "quân y", "mortar": "súng cối", "transport": "vận tải",
            "reconnaissance": "trinh sát", "logistics": "hậu cần"}
HOLDINGS = {"mailbox": "hòm thư", "cover name": "mật danh", "honorific name": "tên danh hiệu",
            "other name": "tên khác", "name": "tên"}
_LEVEL = "|".join(sorted(map(re.escape, LEVELS), key=len, reverse=True))
_DESCRIPTION = re.compile(rf"({_LEVEL}) (\S+)")
_HOLDING = re.compile("(" + "|".join(sorted(map(re.escape, HOLDINGS), key=len, reverse=True)) + r") (.+)")


def _description(text: str) -> str:
    """``regiment 88`` -> ``trung đoàn 88``."""
    found = _DESCRIPTION.fullmatch(text)
    return f"{LEVELS[found[1]]} {found[2]}" if found else text


def _descriptions(text: str) -> str:
    return ", ".join(_description(part) for part in text.split(", "))


def _period(text: str) -> str:
    """``from 1966-06 to 1975 and until 1980`` -> ``từ 1966-06 đến 1975 và đến 1980``."""
    parts = []
    for part in text.split(" and "):
        if found := re.fullmatch(r"from (\S+) to (\S+)", part):
            parts.append(f"từ {found[1]} đến {found[2]}")
        elif found := re.fullmatch(r"from (\S+)", part):
            parts.append(f"từ {found[1]}")
        elif found := re.fullmatch(r"until (\S+)", part):
            parts.append(f"đến {found[1]}")
        elif part == "at every recorded date":
            parts.append("ở mọi thời điểm được ghi nhận")
        elif part == "at another time":
            parts.append("vào thời điểm khác")
        else:
            parts.append(part)
    return " và ".join(parts)


def _holding(text: str) -> str:
    """``mailbox 47120 HN`` -> ``hòm thư 47120 HN``."""
    found = _HOLDING.fullmatch(text)
    return f"{HOLDINGS[found[1]]} {found[2]}" if found else text


def _branch(text: str) -> str:
    return BRANCHES.get(text, text)


_Builder = Callable[[re.Match[str]], str]
#: Every sentence form the resolver writes, whole, with its Vietnamese rebuilding.
_FORMS: list[tuple[re.Pattern[str], _Builder]] = [
    (re.compile(r"the mapping of (?P<what>.+) is not verified \(source: (?P<source>.+)\)"),
     lambda m: f"việc gán {_holding(m['what'])} chưa được xác minh (nguồn: {m['source']})"),
    (re.compile(r"the mapping of (?P<what>.+) is not verified"),
     lambda m: f"việc gán {_holding(m['what'])} chưa được xác minh"),
    (re.compile(r"the registry places (?P<subject>.+?) under (?P<actual>.+), not (?P<wanted>.+)"),
     lambda m: f"sổ đăng ký xếp {_description(m['subject'])} thuộc {m['actual']}, "
               f"không phải {_description(m['wanted'])}"),
    (re.compile(rf"the registry does not say which (?P<level>{_LEVEL}) (?P<subject>.+) belonged to"),
     lambda m: f"sổ đăng ký không ghi {_description(m['subject'])} thuộc {LEVELS[m['level']]} nào"),
    (re.compile(r"numbers in (?P<raw>'.*') were read through OCR errors"),
     lambda m: f"các chữ số trong {m['raw']} đã được sửa lỗi nhận dạng"),
    (re.compile(r"the number in (?P<raw>'.*') was read through OCR errors"),
     lambda m: f"chữ số trong {m['raw']} đã được sửa lỗi nhận dạng"),
    (re.compile(r"letters (?P<written>\S+) differ from the registry's (?P<held>\S+)"),
     lambda m: f"ký hiệu {m['written']} khác với ký hiệu {m['held']} trong sổ đăng ký"),
    (re.compile(r"written as (?P<written>\S+), but (?P<unit>.+) is (?P<branch>\S+)"),
     lambda m: f"ghi là {_branch(m['written'])}, nhưng {m['unit']} thuộc binh chủng {_branch(m['branch'])}"),
    (re.compile(r"(?P<written>.+): below what the registry records for (?P<unit>.+)"),
     lambda m: f"{_descriptions(m['written'])}: cấp dưới mà sổ đăng ký chưa ghi của {m['unit']}"),
    (re.compile(r"(?P<subject>.+?) was under (?P<wanted>.+?) only (?P<span>.+), not in (?P<when>\S+)"),
     lambda m: f"{_description(m['subject'])} chỉ trực thuộc {_description(m['wanted'])} "
               f"{_period(m['span'])}, không phải vào {m['when']}"),
    (re.compile(r"(?P<subject>.+?) is under (?P<wanted>.+) in the registry"),
     lambda m: f"{_description(m['subject'])} trực thuộc {_description(m['wanted'])} theo sổ đăng ký"),
    (re.compile(r"(?P<subject>.+?) is under (?P<wanted>.+) in (?P<when>\S+)"),
     lambda m: f"{_description(m['subject'])} trực thuộc {_description(m['wanted'])} vào {m['when']}"),
    (re.compile(r"(?P<what>.+) belonged to (?P<unit>.+) only (?P<span>.+), not in (?P<when>\S+)"),
     lambda m: f"{_holding(m['what'])} chỉ thuộc {m['unit']} {_period(m['span'])}, "
               f"không phải vào {m['when']}"),
    (re.compile(r"(?P<what>.+) belonged to (?P<unit>.+) in (?P<when>\S+) \((?P<span>.+)\)"),
     lambda m: f"{_holding(m['what'])} thuộc {m['unit']} vào {m['when']} ({_period(m['span'])})"),
    (re.compile(r"(?P<what>.+) belonged to (?P<unit>.+?) (?P<span>(?:from|until|at) .+)"),
     lambda m: f"{_holding(m['what'])} thuộc {m['unit']} {_period(m['span'])}"),
    (re.compile(r"(?P<unit>.+) existed (?P<span>.+), not in (?P<when>\S+)"),
     lambda m: f"{m['unit']} tồn tại {_period(m['span'])}, không phải vào {m['when']}"),
    (re.compile(rf"(?P<unit>.+) is (?P<description>(?:{_LEVEL}) \S+)"),
     lambda m: f"{m['unit']} là {_description(m['description'])}"),
]


def vietnamese_reason(reason: str) -> str:
    """``reason`` in Vietnamese, or as it is when its form is not known."""
    for pattern, build in _FORMS:
        if found := pattern.fullmatch(reason):
            return build(found)
    return reason
