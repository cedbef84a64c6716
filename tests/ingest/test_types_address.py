"""Addresses: parts, DOPA geocodes, Bangkok, English, province only, foreign places."""

import pytest

from ingest.types.address import address


@pytest.mark.parametrize(
    ("raw", "house_no", "moo", "code", "key", "flags"),
    [
        ("99/9 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก 63110", "99/9", "3", "630607", "TH:630607:99/9:3", ()),
        ("99/9 หมู่ที่ 3 ตำบลแม่ปะ อำเภอแม่สอด จังหวัดตาก", "99/9", "3", "630607", "TH:630607:99/9:3", ()),
        ("๙๙/๙ ม.๓ ต.แม่ปะ อ.แม่สอด จ.ตาก ๖๓๑๑๐", "99/9", "3", "630607", "TH:630607:99/9:3", ()),
        ("99/9 Moo 3, Mae Pa, Mae Sot, Tak 63110", "99/9", "3", "630607", "TH:630607:99/9:3", ()),
        ("12/3 ซอยสุขุมวิท 22 ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพมหานคร 10110", "12/3", None, "103301",
         "TH:103301:12/3", ()),
        ("แขวงคลองเตย เขตคลองเตย กทม.", None, None, "103301", "TH:103301", ()),
        ("Khlong Toei, Bangkok", None, None, "1033", "TH:1033", ()),
        ("อ.เมือง จ.ตาก", None, None, "6301", "TH:6301", ()),
        ("ต.ในเมือง อ.เมือง จ.ขอนแก่น", None, None, "400101", "TH:400101", ()),
        ("บ้านเลขที่ 5 ม.2 ต.มหาชัย อ.เมืองสมุทรสาคร จ.สมุทรสาคร", "5", "2", "740101", "TH:740101:5:2", ()),
        ("ตาก", None, None, "63", "TH:63", ("province_only",)),
        ("จังหวัดตาก", None, None, "63", "TH:63", ("province_only",)),
        ("Songkhla", None, None, "90", "TH:90", ("province_only",)),
        ("99/9 ต.แม่ปะ อ.แม่สอด จ.ตาก 10110", "99/9", None, "630607", "TH:630607:99/9", ("postcode_mismatch",)),
        ("ต.แม่ปะ", None, None, None, None, ("ambiguous_area", "unresolved")),
        ("somewhere", None, None, None, None, ("unresolved",)),
        ("", None, None, None, None, ("empty",)),
    ],
)
def test_thai_addresses(raw, house_no, moo, code, key, flags):
    a = address(raw)
    assert (a.raw, a.house_no, a.moo, a.code, a.key, a.flags) == (raw, house_no, moo, code, key, flags)


def test_parts_are_kept():
    a = address("99/9 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก 63110")
    assert (a.tambon, a.amphoe, a.changwat, a.postcode, a.country) == ("แม่ปะ", "แม่สอด", "ตาก", "63110", "THA")


@pytest.mark.parametrize(
    ("raw", "country", "key"),
    [
        ("Myawaddy, Kayin State, Myanmar", "MMR", "MMR:myawaddy"),
        ("เมียวดี ประเทศเมียนมา", "MMR", "MMR:myawaddy"),
        ("Poipet, Banteay Meanchey, Cambodia", "KHM", "KHM:poipet"),
        ("ปอยเปต", "KHM", "KHM:poipet"),
        ("เวียงจันทน์ สปป.ลาว", "LAO", "LAO:vientiane"),
        ("Lashio, Shan State, Myanmar", "MMR", "MMR:lashio"),
        ("บ้านห้วยน้ำขุ่น ประเทศลาว", "LAO", "LAO:บ้านห้วยน้ำขุ่น"),
        ("ประเทศกัมพูชา", "KHM", "KHM"),
    ],
)
def test_foreign_places(raw, country, key):
    a = address(raw)
    assert (a.country, a.key, a.flags, a.code) == (country, key, ("foreign",), None)


def test_same_place_in_thai_and_english_meets():
    assert address("99/9 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก").key == address("99/9 Moo 3, Mae Pa, Mae Sot, Tak").key
    assert address("99/9 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก").key != address("99/8 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก").key
