"""The household roll of a council: door numbers (门牌号), floor area, owner or not."""
from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterable

from council.domain.errors import DomainError
from council.domain.text import DOOR_MAX, strip_invisible

MAX_ROWS = 5000
_TRUE = {"1", "yes", "y", "true", "是", "业主", "owner"}
_FALSE = {"0", "no", "n", "false", "否", "租户", "非业主", "tenant"}
_HEADERS = {
    "door": {"door", "door_number", "门牌号", "房号", "户号"},
    "area": {"area", "area_m2", "面积", "建筑面积", "专有部分面积"},
    "owner": {"owner", "业主", "是否业主"},
}


def normalize_door(value: object) -> str:
    """One spelling per door: full-width digits and dashes folded, spaces removed, upper case."""
    if not isinstance(value, str):
        raise DomainError("invalid_field", field="door_number")
    door = strip_invisible(unicodedata.normalize("NFKC", value)).replace("—", "-").replace("－", "-").replace(" ", "")
    door = door.upper().strip("-")
    if not door:
        raise DomainError("text_empty", field="door_number")
    if len(door) > DOOR_MAX:
        raise DomainError("text_too_long", field="door_number", maximum=DOOR_MAX)
    return door


def count_households(doors: Iterable[object]) -> int:
    """How many households the typed door numbers stand for: "2-101" and "２-１０１" are one;
    no door given, or not one, counts as no household."""
    return len({h for door in doors if isinstance(door, str) and (h := _household_of(door)) is not None})


@functools.lru_cache(maxsize=16384)
def _household_of(door: str) -> str | None:
    # Remembered: every join recounts the whole room, so a meeting of 2,000 folded each door
    # 2,000 times over.
    try:
        return normalize_door(door)
    except DomainError:
        return None


_AREA = re.compile(r"[0-9]{1,5}(\.[0-9]{1,6})?|\.[0-9]{1,6}", re.ASCII)


def parse_area(value: object) -> Decimal | None:
    """A floor area in m², two decimals, or None when left empty.

    Only plain decimal numbers: digits, one point (full-width digits and ㎡ are folded first).
    `Decimal` alone would also take NaN, Infinity, exponents and digits of other scripts."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise DomainError("invalid_area")
    text = strip_invisible(unicodedata.normalize("NFKC", str(value))).strip()
    text = text.removesuffix("m2").removesuffix("平方米").removesuffix("平米").strip()
    if not _AREA.fullmatch(text):
        raise DomainError("invalid_area")
    try:
        area = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise DomainError("invalid_area") from None
    if not Decimal(0) < area < Decimal(100000):
        raise DomainError("invalid_area")
    return area


def parse_owner(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in _TRUE or text == "":
        return True
    if text in _FALSE:
        return False
    raise DomainError("invalid_owner")


@dataclass(frozen=True)
class Household:
    door: str
    area: Decimal | None
    owner: bool


@dataclass(frozen=True)
class RowError:
    line: int
    code: str


MAX_CSV_BYTES = 512 * 1024


def decode_csv(data: bytes) -> str:
    """An uploaded roll as text: UTF-8 (with or without BOM), else GB18030, which is what
    spreadsheet programs in China save by default."""
    if len(data) > MAX_CSV_BYTES:
        raise DomainError("csv_too_long", maximum=MAX_ROWS)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise DomainError("csv_encoding") from None


def parse_csv(text: str) -> tuple[list[Household], list[RowError]]:
    """Rows of a roll from CSV (door, area, owner; headers in Chinese or English)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [r for r in reader if any(cell.strip() for cell in r)]
    if not rows:
        raise DomainError("csv_empty")
    if len(rows) > MAX_ROWS + 1:
        raise DomainError("csv_too_long", maximum=MAX_ROWS)
    columns = {"door": 0, "area": 1, "owner": 2}
    header = [c.strip().lower() for c in rows[0]]
    start = 1 if any(h in names for names in _HEADERS.values() for h in header) else 0
    if start:
        columns = {key: next((i for i, h in enumerate(header) if h in names), -1) for key, names in _HEADERS.items()}
        if columns["door"] < 0:
            raise DomainError("csv_no_door_column")
    households, errors, seen = [], [], set()
    for line, row in enumerate(rows[start:], start=start + 1):
        cell = {k: (row[i] if 0 <= i < len(row) else "") for k, i in columns.items()}
        try:
            h = Household(normalize_door(cell["door"]), parse_area(cell["area"]), parse_owner(cell["owner"]))
        except DomainError as err:
            errors.append(RowError(line, err.code))
            continue
        if h.door in seen:
            errors.append(RowError(line, "duplicate_door"))
            continue
        seen.add(h.door)
        households.append(h)
    return households, errors
