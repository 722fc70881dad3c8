"""HTML, PDF and DOCX reports: their text, and a clear error for each kind of bad file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from zhibiao.errors import ReadError
from zhibiao.formats import read_docx, read_html, read_pdf
from zhibiao.read import FORMATS, iter_paths, read_path

# Our own sentences.
GDP = "2024年，青禾县实现地区生产总值286.45亿元，比上年增长5.6%，增速高于全市平均水平0.4个百分点。"
GRAIN = "全年粮食总产量31.62万吨，增长2.4%；规模以上工业增加值增长8.1%，工业经济稳中向好。"

PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>青禾县2024年国民经济和社会发展统计公报</title></head>
<body>
<nav><ul><li><a href="/">首页</a></li><li><a href="/news">新闻中心</a></li><li><a href="/gov">政务公开</a></li>
<li><a href="/menu">网站导航菜单项目</a></li></ul></nav>
<div class="sidebar"><a href="/x">热点专题链接甲</a> <a href="/y">热点专题链接乙</a></div>
<article><h1>青禾县2024年国民经济和社会发展统计公报</h1>
<p>{GDP}</p>
<p>{GRAIN}</p>
<table><tr><td>指标</td><td>数值</td></tr><tr><td>常住人口</td><td>52.3万人</td></tr></table>
</article>
<footer>主办单位：青禾县人民政府办公室 版权所有 备案号：晋ICP备000000号 联系电话：0000-0000000</footer>
</body></html>"""

MENUS_ONLY = """<html><head><meta charset="utf-8"><title>青禾县人民政府</title></head><body>
<nav><a href="/">首页</a> <a href="/a">政务公开</a> <a href="/b">办事服务</a> <a href="/c">互动交流</a></nav>
<footer>版权所有</footer></body></html>"""


def minimal_pdf(pages: list[str]) -> bytes:
    """A PDF whose pages show `pages` (one text line each) with a CID font and a ToUnicode map, no font file.

    Codes are the characters' UTF-16 code units, so the ToUnicode map is the identity: enough for a text layer.
    An empty string makes a page without text (a scan, as far as text goes).
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    cmap_lines = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256) if not 0xD8 <= hi <= 0xDF]
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Ident def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            + "".join(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange\n"
                      for chunk in (cmap_lines[i:i + 100] for i in range(0, len(cmap_lines), 100)))
            + "endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    to_unicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    descendant = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ZhibiaoTest "
                     b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                     b"/FontDescriptor << /Type /FontDescriptor /FontName /ZhibiaoTest /Flags 4 "
                     b"/FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 "
                     b"/StemV 80 >> /DW 1000 >>")
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /ZhibiaoTest /Encoding /Identity-H "
               b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (descendant, to_unicode))
    pages_id = len(objects) + 1 + 2 * len(pages)  # the Pages object comes after every page and its content
    kids = []
    for line in pages:
        hexed = line.encode("utf-16-be").hex().upper()
        stream = f"BT /F1 12 Tf 50 700 Td <{hexed}> Tj ET".encode() if line else b""
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) \
        == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def minimal_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    document.add_paragraph("表后的说明文字。")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# --- HTML ------------------------------------------------------------------------------------------------------

def test_html_gives_the_article_without_menus_or_footer() -> None:
    text = read_html(PAGE.encode("utf-8"), "page.html")
    assert GDP in text and GRAIN in text
    assert "52.3万人" in text
    for chrome in ("新闻中心", "网站导航菜单项目", "热点专题链接甲", "备案号"):
        assert chrome not in text


def test_html_in_gbk_is_read() -> None:
    text = read_html(PAGE.replace('charset="utf-8"', 'charset="gbk"').encode("gbk"), "page.html")
    assert GDP in text


@pytest.mark.parametrize("data, problem", [
    (MENUS_ONLY.encode(), "no article text"),
    (b"", "empty file"),
    (b"   \n", "empty file"),
])
def test_html_without_an_article_is_an_error(data: bytes, problem: str) -> None:
    with pytest.raises(ReadError, match=problem):
        read_html(data, "page.html")


# --- PDF -------------------------------------------------------------------------------------------------------

def test_pdf_text_layer_with_pages_separated_by_form_feeds() -> None:
    text = read_pdf(minimal_pdf([GDP, GRAIN]), "report.pdf")
    assert text.split("\f") == [GDP, GRAIN]


@pytest.mark.parametrize("mangle, problem", [
    (lambda b: b[: len(b) // 2], "truncated PDF"),
    (lambda b: b"", "empty file"),
    (lambda b: b"<html>not a pdf</html>", "not a PDF file"),
    (lambda b: b"%PDF-1.7\n" + b"\x00garbage" * 40 + b"\n%%EOF\n", "damaged PDF"),
], ids=["truncated", "empty", "not-pdf", "damaged"])
def test_bad_pdfs_are_errors(mangle, problem: str) -> None:
    with pytest.raises(ReadError, match=problem):
        read_pdf(mangle(minimal_pdf([GDP])), "report.pdf")


def test_a_scanned_pdf_is_reported_as_such() -> None:
    with pytest.raises(ReadError, match="scanned PDF: none of its 2 pages has a text layer"):
        read_pdf(minimal_pdf(["", ""]), "scan.pdf")


# --- DOCX ------------------------------------------------------------------------------------------------------

def test_docx_paragraphs_and_tables_in_order() -> None:
    text = read_docx(minimal_docx([GDP, GRAIN], [["指标", "数值"], ["常住人口", "52.3万人"]]), "report.docx")
    assert text.splitlines() == [GDP, GRAIN, "指标\t数值", "常住人口\t52.3万人", "表后的说明文字。"]


@pytest.mark.parametrize("data, problem", [
    (b"PK\x03\x04 not really a zip", "not a valid DOCX file"),
    (b"", "empty file"),
])
def test_bad_docx_are_errors(data: bytes, problem: str) -> None:
    with pytest.raises(ReadError, match=problem):
        read_docx(data, "report.docx")


def test_docx_without_text_is_an_error() -> None:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with pytest.raises(ReadError, match="without text"):
        read_docx(buf.getvalue(), "blank.docx")


# --- through read_path and iter_paths ----------------------------------------------------------------------------

def test_the_formats_are_registered(tmp_path: Path) -> None:
    assert {FORMATS[s] for s in (".html", ".htm", ".pdf", ".docx")} == {"html", "pdf", "docx"}
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(minimal_pdf([GDP]))
    (tmp_path / "c.docx").write_bytes(minimal_docx([GRAIN]))
    (tmp_path / "d.xlsx").write_bytes(b"PK\x03\x04")
    found = list(iter_paths([tmp_path]))
    assert [p.name for p in found] == ["a.html", "b.pdf", "c.docx"]
    docs = [read_path(p) for p in found]
    assert [d.format for d in docs] == ["html", "pdf", "docx"]
    assert GDP in docs[0].text and docs[1].text == GDP and GRAIN in docs[2].text
    assert docs[0].encoding == "utf-8"
