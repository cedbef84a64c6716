"""Which romanisation engine and folding make Thai-script names meet their Latin spellings?

Run: ``.venv/bin/python benchmarks/romanisation.py``. Engines that are not installed are skipped
(``thai2rom_onnx`` needs ``onnxruntime``; ``tltk`` conflicts with this project's numpy/scikit-learn and is
measured from a side virtualenv: ``PYTHONPATH=. /path/to/other/python benchmarks/romanisation.py``).

For every engine x folding it prints, on each table of Thai name -> Latin spellings seen in records:
recall (share of Thai/Latin pairs of the same name whose keys are equal), false matches (share of pairs of
different names whose keys are equal) and microseconds per token (uncached). The ``dev`` table is the one
the folding rules were written against; the ``heldout`` table was written before the rules were last
changed and never used to tune them, so its figures are the honest ones. ``thai`` is the same for Thai
phonetic codes on Thai spelling variants.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Callable
from itertools import combinations

from pythainlp.soundex import soundex
from pythainlp.transliterate import romanize

from ingest.types.names.romanise import fold_latin

DEV: dict[str, tuple[str, ...]] = {
    "สมชาย": ("Somchai", "Somchay"), "สมศักดิ์": ("Somsak", "Somsakdi"), "สมศรี": ("Somsri", "Somsee"),
    "ประเสริฐ": ("Prasert", "Prasoet", "Prasirt"), "บุญมา": ("Boonma", "Bunma"),
    "บุญมี": ("Boonmee", "Bunmi", "Boonmi"), "ทองดี": ("Thongdee", "Tongdee", "Thongdi"),
    "สุรชัย": ("Surachai", "Surachay"), "วิชัย": ("Wichai", "Vichai", "Wichay"),
    "ชัยวัฒน์": ("Chaiwat", "Chaiwath", "Chaiwatt"), "สมพร": ("Somporn", "Somphon", "Somphorn"),
    "สุนทร": ("Sunthorn", "Soonthorn", "Sunthon"), "ณัฐพล": ("Nattapon", "Natthaphon", "Nattaphol", "Nuttapon"),
    "กิตติ": ("Kitti", "Kittee"), "ธนพล": ("Thanapol", "Tanapon", "Thanaphon"), "อนุชา": ("Anucha", "Anuchar"),
    "พงศ์ศักดิ์": ("Pongsak", "Phongsak"), "ศักดิ์ชัย": ("Sakchai", "Sakchay"), "วิไล": ("Wilai", "Vilai"),
    "มาลี": ("Malee", "Mali"), "สุดา": ("Suda",), "นภา": ("Napa", "Napha"),
    "จันทร์เพ็ญ": ("Chanpen", "Janpen", "Chanphen"), "เพ็ญศรี": ("Pensri", "Phensri", "Pensee"),
    "สุนีย์": ("Sunee", "Suni"), "อรุณี": ("Arunee", "Aruni"), "ปราณี": ("Pranee", "Prani"),
    "นิตยา": ("Nittaya", "Nitaya"), "ดวงใจ": ("Duangjai", "Duangchai"), "รัตนา": ("Rattana", "Ratana"),
    "กาญจนา": ("Kanchana", "Kanjana", "Karnjana"), "ศิริพร": ("Siriporn", "Siriphon", "Siriphorn"),
    "อำไพ": ("Ampai", "Amphai"), "สมหญิง": ("Somying",), "บัวผัน": ("Buaphan", "Buapan"),
    "ใจดี": ("Jaidee", "Chaidee", "Jai-dee", "Chaidi"), "ศรีสุข": ("Srisuk", "Sisuk", "Srisook"),
    "สุขสวัสดิ์": ("Suksawat", "Sooksawat", "Suksawad"), "วงศ์สวัสดิ์": ("Wongsawat", "Wongsawad", "Vongsawat"),
    "แก้วมณี": ("Kaewmanee", "Kaeomani", "Keawmanee"), "ทองคำ": ("Thongkham", "Tongkham", "Thongkam"),
    "บุญเรือง": ("Boonruang", "Bunrueang", "Boonrueng"), "ศรีวงศ์": ("Sriwong", "Siwong", "Srivong"),
    "จันทร์แก้ว": ("Chankaew", "Jankaew", "Chankaeo"), "พรหมมา": ("Promma", "Phromma", "Prommar"),
    "สายทอง": ("Saithong", "Saitong", "Saythong"), "มีสุข": ("Meesuk", "Misuk", "Meesook"),
    "ทองมา": ("Thongma", "Tongma"), "แสงทอง": ("Saengthong", "Sangthong", "Sangtong"),
    "รุ่งเรือง": ("Rungruang", "Rungrueang", "Roongruang"), "ชัยมงคล": ("Chaimongkol", "Chaimongkon", "Jaimongkol"),
    "เพชรรัตน์": ("Petcharat", "Phetcharat", "Phetrat"), "สมบูรณ์": ("Somboon", "Sombun"),
    "อินทร์แก้ว": ("Inkaew", "Inkaeo"), "คำแก้ว": ("Khamkaew", "Kamkaew", "Khamkaeo"),
    "ปัญญาดี": ("Panyadee", "Punyadee", "Panyadi"), "วงศ์ใหญ่": ("Wongyai", "Vongyai"),
    "สุวรรณรัตน์": ("Suwannarat", "Suwanarat", "Suvannarat"), "ธนากร": ("Thanakorn", "Tanakorn", "Thanakon"),
    "เจริญสุข": ("Charoensuk", "Jaroensuk", "Charoensook"), "ประสิทธิ์": ("Prasit", "Prasith", "Prasitt"),
    "สุขใจ": ("Sukjai", "Sukchai", "Sookjai"),
}

HELDOUT: dict[str, tuple[str, ...]] = {
    "ธีรศักดิ์": ("Teerasak", "Thirasak", "Theerasak"), "อภิชาติ": ("Apichart", "Aphichat", "Apichat"),
    "วีระพงษ์": ("Weerapong", "Wiraphong", "Veerapong"), "สุภาพร": ("Supaporn", "Suphaphon", "Supaphorn"),
    "จิราพร": ("Jiraporn", "Chiraphon", "Jiraphorn"), "เกียรติศักดิ์": ("Kiattisak", "Kiatsak", "Kiatisak"),
    "ปิยะพงษ์": ("Piyapong", "Piyaphong"), "อุดม": ("Udom", "Oudom"), "ชาญชัย": ("Chanchai", "Charnchai", "Janchai"),
    "นงลักษณ์": ("Nongluck", "Nonglak", "Nongluk"), "ลำดวน": ("Lamduan", "Lumduan"),
    "ทองใบ": ("Thongbai", "Tongbai"), "เสาวลักษณ์": ("Saowalak", "Saowaluck", "Sauwaluk"),
    "พิมพ์ใจ": ("Pimjai", "Phimchai", "Pimchai"), "สายสุนีย์": ("Saisunee", "Saisuni"),
    "บุญส่ง": ("Boonsong", "Bunsong"), "ไพโรจน์": ("Pairoj", "Phairot", "Pairote"),
    "ยุทธนา": ("Yuttana", "Yutthana", "Yuthana"), "อัมพร": ("Amporn", "Amphon", "Ampon"),
    "สมคิด": ("Somkid", "Somkit"), "รักษาศรี": ("Raksasri", "Raksasi"), "ทองสุข": ("Thongsuk", "Tongsook"),
    "บุญประเสริฐ": ("Boonprasert", "Bunprasoet"), "เกิดผล": ("Kerdphol", "Koetphon", "Kerdpol"),
    "ศรีสมบูรณ์": ("Srisomboon", "Sisombun"), "พึ่งบุญ": ("Phungboon", "Pungbun", "Phuengbun"),
    "ใจกว้าง": ("Jaikwang", "Chaikwang"), "ดีมาก": ("Deemak", "Dimak"),
    "สุขประเสริฐ": ("Sukprasert", "Sookprasert"), "อ่อนศรี": ("Onsri", "Aonsri", "Onsi"),
    "มั่นคง": ("Mankong", "Munkong", "Mankhong"), "แสนสุข": ("Saensuk", "Sansook", "Saensook"),
    "เทพสุวรรณ": ("Thepsuwan", "Tepsuwan"), "ยอดดี": ("Yoddee", "Yotdi"),
    "นาคสวัสดิ์": ("Naksawat", "Nagsawat", "Naksawad"), "คงสมบัติ": ("Kongsombat", "Khongsombat"),
    "วิเศษศรี": ("Wisetsri", "Visetsri", "Wisetsi"), "เหลืองอ่อน": ("Luangon", "Lueangon", "Leuang-on"),
}

# Foreign names as a Thai officer writes them, with the spelling on the passport.
FOREIGN: dict[str, tuple[str, ...]] = {
    "อ่อง": ("Aung",), "จ่อ": ("Kyaw",), "มิน": ("Min",), "ตุน": ("Tun", "Htun"), "วิน": ("Win",),
    "หม่อง": ("Maung", "Mg"), "ขิ่น": ("Khin",), "เหงียน": ("Nguyen",), "สก": ("Sok",), "เฮง": ("Heng",),
    "ซาน": ("San",), "โซ": ("Soe",), "หล่า": ("Hla",), "คำพอน": ("Khamphone", "Kham Phone"),
}

# Thai spelling variants of one name (officers and systems write them differently).
THAI_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("วงศ์สวัสดิ์", "วงษ์สวัสดิ์", "วงส์สวัสดิ์"), ("ศรีสุข", "สีสุข"), ("จันทร์แก้ว", "จันแก้ว"),
    ("พงศ์ศักดิ์", "พงษ์ศักดิ์"), ("ณัฐพล", "นัฐพล", "ณัฏฐพล"), ("สมบูรณ์", "สมบูรณ", "สมบูรน์"),
    ("ศิริพร", "สิริพร"), ("ภัทรา", "พัทรา"), ("ชัยวัฒน์", "ไชยวัฒน์", "ชัยวัฒ"), ("รัตนา", "รัตตนา"),
    ("เพชรรัตน์", "เพ็ชรรัตน์"), ("ปัญญาดี", "ปัญาดี"), ("กาญจนา", "กาญจนาฯ", "การจนา"), ("ประเสริฐ", "ประเสริด"),
    ("สุวรรณ", "สุวัณ", "สุวรรณ์"), ("ธนพล", "ทนพล"), ("บุญเรือง", "บุญเรื่อง"), ("อำไพ", "อำภัย"),
)

_LOWER = re.compile(r"[^a-z]+")
FOLDS: dict[str, Callable[[str], str]] = {
    "lower": lambda s: _LOWER.sub("", s.lower()),
    "phonetic": fold_latin,
}


def available_engines() -> list[str]:
    engines = ["royin", "lookup"]
    if importlib.util.find_spec("onnxruntime"):
        engines.append("thai2rom_onnx")
    if importlib.util.find_spec("tltk"):
        engines.append("tltk")
    return engines


def measure(keys: dict[str, set[str]], table: dict[str, tuple[str, ...]], fold: Callable[[str], str]
            ) -> tuple[float, float]:
    """Recall on same-name pairs and false-match rate on different-name pairs."""
    hits = total = false = cross = 0
    latin = {th: {fold(v) for v in variants} for th, variants in table.items()}
    for th, variants in table.items():
        for v in variants:
            total += 1
            hits += bool(keys[th] & {fold(v)})
        for other, folded in latin.items():
            if other != th:
                cross += len(folded)
                false += len(keys[th] & folded)
    return hits / total, false / cross


def main() -> None:
    tables = {"dev": DEV, "heldout": HELDOUT, "foreign": FOREIGN}
    engines = available_engines()
    romanised: dict[str, dict[str, str]] = {}
    print(f"{'engine':<22}{'fold':<10}" + "".join(f"{n + ' rec':>13}{n + ' FM':>13}" for n in tables) + "   us/token")
    for engine in engines:
        words = [w for table in tables.values() for w in table]
        romanize(words[0], engine=engine)  # load the model outside the timing
        start = time.perf_counter()
        romanised[engine] = {w: romanize(w, engine=engine) for w in words}
        per_token = (time.perf_counter() - start) / len(words) * 1e6
        for fold_name, fold in FOLDS.items():
            row = f"{engine:<22}{fold_name:<10}"
            for table in tables.values():
                keys = {th: {fold(romanised[engine][th])} for th in table}
                recall, fm = measure(keys, table, fold)
                row += f"{recall:>13.1%}{fm:>13.2%}"
            print(row + f"{per_token:>11.0f}")
    for a, b in combinations(engines, 2):  # a name meets if either engine's key meets
        row = f"{a + '|' + b:<22}{'phonetic':<10}"
        for table in tables.values():
            keys = {th: {fold_latin(romanised[a][th]), fold_latin(romanised[b][th])} for th in table}
            recall, fm = measure(keys, table, fold_latin)
            row += f"{recall:>13.1%}{fm:>13.2%}"
        print(row)
    print("\nThai phonetic codes on Thai spelling variants")
    for engine in ("lk82", "udom83", "metasound", "prayut_and_somchai"):
        codes = [[soundex(w, engine=engine) for w in group] for group in THAI_VARIANTS]
        pairs = [(a, b) for group in codes for a, b in combinations(group, 2)]
        recall = sum(a == b for a, b in pairs) / len(pairs)
        firsts = [group[0] for group in codes]
        cross = [(a, b) for a, b in combinations(firsts, 2)]
        fm = sum(a == b for a, b in cross) / len(cross)
        start = time.perf_counter()
        for group in THAI_VARIANTS:
            for w in group:
                soundex(w, engine=engine)
        per_token = (time.perf_counter() - start) / sum(map(len, THAI_VARIANTS)) * 1e6
        print(f"{engine:<22}recall {recall:6.1%}   false matches {fm:6.2%}   {per_token:6.0f} us/token")


if __name__ == "__main__":
    main()
