"""Readers for HTML, PDF and DOCX reports: a file's bytes → its plain text, or a ReadError saying why not."""

from __future__ import annotations

import io
import logging
import re
import zipfile

from zhibiao.errors import ReadError

__all__ = ["READERS", "SUFFIXES", "read_docx", "read_html", "read_pdf"]

# An article has at least one stretch of text without spaces holding this many Han characters (a sentence);
# a page of menus and links has none, even when trafilatura joins its links into one line.
_MIN_ARTICLE_LINE_HAN = 10
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A PDF ends with %%EOF; some writers append a little after it, so look in the last bytes only.
_PDF_TAIL = 2048
# What the parts of a DOCX may inflate to: a long report's XML is a few MB; python-docx holds it all parsed,
# at up to 25 times its size (8 million empty paragraphs in 48 MB of XML took a worker to 1.15 GB), so the XML
# has a cap of its own below that of the whole (pictures are held as bytes, about their size).
MAX_INFLATED = 50 * 2**20
MAX_INFLATED_XML = 20 * 2**20
PAGE_BREAK = "\f"  # between the pages of a PDF, as pdftotext writes it, so that layout repair can find them


def read_html(data: bytes, name: str) -> str:
    """The main text of an HTML page (the article, its headings and tables; not menus, sidebars or footers).

    Tables come out as `| cell | cell |` rows. Raises ReadError when the page holds no article.
    """
    if not data.strip():
        raise ReadError(name, "empty file")
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its warnings are about the page, not for users
    try:
        text = trafilatura.extract(data, include_tables=True, include_comments=False, include_images=False,
                                   deduplicate=False)
    except Exception as e:  # noqa: BLE001 - lxml and trafilatura raise many kinds on broken markup
        raise ReadError(name, f"cannot parse the HTML page: {type(e).__name__}: {e}") from None
    if not text or not any(len(_HAN.findall(chunk)) >= _MIN_ARTICLE_LINE_HAN for chunk in text.split()):
        raise ReadError(name, "no article text in the HTML page (only menus, links or short snippets)")
    return text


def read_pdf(data: bytes, name: str) -> str:
    """The text layer of a PDF, pages separated by a form feed.

    Raises ReadError for a truncated, damaged or encrypted PDF, and for a scanned one with no text layer.
    """
    if not data:
        raise ReadError(name, "empty file")
    if not data.startswith(b"%PDF-"):
        raise ReadError(name, "not a PDF file (it does not start with %PDF-)")
    if b"%%EOF" not in data[-_PDF_TAIL:]:
        raise ReadError(name, "truncated PDF: the end-of-file marker is missing (an incomplete download?)")
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PdfStreamError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # repairs it makes silently are not the user's business
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(name, "encrypted PDF: it needs a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except FileNotDecryptedError:
        raise ReadError(name, "encrypted PDF: it needs a password") from None
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, OSError) as e:
        raise ReadError(name, f"damaged PDF: {e}") from None
    if not pages:
        raise ReadError(name, "PDF without pages")
    if not any(p.strip() for p in pages):
        raise ReadError(name, f"scanned PDF: none of its {len(pages)} pages has a text layer (run OCR on it first)")
    return PAGE_BREAK.join(p.rstrip("\n") for p in pages)


def read_docx(data: bytes, name: str) -> str:
    """The paragraphs and tables of a Word .docx file in document order; table cells joined by tabs."""
    if not data:
        raise ReadError(name, "empty file")
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    _check_inflated(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_rows(block))
            else:
                lines.append(block.text)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ReadError(name, f"not a valid DOCX file ({e or type(e).__name__})") from None
    except Exception as e:  # noqa: BLE001 - lxml raises many kinds on a part that is not XML
        raise ReadError(name, f"not a valid DOCX file: {type(e).__name__}: {_first(e)}") from None
    text = "\n".join(lines)
    if not text.strip():
        raise ReadError(name, "DOCX file without text")
    return text


def _check_inflated(data: bytes, name: str) -> None:
    """ReadError when the archive inflates beyond MAX_INFLATED bytes (a zip bomb), before anything is inflated.

    zipfile stops reading a member at the size its header gives, so the headers' sum bounds what is read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise ReadError(name, f"not a valid DOCX file ({e or type(e).__name__})") from None
    size = sum(i.file_size for i in members)
    xml = sum(i.file_size for i in members if i.filename.endswith((".xml", ".rels")))
    for what, n, cap in (("", size, MAX_INFLATED), (" of XML", xml, MAX_INFLATED_XML)):
        if n > cap:
            raise ReadError(name, f"too large once unpacked: {n / 2**20:,.0f} MB{what}, at most "
                                  f"{cap // 2**20} MB (a zip bomb?)")


def _first(e: BaseException) -> str:
    lines = str(e).strip().splitlines()
    return lines[0][:200] if lines else ""


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell is returned once per grid column it spans
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        rows.append("\t".join(cells))
    return rows


def _html_reader(data: bytes, name: str) -> tuple[str, str]:
    from trafilatura.utils import detect_encoding

    text = read_html(data, name)
    guesses = detect_encoding(data)
    return text, guesses[0] if guesses else "utf-8"


def _pdf_reader(data: bytes, name: str) -> tuple[str, str]:
    return read_pdf(data, name), "pdf"  # text drawn from the PDF's fonts: there is no byte encoding to name


def _docx_reader(data: bytes, name: str) -> tuple[str, str]:
    return read_docx(data, name), "utf-8"  # DOCX is XML in UTF-8


# In the shape of zhibiao.read: format → reader returning (text, encoding), and file suffix → format.
READERS = {"html": _html_reader, "pdf": _pdf_reader, "docx": _docx_reader}
SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".docx": "docx"}
