"""The words of unit designations, in folded form (lowercase, no diacritics, đ -> d).

Tables only: which head words name which echelon, which words name a branch, and
which words before a lone ``c2`` or ``B40`` say it is not a unit at all.
"""

from __future__ import annotations

from decoder.model import Level, Qualifier

#: Echelon head words written in full. "binh tram" (a Trường Sơn way station) ranked
#: with regiments, so it is read as one.
HEAD_WORDS: dict[str, Level] = {
    "tieu doi": Level.SQUAD,
    "trung doi": Level.PLATOON,
    "dai doi": Level.COMPANY,
    "tieu doan": Level.BATTALION,
    "trung doan": Level.REGIMENT,
    "binh tram": Level.REGIMENT,
    "lu doan": Level.BRIGADE,
    "su doan": Level.DIVISION,
    "dai doan": Level.DIVISION,
    "quan doan": Level.CORPS,
    "quan khu": Level.MILITARY_REGION,
    "mat tran": Level.FRONT,
    "chien truong": Level.THEATRE,
    "doan": Level.GROUP,
}

#: Capital abbreviations of head words, matched only in capitals (``QK4``, ``SĐ 308``).
HEAD_ABBREVIATIONS: dict[str, Level] = {
    "QK": Level.MILITARY_REGION,
    "QĐ": Level.CORPS,
    "QD": Level.CORPS,
    "SĐ": Level.DIVISION,
    "ĐĐ": Level.COMPANY,
}

#: The echelon letters used army-wide since 1949.
HEAD_LETTERS: dict[str, Level] = {
    "a": Level.SQUAD,
    "b": Level.PLATOON,
    "c": Level.COMPANY,
    "d": Level.BATTALION,
    "e": Level.REGIMENT,
    "f": Level.DIVISION,
}
#: The letter each lettered echelon is written with.
LEVEL_LETTERS: dict[Level, str] = {level: letter for letter, level in HEAD_LETTERS.items()}

#: Branch qualifiers, as words or letters, folded.
QUALIFIER_WORDS: dict[str, Qualifier] = {
    "bo binh": Qualifier.INFANTRY,
    "bb": Qualifier.INFANTRY,
    "phao cao xa": Qualifier.ANTI_AIRCRAFT,
    "cao xa": Qualifier.ANTI_AIRCRAFT,
    "phong khong": Qualifier.ANTI_AIRCRAFT,
    "pk": Qualifier.ANTI_AIRCRAFT,
    "phao binh": Qualifier.ARTILLERY,
    "pb": Qualifier.ARTILLERY,
    "cong binh": Qualifier.ENGINEERS,
    "cb": Qualifier.ENGINEERS,
    "thong tin": Qualifier.SIGNALS,
    "tt": Qualifier.SIGNALS,
    "dac cong": Qualifier.SAPPERS,
    "dc": Qualifier.SAPPERS,
    "xe tang": Qualifier.ARMOR,
    "tang thiet giap": Qualifier.ARMOR,
    "thiet giap": Qualifier.ARMOR,
    "quan y": Qualifier.MEDICAL,
    "sung coi": Qualifier.MORTAR,
    "van tai": Qualifier.TRANSPORT,
    "trinh sat": Qualifier.RECONNAISSANCE,
    "hau can": Qualifier.LOGISTICS,
}

#: Qualifiers too common as ordinary words to be read after a number ("cối").
QUALIFIER_WORDS_BEFORE_NUMBER_ONLY: dict[str, Qualifier] = {"coi": Qualifier.MORTAR}

#: Words that, right before a lone letter designation, show it is something else:
#: grave positions, addresses, hills ("đồi A1"), weapons and aircraft ("súng B40").
BLOCKING_WORDS: frozenset[str] = frozenset({
    "lo", "hang", "mo", "so", "khu", "nha", "phong", "xom", "duong", "ngo", "ngach",
    "pho", "tang", "day", "doi", "diem", "cao diem", "cu diem", "quoc lo", "tinh lo",
    "km", "may bay", "sung", "dan", "ten lua", "bom", "xe", "phao", "toa", "can",
    "ban", "lop", "o", "kho", "cong", "ham", "hop", "bang", "muc", "dieu", "phu luc",
    "trang", "to", "tap", "quyen", "ho so", "mau", "size", "kieu", "loai",
})

#: Weapons and aircraft that look exactly like a lone designation but are very unlikely
#: unit numbers. Ambiguous ones (``f5`` is also Sư đoàn 5) are left to BLOCKING_WORDS.
LOOKALIKE_CODES: frozenset[str] = frozenset({
    "a37", "b40", "b41", "b52", "c119", "c123", "c130", "d74", "f100", "f102", "f105",
    "f111",
})

#: Words after "Hòm thư" and the like that introduce a mailbox number.
MAILBOX_WORDS: tuple[str, ...] = ("hom thu", "hop thu", "ht")

#: Words before a name that show it is a place, not a unit's cover name.
PLACE_WORDS: frozenset[str] = frozenset({
    "xa", "huyen", "tinh", "thon", "lang", "que", "quan", "tai", "o", "pho", "thi xa",
    "thanh pho", "tp", "thi tran", "ap", "ban", "xom", "ve", "den", "tu", "sinh",
})

#: Words that join the parts of one chain ("c2 thuộc d5").
CHAIN_JOINERS: tuple[str, ...] = ("thuoc", "cua", "trong")
