"""Identifier and value formats of the agencies: Thai IDs, phones, accounts, dates, case numbers."""

from __future__ import annotations

import numpy as np

__all__ = [
    "BANKS",
    "MONTHS_FULL",
    "MONTHS_SHORT",
    "be_date",
    "be_yyyymmdd",
    "check_digit",
    "date_parts",
    "format_account",
    "format_phone",
    "format_thai_id",
    "thai_ids",
    "thai_month_date",
]

BANKS: dict[str, str] = {
    "002": "ธนาคารกรุงเทพ", "004": "ธนาคารกสิกรไทย", "006": "ธนาคารกรุงไทย", "011": "ธนาคารทหารไทยธนชาต",
    "014": "ธนาคารไทยพาณิชย์", "025": "ธนาคารกรุงศรีอยุธยา", "030": "ธนาคารออมสิน",
}
MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_FULL = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


def check_digit(first12: np.ndarray) -> np.ndarray:
    """Thai national ID check digit of 12-digit integers: (11 - sum(d_i * (13 - i)) mod 11) mod 10.

    Examples
    --------
    >>> int(check_digit(np.array([110070012345]))[0])
    5
    """
    x = np.asarray(first12, dtype=np.int64).copy()
    total = np.zeros_like(x)
    for weight in range(2, 14):  # last digit has weight 2, first weight 13
        total += (x % 10) * weight
        x //= 10
    return (11 - total % 11) % 10


def thai_ids(first_digit: np.ndarray, amphoe: np.ndarray, serial: np.ndarray) -> np.ndarray:
    """Build valid 13-digit national IDs (as strings) from a type digit, 4-digit amphoe code and 7-digit serial.

    Examples
    --------
    >>> thai_ids(np.array([1]), np.array([1007]), np.array([12345]))[0]
    '1100700123455'
    """
    first12 = first_digit.astype(np.int64) * 10**11 + amphoe.astype(np.int64) * 10**7 + serial.astype(np.int64)
    full = first12 * 10 + check_digit(first12)
    return full.astype("U13").astype(object)


def format_thai_id(nid: str, style: int) -> str:
    """Write an ID with dashes (style 0: ``1-1007-00123-45-5``) or spaces (style 1).

    Examples
    --------
    >>> format_thai_id("1100700123455", 0)
    '1-1007-00123-45-5'
    """
    if len(nid) != 13:
        return nid
    sep = "-" if style % 2 == 0 else " "
    return sep.join((nid[0], nid[1:5], nid[5:10], nid[10:12], nid[12]))


def format_phone(phone: str, style: int) -> str:
    """Write a 10-digit Thai mobile in one of the seen styles (0 plain ... 3 ``66812345678``).

    Examples
    --------
    >>> [format_phone("0812345678", s) for s in range(4)]
    ['0812345678', '081-234-5678', '+66 81 234 5678', '66812345678']
    """
    if style == 1:
        return f"{phone[:3]}-{phone[3:6]}-{phone[6:]}"
    if style == 2:
        return f"+66 {phone[1:3]} {phone[3:6]} {phone[6:]}"
    if style == 3:
        return "66" + phone[1:]
    return phone


def format_account(number: str) -> str:
    """Write a 10-digit account number as ``123-4-56789-0``.

    Examples
    --------
    >>> format_account("1234567890")
    '123-4-56789-0'
    """
    return f"{number[:3]}-{number[3]}-{number[4:9]}-{number[9]}"


def date_parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split days since 1970-01-01 into CE year, month and day arrays."""
    d = np.asarray(days).astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return y, m, dd


def be_yyyymmdd(days: np.ndarray) -> np.ndarray:
    """BE dates as ``yyyymmdd`` strings, vectorised (DOPA style).

    Examples
    --------
    >>> be_yyyymmdd(np.array([17758]))[0]
    '25610815'
    """
    y, m, d = date_parts(days)
    return ((y + 543) * 10000 + m * 100 + d).astype("U8").astype(object)


def be_date(y: int, m: int, d: int) -> str:
    """A CE date written ``dd/mm/yyyy`` in BE.

    Examples
    --------
    >>> be_date(2018, 8, 15)
    '15/08/2561'
    """
    return f"{d:02d}/{m:02d}/{y + 543}"


def thai_month_date(y: int, m: int, d: int, short: bool = False) -> str:
    """A CE date written with a Thai month name and BE year (``15 สิงหาคม 2561``).

    Examples
    --------
    >>> thai_month_date(2018, 8, 15, short=True)
    '15 ส.ค. 2561'
    """
    month = (MONTHS_SHORT if short else MONTHS_FULL)[m - 1]
    return f"{d} {month} {y + 543}"
