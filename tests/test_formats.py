"""Every format a user can add: PDF with a text layer (and a scan without one), Word,
web pages, text in UTF-8/UTF-16/GB18030/Big5, traditional Chinese and pinyin noise.

All fixtures are made here from report text written for these tests (a fictional
江川市): PDFs are printed by Chromium from paged HTML, the scan is a PNG saved as a
PDF, the .docx is written with python-docx.
"""
from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.load import SUFFIXES, load_document, load_documents

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs /usr/bin/chromium to print test PDFs "
                                    "(apt-get install chromium fonts-wqy-zenhei)")

HEADER = "江川市人民政府工作报告"
PAGES = [
    [
        ("h1", "江川市2025年政府工作报告"),
        ("p", "各位代表：现在，我代表市人民政府向大会报告工作，请予审议，并请市政协各位委员提出意见。"),
        ("h2", "一、2024年工作回顾"),
        ("p", "过去一年，全市上下坚持稳中求进工作总基调，经济运行总体平稳、稳中有进。初步核算，全市地区生产总值达到"
              "12757.4亿元，增长6.1%；一般公共预算收入986.3亿元，增长4.2%；城镇居民人均可支配收入达到58641元，增长5.3%。"),
    ],
    [
        ("p", "扩大内需成效明显。社会消费品零售总额达到5128.9亿元，增长5.6%；固定资产投资增长4.9%，其中制造业投资"
              "增长11.3%。外贸进出口总额3406.2亿元，增长8.7%，实际使用外资27.5亿美元。"),
        ("table", [("指标", "2024年完成"), ("粮食总产量", "356.8万吨"), ("城镇新增就业", "16.2万人")]),
        ("p", "民生保障扎实有力。全年民生支出占一般公共预算支出的比重达到79.4%，新建改扩建中小学和幼儿园46所，"
              "新增学位3.8万个，城乡居民基本养老保险基础养老金月人均提高到268元。"),
    ],
    [
        ("h2", "二、2025年主要目标"),
        ("p", "今年经济社会发展的主要预期目标是：地区生产总值增长5.5%左右，一般公共预算收入增长3%，城镇调查失业率"
              "控制在5.5%以内，居民消费价格涨幅3%左右。"),
    ],
]
CSS = """
@page { size: A4; margin: 0; }
body { margin: 0; font-family: 'WenQuanYi Zen Hei', sans-serif; font-size: 15pt; line-height: 1.6; }
.page { position: relative; width: 210mm; height: 297mm; box-sizing: border-box; padding: 28mm 24mm 30mm;
        page-break-after: always; overflow: hidden; }
.hdr { position: absolute; top: 12mm; left: 24mm; right: 24mm; text-align: center; font-size: 10pt;
       border-bottom: 1px solid #000; }
.ftr { position: absolute; bottom: 14mm; left: 0; right: 0; text-align: center; font-size: 12pt; }
h1 { text-align: center; font-size: 22pt; letter-spacing: 0.3em; }
h2 { font-size: 16pt; }
p { text-indent: 2em; margin: 0.4em 0; text-align: justify; text-justify: inter-character; }
table { border-collapse: collapse; margin: 0.6em auto; }
td { border: 1px solid #000; padding: 2mm 8mm; }
"""


def report_html() -> str:
    out = [f"<!doctype html><html><head><meta charset='utf-8'><style>{CSS}</style></head><body>"]
    for n, items in enumerate(PAGES, 1):
        out.append(f"<div class='page'><div class='hdr'>{HEADER}</div>")
        for kind, val in items:
            if kind == "table":
                out.append("<table>" + "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in val) + "</table>")
            else:
                out.append(f"<{kind}>{html.escape(val)}</{kind}>")
        out.append(f"<div class='ftr'>— {n} —</div></div>")
    return "".join(out) + "</body></html>"


def print_pdf(markup: str, pdf: Path) -> Path:
    src = pdf.with_suffix(".src.html")
    src.write_text(markup, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    f"--print-to-pdf={pdf}", src.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    src.unlink()
    return pdf


def run_corpus(path: Path, tmp_path: Path) -> list[dict]:
    exe = Path(sys.executable).with_name("assistant")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant.cli"]
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(tmp_path / "data"))
    r = subprocess.run(cmd + ["corpus", str(path), "--jsonl"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


# ------------------------------------------------------------------ PDF


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    if CHROMIUM is None:
        pytest.skip("needs /usr/bin/chromium to print test PDFs (apt-get install chromium fonts-wqy-zenhei)")
    return print_pdf(report_html(), tmp_path_factory.mktemp("pdf") / "jiangchuan_2025.pdf")


@needs_chromium
def test_pdf_text_figures_and_reading_order(report_pdf):
    doc = load_document(report_pdf)
    assert doc.format == "pdf" and doc.original is None
    for figure in ("12757.4亿元", "6.1%", "58641元", "5128.9亿元", "27.5亿美元", "356.8万吨", "3.8万个", "5.5%左右"):
        assert figure in doc.text, figure
    # Justified and letter-spaced lines get no spaces between Chinese characters.
    assert "江川市2025年政府工作报告" in doc.text
    assert "社会消费品零售总额达到5128.9亿元，增长5.6%；固定资产投资增长4.9%，其中制造业投资增长11.3%。" in doc.text
    order = [doc.text.index(s) for s in ("各位代表", "一、2024年工作回顾", "12757.4亿元", "5128.9亿元", "粮食总产量",
                                         "民生保障", "二、2025年主要目标", "城镇调查失业率")]
    assert order == sorted(order)
    # Running header and page numbers are not text.
    assert HEADER not in doc.text and "— 2 —" not in doc.text and "—2—" not in doc.text
    # Table rows stay rows: each label next to its figure, led by its column's year.
    assert "粮食总产量 2024年完成356.8万吨" in doc.text


@needs_chromium
def test_pdf_pages(report_pdf):
    doc = load_document(report_pdf)
    assert len(doc.pages) == 3 and doc.pages[0] == 0 and list(doc.pages) == sorted(doc.pages)
    assert doc.page_at(doc.text.index("12757.4亿元")) == 1
    assert doc.page_at(doc.text.index("5128.9亿元")) == 2
    assert doc.page_at(doc.text.index("356.8万吨")) == 2
    assert doc.page_at(doc.text.index("城镇调查失业率")) == 3


@needs_chromium
def test_pdf_through_cli(report_pdf, tmp_path):
    paragraphs = run_corpus(report_pdf, tmp_path)
    joined = "\n".join(p["text"] for p in paragraphs)
    assert "12757.4亿元" in joined and "5128.9亿元" in joined and "3406.2亿元" in joined
    assert HEADER not in joined
    gdp = next(p for p in paragraphs if "5128.9亿元" in p["text"])
    assert gdp["page"] in (2, None)  # the paragraph's page where the cleaner records it


def test_scanned_pdf_is_refused_in_one_line(tmp_path):
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(img)
    for y in range(80, 800, 36):  # lines of "text" as a scanner sees them
        draw.rectangle([60, y, 560 - (y % 5) * 30, y + 18], fill="black")
    png = tmp_path / "scan.png"
    img.save(png)
    pdf = tmp_path / "scanned_report.pdf"
    Image.open(png).convert("RGB").save(pdf, "PDF", resolution=72)
    with pytest.raises(DocumentError) as err:
        load_document(pdf)
    msg = str(err.value)
    assert msg == ("scanned_report.pdf: a scanned PDF with no text layer (OCR is not supported); "
                   "ingest a PDF with selectable text or a text copy")
    docs, errors = load_documents([pdf])
    assert not docs and len(errors) == 1 and "\n" not in str(errors[0])


def test_damaged_pdf_is_one_line_error(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>\n")
    with pytest.raises(DocumentError) as err:
        load_document(bad)
    assert str(err.value).startswith("broken.pdf: ") and "\n" not in str(err.value)
    notpdf = tmp_path / "renamed.pdf"
    notpdf.write_text("这不是PDF文件。", encoding="utf-8")
    with pytest.raises(DocumentError, match="renamed.pdf: not a PDF"):
        load_document(notpdf)


# ------------------------------------------------------------------ DOCX


def test_docx_paragraphs_and_table_rows(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("江川市2025年政府工作报告", level=1)
    d.add_paragraph("一、2024年工作回顾")
    d.add_paragraph("全市地区生产总值达到12757.4亿元，增长6.1%。")
    t = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("指标", "2024年完成"), ("粮食总产量", "356.8万吨"), ("城镇新增就业", "16.2万人")]):
        t.cell(r, 0).text, t.cell(r, 1).text = a, b
    d.add_paragraph("")
    d.add_paragraph("二、2025年主要目标")
    d.add_paragraph("地区生产总值增长5.5%左右。")
    path = tmp_path / "report.docx"
    d.save(path)
    doc = load_document(path)
    assert doc.format == "docx" and doc.pages == () and doc.page_at(0) is None
    assert doc.text.splitlines() == [
        "江川市2025年政府工作报告", "一、2024年工作回顾", "全市地区生产总值达到12757.4亿元，增长6.1%。",
        "指标 2024年完成；", "粮食总产量 2024年完成356.8万吨；", "城镇新增就业 2024年完成16.2万人。", "二、2025年主要目标", "地区生产总值增长5.5%左右。",
    ]
    bad = tmp_path / "old.docx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)  # an old binary .doc renamed
    with pytest.raises(DocumentError, match=r"^old\.docx: "):
        load_document(bad)


# ------------------------------------------------------------------ HTML, traditional Chinese, pinyin noise

TRAD_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>江川市政府工作報告_江川市人民政府</title></head>
<body><div class="nav"><a href="/">首頁</a> <a href="/zwgk">政務公開</a> <a href="/bsfw">辦事服務</a></div>
<table class="xxgk"><tr><td>索引號：</td><td>000014349/2025-00031</td><td>主題分類：</td><td>政府工作報告</td></tr>
<tr><td>發布機構：</td><td>江川市人民政府辦公室</td><td>成文日期：</td><td>2025年01月20日</td></tr></table>
<div class="article"><h1>2025年江川市政府工作報告</h1>
<p>一、2024年工作回顧</p>
<p>過去一年，全市地區生產總值達到7350億(yì)元，增長(zhǎng)5.2%，經(jīng)濟運行穩中向好。</p>
<p>規模以上工業增加值增長6.8%，新建5G基站2100個，空氣質量優良天數比例（試行標準）達到90.1%，PM2.5濃度(PM2.5)下降3%。</p>
<p>二、2025年主要目標</p>
<p>全市地區生產總值預期增長5%左右，城鎮調查失業率控制在5.5%以內。</p></div>
<div class="sidebar"><h3>相關鏈接</h3><ul><li><a href="/1">鄰市2024年地區生產總值9999億元</a></li></ul></div>
<div class="footer">版權所有：江川市人民政府　網站標識碼：4401000001</div></body></html>"""


def test_traditional_html_is_simplified_and_aligned(tmp_path):
    path = tmp_path / "jiangchuan_2025_trad.html"
    path.write_text(TRAD_PAGE, encoding="utf-8")
    doc = load_document(path)
    assert doc.format == "html"
    assert "7350亿元，增长5.2%，经济运行稳中向好" in doc.text  # simplified, pinyin gone
    assert "7350億元，增長5.2%，經濟運行穩中向好" in doc.original  # the page's own characters, pinyin gone
    assert len(doc.original) == len(doc.text)
    i = doc.text.index("7350亿元")
    assert doc.original[i:i + 6] == "7350億元" and doc.shown(i, i + 6) == "7350億元"
    assert "（试行标准）" in doc.text and "(PM2.5)" in doc.text  # real brackets stay
    assert "(yì)" not in doc.original and "zhǎng" not in doc.text
    lines = doc.text.splitlines()
    assert "发布机构：江川市人民政府办公室" in lines and "成文日期：2025年01月20日" in lines
    assert "9999" not in doc.text and "首页" not in doc.text and "版权所有" not in doc.text


def test_traditional_html_through_cli(tmp_path):
    path = tmp_path / "jiangchuan_2025_trad.html"
    path.write_text(TRAD_PAGE, encoding="utf-8")
    paragraphs = run_corpus(path, tmp_path)
    joined = "\n".join(p["text"] for p in paragraphs)
    assert "7350亿元" in joined and "7350億元" not in joined
    assert "经济" in joined and "(jīng)" not in joined and "9999" not in joined
    p = next(p for p in paragraphs if "7350亿元" in p["text"])
    if p.get("original"):
        assert "7350億元" in p["original"] and len(p["original"]) == len(p["text"])


def test_simplified_text_keeps_original_none(tmp_path):
    path = tmp_path / "simplified.txt"
    path.write_text("全市地区生产总值达到12757.4亿元，增长6.1%。\n", encoding="utf-8")
    doc = load_document(path)
    assert doc.original is None and doc.format == "txt" and doc.pages == () and doc.page_at(3) is None
    assert doc.place == "" and doc.year is None


def test_pinyin_noise_removed_but_real_brackets_kept(tmp_path):
    path = tmp_path / "noisy.txt"
    path.write_text("发(fā)展质量提升，地区生产总值达到1200亿（yì）元，增长(zhǎng)5%。\n"
                    "《江川市节能条例（试行）》实施，PM2.5浓度(PM2.5)下降，生产总值(GDP)增长，见附件(a)。\n",
                    encoding="utf-8")
    doc = load_document(path)
    assert doc.text.splitlines() == [
        "发展质量提升，地区生产总值达到1200亿元，增长5%。",
        "《江川市节能条例（试行）》实施，PM2.5浓度(PM2.5)下降，生产总值(GDP)增长，见附件(a)。",
    ]


# ------------------------------------------------------------------ text encodings

REPORT = "江川市2025年政府工作报告\n\n一、2024年工作回顾\n\n全市地区生产总值达到12757.4亿元，增长6.1%；粮食总产量356.8万吨。\n"
TRAD_REPORT = "江川市2025年政府工作報告\n\n一、2024年工作回顧\n\n全市地區生產總值達到7350億元，增長5.2%；糧食總產量356.8萬噸。\n"


@pytest.mark.parametrize("codec,encoding", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("utf-16", "utf-16-le"),  # with BOM (little-endian here)
    ("utf-16-le", "utf-16-le"),  # no BOM
    ("utf-16-be", "utf-16-be"),  # no BOM
])
def test_text_encodings(tmp_path, codec, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode(codec))
    doc = load_document(path)
    assert doc.text == REPORT and doc.encoding == encoding and doc.original is None


def test_utf16_be_with_bom(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(b"\xfe\xff" + REPORT.encode("utf-16-be"))
    assert load_document(path).text == REPORT


@pytest.mark.parametrize("codec", ["big5", "utf-16-le", "utf-8"])
def test_traditional_text_files(tmp_path, codec):
    path = tmp_path / "trad.txt"
    path.write_bytes(TRAD_REPORT.encode(codec))
    doc = load_document(path)
    assert doc.original == TRAD_REPORT
    assert "全市地区生产总值达到7350亿元，增长5.2%；粮食总产量356.8万吨。" in doc.text
    assert len(doc.text) == len(doc.original)
    if codec == "big5":
        assert doc.encoding == "big5"


def test_traditional_txt_through_cli(tmp_path):
    path = tmp_path / "trad_big5.txt"
    path.write_bytes(TRAD_REPORT.encode("big5"))
    paragraphs = run_corpus(path, tmp_path)
    assert any("7350亿元" in p["text"] for p in paragraphs)
    assert not any("億" in p["text"] for p in paragraphs)


def test_refusals_stay_one_line(tmp_path):
    (tmp_path / "sjis.txt").write_bytes("青島市政府活動報告\n\n2023年、市内総生産は1兆5760億円に達した。観光客は1.3億人。\n"
                                        .encode("shift_jis"))
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 16 + b"\x00" * 64)
    (tmp_path / "empty16.txt").write_bytes("  \n".encode("utf-16"))
    (tmp_path / "report.rtf").write_text("{\\rtf1 text}", encoding="ascii")
    docs, errors = load_documents([tmp_path / n for n in ("sjis.txt", "binary.txt", "empty16.txt", "report.rtf")])
    assert not docs
    msgs = {str(e).split(":")[0]: str(e) for e in errors}
    assert set(msgs) == {"sjis.txt", "binary.txt", "empty16.txt", "report.rtf"}
    assert all("\n" not in m for m in msgs.values())
    assert "UTF-8" in msgs["sjis.txt"] and "binary" in msgs["binary.txt"] and "empty" in msgs["empty16.txt"]
    assert "unsupported" in msgs["report.rtf"] and ".pdf" in msgs["report.rtf"]


def test_suffixes_and_discover(tmp_path):
    assert {".pdf", ".docx", ".txt", ".md", ".html"} <= set(SUFFIXES)
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.rtf").write_text("x", encoding="utf-8")
    docs, errors = load_documents([tmp_path])
    assert [d.source for d in docs] == ["a.txt"] and not errors


@pytest.mark.parametrize("codec,label", [("gb18030", "gb2312"), ("big5", "big5")])
def test_html_in_legacy_encodings(tmp_path, codec, label):
    body = "全市地區生產總值達到7350億元。" if codec == "big5" else "全市地区生产总值达到7350亿元。"
    page = f"<html><head><meta charset=\"{label}\"><title>2025</title></head><body><p>{body}</p></body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(codec))
    doc = load_document(path)
    assert "全市地区生产总值达到7350亿元。" in doc.text
    assert (doc.original is not None) == (codec == "big5")


def test_conversion_keeps_alignment_for_any_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from assistant.simplify import simplify, strip_pinyin, to_simplified

    alphabet = st.sampled_from(list("經濟發展億萬臺灣乾隆頭髮後麵裏著干预系統計劃国内生产总值增长7350.4%，。（）()ā\n abc"))

    @settings(max_examples=150, deadline=None)
    @given(st.text(alphabet, max_size=80))
    def check(s):
        assert len(to_simplified(s)) == len(s)
        text, original = simplify(s)
        assert original is None or len(original) == len(text)
        stripped = strip_pinyin(s)
        assert [c for c in stripped if "\u4e00" <= c <= "\u9fff"] == [c for c in s if "\u4e00" <= c <= "\u9fff"]

    check()
