"""Person and organisation names: titles, aliases, scripts, and keys that meet (or must not)."""

import pytest

from ingest.types.names import fold_latin, name_tokens, org_name, person_name, romanised_key, thai_phonetic


@pytest.mark.parametrize(
    ("raw", "prefix", "rank", "given", "family", "aliases", "sex"),
    [
        ("นายสมชาย ใจดี (เสี่ยหนุ่ย)", "นาย", None, "สมชาย", "ใจดี", ("เสี่ยหนุ่ย",), "M"),
        ('นาย สมชาย ใจดี "หนุ่ย"', "นาย", None, "สมชาย", "ใจดี", ("หนุ่ย",), "M"),
        ("สมชาย ใจดี หรือ เสี่ยหนุ่ย", None, None, "สมชาย", "ใจดี", ("เสี่ยหนุ่ย",), None),
        ("นางสาวสมศรี มีสุข", "นางสาว", None, "สมศรี", "มีสุข", (), "F"),
        ("น.ส.สมศรี มีสุข", "น.ส.", None, "สมศรี", "มีสุข", (), "F"),
        ("นางมาลี ทองดี", "นาง", None, "มาลี", "ทองดี", (), "F"),
        ("ด.ช.บุญมา ศรีสุข", "ด.ช.", None, "บุญมา", "ศรีสุข", (), "M"),
        ("เด็กหญิงมาลี ทองดี", "เด็กหญิง", None, "มาลี", "ทองดี", (), "F"),
        ("ร.ต.อ. ประเสริฐ บุญเรือง", None, "ร.ต.อ.", "ประเสริฐ", "บุญเรือง", (), None),
        ("พ.ต.ท.หญิง สมศรี มีสุข", None, "พ.ต.ท.หญิง", "สมศรี", "มีสุข", (), "F"),
        ("พล.ต.อ.สมศักดิ์ วงศ์ใหญ่", None, "พล.ต.อ.", "สมศักดิ์", "วงศ์ใหญ่", (), None),
        ("ส.ต.ท. วิชัย แก้วมณี", None, "ส.ต.ท.", "วิชัย", "แก้วมณี", (), None),
        ("จ.ส.ต.วิชัย แก้วมณี", None, "จ.ส.ต.", "วิชัย", "แก้วมณี", (), None),
        ("พันตำรวจโทสมชาย ใจดี", None, "พันตำรวจโท", "สมชาย", "ใจดี", (), None),
        ("Mr. Somchai Jaidee", "Mr.", None, "Somchai", "Jaidee", (), "M"),
        ("คุณากร ใจดี", None, None, "คุณากร", "ใจดี", (), None),  # คุณ only with a space
    ],
)
def test_titles_and_aliases(raw, prefix, rank, given, family, aliases, sex):
    p = person_name(raw)
    assert (p.prefix, p.rank, p.given, p.family, p.aliases, p.sex) == (prefix, rank, given, family, aliases, sex)
    assert p.raw == raw


@pytest.mark.parametrize(
    ("raw", "nationality", "honorific", "given", "family"),
    [
        ("Mg Aung Kyaw", "MMR", "Mg", "Aung Kyaw", None),
        ("MAUNG AUNG KYAW", "MMR", "MAUNG", "AUNG KYAW", None),
        ("Daw Khin Mya", "MMR", "Daw", "Khin Mya", None),
        ("Ko Ko Aung", "MMR", None, "Ko Ko Aung", None),  # Ko Ko is a name, not an honorific
        ("อู อ่อง จ่อ", "MMR", "อู", "อ่อง จ่อ", None),
        ("Sok Dara", "KHM", None, "Dara", "Sok"),
        ("NGUYEN VAN AN", "VNM", None, "VAN AN", "NGUYEN"),
    ],
)
def test_foreign_names(raw, nationality, honorific, given, family):
    p = person_name(raw, nationality)
    assert (p.honorific, p.given, p.family) == (honorific, given, family)


def test_both_scripts_kept():
    p = person_name("สมชาย ใจดี (Somchai Jaidee)")
    assert (p.thai, p.latin, p.aliases) == ("สมชาย ใจดี", "Somchai Jaidee", ())
    assert p.script == "thai" and len(p.keys) == 1


@pytest.mark.parametrize(
    "other",
    ["Somchai Jaidee", "Somchai Chaidee", "Somchai Jai-dee", "SOMCHAI JAIDEE", "Jaidee Somchai",
     "Mr. Somchay Chaidi", "นาย สมชาย ใจดี"],
)
def test_romanised_key_meets(other):
    assert person_name("นายสมชาย ใจดี").key == person_name(other).key


@pytest.mark.parametrize(
    "other", ["Somsak Jaidee", "Somchai Jaiyen", "Somchai", "สมศักดิ์ ใจดี", "Sompong Chaidee"],
)
def test_romanised_key_does_not_meet(other):
    assert person_name("นายสมชาย ใจดี").key != person_name(other).key


@pytest.mark.parametrize(
    ("a", "b"),
    [("Boonma", "Bunma"), ("Prasert", "Prasoet"), ("Kanchana", "Karnjana"), ("Chaimongkol", "Chaimongkon"),
     ("Srisuk", "Sisuk"), ("Nattapon", "Natthaphon"), ("Kaew", "Kaeo"), ("Wongsawad", "Vongsawat")],
)
def test_fold_latin_meets(a, b):
    assert fold_latin(a) == fold_latin(b)


@pytest.mark.parametrize(("a", "b"), [("Somchai", "Somsak"), ("Boonma", "Boonmee"), ("Chai", "Chan")])
def test_fold_latin_keeps_apart(a, b):
    assert fold_latin(a) != fold_latin(b)


def test_thai_phonetic_meets_spelling_variants():
    assert thai_phonetic("พงศ์ศักดิ์") == thai_phonetic("พงษ์ศักดิ์")
    assert thai_phonetic("ศรีสุข") == thai_phonetic("สีสุข")
    assert thai_phonetic("ศรีสุข") != thai_phonetic("ใจดี")
    assert thai_phonetic("Somchai") == ""


def test_name_tokens_ignore_order_and_case():
    assert name_tokens("Sok Dara") == name_tokens("DARA SOK") == ("dara", "sok")
    assert romanised_key(["Dara", "Sok"]) == romanised_key(["Sok", "Dara"])


@pytest.mark.parametrize(
    ("raw", "flags"),
    [("", ("empty",)), ("-", ("empty",)), ("นาย", ("title_only",)), ("นาย 123", ("no_letters",)), ("สมชาย", ("single_token",)),
     ("สมชาย Jaidee", ("mixed_script",)), ("ร.ต.ห. สมชาย ใจดี", ("unknown_title",)),
     ("สมชาย ใจดี 2", ("digits_in_name",))],
)
def test_flags(raw, flags):
    assert person_name(raw).flags == flags


@pytest.mark.parametrize(
    ("raw", "value", "legal_form"),
    [
        ("บริษัท สยามซีฟู้ด จำกัด", "สยามซีฟู้ด", "company_limited"),
        ("บริษัทสยามซีฟู้ดจำกัด", "สยามซีฟู้ด", "company_limited"),
        ("บจก.สยามซีฟู้ด", "สยามซีฟู้ด", "company_limited"),
        ("บริษัท สยามซีฟู้ด จำกัด (มหาชน)", "สยามซีฟู้ด", "public_company_limited"),
        ("ห้างหุ้นส่วนจำกัด ทองดีการประมง", "ทองดีการประมง", "limited_partnership"),
        ("หจก. ทองดีการประมง", "ทองดีการประมง", "limited_partnership"),
        ("Siam Seafood Co., Ltd.", "Siam Seafood", "company_limited"),
        ("SIAM SEAFOOD COMPANY LIMITED", "SIAM SEAFOOD", "company_limited"),
        ("Siam Seafood Public Company Limited", "Siam Seafood", "public_company_limited"),
        ("มูลนิธิ เพื่อนหญิง", "เพื่อนหญิง", "foundation"),
        ("Golden Star Karaoke", "Golden Star Karaoke", None),
    ],
)
def test_org_name(raw, value, legal_form):
    o = org_name(raw)
    assert (o.value, o.legal_form) == (value, legal_form)


def test_org_keys_meet_and_differ():
    assert org_name("บริษัท สยามซีฟู้ด จำกัด").key == org_name("บจก.สยามซีฟู้ด").key
    assert org_name("Siam Seafood Co.,Ltd").key == org_name("SIAM SEAFOOD COMPANY LIMITED").key
    assert org_name("Siam Seafood Co.,Ltd").key != org_name("Siam Fishery Co.,Ltd").key
    assert org_name("บริษัท จำกัด").flags == ("legal_form_only",)
