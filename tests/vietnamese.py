"""Every Vietnamese letter, for the text and encoding tests."""

from __future__ import annotations

import unicodedata

VOWELS = "a ă â e ê i o ô ơ u ư y".split()
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
LOWER = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]
UPPER = [letter.upper() for letter in LOWER]
ALL_LETTERS = LOWER + UPPER  # 146 letters
SENTENCES = [
    "Nguyễn Văn Thành, quê quán xã Yên Phong, tỉnh Hà Bắc, hy sinh ngày 15 tháng 7 năm 1972",
    "Đồng chí Trần Thị Hoa, nhập ngũ tháng 3 năm 1968, chiến sĩ Đại đội 2",
    "Liệt sĩ hy sinh tại mặt trận phía Nam, an táng tại nghĩa trang Trường Sơn",
    "Giấy báo tử: đơn vị Sư đoàn 308 xin thông báo cùng gia đình",
]
