"""Bank accounts (bank code + account number), amounts in THB, and court sentences written as text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.types._common import clean_text

__all__ = ["BANKS", "Amount", "BankAccount", "Sentence", "amount", "bank_account", "bank_code", "sentence"]

#: Bank of Thailand bank code -> (short name, English name, Thai name, account lengths in digits).
BANKS: dict[str, tuple[str, str, str, tuple[int, ...]]] = {
    "002": ("BBL", "Bangkok Bank", "ธนาคารกรุงเทพ", (10,)),
    "004": ("KBANK", "Kasikornbank", "ธนาคารกสิกรไทย", (10,)),
    "006": ("KTB", "Krung Thai Bank", "ธนาคารกรุงไทย", (10,)),
    "011": ("TTB", "TMBThanachart Bank", "ธนาคารทหารไทยธนชาต", (10,)),
    "014": ("SCB", "Siam Commercial Bank", "ธนาคารไทยพาณิชย์", (10,)),
    "017": ("CITI", "Citibank", "ธนาคารซิตี้แบงก์", (10,)),
    "020": ("SCBT", "Standard Chartered Bank (Thai)", "ธนาคารสแตนดาร์ดชาร์เตอร์ด", (10,)),
    "022": ("CIMBT", "CIMB Thai Bank", "ธนาคารซีไอเอ็มบีไทย", (10,)),
    "024": ("UOBT", "United Overseas Bank (Thai)", "ธนาคารยูโอบี", (10,)),
    "025": ("BAY", "Bank of Ayudhya (Krungsri)", "ธนาคารกรุงศรีอยุธยา", (10,)),
    "030": ("GSB", "Government Savings Bank", "ธนาคารออมสิน", (12, 10)),
    "033": ("GHB", "Government Housing Bank", "ธนาคารอาคารสงเคราะห์", (12, 10)),
    "034": ("BAAC", "Bank for Agriculture and Agricultural Cooperatives",
            "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", (12, 10)),
    "065": ("TBANK", "Thanachart Bank", "ธนาคารธนชาต", (10,)),
    "066": ("IBANK", "Islamic Bank of Thailand", "ธนาคารอิสลามแห่งประเทศไทย", (10, 12)),
    "067": ("TISCO", "TISCO Bank", "ธนาคารทิสโก้", (10,)),
    "069": ("KKP", "Kiatnakin Phatra Bank", "ธนาคารเกียรตินาคินภัทร", (10,)),
    "070": ("ICBCT", "ICBC (Thai)", "ธนาคารไอซีบีซี (ไทย)", (10,)),
    "071": ("TCRB", "Thai Credit Bank", "ธนาคารไทยเครดิต", (10,)),
    "073": ("LHFG", "Land and Houses Bank", "ธนาคารแลนด์ แอนด์ เฮ้าส์", (10,)),
    "098": ("SMEB", "SME Development Bank", "ธนาคารพัฒนาวิสาหกิจขนาดกลางและขนาดย่อม", (10,)),
}
_ALIASES = {"กรุงเทพ": "002", "กสิกร": "004", "กสิกรไทย": "004", "kasikorn": "004", "กรุงไทย": "006",
            "ทหารไทย": "011", "tmb": "011", "ทีเอ็มบีธนชาต": "011", "ทีทีบี": "011", "ไทยพาณิชย์": "014",
            "กรุงศรี": "025", "กรุงศรีอยุธยา": "025", "krungsri": "025", "ออมสิน": "030", "ธอส.": "033",
            "ธอส": "033", "ธกส.": "034", "ธ.ก.ส.": "034", "ธกส": "034", "ธนชาต": "065", "ยูโอบี": "024",
            "ซีไอเอ็มบี": "022", "เกียรตินาคิน": "069", "ทิสโก้": "067"}
_BANK_WORD = re.compile(r"^(?:ธนาคาร|ธ\.|bank\s*(?:of\s*)?)\s*", re.IGNORECASE)
_NORM = re.compile(r"[\s\-_.()]+")


def _lookup_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, (short, english, thai, _lengths) in BANKS.items():
        for name in (code, str(int(code)), short, english, thai, _BANK_WORD.sub("", thai)):
            table[_NORM.sub("", name.lower())] = code
    for name, code in _ALIASES.items():
        table[_NORM.sub("", name.lower())] = code
    return table


_BANK_NAMES = _lookup_table()
_PREFIXED = re.compile(r"^\s*([A-Za-z\u0e00-\u0e7f.\s]+?|\d{3})\s*[:\-/ ]\s*(?=\d)")


@dataclass(frozen=True, slots=True)
class BankAccount:
    """A bank account as read; ``value`` is the canonical key ``<bank code>-<digits>`` (``None`` without
    a known bank), ``account_no`` the digits alone."""

    raw: str
    value: str | None
    bank_code: str | None
    account_no: str | None
    flags: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def bank_code(raw: str) -> str | None:
    """Three-digit bank code of a bank written as a code, short name, English or Thai name.

    Examples
    --------
    >>> bank_code("KBANK"), bank_code("ธนาคารกสิกรไทย"), bank_code("4"), bank_code("ธ.ก.ส.")
    ('004', '004', '004', '034')
    """
    text = clean_text(raw).lower()
    if not text:
        return None
    key = _NORM.sub("", text)
    if key in _BANK_NAMES:
        return _BANK_NAMES[key]
    return _BANK_NAMES.get(_NORM.sub("", _BANK_WORD.sub("", text)))


@lru_cache(maxsize=65536)
def bank_account(raw: str, bank: str | None = None) -> BankAccount:
    """Parse an account number, with the bank from ``bank`` or written before the number.

    Flags: ``empty``, ``no_bank``, ``unknown_bank``, ``bank_mismatch`` (the number's prefix names
    another bank than ``bank``), ``unusual_length``, ``not_digits``.

    Examples
    --------
    >>> bank_account("123-4-56789-0", "004").value
    '004-1234567890'
    >>> bank_account("KBANK 123-4-56789-0").value
    '004-1234567890'
    >>> bank_account("1234567890").flags
    ('no_bank',)
    """
    text = clean_text(raw)
    if not text or text in ("-", "ไม่มี"):
        return BankAccount(raw, None, None, None, ("empty",))
    flags: list[str] = []
    code = bank_code(bank) if bank else None
    if bank and code is None:
        flags.append("unknown_bank")
    match = _PREFIXED.match(text)
    if match:
        written = bank_code(match.group(1))
        rest = _NORM.sub("", text[match.end():])
        if written is not None and match.group(1).isdigit() and len(rest) not in BANKS[written][3]:
            written = None  # "002-1-23456-7": the account number itself starts with 002
        if written is not None:
            if code is not None and written != code:
                flags.append("bank_mismatch")
            code = code or written
            text = text[match.end():]
    digits = _NORM.sub("", text)
    if not digits.isdigit() or not digits.isascii():
        return BankAccount(raw, None, code, None, (*flags, "not_digits"))
    if code is None:
        if not flags:
            flags.append("no_bank")
        return BankAccount(raw, None, None, digits, tuple(flags))
    if len(digits) not in BANKS[code][3]:
        flags.append("unusual_length")
    return BankAccount(raw, f"{code}-{digits}", code, digits, tuple(flags))


@dataclass(frozen=True, slots=True)
class Amount:
    """A money amount as read; ``value`` in ``currency`` (THB unless written otherwise)."""

    raw: str
    value: float | None
    currency: str = "THB"
    flags: tuple[str, ...] = ()


_MULTIPLIERS = {"ล้าน": 1e6, "แสน": 1e5, "หมื่น": 1e4, "พัน": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
                "k": 1e3, "thousand": 1e3}
_CURRENCY = re.compile(r"(บาท|thb|฿|baht|usd|us\$|\$|ดอลลาร์|kyat|mmk|จ๊าด|riel|khr|kip|lak|กีบ|vnd|myr|ringgit)",
                       re.IGNORECASE)
_CURRENCY_CODES = {"บาท": "THB", "thb": "THB", "฿": "THB", "baht": "THB", "usd": "USD", "us$": "USD", "$": "USD",
                   "ดอลลาร์": "USD", "kyat": "MMK", "mmk": "MMK", "จ๊าด": "MMK", "riel": "KHR", "khr": "KHR",
                   "kip": "LAK", "lak": "LAK", "กีบ": "LAK", "vnd": "VND", "myr": "MYR", "ringgit": "MYR"}
_NUMBER = re.compile(r"(-)?\s*(\d[\d,]*(?:\.\d+)?)\s*(ล้าน|แสน|หมื่น|พัน|million|thousand|mn|m|k)?(?![a-z])",
                     re.IGNORECASE)


@lru_cache(maxsize=65536)
def amount(raw: str) -> Amount:
    """Parse an amount: ``1,250,000.00``, ``400,000 บาท``, ``1.25 ล้าน``, ``฿5,000``, ``(1,000)``.

    Flags: ``empty``, ``unparseable``, ``negative``, ``foreign_currency``, ``several_numbers`` (the first
    is taken).

    Examples
    --------
    >>> amount("1,250,000.00").value, amount("1.25 ล้านบาท").value, amount("400,000 บาท").value
    (1250000.0, 1250000.0, 400000.0)
    >>> amount("USD 1,000").currency
    'USD'
    """
    text = clean_text(raw)
    if not text or text == "-":
        return Amount(raw, None, flags=("empty",))
    flags: list[str] = []
    currency = "THB"
    found = _CURRENCY.search(text)
    if found:
        currency = _CURRENCY_CODES[found.group(1).lower()]
        if currency != "THB":
            flags.append("foreign_currency")
    numbers = list(_NUMBER.finditer(text.replace(".-", "")))
    if not numbers:
        return Amount(raw, None, currency, (*flags, "unparseable"))
    if len(numbers) > 1:
        flags.append("several_numbers")
    sign, digits, unit = numbers[0].groups()
    value = float(digits.replace(",", "")) * (_MULTIPLIERS[unit.lower()] if unit else 1.0)
    if sign or (text.startswith("(") and text.endswith(")")):
        value = -value
        flags.append("negative")
    return Amount(raw, value, currency, tuple(flags))


@dataclass(frozen=True, slots=True)
class Sentence:
    """A court sentence read from text: prison term, fine, and the kinds that are not a term."""

    raw: str
    years: int = 0
    months: int = 0
    days: int = 0
    fine_thb: float | None = None
    life: bool = False
    death: bool = False
    suspended: bool = False
    flags: tuple[str, ...] = ()

    @property
    def total_months(self) -> float:
        """Prison term in months (days as a fraction)."""
        return self.years * 12 + self.months + self.days / 30


_PRISON = re.compile(r"(?:คง)?จำคุก\s*((?:\d+\s*(?:ปี|เดือน|วัน)\s*)+)|(\d+)\s*years?\s*(?:and\s*(\d+)\s*months?)?"
                     r"\s*(?:imprisonment|in prison|prison)", re.IGNORECASE)
_TERM = re.compile(r"(\d+)\s*(ปี|เดือน|วัน)")
_FINE = re.compile(r"(?:ปรับ|fine[d]?)\s*(?:เป็นเงิน\s*)?([\d,.]+\s*(?:ล้าน|แสน|หมื่น)?)", re.IGNORECASE)


@lru_cache(maxsize=16384)
def sentence(raw: str) -> Sentence:
    """Read a sentence such as ``จำคุก 8 ปี ปรับ 400,000 บาท``; a reduced term (``คงจำคุก``) wins.

    Flags: ``empty``, ``unparseable``, ``reduced`` (the last term written is taken).

    Examples
    --------
    >>> s = sentence("จำคุก 8 ปี 6 เดือน ปรับ 400,000 บาท")
    >>> s.years, s.months, s.fine_thb, s.total_months
    (8, 6, 400000.0, 102.0)
    >>> sentence("จำคุก 8 ปี ลดโทษกึ่งหนึ่ง คงจำคุก 4 ปี").years
    4
    """
    text = clean_text(raw)
    if not text or text == "-":
        return Sentence(raw, flags=("empty",))
    flags: list[str] = []
    years = months = days = 0
    terms = list(_PRISON.finditer(text))
    if len(terms) > 1:
        flags.append("reduced")
    if terms:
        last = terms[-1]
        if last.group(1):
            for number, unit in _TERM.findall(last.group(1)):
                if unit == "ปี":
                    years += int(number)
                elif unit == "เดือน":
                    months += int(number)
                else:
                    days += int(number)
        else:
            years, months = int(last.group(2)), int(last.group(3) or 0)
    fines = _FINE.findall(text)
    fine = amount(fines[-1]).value if fines else None
    life = "ตลอดชีวิต" in text or "life imprisonment" in text.lower()
    death = "ประหารชีวิต" in text or "death" in text.lower()
    suspended = "รอการลงโทษ" in text or "รอลงอาญา" in text or "suspended" in text.lower()
    if not (terms or fines or life or death):
        flags.append("unparseable")
    return Sentence(raw, years, months, days, fine, life, death, suspended, tuple(flags))
