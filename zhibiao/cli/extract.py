"""`zhibiao extract`: the facts of report files, folders or standard input, without a database."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from typing import Annotated

import typer

from zhibiao.cli.common import FactFormat, Format, Published, RegionHint, err, error
from zhibiao.cli.output import FactWriter
from zhibiao.errors import ZhibiaoError
from zhibiao.model import FACT_FIELDS, Document
from zhibiao.pipeline import extract_document
from zhibiao.read import decode, iter_paths, read_path, read_text


def extract(
    paths: Annotated[list[str], typer.Argument(help="Report files, folders (read recursively) or - for stdin.")],
    fmt: FactFormat = Format.table,
    region: RegionHint = None,
    published: Published = None,
) -> None:
    """Every quantity in the reports, with what it measures, tied to its characters in the source."""
    writer = FactWriter(fmt, FACT_FIELDS)
    failed = 0
    for doc in _documents(paths, published):
        if isinstance(doc, ZhibiaoError):
            error(str(doc))
            failed += 1
            continue
        try:
            facts = extract_document(doc, region=region)
        except ZhibiaoError as e:
            error(f"{doc.name}: {e}")
            failed += 1
            continue
        when = f", published {doc.published} ({doc.published_how})" if doc.published else ""
        writer.write([f.to_dict() for f in facts], f"zhibiao facts of {doc.name}: {len(facts)}{when}")
    if failed:
        err.print(f"{failed} file(s) could not be read")
        raise typer.Exit(1)


def _documents(paths: list[str], published: date | None) -> Iterator[Document | ZhibiaoError]:
    """Documents in order; a file that cannot be read yields its error instead, so the others go on."""
    for given in paths:
        if given == "-":
            try:
                yield _read_stdin(published)
            except ZhibiaoError as e:
                yield e
            continue
        for path in iter_paths([given]):
            try:
                yield read_path(path, published=published)
            except ZhibiaoError as e:
                yield e


def _read_stdin(published: date | None) -> Document:
    text, encoding = decode(sys.stdin.buffer.read(), "<stdin>")
    doc = read_text(text, name="<stdin>")
    doc.encoding = encoding
    if published is not None:
        doc.published, doc.published_how = published, "given"
    return doc
