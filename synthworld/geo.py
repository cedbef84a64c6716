"""Places: DOPA geocodes from geothai, address text, trafficking routes and checkpoints from the brief."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geothai
import numpy as np

__all__ = ["ROUTES", "Geo", "Route", "address_text", "geo"]


@dataclass(frozen=True)
class Geo:
    """Subdistrict table as parallel arrays, plus lookups of district and province names."""

    tambon_code: np.ndarray
    tambon_th: np.ndarray
    amphoe_code: np.ndarray
    changwat_code: np.ndarray
    postal: np.ndarray
    weight: np.ndarray
    amphoe_th: dict[str, str]
    changwat_th: dict[str, str]
    changwat_en: dict[str, str]

    def index_of_amphoe(self, amphoe: str) -> np.ndarray:
        """Indices of the subdistricts of one district."""
        return np.flatnonzero(self.amphoe_code == amphoe)


@lru_cache(maxsize=1)
def geo() -> Geo:
    """Load geothai's subdistricts once (sorted by code, so order never depends on the data files).

    Examples
    --------
    >>> g = geo()
    >>> g.changwat_th["63"], len(g.tambon_code) > 7000
    ('ตาก', True)
    """
    subs = sorted(geothai._subdistricts(), key=lambda s: s.code)  # the package exposes no public full list
    provinces = geothai.provinces()
    amphoe_th: dict[str, str] = {}
    for p in provinces:
        for d in geothai.districts(p.code):
            amphoe_th[d.code] = d.name_th
    code = np.array([s.code for s in subs], dtype=object)
    prov = np.array([s.province_code for s in subs], dtype=object)
    weight = np.where(prov == "10", 4.0, 1.0)  # Bangkok is dense
    return Geo(
        tambon_code=code,
        tambon_th=np.array([s.name_th for s in subs], dtype=object),
        amphoe_code=np.array([s.district_code for s in subs], dtype=object),
        changwat_code=prov,
        postal=np.array([s.postal_codes[0] if s.postal_codes else "" for s in subs], dtype=object),
        weight=weight / weight.sum(),
        amphoe_th=amphoe_th,
        changwat_th={p.code: p.name_th for p in provinces},
        changwat_en={p.code: p.name_en for p in provinces},
    )


def address_text(house_no: str, moo: int, tambon_idx: int) -> str:
    """Thai address text for a house in a subdistrict (Bangkok uses แขวง/เขต and no หมู่).

    Examples
    --------
    >>> g = geo()
    >>> i = int(np.flatnonzero((g.tambon_th == "แม่ปะ") & (g.amphoe_code == "6306"))[0])
    >>> address_text("99/9", 3, i)
    '99/9 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก 63110'
    """
    g = geo()
    t, a, c = g.tambon_th[tambon_idx], g.amphoe_code[tambon_idx], g.changwat_code[tambon_idx]
    if c == "10":
        khet = g.amphoe_th[a] if g.amphoe_th[a].startswith("เขต") else "เขต" + g.amphoe_th[a]
        return f"{house_no} แขวง{t} {khet} กรุงเทพมหานคร {g.postal[tambon_idx]}"
    return f"{house_no} หมู่ {moo} ต.{t} อ.{g.amphoe_th[a]} จ.{g.changwat_th[c]} {g.postal[tambon_idx]}"


@dataclass(frozen=True)
class Route:
    """One trafficking route of the brief."""

    name: str
    origin_country: str  # MM, KH, LA, VN or TH
    origin: str
    origin_amphoe: str  # for Thai origins: the district victims and recruiters come from
    checkpoints: tuple[str, ...]
    destinations: tuple[str, ...]  # amphoe codes in Thailand, or free text abroad
    exploitation: tuple[str, ...]
    employer_kind: str


ROUTES: tuple[Route, ...] = (
    Route("myawaddy-maesot-samutsakhon", "MM", "Myawaddy, Kayin State, Myanmar", "", ("Mae Sot",),
          ("7401", "9001"), ("ประมงทะเล", "แรงงานบังคับ"), "fishing vessel"),
    Route("kawthaung-ranong-fishing", "MM", "Kawthaung, Tanintharyi, Myanmar", "", ("Ranong",),
          ("7401", "8501"), ("ประมงทะเล",), "fishing vessel"),
    Route("poipet-aranyaprathet-bangkok", "KH", "Poipet, Banteay Meanchey, Cambodia", "", ("Aranyaprathet",),
          ("1001", "2004", "2001"), ("ขอทาน", "แสวงประโยชน์ทางเพศ", "แรงงานบังคับ"), "company"),
    Route("vientiane-nongkhai-bangkok", "LA", "Vientiane, Laos", "", ("Nong Khai",),
          ("1005", "1033"), ("แสวงประโยชน์ทางเพศ", "แรงงานบังคับ"), "karaoke bar"),
    Route("vietnam-laos-nongkhai-bangkok", "VN", "Nghe An, Vietnam", "", ("Nong Khai",),
          ("1005",), ("แรงงานบังคับ",), "company"),
    Route("chiangrai-hills-pattaya", "TH", "Chiang Rai hill village", "5709", (),
          ("2004", "1033"), ("แสวงประโยชน์ทางเพศ", "สื่อลามก"), "karaoke bar"),
    Route("transit-sadao-malaysia", "MM", "Myawaddy, Kayin State, Myanmar", "", ("Mae Sot", "Sadao"),
          ("Kuala Lumpur, Malaysia",), ("แรงงานบังคับ", "บังคับแต่งงาน"), "company"),
    Route("suvarnabhumi-abroad", "TH", "Udon Thani", "4101", ("Suvarnabhumi Airport",),
          ("Dubai, United Arab Emirates", "Tokyo, Japan", "Manama, Bahrain"), ("แสวงประโยชน์ทางเพศ",), "company"),
)
