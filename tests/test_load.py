"""Loading any report file; bad files give one-line errors and the rest goes on."""
from __future__ import annotations

from assistant.load import load_documents


def test_bad_files_are_reported_one_line_each(tmp_path):
    (tmp_path / "good.txt").write_text("全市生产总值达到100亿元。\n", encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes("全市生产总值达到200亿元。\n".encode("gb18030"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "latin.txt").write_bytes(b"\x81\x20\xff\xfe\x80" * 50)
    (tmp_path / "page.html").write_text("<html><script>var x=1;</script><p>投资增长5%。</p></html>", encoding="utf-8")
    docs, errors = load_documents([tmp_path])
    assert sorted(d.source for d in docs) == ["gbk.txt", "good.txt", "page.html"]
    assert {d.source: d.encoding for d in docs}["gbk.txt"] == "gb18030"
    assert "var x" not in next(d for d in docs if d.source == "page.html").text
    messages = sorted(str(e) for e in errors)
    assert len(messages) == 3 and all("\n" not in m for m in messages)
    assert any(m.startswith("empty.txt:") for m in messages)
    assert any(m.startswith("binary.txt:") for m in messages)
    assert any(m.startswith("latin.txt:") for m in messages)


def test_oversized_file_is_refused(tmp_path):
    from assistant.load import MAX_BYTES

    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    docs, errors = load_documents([big])
    assert not docs and "too large" in str(errors[0])
