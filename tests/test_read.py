"""Tests for zhibiao.read: decoding, file reading, folder expansion."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibiao.errors import ReadError
from zhibiao.read import decode, iter_paths, read_path, read_text

# Our own sentences: figures, ASCII digits and punctuation, CRLF kept, one with no ASCII at all.
GDP = "青禾县2024年地区生产总值286.45亿元，比上年增长5.6%。\n"
GRAIN = "全年粮食总产量31.62万吨，增长2.4%；发电量48.6亿千瓦时。\r\n城镇化率53.21%，提高0.8个百分点。\n"
NO_ASCII = "一般公共预算收入稳中有升，民生支出占比保持在八成以上。"
NO_ASCII_NO_NUL = "乡村振兴扎实推进，城乡居民收入差距继续缩小。"  # no 一 (U+4E00) either: no NUL in UTF-16

UTF16_LE_BOM = b"\xff\xfe"
UTF16_BE_BOM = b"\xfe\xff"

DECODE_CASES = [
    (GDP.encode("utf-8"), GDP, "utf-8"),
    (GRAIN.encode("utf-8"), GRAIN, "utf-8"),
    (GDP.encode("utf-8-sig"), GDP, "utf-8-sig"),
    (GDP.encode("gbk"), GDP, "gb18030"),
    (GRAIN.encode("gbk"), GRAIN, "gb18030"),
    (GRAIN.encode("gb18030"), GRAIN, "gb18030"),
    ("㙓㙔村新建光伏电站𠀋".encode("gb18030"), "㙓㙔村新建光伏电站𠀋", "gb18030"),  # beyond GBK
    (UTF16_LE_BOM + GDP.encode("utf-16-le"), GDP, "utf-16-le"),
    (UTF16_BE_BOM + GDP.encode("utf-16-be"), GDP, "utf-16-be"),
    (GRAIN.encode("utf-16"), GRAIN, "utf-16-le" if GRAIN.encode("utf-16")[:2] == UTF16_LE_BOM else "utf-16-be"),
    (GDP.encode("utf-16-le"), GDP, "utf-16-le"),
    (GDP.encode("utf-16-be"), GDP, "utf-16-be"),
    (GRAIN.encode("utf-16-le"), GRAIN, "utf-16-le"),
    (NO_ASCII.encode("utf-16-le"), NO_ASCII, "utf-16-le"),
    (NO_ASCII.encode("utf-16-be"), NO_ASCII, "utf-16-be"),
    (NO_ASCII_NO_NUL.encode("utf-16-le"), NO_ASCII_NO_NUL, "utf-16-le"),
    (NO_ASCII_NO_NUL.encode("utf-16-be"), NO_ASCII_NO_NUL, "utf-16-be"),
    (NO_ASCII.encode("gbk"), NO_ASCII, "gb18030"),
    (GDP.encode("utf-32"), GDP, "utf-32-le"),
    ("青禾縣全年地區生產總值穩步增長，規模以上工業增加值增長較快。".encode("big5"),
     "青禾縣全年地區生產總值穩步增長，規模以上工業增加值增長較快。", "big5"),
    (b"GDP grew 5.6% in 2024.\n", "GDP grew 5.6% in 2024.\n", "utf-8"),
    # damaged UTF-8: a cut last character, and one bad byte in a long text, stay UTF-8
    (GDP.encode("utf-8") + "元".encode()[:2], GDP + "\ufffd", "utf-8"),
    (GDP.encode("utf-8") * 3 + b"\xff" + GDP.encode("utf-8"), GDP * 3 + "\ufffd" + GDP, "utf-8"),
]


@pytest.mark.parametrize("data, text, encoding", DECODE_CASES, ids=[f"{i}-{c[2]}" for i, c in enumerate(DECODE_CASES)])
def test_decode(data: bytes, text: str, encoding: str) -> None:
    assert decode(data, "report.txt") == (text, encoding)


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


BAD_CASES = [
    (b"", "empty file"),
    (b"\xef\xbb\xbf", "empty file"),
    (b"   \n\t\r\n", "whitespace-only file"),
    ("\u3000\u3000\n".encode("utf-8"), "whitespace-only file"),
    ("\u3000\n".encode("gbk"), "whitespace-only file"),
    (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 16, "not text: contains NUL bytes"),
    (b"abc\x00def\x00\x00\x00ghi", "not text: contains NUL bytes"),
    (b"\x01\x02\x03\x04abc" * 40, "control characters"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "not text: looks like a PDF file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not text: looks like a PNG image"),
    (_zip_bytes(), "not text: looks like a ZIP archive"),
    (b"\x7fELF\x02\x01\x01\x00", "not text: looks like an ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old Microsoft Office file"),
    (UTF16_LE_BOM + GDP.encode("utf-16-le")[:-1], "undecodable: starts with a utf-16-le byte-order mark"),
    (b"\xef\xbb\xbf" + GDP.encode("gbk"), "undecodable: starts with a utf-8-sig byte-order mark"),
    ("Caf\u00e9 cr\u00e8me, na\u00efve r\u00e9sum\u00e9.".encode("latin-1"), "undecodable: not UTF-8"),
]


@pytest.mark.parametrize("data, problem", BAD_CASES, ids=[c[1][:30] for c in BAD_CASES])
def test_decode_rejects(data: bytes, problem: str) -> None:
    with pytest.raises(ReadError) as caught:
        decode(data, "bad/报告.txt")
    assert str(caught.value).startswith("bad/报告.txt: ")
    assert problem in caught.value.problem
    assert caught.value.path == "bad/报告.txt"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_decode_any_bytes_gives_text_or_read_error(data: bytes) -> None:
    try:
        text, encoding = decode(data, "x.txt")
    except ReadError as e:
        assert e.problem
    else:
        assert isinstance(text, str) and text.strip()
        assert isinstance(encoding, str) and encoding


REPORT_TEXT = st.text(alphabet=st.sampled_from(list("青禾县生产总值增长亿元万吨，。％%：、；（）0123456789.\n\r\t 一ABC")),
                      min_size=1).filter(lambda t: t.strip())


@settings(max_examples=200, deadline=None)
@given(REPORT_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_decode_round_trips_unambiguous_encodings(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding), "x.txt")[0] == text


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_read_path_txt(tmp_path: Path) -> None:
    p = _write(tmp_path / "公报.txt", GRAIN.encode("gbk"))
    doc = read_path(p)
    assert (doc.name, doc.text, doc.path, doc.encoding, doc.format) == ("公报.txt", GRAIN, str(p), "gb18030", "txt")
    assert (doc.published, doc.published_how) == (None, "unknown")
    # offsets index the text as decoded: the CRLF is still there
    assert doc.text[doc.text.index("\r"):].startswith("\r\n城镇化率")


def test_read_path_md_with_bom_and_date(tmp_path: Path) -> None:
    p = _write(tmp_path / "work_report.MD", ("## 一、过去一年\n" + GDP).encode("utf-8-sig"))
    doc = read_path(str(p), published=date(2025, 1, 10))
    assert doc.text == "## 一、过去一年\n" + GDP
    assert (doc.encoding, doc.format, doc.published, doc.published_how) == ("utf-8-sig", "md", date(2025, 1, 10),
                                                                          "given")
    start = doc.text.index("286.45亿元")
    assert doc.text[start:start + 8] == "286.45亿元"


READ_PATH_ERRORS = [
    ("missing.txt", None, "no such file"),
    ("report.xlsx", b"PK\x03\x04", "unsupported format .xlsx"),
    ("README", GDP.encode(), "unsupported format: no file suffix"),
    ("empty.txt", b"", "empty file"),
    ("scan.txt", b"%PDF-1.4\n", "not text: looks like a PDF file"),
]


@pytest.mark.parametrize("name, data, problem", READ_PATH_ERRORS, ids=[c[0] for c in READ_PATH_ERRORS])
def test_read_path_errors(tmp_path: Path, name: str, data: bytes | None, problem: str) -> None:
    p = tmp_path / name
    if data is not None:
        _write(p, data)
    with pytest.raises(ReadError) as caught:
        read_path(p)
    assert caught.value.path == str(p)
    assert problem in str(caught.value)


def test_read_path_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="is a directory"):
        read_path(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_read_path_permission_denied(tmp_path: Path) -> None:
    p = _write(tmp_path / "locked.txt", GDP)
    p.chmod(0)
    with pytest.raises(ReadError, match="permission denied"):
        read_path(p)


def test_read_text_keeps_the_string() -> None:
    doc = read_text("\ufeff" + GDP, name="snippet")
    assert (doc.name, doc.text, doc.path, doc.format) == ("snippet", "\ufeff" + GDP, None, "txt")
    assert read_text(GDP).name == "<text>"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel in ["b.md", "a.txt", "notes.xlsx", ".hidden.txt", ".git/HEAD.txt", "sub/c.TXT", "sub/deeper/d.md",
                "sub/image.png", "z.txt", "_draft/e.markdown"]:
        _write(tmp_path / rel, GDP)
    return tmp_path


def test_iter_paths_folder(tree: Path) -> None:
    found = [p.relative_to(tree).as_posix() for p in iter_paths([str(tree)])]
    assert found == ["_draft/e.markdown", "a.txt", "b.md", "sub/c.TXT", "sub/deeper/d.md", "z.txt"]


def test_iter_paths_explicit_files_missing_and_duplicates(tree: Path) -> None:
    given_paths = [str(tree / "notes.xlsx"), str(tree / "nope.txt"), str(tree / "z.txt"), str(tree / "sub"),
                   str(tree / "sub" / "c.TXT"), str(tree / ".hidden.txt")]
    found = [p.relative_to(tree).as_posix() for p in iter_paths(given_paths)]
    assert found == ["notes.xlsx", "nope.txt", "z.txt", "sub/c.TXT", "sub/deeper/d.md", ".hidden.txt"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_iter_paths_does_not_follow_folder_links(tree: Path) -> None:
    (tree / "sub" / "loop").symlink_to(tree, target_is_directory=True)
    found = [p.relative_to(tree).as_posix() for p in iter_paths([tree])]
    assert found == ["_draft/e.markdown", "a.txt", "b.md", "sub/c.TXT", "sub/deeper/d.md", "z.txt"]


def test_iter_paths_then_read_path_reports_each_bad_file(tree: Path) -> None:
    outcomes = {}
    for p in iter_paths([str(tree / "notes.xlsx"), str(tree / "a.txt")]):
        try:
            outcomes[p.name] = read_path(p).text
        except ReadError as e:
            outcomes[p.name] = e.problem
    assert outcomes == {"notes.xlsx": "unsupported format .xlsx (zhibiao reads .docx, .htm, .html, .markdown, .md, .pdf, .txt, .xhtml)", "a.txt": GDP}


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_FILES = [("statistical_bulletin.txt", "utf-8", "txt"), ("work_report.md", "utf-8", "md"),
                 ("county_news_gbk.txt", "gb18030", "txt")]


@pytest.mark.parametrize("name, encoding, fmt", EXAMPLE_FILES, ids=[c[0] for c in EXAMPLE_FILES])
def test_shipped_examples_read(name: str, encoding: str, fmt: str) -> None:
    doc = read_path(EXAMPLES / name)
    assert (doc.encoding, doc.format) == (encoding, fmt)
    hanzi = sum(1 for c in doc.text if "\u4e00" <= c <= "\u9fff")
    assert 1500 <= hanzi <= 3000


# The shares decode() judges encodings by, counted in C since issue 19's probe (a loop per character took 20 s on a
# 5 MB GBK file): they must still count what their definitions say.
def _common_by_definition(c: str) -> bool:
    return (c < "\x80" or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
            or "\u2000" <= c <= "\u206f")


def _in_gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


_MIXED = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("增长亿元，。％汇總億"))


@given(_MIXED)
def test_the_common_share_counts_its_characters(text: str) -> None:
    from zhibiao.read import _common_share

    expected = sum(map(_common_by_definition, text)) / len(text) if text else 0.0
    assert _common_share(text) == expected


@given(st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1))
def test_the_gb2312_share_counts_its_hanzi(hanzi: str) -> None:
    from zhibiao.read import _gb2312_share

    assert _gb2312_share(hanzi) == sum(map(_in_gb2312, hanzi)) / len(hanzi)
