"""Whole questions through the public API: lists, several figures, comparisons computed in
code and descriptions, extractively and from a structured LLM reply (the fake endpoint is a
real HTTP server on 127.0.0.1), and their scoring in evals."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from fake_openai import text

from assistant.numbers import figures


def _shown(answer) -> list[str]:  # noqa: ANN001
    return [q.figure for q in figures(answer.text)]


def test_list_question_lists_the_targets_each_cited(assistant):
    ans = assistant.ask("2025年青岛的主要预期目标都有哪些？", backend="extractive")
    assert not ans.abstained
    assert "5.5%左右" in ans.text and "3%" in ans.text
    assert all(c.source.startswith("003") for c in ans.citations)
    assert re.search(r"\[\d\]", ans.text)


def test_respective_question_answers_each_year_from_its_own_report(assistant):
    ans = assistant.ask("2024年和2025年青岛一般公共预算收入的增长目标分别是多少？", backend="extractive")
    lines = ans.text.splitlines()
    assert len(lines) == 2 and "5%左右" in lines[0] and "3%" in lines[1]
    sources = {c.n: c.source for c in ans.citations}
    assert sources[int(re.search(r"\[(\d)\]", lines[0]).group(1))].startswith("001")
    assert sources[int(re.search(r"\[(\d)\]", lines[1]).group(1))].startswith("003")


def test_comparison_is_computed_in_code_with_the_arithmetic_shown(assistant):
    ans = assistant.ask("2025年青岛海洋重点项目的总投资比2024年多多少？", backend="extractive")
    assert not ans.abstained
    assert ans.text.splitlines()[0] == "多300亿元"
    assert "2400亿元 − 2100亿元 = 300亿元" in ans.text
    assert {c.source[:3] for c in ans.citations} == {"001", "003"}


def test_comparison_with_a_missing_side_computes_nothing(assistant):
    ans = assistant.ask("2023年青岛生产总值实际增长比当年目标高多少个百分点？", backend="extractive")
    assert ans.abstained
    assert "无法计算" in ans.text and "=" not in ans.text


def test_descriptive_question_quotes_cited_passages_instead_of_refusing(assistant):
    ans = assistant.ask("青岛的“蓝湾整治”行动是什么？", backend="extractive")
    assert not ans.abstained and ans.citations
    quoted = re.findall(r"“([^”]+)”", ans.text)
    assert quoted and all(any(q[:20] in c.text for c in ans.citations) for q in quoted)
    assert any("蓝湾" in c.text for c in ans.citations)


def test_single_figure_questions_keep_their_form(assistant):
    for q in ("2023年青岛市生产总值比上年增长多少？", "2025年计划新建多少个充电桩？"):
        assert assistant.retriever.parse(q).form == "single", q


# --- structured LLM replies -------------------------------------------------------------

def _passages(body: dict) -> dict[int, str]:
    prompt = body["messages"][-1]["content"]
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^\[(\d+)\](.*)$", prompt, re.M)}


def claims_from(*wanted: tuple[str, str]):  # noqa: ANN201
    """A fake LLM that answers in JSON, one claim per (quote, text) whose quote it finds."""

    def responder(body: dict):
        assert body["response_format"] == {"type": "json_object"}
        claims = []
        for quote, said in wanted:
            n = next((n for n, p in _passages(body).items() if quote in p), 1)
            claims.append({"text": said, "passage": n, "quotes": [quote]})
        return text(json.dumps({"claims": claims}, ensure_ascii=False))

    return responder


def test_structured_reply_every_figure_checked_and_cited(llm_assistant, fake_llm):
    fake_llm.responder = claims_from(("全市生产总值增长5.5%左右", "2025年全市生产总值预期增长5.5%左右"),
                                     ("一般公共预算收入增长3%", "一般公共预算收入增长3%"))
    ans = llm_assistant.ask("2025年青岛的主要预期目标有哪些？")
    assert not ans.fallback_reason, ans.notes
    assert "5.5%左右" in ans.text and "3%" in ans.text
    assert all(c.source.startswith("003") for c in ans.citations)


def test_structured_reply_drops_a_figure_outside_its_quote_and_says_why(llm_assistant, fake_llm):
    fake_llm.responder = claims_from(("全市生产总值增长5.5%左右", "生产总值增长5.5%左右"),
                                     ("一般公共预算收入增长3%", "一般公共预算收入增长4%"))
    ans = llm_assistant.ask("2025年青岛的主要预期目标有哪些？")
    assert "5.5%左右" in ans.text and "4%" not in ans.text
    assert any("4%" in note for note in ans.notes)


def test_structured_reply_a_wrong_year_figure_is_dropped_for_each_part(llm_assistant, fake_llm):
    # the 2024 target is 5%左右 (2024 report), the 2025 one 3%; the LLM gives 3% for both years
    fake_llm.responder = claims_from(("一般公共预算收入增长3%", "2024年：3%"), ("一般公共预算收入增长3%", "2025年：3%"))
    ans = llm_assistant.ask("2024年和2025年青岛一般公共预算收入的增长目标分别是多少？")
    assert not ans.fallback_reason and "3%" in ans.text
    fake_llm.responder = claims_from(("全市生产总值达到15760.3亿元", "2025年：15760.3亿元"))
    ans = llm_assistant.ask("2024年和2025年青岛一般公共预算收入的增长目标分别是多少？")
    assert ans.fallback_reason.startswith("number check") and "15760.3" not in ans.text.splitlines()[0]


def test_structured_reply_comparison_result_must_be_what_the_code_computes(llm_assistant, fake_llm):
    q = "2025年青岛海洋重点项目的总投资比2024年多多少？"
    fake_llm.responder = claims_from(("总投资2400亿元", "2025年总投资2400亿元"), ("总投资2100亿元", "2024年总投资2100亿元"),
                                     ("总投资2400亿元", "多300亿元"))
    ans = llm_assistant.ask(q)
    assert not ans.fallback_reason, ans.notes
    assert "2400亿元 − 2100亿元 = 300亿元" in ans.text
    fake_llm.responder = claims_from(("总投资2400亿元", "2025年总投资2400亿元"), ("总投资2100亿元", "2024年总投资2100亿元"),
                                     ("总投资2400亿元", "多350亿元"))
    ans = llm_assistant.ask(q)
    assert "350" not in ans.text and any("350亿元" in note for note in ans.notes)


def test_structured_reply_streams_claim_texts_not_json(llm_assistant, fake_llm):
    fake_llm.responder = claims_from(("全市生产总值增长5.5%左右", "预期增长5.5%左右"))
    pieces = list(llm_assistant.stream("2025年青岛市生产总值预期增长多少？"))
    streamed = "".join(p for p in pieces if isinstance(p, str))
    assert "{" not in streamed and "5.5%左右" in streamed
    assert "5.5%左右" in pieces[-1].text


def test_a_claim_restating_a_context_figure_passes(llm_assistant, fake_llm):
    fake_llm.responder = claims_from(("抓好460个省市重点项目建设,完成投资2450亿元以上",
                                      "抓好460个省市重点项目建设，完成投资2450亿元以上"))
    ans = llm_assistant.ask("2025年青岛省市重点项目计划完成投资多少？")
    assert not ans.fallback_reason, ans.notes
    assert "2450亿元以上" in ans.text


# --- evals --------------------------------------------------------------------------------

def test_eval_scores_every_figure_and_its_source(tmp_path, data_dir):
    gold = tmp_path / "gold.jsonl"
    items = [
        {"id": "m1", "kind": "multi", "question": "2024年和2025年青岛一般公共预算收入的增长目标分别是多少？", "answer": None,
         "answers": [{"answer": "5%左右", "source": "001_00a57e6725684587.txt"},
                     {"answer": "3%", "source": "003_773498ea8d7ac04c.txt"}]},
        {"id": "m2", "kind": "multi", "question": "2024年和2025年青岛一般公共预算收入的增长目标分别是多少？", "answer": None,
         "answers": [{"answer": "5%左右", "source": "003_773498ea8d7ac04c.txt"},
                     {"answer": "3%", "source": "003_773498ea8d7ac04c.txt"}]},
        {"id": "c1", "kind": "computed", "question": "2025年青岛海洋重点项目的总投资比2024年多多少？", "answer": "300亿元",
         "operands": [{"answer": "2400亿元", "source": "003_773498ea8d7ac04c.txt"},
                      {"answer": "2100亿元", "source": "001_00a57e6725684587.txt"}]},
    ]
    gold.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    out = tmp_path / "report.json"
    subprocess.run([sys.executable, "-m", "assistant.cli", "eval", "--gold", str(gold), "--json", str(out),
                    "--backend", "extractive"], capture_output=True, text=True, check=False)
    report = json.loads(out.read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in report["items"]}
    assert by_id["m1"]["correct"] and not by_id["m2"]["correct"]  # m2 wants the 2024 figure from the 2025 report
    assert by_id["c1"]["correct"]
    assert report["by_kind"]["multi"]["n"] == 2 and report["unsupported_figures"] == 0
    assert report["whole_questions"] == 3
