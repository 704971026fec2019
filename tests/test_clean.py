"""Cleaning rules on small made-up inputs, and the acceptance checks on the seeds."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.clean import clean_document, clean_documents, paragraph_id
from assistant.load import load_document, load_documents
from assistant.normalize import normalize_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def doc(tmp_path: Path, text: str, name: str = "r.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path)


def texts(tmp_path: Path, text: str, name: str = "r.txt") -> list[str]:
    return [p.text for p in clean_document(doc(tmp_path, text, name))]


def test_site_chrome_and_html_leftovers_are_removed(tmp_path):
    raw = "导航菜单\n\n全市生产总值达到100亿元。\n\n本文地址:/baogao/1.html\n留言与评论(共有 条评论)\n验证码:\n</div\n"
    assert texts(tmp_path, raw) == ["全市生产总值达到100亿元。"]


def test_lines_broken_mid_sentence_and_mid_number_are_rejoined(tmp_path):
    raw = "全市共安排建设项目1280个,年度投资1583.9\n\n亿元。截至11月底,已开工建设1235个。\n\n下一段落说别的事情。\n"
    assert texts(tmp_path, raw) == ["全市共安排建设项目1280个，年度投资1583.9亿元。截至11月底，已开工建设1235个。",
                                    "下一段落说别的事情。"]


def test_running_header_inside_a_sentence_is_dropped(tmp_path):
    raw = ("第一段说了一件完整的事情，并且在这里结束。\n\n截至目前，27个\n\n绘出现代化国际 ——写在青岛两会\n\n召开之际\n\n"
           "新启动城中村改造项目已启动签约。\n")
    out = texts(tmp_path, raw)
    assert "截至目前，27个新启动城中村改造项目已启动签约。" in out
    assert not any("写在" in t for t in out)


def test_headings_are_section_context_not_joined_into_bodies(tmp_path):
    raw = "一、2023年工作回顾\n\n（一）经济向好。全市增长5%。\n\n二、2024年主要目标\n\n主要预期目标是：增长5.5%左右。\n"
    ps = clean_document(doc(tmp_path, raw))
    assert [p.text for p in ps] == ["（一）经济向好。全市增长5%。", "主要预期目标是：增长5.5%左右。"]
    assert ps[0].section == "一、2023年工作回顾 › （一）经济向好"
    assert ps[0].years == [2023] and ps[0].kind == "result"
    assert ps[1].years == [2024] and ps[1].kind == "plan"
    assert ps[0].doc_year == 2024


def test_markdown_bullets_become_paragraphs_under_their_heading(tmp_path):
    raw = "# 2024\n\n## 1 民生\n\n### 就业\n\n- ✓ **城镇**新增就业7.5万人\n- 扶持创业3000人\n\n### 教育\n\n- 新增学位2.2万个\n"
    ps = clean_document(doc(tmp_path, raw, "info.md"))
    assert [p.text for p in ps] == ["城镇新增就业7.5万人；扶持创业3000人。", "新增学位2.2万个。"]
    assert ps[0].section == "2024 › 1民生 › 就业"
    assert ps[0].years == [2024]


def test_repeated_blocks_and_cross_document_copies_are_dropped(tmp_path):
    full = tmp_path / "full.txt"
    part = tmp_path / "part.txt"
    body = "全市生产总值达到15760.3亿元，同比增长5.9%。\n\n对外贸易稳增提质，货物进出口总额增长4.6%。\n\n"
    full.write_text(body + "第三段只在完整文件里，数字是12%。\n", encoding="utf-8")
    part.write_text("导航菜单\n\n" + body.replace("，", ",") + body, encoding="utf-8")
    paragraphs, errors = clean_documents(load_documents([tmp_path])[0])
    assert not errors
    assert [p.source for p in paragraphs] == ["full.txt"] * 3
    assert paragraphs[0].alt_sources == ["part.txt"]


def test_punctuation_is_normalised_without_touching_numbers_or_names():
    assert normalize_text("增长5.9%,达到1,234家(青岛) Ｑ２") == "增长5.9%，达到1,234家（青岛）Q2"
    assert normalize_text("What was GDP, in 2023?") == "What was GDP, in 2023?"


def test_ids_are_content_hashes():
    assert paragraph_id("a.txt", "x") == paragraph_id("a.txt", "x") != paragraph_id("b.txt", "x")


def test_offsets_point_back_into_the_raw_file(tmp_path):
    d = doc(tmp_path, "标题行\n\n全市生产总值达到100亿元。\n")
    (p,) = [p for p in clean_document(d) if "100亿元" in p.text]
    assert d.text[p.start:p.end] == "全市生产总值达到100亿元。"


# --- the seeds -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "corpus", "--jsonl"], capture_output=True,
                         text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_seeds_have_no_boilerplate(corpus):
    for p in corpus:
        assert not re.search(r"导航菜单|本文地址|免责声明|留言与评论|验证码|</div|本站", p["text"]), p["text"]


def test_seeds_have_no_near_duplicates(corpus):
    grams = [{p["text"][i:i + 2] for i in range(len(p["text"]) - 1)} for p in corpus]
    for i in range(len(corpus)):
        for j in range(i + 1, len(corpus)):
            jac = len(grams[i] & grams[j]) / len(grams[i] | grams[j])
            assert jac < 0.9, (corpus[i]["text"][:40], corpus[j]["text"][:40])


def test_every_figure_of_report_text_survives(corpus):
    joined = "\n".join(p["text"] for p in corpus)
    for figure in ("1583.9亿元", "50.5万个停车泊位", "111.8%", "15760.3亿元", "1770.45亿元", "7400个", "5.5%左右"):
        assert figure in joined
    # every number+unit of the raw seeds (outside chrome lines) is in some paragraph
    from assistant.numbers import find_quantities

    for f in SEEDS.iterdir():
        for line in f.read_text(encoding="utf-8").splitlines():
            if re.search(r"本文地址|验证码|免责声明|本站|导航", line):
                continue
            for q in find_quantities(normalize_text(line)):
                if q.unit and q.unit not in ("年", "月", "日"):
                    assert q.text in joined or q.text.replace(" ", "") in joined, (f.name, q.text)


def test_reports_have_section_paths_and_regions(corpus):
    for p in corpus:
        if p["source"].startswith(("001", "003")) and p["position"] > 0:
            assert p["section"], p["text"][:40]
        if p["source"].startswith("002"):
            assert p["region"] == "青岛西海岸新区"
        else:
            assert p["region"] == "青岛市"
    years = {p["source"][:3]: p["doc_year"] for p in corpus}
    assert years == {"000": 2024, "001": 2024, "002": 2024, "003": 2025, "004": 2022}
