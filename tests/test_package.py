"""The shape of the package: no import circle among its modules, and one table of a fact's fields.

The import graph is read from the source with ast: every import statement, at module level and inside functions
(a lazy import is a dependency all the same), but those under `if TYPE_CHECKING:`, which never run.
"""

from __future__ import annotations

import ast
import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from zhibiao.model import FACT_FIELDS, FACT_FORM, Fact, FactField, Span

PACKAGE = Path(__file__).resolve().parent.parent / "zhibiao"


def _modules(root: Path) -> dict[str, Path]:
    """Dotted name → file of every module of the package under `root`."""
    out = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes under an `if TYPE_CHECKING:`."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skipped


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of the package → the modules of the package it imports."""
    modules = _modules(root)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_only(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                # `from package import module` imports the module; `from module import name`, the module
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            deps.update(m for t in targets if (m := known(t)) is not None and m != name)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: each strongly connected set of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while (w := stack.pop()) != v:
                on_stack.discard(w)
                part.append(w)
            on_stack.discard(v)
            if part:
                found.append(sorted([v, *part]))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    graph = import_graph(PACKAGE)
    assert len(graph) > 50 and "zhibiao.store.schema" in graph["zhibiao.store.query"]
    assert cycles(graph) == []


@pytest.mark.parametrize(("graph", "expected"), [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),  # a chain
    ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [["a", "b"]]),  # two modules importing each other
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),  # a circle of three, and one into it
])
def test_cycles_are_found(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(graph) == expected


def test_the_graph_sees_lazy_and_relative_imports_but_not_type_checking_ones(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from . import low\n")
    (pkg / "sub" / "low.py").write_text("def f():\n    from pkg import top\n")
    (pkg / "top.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.sub import low\n"
                                "from .sub.low import f\n")
    graph = import_graph(pkg)
    assert graph == {"pkg": set(), "pkg.sub": {"pkg.sub.low"}, "pkg.sub.low": {"pkg.top"},
                     "pkg.top": {"pkg.sub.low"}}
    assert cycles(graph) == [["pkg.sub.low", "pkg.top"]]


# --- the fields of a fact ----------------------------------------------------------------------------------------

def test_every_field_of_a_fact_is_in_the_field_table_once() -> None:
    """A field added to model.Fact needs its line in FACT_FORM: then JSON, store, export and CSV all carry it."""
    attributes = [f.name for f in dataclasses.fields(Fact) if f.name != "extra"]
    assert sorted(f.name for f in FACT_FORM) == sorted(attributes)
    assert len(set(FACT_FIELDS)) == len(FACT_FIELDS)
    columns = [c for f in FACT_FORM for c, _ in f.columns]
    assert len(set(columns)) == len(columns)


@pytest.mark.parametrize(("field", "value", "json", "flat"), [
    (FactField("doc"), "a.txt", ("a.txt",), ("a.txt",)),
    (FactField("span", "place"), Span(3, 9), (3, 9), (3, 9)),
    (FactField("value", "decimal"), Decimal("1.10"), (1.1,), (1.1, "1.10")),
    (FactField("value_high", "decimal", optional=True), None, (None,), (None, None)),
    (FactField("duplicate_of", "span", optional=True), Span(1, 3), ([1, 3],), (1, 3)),
    (FactField("duplicate_of", "span", optional=True), None, (None,), (None, None)),
    (FactField("confidence", "score"), 0.12345, (0.123,), (0.123,)),
    (FactField("indicator_standard", "bool"), True, (True,), (True,)),
    (FactField("how", "json"), {"region": "sentence"}, ({"region": "sentence"},), ({"region": "sentence"},)),
])
def test_a_field_is_written_and_read_back_by_its_kind(field: FactField, value, json, flat) -> None:
    assert field.json(value) == json
    assert field.flat(value) == flat
    assert len(field.columns) == len(flat) and len(field.keys) == len(json)
    back = field.from_columns(dict(zip((c for c, _ in field.columns), flat, strict=True)))
    assert back == (round(value, 3) if field.kind == "score" else value)
