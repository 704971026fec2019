"""The public API end to end: extractive answers, the openai backend through a real HTTP
server on 127.0.0.1, the citation and number checks, follow-ups."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from fake_openai import text

GDP_Q = "2023年青岛市生产总值是多少？"


def cite_passage_with(figure: str, answer: str):
    """A fake LLM that cites the passage (by its number in the prompt) holding ``figure``."""

    def responder(body: dict):
        prompt = body["messages"][-1]["content"]
        for m in re.finditer(r"^\[(\d+)\](.*)$", prompt, re.M):
            if figure in m.group(2):
                return text(answer.format(n=m.group(1)))
        return text("报告中没有找到能回答这个问题的数字。")

    return responder


def test_extractive_answer_cites_the_paragraph(assistant):
    ans = assistant.ask(GDP_Q)
    assert not ans.abstained and "15760.3亿元" in ans.text
    assert ans.backend == "extractive"
    c = ans.citations[0]
    assert "15760.3亿元" in c.quote and c.quote in c.text and c.text[c.quote_start:c.quote_end] == c.quote
    assert c.source == "001_00a57e6725684587.txt" and c.section.startswith("一、2023年工作回顾")
    assert json.loads(json.dumps(ans.to_dict(), ensure_ascii=False))["citations"][0]["paragraph_id"] == c.paragraph_id


def test_unanswerable_question_abstains(assistant):
    ans = assistant.ask("2023年青岛常住人口有多少？")
    assert ans.abstained and ans.text.startswith("报告中没有找到") and not ans.citations


def test_english_question_gets_the_chinese_figure(assistant):
    ans = assistant.ask("What was Qingdao's GDP in 2023?")
    assert "15760.3亿元" in ans.text and ans.text.startswith("15760.3")


def test_followup_without_llm_carries_metric_and_changes_year(assistant):
    ans = assistant.ask("那2025年呢？", history=["2024年青岛市生产总值预期增长多少？"])
    assert "2025" in ans.standalone_question
    assert "5.5%" in ans.text and ans.citations[0].source.startswith("003")


def test_stream_yields_text_then_answer(assistant):
    pieces = list(assistant.stream(GDP_Q))
    assert isinstance(pieces[0], str) and type(pieces[-1]).__name__ == "Answer"


def test_cli_ask_json(data_dir):
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", GDP_Q, "--json"], capture_output=True,
                         text=True, check=True)
    data = json.loads(out.stdout)
    assert "15760.3亿元" in data["text"] and data["citations"][0]["quote"]


def test_openai_backend_answer_with_valid_citation_is_used(llm_assistant, fake_llm):
    fake_llm.responder = cite_passage_with("15760.3", "2023年青岛市生产总值为15760.3亿元[{n}]。")
    ans = llm_assistant.ask(GDP_Q)
    assert ans.backend.startswith("openai") and not ans.fallback_reason
    assert "15760.3亿元" in ans.text and "15760.3亿元" in ans.citations[0].quote
    body = fake_llm.chat_requests()[-1].body
    assert body["stream"] is True and body["temperature"] == 0


def test_openai_backend_streams(llm_assistant, fake_llm):
    fake_llm.responder = cite_passage_with("15760.3", "2023年青岛市生产总值为15760.3亿元[{n}]。")
    pieces = list(llm_assistant.stream(GDP_Q))
    assert sum(isinstance(p, str) for p in pieces) > 1
    assert "15760.3亿元" in pieces[-1].text


def test_invalid_citation_markers_are_dropped(llm_assistant, fake_llm):
    fake_llm.responder = cite_passage_with("15760.3", "生产总值为15760.3亿元[{n}][9]。")
    ans = llm_assistant.ask(GDP_Q)
    assert "[9]" not in ans.text and "15760.3亿元" in ans.text
    assert any("9" in note for note in ans.notes)


def test_figure_not_in_sources_falls_back_to_extractive(llm_assistant, fake_llm):
    fake_llm.responder = cite_passage_with("15760.3", "生产总值为15800亿元[{n}]。")
    ans = llm_assistant.ask(GDP_Q)
    assert "15800" not in ans.text and "15760.3亿元" in ans.text
    assert ans.fallback_reason.startswith("number check") and ans.backend == "openai→extractive"


def test_misattributed_figure_falls_back(llm_assistant, fake_llm):
    # 5.9% is in the cited paragraph, but it is the growth rate, not the GDP asked for.
    fake_llm.responder = cite_passage_with("15760.3", "生产总值为5.9%[{n}]。")
    ans = llm_assistant.ask(GDP_Q)
    assert ans.fallback_reason and "15760.3亿元" in ans.text


def test_llm_rewrites_followups(llm_assistant, fake_llm):
    fake_llm.queue(text("2025年青岛市生产总值预期增长多少？"))
    fake_llm.responder = cite_passage_with("5.5%左右", "预期增长5.5%左右[{n}]。")
    ans = llm_assistant.ask("那2025年呢？", history=["2024年青岛市生产总值预期增长多少？"])
    assert ans.standalone_question == "2025年青岛市生产总值预期增长多少？"
    assert "5.5%" in ans.text and ans.citations[0].source.startswith("003")


def test_a_correct_llm_figure_passes_for_paraphrased_and_english_questions(llm_assistant, fake_llm):
    fake_llm.responder = cite_passage_with("15760.3", "15760.3亿元[{n}]。")
    for q in ("2023年青岛的经济总量有多大？", "How large was Qingdao's economic output in 2023?"):
        ans = llm_assistant.ask(q)
        assert ans.backend.startswith("openai") and not ans.fallback_reason, (q, ans.fallback_reason)
        assert "15760.3亿元" in ans.text


def test_a_neighbours_figure_from_the_same_sentence_is_rejected(llm_assistant, fake_llm):
    # The sentence gives GDP, its growth, budget revenue growth and income growth: the
    # question asks for budget revenue growth (5.1%), the LLM gives the GDP growth.
    fake_llm.responder = cite_passage_with("15760.3", "增长5.9%[{n}]。")
    ans = llm_assistant.ask("2023年青岛市一般公共预算收入增长多少？")
    assert ans.fallback_reason.startswith("number check")
    assert "5.9%" not in ans.text.split("\n")[0] and "5.1%" in ans.text
