"""Shared helpers for the agency views: names, IDs, addresses, nationalities of persons and organisations."""

from __future__ import annotations

import numpy as np

from synthworld.geo import address_text, geo
from synthworld.names import FOREIGN
from synthworld.noise import Noise
from synthworld.population import REF_DAY
from synthworld.rings import oid, pid
from synthworld.world import World

__all__ = ["NAT_ISO3", "NAT_TH", "Kit"]

NAT_TH = {"TH": "ไทย", **{k: v.nationality_th for k, v in FOREIGN.items()}}
NAT_ISO3 = {"TH": "THA", **{k: v.iso3 for k, v in FOREIGN.items()}}
_HOME = {"MM": "Yangon, Myanmar", "KH": "Battambang, Cambodia", "LA": "Savannakhet, Laos", "VN": "Ha Tinh, Vietnam"}


class Kit:
    """Vectorised per-person arrays and small lookups used by every view."""

    def __init__(self, w: World) -> None:
        self.w = w
        p = w.persons
        self.nat = p["nat"].to_numpy(dtype=object)
        self.prefix = p["prefix"].to_numpy(dtype=object)
        self.first_th = p["first_th"].to_numpy(dtype=object)
        self.last_th = p["last_th"].to_numpy(dtype=object)
        self.first_en = p["first_en"].to_numpy(dtype=object)
        self.last_en = p["last_en"].to_numpy(dtype=object)
        self.nid = p["nid"].to_numpy(dtype=object)
        self.pink = p["pink"].to_numpy(dtype=object)
        self.passport = p["passport"].to_numpy(dtype=object)
        self.phone = p["phone"].to_numpy(dtype=object)
        self.phone2 = p["phone2"].to_numpy(dtype=object)
        self.birth = p["birth"].to_numpy(dtype=np.int64)
        self.sex = p["sex"].to_numpy()
        self.house = p["house"].to_numpy()
        self.nickname = p["nickname"].to_numpy(dtype=object)
        self.plate = p["plate"].to_numpy(dtype=object)
        self.home: dict[int, str] = {}
        for r in w.routes:
            self.home[int(r["entity_id"][1:])] = r["origin"]

    def full_th(self, i: int, prefix: bool = True) -> str:
        """Thai-script full name (Cambodian and Vietnamese family first)."""
        pre = self.prefix[i] if prefix else ""
        first, last = self.first_th[i], self.last_th[i]
        if not last:
            return f"{pre}{first}"
        if self.nat[i] in ("KH", "VN"):
            return f"{pre}{last} {first}"
        return f"{pre}{first} {last}"

    def full_en(self, i: int) -> str:
        """Latin full name in the country's order."""
        first, last = self.first_en[i], self.last_en[i]
        if not last:
            return str(first)
        return f"{last} {first}" if self.nat[i] in ("KH", "VN") else f"{first} {last}"

    def id_of(self, i: int) -> str:
        """National ID, else pink card, else passport."""
        return str(self.nid[i] or self.pink[i] or self.passport[i])

    def id_type(self, i: int) -> str:
        """MSDHS document type of :meth:`id_of`."""
        return ("บัตรประชาชน" if self.nid[i] else "บัตรชมพู" if self.pink[i] else
                "หนังสือเดินทาง" if self.passport[i] else "ไม่มี")

    def address(self, i: int) -> str:
        """Home address: a Thai house, or a village and country abroad."""
        h = int(self.house[i])
        if h >= 0:
            hs = self.w.houses
            return address_text(str(hs.at[h, "house_no"]), int(hs.at[h, "moo"]), int(hs.at[h, "tambon"]))
        return self.home.get(i, _HOME.get(str(self.nat[i]), ""))

    def org_address(self, o: int) -> str:
        """Address of an organisation's premises."""
        t = int(self.w.companies.at[o, "tambon"])
        return address_text(f"{o % 300 + 1}/{o % 7 + 1}", o % 12 + 1, t)

    def age(self, i: int, day: int = REF_DAY) -> int:
        """Age in years on ``day``."""
        return int((day - self.birth[i]) // 365)

    def province_th(self, tambon: int) -> str:
        """Thai province name of a subdistrict index."""
        g = geo()
        return g.changwat_th[g.changwat_code[tambon]]

    @staticmethod
    def pid(i: int) -> str:
        """True person id."""
        return pid(i)

    @staticmethod
    def oid(i: int) -> str:
        """True organisation id."""
        return oid(i)

    def person_cells(self, people: list[int], noise: Noise, keys: list[int], name_col: str, id_col: str,
                     phone_col: str | None = None, nickname: bool = False,
                     both_phones: list[bool] | None = None) -> dict[str, list[str]]:
        """Name (Thai script, Latin sometimes), ID and phone cells of a list of persons, with noise."""
        names = [self.full_th(i) for i in people]
        latin = [self.full_en(i) for i in people]
        out = {name_col: noise.thai_name(names, keys, name_col, latin=latin, nickname=nickname),
               id_col: noise.ids([self.id_of(i) for i in people], keys, id_col)}
        if phone_col:
            out[phone_col] = noise.phones([self.phone[i] for i in people], [self.phone2[i] for i in people], keys,
                                          phone_col, both_phones)
        return out
