from decimal import Decimal

import pytest

from council.domain import DomainError
from council.domain.households import MAX_CSV_BYTES, decode_csv, normalize_door, parse_area, parse_csv, parse_owner


@pytest.mark.parametrize("raw, door", [("3-101", "3-101"), (" ３－１０１ ", "3-101"), ("3 - 101", "3-101"),
                                       ("a3-101", "A3-101"), ("东3—101", "东3-101")])
def test_door_numbers_have_one_spelling(raw, door):
    assert normalize_door(raw) == door


def test_area_and_owner():
    assert parse_area("80.456") == Decimal("80.46") and parse_area("75㎡") == Decimal("75.00")
    assert parse_area("") is None
    for bad in ("-3", "0", "lots", "100000"):
        with pytest.raises(DomainError):
            parse_area(bad)
    assert parse_owner("是") and not parse_owner("租户") and parse_owner("") and not parse_owner("0")
    with pytest.raises(DomainError):
        parse_owner("maybe")


def test_csv_with_chinese_headers_and_errors_by_line():
    text = "\ufeff门牌号,面积,是否业主\n3-101,80.5,是\n3-102,,否\n3-101,70,是\n,60,是\n3-103,abc,是\n"
    rows, errors = parse_csv(text)
    assert [(h.door, h.area, h.owner) for h in rows] == [("3-101", Decimal("80.50"), True), ("3-102", None, False)]
    assert [(e.line, e.code) for e in errors] == [(4, "duplicate_door"), (5, "text_empty"), (6, "invalid_area")]


def test_csv_without_header_is_door_area_owner():
    rows, errors = parse_csv("1-1,50\n1-2,60,no\n")
    assert [(h.door, h.owner) for h in rows] == [("1-1", True), ("1-2", False)] and not errors


def test_empty_csv():
    with pytest.raises(DomainError):
        parse_csv("\n\n")


def test_an_upload_is_read_as_utf8_or_as_gb18030():
    text = "门牌号,面积,是否业主\n3-101,85.5,是\n"
    assert decode_csv(text.encode("utf-8")) == text
    assert decode_csv(b"\xef\xbb\xbf" + text.encode("utf-8")) == text, "the BOM spreadsheet programs add"
    assert decode_csv(text.encode("gb18030")) == text
    for data, code in [(b"\x81", "csv_encoding"), (b"x" * (MAX_CSV_BYTES + 1), "csv_too_long")]:
        with pytest.raises(DomainError) as err:
            decode_csv(data)
        assert err.value.code == code
