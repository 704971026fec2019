"""Scale normalisation and unit agreement, shared by the answerer, the check and scoring."""
from __future__ import annotations

from assistant.numbers import find_quantities, parse_quantity, same_quantity


def q(text: str):
    return parse_quantity(text)


def test_scales_are_normalised():
    assert same_quantity(q("1.1万亿元"), q("11000亿元"))
    assert same_quantity(q("26.3万人"), q("263000人"))
    assert same_quantity(q("15760.3亿元"), q("1576030000000元"))


def test_units_must_agree():
    assert not same_quantity(q("5%"), q("5个"))
    assert not same_quantity(q("30个"), q("30家"))
    assert not same_quantity(q("5.5%"), q("5.5亿元"))


def test_qualifiers_are_ignored():
    assert same_quantity(q("超过3300亿元"), q("3300亿元"))
    assert same_quantity(q("6%以上"), q("6%"))
    assert q("700多个").figure == "700个"


def test_shared_units_and_names():
    found = find_quantities("分别高于全国、全省1.1和0.1个百分点，PM2.5浓度29微克/立方米，5G基站")
    assert [x.figure for x in found] == ["1.1个百分点", "0.1个百分点", "29微克/立方米"]
