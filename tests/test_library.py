"""The library: documents are added, replaced and removed, never lost by another command,
never half-seen by a question, and shared through a Chroma server.

Real Chroma store and embedder throughout (the fast ``use`` embedder); the reports
are made up for these tests.  Every test has its own data directory, and the
bundled reports are switched off (an empty ASSISTANT_SEEDS_DIR) unless a test
is about them.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from assistant import Assistant, Config
from assistant.clean import clean_document
from assistant.errors import DocumentError, StoreError
from assistant.index import Store, windows
from assistant.library import Library, safe_name
from assistant.load import load_document

CITY = "qinghe_2024.txt"
COUNTY = "yunxi_2024.txt"
BIG = "shiqiao_2024.txt"
CITY_TEXT = """青禾新区2024年政府工作报告

——2024年1月10日在青禾新区第三届人民代表大会第三次会议上

一、2023年工作回顾

2023年，全区地区生产总值达到3218.6亿元，同比增长6.2%。一般公共预算收入完成245.7亿元，增长8.1%。

全年新建改建城市道路46条，新增停车泊位1.2万个，新增城镇就业5.3万人。

二、2024年主要目标

2024年，全区地区生产总值增长6%左右，城镇新增就业5万人以上。
"""
COUNTY_TEXT = """云溪新区2024年政府工作报告

——2024年1月12日在云溪新区第二届人民代表大会第四次会议上

一、2023年工作回顾

2023年，全区粮食总产量达到58.4万吨，新建高标准农田12.5万亩。

全区新开工建设保障性住房1860套，改造农村公路318公里。

二、2024年主要任务

2024年，计划新建乡镇污水处理站27座。
"""
GRAIN_Q = "2023年云溪新区粮食总产量是多少？"
GRAIN = "58.4万吨"
ROADS_Q = "2023年青禾新区新建改建城市道路多少条？"
ROADS = "46条"
CLINIC_Q = "2024年青禾新区计划新建多少个村级卫生室？"
PARK_Q = "2023年石桥新区新增公园绿地多少公顷？"
PARK = "138"


def big_report(n: int = 400) -> str:
    """A long made-up report: embedding it takes a few seconds."""
    lines = [f"2023年，{i}号片区新建停车位{i * 3 + 1}个，改造老旧管网{i + 5}公里。" for i in range(1, n + 1)]
    lines.append("2023年，石桥新区建成城市书房64座，新增公园绿地138公顷。")  # the last to be embedded
    return ("石桥新区2024年政府工作报告\n\n——2024年1月9日在石桥新区第一届人民代表大会第五次会议上\n\n"
            "一、2023年工作回顾\n\n" + "\n\n".join(lines) + "\n")


@pytest.fixture()
def env(tmp_path: Path) -> dict:
    """A data dir of its own, no bundled reports, the fast embedder, the extractive backend."""
    (tmp_path / "no-seeds").mkdir()
    return dict(os.environ, ASSISTANT_DATA_DIR=str(tmp_path / "data"), ASSISTANT_SEEDS_DIR=str(tmp_path / "no-seeds"),
                ASSISTANT_EMBEDDER="use", ASSISTANT_BACKEND="extractive")


@pytest.fixture()
def cfg(env: dict) -> Config:
    return Config.from_env().with_(data_dir=Path(env["ASSISTANT_DATA_DIR"]), seeds_dir=Path(env["ASSISTANT_SEEDS_DIR"]),
                                   embedder="use", backend="extractive")


@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / CITY).write_text(CITY_TEXT, encoding="utf-8")
    (folder / COUNTY).write_text(COUNTY_TEXT, encoding="utf-8")
    return folder


def cli(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=env,
                       timeout=timeout)
    assert "Traceback" not in r.stderr, r.stderr
    return r


def ask(env: dict, question: str) -> dict:
    r = cli(env, "ask", "--json", question)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def docs(env: dict) -> dict[str, dict]:
    r = cli(env, "docs", "--json")
    assert r.returncode == 0, r.stderr
    return {d["name"]: d for d in json.loads(r.stdout)}


def sources(assistant: Assistant, question: str, k: int = 5) -> list[str]:
    return [h.paragraph.source for h in assistant.retriever.retrieve(question, k)]


def entries(cfg: Config) -> dict[str, dict]:
    """The committed record, read in this process (as `assistant docs --json` would list it)."""
    return {d.name: d.__dict__ for d in Library(cfg).documents()}


def unit_ids(cfg: Config) -> set[str]:
    return set(Store(cfg).load_units()[0])


def expected_unit_ids(cfg: Config) -> set[str]:
    paragraphs, _ = Library(cfg).paragraphs()
    return {u.id for p in paragraphs for u in windows(p)}


# ----------------------------------------------------------------------------- through the CLI


def test_added_folder_answers_lists_and_survives_other_commands(env, reports):
    r = cli(env, "add", str(reports))
    assert r.returncode == 0, r.stderr
    assert f"added: {CITY}" in r.stdout and f"added: {COUNTY}" in r.stdout
    assert "library: 2 documents" in r.stdout
    listed = docs(env)
    assert set(listed) == {CITY, COUNTY}
    assert all(d["paragraphs"] > 0 and d["figures"] > 0 and len(d["sha256"]) == 64 for d in listed.values())
    table = cli(env, "docs").stdout
    assert CITY in table and listed[CITY]["sha256"][:12] in table and listed[CITY]["sha256"] not in table

    # a new process answers from the library; moving the user's files away loses nothing (copies)
    shutil.rmtree(reports)
    answer = ask(env, GRAIN_Q)
    assert GRAIN in answer["text"] and answer["citations"][0]["source"] == COUNTY
    corpus = cli(env, "corpus", "--jsonl")
    assert {json.loads(line)["source"] for line in corpus.stdout.splitlines()} == {CITY, COUNTY}


def test_ingest_without_paths_adds_the_seeds_and_keeps_added_documents(env, cfg, reports):
    seeds = Path(env["ASSISTANT_SEEDS_DIR"])
    shutil.copy(reports / CITY, seeds / CITY)
    r = cli(env, "ingest")
    assert r.returncode == 0 and f"added: {CITY}" in r.stdout, r.stdout + r.stderr
    r = cli(env, "ingest", str(reports / COUNTY))
    assert r.returncode == 0 and f"added: {COUNTY}" in r.stdout, r.stdout + r.stderr
    # the issue: the next command rebuilt the index from seeds/ and dropped the added documents
    for args in (["ingest"], ["corpus"], ["search", GRAIN_Q], ["ask", "--json", GRAIN_Q]):
        r = cli(env, *args)
        assert r.returncode == 0, (args, r.stderr)
        assert set(entries(cfg)) == {CITY, COUNTY}, args
        assert unit_ids(cfg) == expected_unit_ids(cfg), args
        if args == ["ingest"]:
            assert f"unchanged: {CITY}" in r.stdout and "0 added, 0 updated, 0 removed" in r.stdout, r.stdout
    assert GRAIN in json.loads(r.stdout)["text"]


def test_unknown_name_and_bad_files_are_one_line_errors(env, cfg, reports, tmp_path):
    assert cli(env, "add", str(reports / CITY)).returncode == 0
    r = cli(env, "remove", "no-such.txt")
    assert r.returncode != 0
    assert r.stderr.strip().count("\n") == 0 and "no-such.txt" in r.stderr and CITY in r.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "notes.xyz").write_text("2023年", encoding="utf-8")
    r = cli(env, "add", str(bad), str(reports / COUNTY))
    assert r.returncode == 0, r.stderr
    skipped = [ln for ln in r.stderr.splitlines() if ln.startswith("skipped: ")]
    assert any("empty.txt" in ln for ln in skipped) and any("notes.xyz" in ln for ln in skipped), r.stderr
    assert f"added: {COUNTY}" in r.stdout
    r = cli(env, "add", str(bad))
    assert r.returncode != 0 and "no report text" in r.stderr
    assert set(entries(cfg)) == {CITY, COUNTY}


def test_overrides_persist_across_rebuild(env, reports, cfg):
    r = cli(env, "add", str(reports / COUNTY), "--place", "白鹭湾新区", "--year", "2023")
    assert r.returncode == 0, r.stderr
    entry = entries(cfg)[COUNTY]
    assert (entry["place_override"], entry["year_override"]) == ("白鹭湾新区", 2023)
    assert (entry["place"], entry["year"]) == ("白鹭湾新区", 2023)
    r = cli(env, "ingest", "--rebuild")
    assert r.returncode == 0, r.stderr
    entry = docs(env)[COUNTY]
    assert (entry["place_override"], entry["year_override"], entry["place"], entry["year"]) == \
        ("白鹭湾新区", 2023, "白鹭湾新区", 2023)
    hits = Assistant(cfg).retriever.retrieve(GRAIN_Q, 3)
    assert hits and all(h.paragraph.region == "白鹭湾新区" for h in hits if h.paragraph.source == COUNTY)


# ----------------------------------------------------------------------------- through the Python API


def test_readd_is_a_noop_an_edit_replaces_only_its_paragraphs_remove_stops_answers(cfg, reports):
    a = Assistant(cfg)
    first = a.add_documents([reports])
    assert sorted(first.added) == [CITY, COUNTY]
    lib = a.library
    version = lib.read().version
    ids = unit_ids(cfg)
    again = a.add_documents([reports])
    assert sorted(again.unchanged) == [CITY, COUNTY] and not (again.added or again.replaced)
    assert lib.read().version == version and unit_ids(cfg) == ids

    county_before = {i for i in ids if i.split(":")[0] in lib.read().get(COUNTY).pids}
    (reports / CITY).write_text(CITY_TEXT + "\n2024年，计划新建村级卫生室41个。\n", encoding="utf-8")
    edit = a.add_documents([reports / CITY])
    assert edit.replaced == [CITY]
    after = unit_ids(cfg)
    county_after = {i for i in after if i.split(":")[0] in lib.read().get(COUNTY).pids}
    assert county_after == county_before  # the other document's units are untouched
    assert "41个" in a.ask(CLINIC_Q).text

    a.remove_document(COUNTY)
    assert [d.name for d in a.documents()] == [CITY]
    assert COUNTY not in sources(a, GRAIN_Q)
    assert GRAIN not in a.ask(GRAIN_Q).text
    assert unit_ids(cfg) == expected_unit_ids(cfg)
    with pytest.raises(DocumentError, match=CITY):
        a.remove_document(COUNTY)
    a.remove_document(CITY)
    with pytest.raises(StoreError, match="empty"):
        a.ask(GRAIN_Q)


def test_question_during_an_add_is_answered_from_the_old_library(cfg, reports, tmp_path):
    a = Assistant(cfg)
    a.add_documents([reports])
    assert GRAIN in a.ask(GRAIN_Q).text
    big = tmp_path / "big" / BIG
    big.parent.mkdir()
    big.write_text(big_report(), encoding="utf-8")
    embedding, release = threading.Event(), threading.Event()
    stages: list[tuple[str, float]] = []

    def progress(stage: str, fraction: float) -> None:
        stages.append((stage, fraction))
        if "embedding" in stage and "/" in stage and not embedding.is_set():
            embedding.set()
            release.wait(60)  # hold the add in the middle of embedding

    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(report=a.add_documents([big], progress=progress)))
    worker.start()
    try:
        assert embedding.wait(60), stages
        t0 = time.monotonic()
        answer = a.ask(GRAIN_Q)  # the old library answers, without waiting for the add
        assert GRAIN in answer.text and time.monotonic() - t0 < 10
        assert BIG not in sources(a, PARK_Q, 8)
        assert PARK not in a.ask(PARK_Q).text
        assert {d.name for d in a.documents()} == {CITY, COUNTY}
    finally:
        release.set()
        worker.join(120)
    assert result["report"].added == [BIG]
    fractions = [f for _, f in stages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert PARK in a.ask(PARK_Q).text
    assert GRAIN in a.ask(GRAIN_Q).text


def test_another_process_change_is_seen_at_the_next_question(env, cfg, reports):
    a = Assistant(cfg)
    a.add_documents([reports / CITY])
    assert ROADS in a.ask(ROADS_Q).text and GRAIN not in a.ask(GRAIN_Q).text
    assert cli(env, "add", str(reports / COUNTY)).returncode == 0
    assert GRAIN in a.ask(GRAIN_Q).text  # no restart
    assert cli(env, "remove", CITY).returncode == 0
    assert CITY not in sources(a, ROADS_Q)


def test_upload_limits_and_names(cfg, reports, tmp_path):
    a = Assistant(cfg.with_(max_upload_files=3, max_upload_mb=1))
    many = tmp_path / "many"
    many.mkdir()
    for i in range(4):
        (many / f"r{i}.txt").write_text(CITY_TEXT.replace("3218.6", f"32{i}8.6"), encoding="utf-8")
    with pytest.raises(DocumentError, match="limit of 3"):
        a.add_documents([many])
    huge = tmp_path / "huge.txt"
    huge.write_text(CITY_TEXT * 4000, encoding="utf-8")
    assert huge.stat().st_size > 1024 * 1024
    odd = tmp_path / "odd.exe"
    odd.write_text(CITY_TEXT, encoding="utf-8")
    with pytest.raises(DocumentError, match="no report text") as nothing:
        a.add_documents([huge, odd])  # nothing usable: one error that says why for each file
    assert "huge.txt: 2 MB is too large" in str(nothing.value) and "odd.exe: unsupported" in str(nothing.value)
    report = a.add_documents([huge, odd, reports / CITY])
    assert report.added == [CITY]
    assert any(s.startswith("huge.txt: ") and "too large" in s for s in report.skipped), report.skipped
    assert any(s.startswith("odd.exe: ") and "unsupported" in s for s in report.skipped), report.skipped
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\x\\报告\x00\u202e.txt") == "报告.txt"
    with pytest.raises(DocumentError):
        safe_name("..")
    weird = tmp_path / "we\x01ird 报告.txt"
    weird.write_text(COUNTY_TEXT, encoding="utf-8")
    assert a.add_documents([weird]).added == ["weird 报告.txt"]
    copies = [p for p in (Path(cfg.data_dir) / "library" / "files").rglob("*") if p.is_file()]
    assert sorted(p.name for p in copies) == sorted([CITY, "weird 报告.txt"])


def test_bundled_reports_are_the_first_library(cfg, reports):
    seeds = Path(cfg.seeds_dir)
    shutil.copy(reports / CITY, seeds / CITY)
    a = Assistant(cfg)
    assert ROADS in a.ask(ROADS_Q).text  # first use builds the library of the bundled reports
    assert [d.name for d in a.documents()] == [CITY]
    (seeds / CITY).unlink()  # the bundled folder changing does not change the library
    a.add_documents([reports / COUNTY])
    assert {d.name for d in Assistant(cfg).documents()} == {CITY, COUNTY}


# ----------------------------------------------------------------------------- crashes


ADD_SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from assistant import Assistant
    def progress(stage, fraction):
        print(f"{fraction:.3f} {stage}", flush=True)
    Assistant().add_documents([Path(sys.argv[1])], progress=progress)
    print("DONE", flush=True)
""")


@pytest.mark.parametrize("kill_at", ["embedding 3", "building the keyword index"])
def test_sigkill_during_an_add_leaves_the_old_library_or_the_whole_document(env, cfg, reports, tmp_path, kill_at):
    Assistant(cfg).add_documents([reports])
    before = entries(cfg)
    big = tmp_path / "big" / BIG
    big.parent.mkdir()
    big.write_text(big_report(), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", ADD_SCRIPT, str(big)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    seen = []
    try:
        for line in proc.stdout:
            seen.append(line.strip())
            if kill_at in line:
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        if proc.poll() is None and not any(kill_at in s for s in seen):
            proc.kill()
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, seen
    assert "DONE" not in seen

    after = entries(cfg)
    if kill_at.startswith("embedding"):
        assert after == before  # the record was not committed: the library is as it was
    else:
        assert set(after) == set(before) | {BIG}
        assert after[BIG]["paragraphs"] == len(clean_document(load_document(big)))
    reader = Assistant(cfg)  # a new reader: sees the old library, or the new one whole
    assert GRAIN in reader.ask(GRAIN_Q).text
    assert (BIG in sources(reader, PARK_Q, 8)) == (BIG in after)
    assert set(h.paragraph.source for h in reader.retriever.retrieve("片区新建停车位", 8)) <= set(after)

    # the next add finishes the job and clears what the killed one left behind
    report = reader.add_documents([big])
    assert report.added == ([] if BIG in after else [BIG])
    assert PARK in reader.ask(PARK_Q).text
    assert unit_ids(cfg) == expected_unit_ids(cfg)
    copies = {p.parent.name for p in (Path(cfg.data_dir) / "library" / "files").rglob("*") if p.is_file()}
    assert copies == {d["sha256"] for d in entries(cfg).values()}


# ----------------------------------------------------------------------------- a shared Chroma server




def test_two_data_dirs_sharing_a_chroma_server_see_one_library(env, cfg, reports, tmp_path, chroma_server):
    one = dict(env, CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(chroma_server))
    assert cli(one, "add", str(reports / CITY)).returncode == 0  # machine one, through the CLI
    two = Assistant(cfg.with_(data_dir=tmp_path / "data-two", chroma_host="127.0.0.1", chroma_port=chroma_server))
    assert [d.name for d in two.documents()] == [CITY]
    assert ROADS in two.ask(ROADS_Q).text
    # machine two adds; re-cleaning the library needs machine one's file: it comes from the server
    assert two.add_documents([reports / COUNTY]).added == [COUNTY]
    assert set(docs(one)) == {CITY, COUNTY}
    assert GRAIN in ask(one, GRAIN_Q)["text"]
    two.remove_document(CITY)
    assert set(docs(one)) == {COUNTY}
    assert ROADS not in two.ask(ROADS_Q).text
    assert not (tmp_path / "data" / "chroma").exists() and not (tmp_path / "data-two" / "chroma").exists()
