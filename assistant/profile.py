"""What a document is: the place it speaks for, its report year and its kind, read
from the document itself (or from the user's override).

Evidence, strongest first:
1. the user's ``--place`` / ``--year`` given at ingest;
2. the header: "在XX市第十七届人民代表大会…", "XX市人民政府", "XX省省长", the title
   "2024年XX市政府工作报告", a portal's "发布机构：XX市人民政府办公室", "国务院";
3. how the text refers to itself (全市/我市, 全区/我区, 全省/我省) for the level, and
   which gazetteer place of that level it names most for the name;
4. the file name.
Years come from the title and date line, then from headings ("2023年工作回顾" →
a 2024 report), then from the years the text mentions most.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from .places import AREA_SUFFIXES, NATION, Gazetteer, Place, english_mentions, gazetteer, short_form

_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"([〇○零Ｏ一二三四五六七八九]{4})年")
_HAN = r"[\u4e00-\u9fff]"
_CONGRESS = re.compile(rf"在({_HAN}{{0,15}}?)第[一二三四五六七八九十\d]+届({_HAN}{{0,4}}?)人民代表大会")
_GOVERNMENT = re.compile(rf"({_HAN}{{1,15}}?)(?:人民政府|人民代表大会|管理委员会|管委会|政府工作报告|工作报告)")
_OFFICIAL = re.compile(rf"({_HAN}{{1,12}}?)(?:省长|市长|区长|县长|州长|主任)(?=[\s\u3000 ]|$|{_HAN}{{2,4}}$)")
_PUBLISHER = re.compile(rf"(?:发布机构|发文机关|来源)[：:]\s*({_HAN}{{2,20}})")
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)年.{0,24}?(?:政府)?工作报告|(?:政府)?工作报告.{0,6}?[（(]((?:19|20)\d\d)")
_DATE = re.compile(r"((?:19|20)\d\d)\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-./]\d{1,2}[-./]\d{1,2})")
_REVIEW = re.compile(r"((?:19|20)\d\d)年(?:工作)?回顾|((?:19|20)\d\d)年(?:的)?工作(?:总结|成绩)")
_REVIEW_UNDATED = re.compile(r"(?:过去(?:的)?一年|上一年|一年来)(?:的)?(?:主要)?工作回顾\s*\n[^\n]{0,40}?((?:19|20)\d\d)年")
_PLAN = re.compile(r"((?:19|20)\d\d)年.{0,8}?(?:工作总体要求|总体要求|重点工作|主要目标|预期目标|工作安排|主要任务|工作任务)")
_SELF = {
    "city": ("全市", "我市", "本市"),
    "county": ("全区", "我区", "本区", "全县", "我县", "本县"),
    "province": ("全省", "我省", "本省", "全区各族"),
    "nation": ("全国各族", "我国"),
}
_SUMMARY = re.compile(r"图解|解读|摘要|一图读懂|要点")
_REPORT = re.compile(r"政府工作报告|工作报告")
_LEVEL_WORD = {"市": "city", "省": "province", "区": "county", "县": "county", "州": "city", "新区": "area"}
_TITLE_PLACE = re.compile(rf"^({_HAN}{{2,6}}?)(?:(?:19|20)\d\d年)?(?:人民政府)?(?:政府)?工作报告")
# a social-media post's own lines ("发表于河南", "IP属地：北京"): where it was posted, not whose report it is
_SOCIAL_CHROME = re.compile(rf"(?:发表于|IP属地[：:]?)(?:内蒙古|黑龙江|{_HAN}{{2}})")
_KNOWN_AREA = re.compile(rf"({_HAN}{{2,10}}?(?:{'|'.join(AREA_SUFFIXES)}))")


@dataclass(frozen=True)
class Profile:
    """A document's place, report year and kind, and where each was read from."""

    place: Place
    year: int | None
    kind: str  # report | summary | news
    evidence: str  # "header", "self-reference", "file name", "override", …


def chinese_year(text: str) -> str:
    """二○二四年 → 2024年 (dates in report headers are often written in Chinese numerals)."""
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)) + "年", text)


def _resolve(name: str, gaz: Gazetteer, loose: bool = False) -> Place | None:
    """A header's place phrase ("(广东省)深圳市", "天津滨海新区", "市") → the most specific place."""
    name = re.sub(r"^日?(?:关于|中共|共同|各位|在|于)|^年", "", name)  # "…20日在XX", "2024年XX工作报告"
    name = re.sub(r"^(?:发布机构|发文机关|发文单位|发布单位|主办单位|信息来源|来源)", "", name)  # a portal's label cell
    name = re.sub(r"^.*(?:会议|大会)上", "", name)  # "…工作会议上XX管理委员会主任": the meeting's line before it
    name = re.split(r"管理委员会|管委会|人民政府|发布日期|发布时间|成文日期|发文日期|浏览次数", name)[0]  # "…管理委员会发布日期"
    name = re.sub(r"(?:党工委|党委|工委|人大常委会|常委会)$", "", name)  # "…新区党工委管委会"
    if not name:
        return None
    for suffix in AREA_SUFFIXES:  # "四川天府新区成都管理委员会": the area's committee on one city's side
        at = name.find(suffix)
        rest = name[at + len(suffix) :] if at >= 2 else ""
        if rest and ([(s, e) for _, s, e in gaz.mentions(rest)] == [(0, len(rest))] or re.fullmatch(rf"{_HAN}{{2,3}}", rest)):
            name = name[: at + len(suffix)]
            break
    exact = gaz.places.get(name)
    if exact is not None and exact.level in ("province", "city", "county"):
        return exact  # "凤县": a two-character county name is no word the gazetteer looks for in text
    for suffix in AREA_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            known = gaz.lookup(name)
            if known is not None:
                return known
            inside = [(p, at) for p, at, _ in gaz.mentions(name) if p.level in ("city", "province")]
            if inside:  # "大会上郑州航空港经济综合实验区": an area's name starts with its city's
                return Place(name[inside[0][1] :], "area", inside[-1][0].name)
            return Place(name, "area", "")
    found = [p for p, _, _ in gaz.mentions(name)]
    if found:
        return found[-1]
    # A header may name a place the gazetteer lacks (a new or renamed division): take it
    # as written when it looks like a place name.
    m = re.fullmatch(r"([\u4e00-\u9fff]{2,6}?(?:自治州|自治县|省|市|区|县|州|盟|旗))", name) if loose else None
    if m and len(m.group(1)) >= 3 and m.group(1)[0] not in "本全我该各城此":
        level = {"省": "province", "市": "city", "州": "city", "盟": "city"}.get(m.group(1)[-1], "county")
        return Place(m.group(1), level)
    return None


def _level_hint(header: str) -> str:
    """"在市第十八届…", "市人民政府": the level of a place whose name the header leaves out."""
    for m in _CONGRESS.finditer(header):
        if m.group(1) in _LEVEL_WORD:
            return _LEVEL_WORD[m.group(1)]
        if "全国" in m.group(2):
            return "nation"
    for m in _GOVERNMENT.finditer(header):
        tail = m.group(1)[-2:] if m.group(1).endswith("新区") else m.group(1)[-1:]
        if m.group(1) in _LEVEL_WORD or tail in _LEVEL_WORD and len(m.group(1)) <= 2:
            return _LEVEL_WORD.get(m.group(1), _LEVEL_WORD.get(tail, ""))
    return ""


def _header_place(header: str, title: str, gaz: Gazetteer) -> Place | None:
    # "国务院" in a province's first paragraphs ("在党中央、国务院和省委的坚强领导下") is no header
    if re.search(r"国务院总理|届全国人民代表大会", header) or "国务院" in title:
        return Place(NATION, "nation")
    for pattern in (_CONGRESS, _PUBLISHER, _GOVERNMENT, _OFFICIAL):
        for m in pattern.finditer(header):
            place = _resolve(m.group(1), gaz)
            if place is not None:
                return place
    # a place the gazetteer lacks, where only a place name can stand: "在XX市第X届人民代表大会",
    # a title "XX市2025年政府工作报告"
    for m in list(_CONGRESS.finditer(header)) + list(_TITLE_PLACE.finditer(title)):
        place = _resolve(m.group(1), gaz, loose=True)
        if place is not None:
            return place
    return None


def self_level(text: str) -> str:
    """The level a text speaks for, from how it refers to itself (全市 → city)."""
    counts = {level: sum(text.count(w) for w in words) for level, words in _SELF.items()}
    if text.count("新区") > counts["county"] and text.count("新区") >= 2:
        counts["area"] = text.count("新区")
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0 else ""


def _most_named(text: str, level: str, gaz: Gazetteer) -> Place | None:
    levels = {"city": ("city",), "county": ("county",), "province": ("province",), "area": ("city",)}.get(level, ())
    counts = Counter(p for p, _, _ in gaz.mentions(text) if p.level in levels)
    if not counts:
        return None
    (best, n), *rest = counts.most_common(2)
    return best if not rest or n > rest[0][1] else None


def _from_file_name(source: str, gaz: Gazetteer) -> Place | None:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", source)
    found = [p for p, _, _ in gaz.mentions(stem)]
    if found:
        return found[-1]
    words = " ".join(w.capitalize() for w in re.split(r"[^A-Za-z]+", stem) if len(w) >= 2)
    places = english_mentions(words)
    return places[0] if places else None


def known_areas(texts: Iterable[str], gaz: Gazetteer) -> list[Place]:
    """Named non-administrative areas the documents mention ("天津滨海新区"), with their city."""
    found: dict[str, Place] = {}
    for text in texts:
        for m in _KNOWN_AREA.finditer(text):
            name = m.group(1)
            inside = [p for p, s, _ in gaz.mentions(name) if p.level in ("city", "province") and s == 0]
            core = name[len(inside[0].short) if inside else 0 :]
            if inside and gaz.lookup(name) is None and len(short_form(core)) >= 2:
                found.setdefault(name, Place(name, "area", inside[0].name))
    return list(found.values())


def area_core(place: Place, gaz: Gazetteer) -> str:
    """天津滨海新区 → 滨海: the part that tells the area apart."""
    name = place.name
    parent = gaz.places.get(place.parent)
    if parent and name.startswith(parent.short):
        name = name[len(parent.short) :]
    return short_form(name)


def document_year(title: str, header: str, headings: list[str], text: str) -> int | None:
    """The report's year: its title or date line, its headings, or the year it mentions most."""
    for where in (title, header):
        m = _TITLE_YEAR.search(where)
        if m:
            return int(m.group(1) or m.group(2))
    m = _DATE.search(header)
    if m:
        return int(m.group(1))
    for h in headings:
        m = _REVIEW.search(h)
        if m:
            return int(m.group(1) or m.group(2)) + 1
        m = _PLAN.search(h)
        if m:
            return int(m.group(1))
    for h in headings:
        if re.fullmatch(r"(?:19|20)\d\d", h.strip()):
            return int(h)
    # "一、过去一年工作回顾" and then "2022年是极不平凡的一年": the year reviewed, plus one
    m = _REVIEW_UNDATED.search(text)
    if m:
        return int(m.group(1)) + 1
    counts = Counter(int(y) for y in re.findall(r"(?<![\d.])((?:19|20)\d\d)年", text))
    return counts.most_common(1)[0][0] if counts else None


def document_kind(title: str, header: str, headings: list[str]) -> str:
    if _SUMMARY.search(title) or _SUMMARY.search(header[:200]):
        return "summary"
    if _REPORT.search(title) or _REPORT.search(header) or any(_REVIEW.search(h) or _PLAN.search(h) for h in headings):
        return "report"
    return "news"


def profile_document(text: str, source: str, title: str, headings: list[str], place_override: str = "",
                     year_override: int | None = None, areas: Iterable[Place] = ()) -> Profile:
    """Place, year and kind of one document (``areas``: named areas other documents mention)."""
    gaz = gazetteer()
    text = chinese_year(text)
    header = _SOCIAL_CHROME.sub("", "".join(text[:1500].split()))
    year = year_override or document_year(title, header, headings, text)
    kind = document_kind(title, header, headings)
    if place_override:
        place = _resolve(place_override, gaz) or Place(place_override, "area" if place_override.endswith(AREA_SUFFIXES) else "city")
        return Profile(place, year, kind, "override")
    place = _header_place(header, "".join(title.split()), gaz)
    if place is not None:
        return Profile(place, year, kind, "header")
    level = _level_hint(header) or self_level(text)
    if level == "nation":
        return Profile(Place(NATION, "nation"), year, kind, "header")
    if level == "area":
        # a document that calls itself 新区 is one of the named 新区, the one whose own name it uses
        scored = [(text.count(area_core(a, gaz)), a) for a in areas
                  if a.name.endswith("新区") and not a.name.endswith("高新区")]
        scored = [s for s in scored if s[0] > 0]
        if scored:
            return Profile(max(scored, key=lambda s: s[0])[1], year, kind, "self-reference")
    named = _most_named(text, level, gaz) if level else None
    if named is not None and level != "area":
        return Profile(named, year, kind, "self-reference")
    from_name = _from_file_name(source, gaz)
    if from_name is not None:
        return Profile(from_name, year, kind, "file name")
    if level == "area" and named is not None:
        return Profile(Place(f"{named.short}新区", "area", named.name), year, kind, "self-reference")
    return Profile(Place("", level or ""), year, kind, "unknown")
