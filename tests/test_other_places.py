"""Reports of other places: place and year read from each document, an index built from
other places' reports only, answers from the right place, per-place answers when a
question names none of several, and facts as data (`assistant facts`)."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant, Config
from assistant.evaluate import is_correct, load_gold

ROOT = Path(__file__).resolve().parent.parent
OTHER = ROOT / "evals" / "other_places"
EXPECTED = {**json.loads((OTHER / "EXPECTED_a.json").read_text(encoding="utf-8")),
            **json.loads((OTHER / "EXPECTED_b.json").read_text(encoding="utf-8"))}
BUNDLED = {"000_1724f72c45ccbe3f.txt": ("青岛市", 2024), "001_00a57e6725684587.txt": ("青岛市", 2024),
           "002_92c4fe6edadaaa03.txt": ("青岛西海岸新区", 2024), "003_773498ea8d7ac04c.txt": ("青岛市", 2025),
           "004_fdaeeef95e5dbc8a.txt": ("青岛市", 2022)}


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=dict(os.environ, **(env or {})), timeout=600)


def test_every_document_place_and_year_come_from_the_document():
    res = cli("corpus", "--jsonl", str(OTHER), str(ROOT / "seeds"))
    assert res.returncode == 0, res.stderr
    found = {}
    for line in res.stdout.splitlines():
        p = json.loads(line)
        found.setdefault(p["source"], (p["region"], p["doc_year"]))
    expected = {name: (e["place"], e["year"]) for name, e in EXPECTED.items()} | BUNDLED
    assert found == expected


@pytest.mark.parametrize("folder", ["more_places", "openings", "blind_places_4", "blind_places_5", "blind_places_6",
                                    "blind_places_7", "blind_places_8", "blind_places_9", "blind_places_10", "blind_places_11",
                                    "blind_places_12", "blind_places_13", "blind_places_14", "blind_places_15",
                                    "blind_places_16"])
def test_place_and_year_of_more_report_styles_come_from_the_document(folder):
    """more_places: a province whose first paragraph names 国务院, a two-character county (凤县),
    a national new area named beside its 党工委管委会, a district portal page.  openings: the
    first page of fourteen more styles (an autonomous prefecture named 黔东南州, a 旗, a
    county-level city, a municipality's district with no date line, the State Council, a
    province with a meaningless file name, a WeChat copy, a date in Chinese numerals, a
    development zone's 管委会 report, a city named only in its closing signature, traditional
    characters, a newspaper's abstract, a 2026 report).  blind_places_4…6: the reports of three
    blind batches (a province as an illustrated summary, a newspaper's e-paper, a Word file, a
    WeChat copy, portal pages, a prefecture pasted from a PDF); blind_places_7: a city's report
    reprinted in traditional characters, a county's report as a real PDF, a new area's portal text;
    blind_places_8: a province's portal page with a targets table, a city's OCR'd booklet with
    running headers, a 直辖市 new area's Word file, the State Council's report as a real PDF;
    blind_places_9: a city's report reprinted by a news site with ads and page links, a province's
    WeChat copy, a 直辖市 district's portal page, a county-level city's Word file; blind_places_10:
    a city's report as a real PDF, a province from a newspaper's e-paper, a new area's portal page
    whose publisher sits in a label cell with no colon, a county-level city's Word file; blind_places_11:
    a 直辖市 scraped as Markdown, an autonomous region's portal page, a district's Word file whose
    header names only its 区长, a county's report as a real PDF with running headers; blind_places_12:
    an autonomous region's WeChat copy, an industrial park's portal page whose publisher line runs
    on into its date, a district's Word file that opens with its government's name only, a city's
    NPC document as a real PDF with footnotes; blind_places_13: a province's newspaper e-paper with
    page headers and hard line breaks, a city's report reprinted by a news portal with ads and page
    links, an autonomous prefecture's Word file that names itself in full only in its header line, a
    county's report as a real PDF with a results table; blind_places_14: a province pasted from its NPC
    booklet with page footers and numbers broken over lines, a new area's portal page with figures split
    by spans, a city's Word file with a targets table and footnotes, a county-level city's real PDF
    with running headers and a results table read as text; blind_places_15: a 直辖市 reprinted in
    traditional characters with broken-encoding pairs, a city of towns as a real PDF with running
    headers, a county-level city's Word file with soft line breaks inside numbers, a new area's portal
    page whose committee is named with a city after it ("四川天府新区成都管理委员会"); blind_places_16:
    a city's report scraped from a news site whose title names no place, a province's real PDF
    booklet with a targets table and a glossary appendix, a Beijing district's Word file (one of several
    朝阳), an experimental zone's report reposted by a WeChat account "发表于河南"."""
    where = ROOT / "evals" / folder
    res = cli("corpus", "--jsonl", str(where))
    assert res.returncode == 0, res.stderr
    found = {}
    for line in res.stdout.splitlines():
        p = json.loads(line)
        found.setdefault(p["source"], (p["region"], p["doc_year"]))
    expected = json.loads((where / "EXPECTED.json").read_text(encoding="utf-8"))
    assert found == {name: (e["place"], e["year"]) for name, e in expected.items()}


def test_a_traditional_report_is_indexed_simplified_and_cited_in_its_own_characters():
    res = cli("corpus", "--jsonl", str(OTHER / "b_national_2025_trad.html"))
    paragraphs = [json.loads(line) for line in res.stdout.splitlines()]
    assert any("国内生产总值" in p["text"] for p in paragraphs)
    assert any("國內生產總值" in p["original"] for p in paragraphs)
    assert not any("(fā)" in p["text"] or "(jīng)" in p["text"] for p in paragraphs)


@pytest.fixture(scope="module")
def others(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An Assistant whose library holds only the other places' reports (no bundled ones)."""
    data = tmp_path_factory.mktemp("others-data")
    a = Assistant(Config.from_env().with_(data_dir=data, seeds_dir=OTHER))
    a.retriever  # noqa: B018
    return a


def test_index_of_other_places_only_answers_from_the_right_place(others):
    items = [i for i in load_gold(ROOT / "evals" / "gold_other_places.jsonl") if i.kind != "followup"]
    wrong_place = []
    right = 0
    for item in items:
        ans = others.ask(item.question, list(item.history))
        right += is_correct(ans, item)
        if not ans.abstained and not is_correct(ans, item) and item.place:
            if not any(c.region == item.place or item.place[:2] in c.text for c in ans.citations):
                wrong_place.append((item.id, ans.text[:40]))
    assert not wrong_place
    assert right / len(items) >= 0.85
    assert all(c.source in EXPECTED for item in items[:5] for c in others.ask(item.question).citations)


def test_a_question_naming_none_of_several_places_is_answered_per_place(others):
    ans = others.ask("2024年地区生产总值预期增长多少？")
    assert not ans.abstained and len(ans.citations) >= 2
    named = [p for p in ("济南市", "浦东新区") if p in ans.text]
    assert named, ans.text  # each figure comes with its place
    assert len({c.source for c in ans.citations}) == len(ans.citations)


def test_a_place_the_library_lacks_is_not_answered_with_another_place(others):
    for q in ("2024年杭州市新建充电桩多少个？", "What was Wuhan's GDP in 2023?", "2023年青岛市生产总值是多少？"):
        assert others.ask(q).abstained, q


def test_facts_cli_prints_a_table_and_writes_csv_and_jsonl(others):
    env = {"ASSISTANT_DATA_DIR": str(others.config.data_dir), "ASSISTANT_SEEDS_DIR": str(OTHER)}
    table = cli("facts", "--place", "济南", "--metric", "生产总值", env=env)
    assert table.returncode == 0, table.stderr
    assert "济南市" in table.stdout and "12757.4亿元" in table.stdout
    rows = list(csv.DictReader(io.StringIO(cli("facts", "--year", "2025", "--csv", env=env).stdout)))
    assert rows and {"place", "year", "kind", "metric", "value", "unit", "source", "start", "end"} <= set(rows[0])
    assert {r["year"] for r in rows} == {"2025"}
    lines = cli("facts", "--place", "全国", "--jsonl", env=env).stdout.splitlines()
    facts = [json.loads(line) for line in lines]
    assert facts and all(f["place"] == "全国" for f in facts)
    assert any(f["unit"] == "元" and f["scale"] in ("亿", "万亿") for f in facts)  # 億元 read as a unit
