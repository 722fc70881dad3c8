"""How fast is zhibiao's extraction, next to the peers a user would try first?

Builds at least 5 MB of report text from the project's own examples (examples/*.txt, *.md), or from the
reports of a folder (--texts DIR), with every Arabic number changed from copy to copy so that no two copies
are the same string, then in one process times over the same documents:

  (a) the full pipeline, zhibiao.pipeline.extract_document, and each of its stages on its own
      (layout and clean, quantities, measures, the document's scans of names and time words, facts);
  (b) the peers: one compiled regex that finds a number with a unit and nothing more; cn2an turning the
      Chinese numerals into Arabic ones, then that regex; JioNLP's extract_money (the `bench` extra,
      `pip install -e ".[bench]"`; said so in the table when it is not installed).

It prints characters per second, peak memory (tracemalloc, in a separate pass so that tracing does not
slow the timed one) and the ratios to the bare regex and to zhibiao, all from the same run.

    .venv/bin/python benchmarks/bench_extract.py [--mb 5] [--repeat 3] [--texts DIR] [--profile]
    .venv/bin/python benchmarks/bench_extract.py --only quantities [--profile]

--only quantities times the quantities stage alone (on the cleaned texts, cleaned once beforehand) beside the
bare regex, in the same run: the quick measure while the quantity layer is worked on.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import io
import random
import re
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

# the code of this checkout, whatever the venv's editable install points at (a worktree sharing a venv)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zhibiao import clean, docmodel, layout, measures, periods, quantities  # noqa: E402
from zhibiao.facts import build_facts  # noqa: E402
from zhibiao.model import Document  # noqa: E402
from zhibiao.pipeline import extract_document  # noqa: E402
from zhibiao.read import read_path  # noqa: E402
from zhibiao.sentences import CLAUSE_END, SENTENCE_END, Marks  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BARE = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:元|吨|千瓦时|%|个|人|平方米|亩|千瓦)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# CPU time of this process: everything here runs in one thread, and wall time swings when the machine
# is shared.
_CLOCK = time.process_time


def _sources(folder: Path = EXAMPLES) -> list[Document]:
    docs = [read_path(p) for p in sorted(folder.iterdir())
            if p.suffix in (".txt", ".md") and p.name != "README.md"]
    if not docs:
        raise SystemExit(f"no reports (*.txt, *.md) in {folder}")
    return docs


def _vary(text: str, rng: random.Random) -> str:
    """The same report with every Arabic number changed, keeping its digits and decimal places."""
    def new(m: re.Match) -> str:
        s = m.group()
        whole, _, frac = s.partition(".")
        w = str(rng.randint(10 ** (len(whole) - 1) if len(whole) > 1 else 0, 10 ** len(whole) - 1))
        return w + ("." + "".join(str(rng.randint(0, 9)) for _ in frac) if frac else "")
    return _NUMBER.sub(new, text)


def build_corpus(megabytes: float, seed: int = 20240507, folder: Path = EXAMPLES) -> list[Document]:
    rng = random.Random(seed)
    sources = _sources(folder)
    docs: list[Document] = []
    size = 0
    target = int(megabytes * 1_000_000)
    while size < target:
        src = sources[len(docs) % len(sources)]
        text = _vary(src.text, rng)
        docs.append(Document(name=f"{len(docs):05d}_{src.name}", text=text, format=src.format))
        size += len(text.encode("utf-8"))
    return docs


def _pipeline(docs: list[Document]) -> int:
    return sum(len(extract_document(d)) for d in docs)


def _bare(docs: list[Document]) -> int:
    return sum(sum(1 for _ in BARE.finditer(d.text)) for d in docs)


def _cn2an_bare(docs: list[Document]) -> int:
    """cn2an's transform (Chinese numerals to Arabic, 三千万元 → 30000000元), then the bare regex."""
    import warnings

    import cn2an

    warnings.filterwarnings("ignore", module="cn2an")  # it warns of every numeral it cannot read (亿千)
    return sum(sum(1 for _ in BARE.finditer(cn2an.transform(d.text, "cn2an"))) for d in docs)


def _jionlp_money(docs: list[Document]) -> int:
    """JioNLP's money extractor (jionlp.ner.extract_money), over each document whole."""
    from jionlp import ner

    return sum(len(ner.extract_money(d.text)) for d in docs)


def _peers() -> list[tuple[str, Callable[[list[Document]], int] | None, str]]:
    """(name, function, why it is missing) of each peer beside the bare regex."""
    out: list[tuple[str, Callable[[list[Document]], int] | None, str]] = []
    for name, module, fn in (("cn2an.transform + bare regex", "cn2an", _cn2an_bare),
                             ("JioNLP extract_money", "jionlp", _jionlp_money)):
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # JioNLP prints a banner as it is imported
                importlib.import_module(module)
        except Exception as e:  # noqa: BLE001 - a peer that cannot even import is reported, not fatal
            out.append((name, None, f"not installed ({type(e).__name__}); install the bench extra"))
        else:
            out.append((name, fn, ""))
    return out


def _stages(docs: list[Document]) -> dict[str, float]:
    """Seconds spent in each stage, each stage fed by the one before, as docmodel.analyze and
    extract_document do (the steps of docmodel.analyze, written out to time them one by one)."""
    spent = dict.fromkeys(("layout+clean", "quantities", "measures", "scans", "facts"), 0.0)
    clock = _CLOCK
    for d in docs:
        t0 = clock()
        page = layout.analyze(d.text)
        cleaned = clean.normalize(d.text, page=page)
        text = cleaned.text
        t1 = clock()
        found = quantities.find_quantities(text)
        t2 = clock()
        sentence_marks, clause_marks = Marks(text, SENTENCE_END), Marks(text, CLAUSE_END)
        measures.assign_measures(text, found, clause_marks, sentence_marks)
        t3 = clock()
        model = docmodel.DocModel(d, page, cleaned, found, sentence_marks, clause_marks,
                                  *docmodel.scans(text, d.published))
        t4 = clock()
        build_facts(model)
        t5 = clock()
        for name, took in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            spent[name] += took
    return spent


def _cleaned(docs: list[Document]) -> list[str]:
    return [clean.normalize(d.text, page=layout.analyze(d.text)).text for d in docs]


def _quantities(texts: list[str]) -> int:
    find = quantities.find_quantities
    return sum(len(find(t)) for t in texts)


def _bare_texts(texts: list[str]) -> int:
    return sum(sum(1 for _ in BARE.finditer(t)) for t in texts)


def _only_quantities(docs: list[Document], repeat: int, profile: bool) -> None:
    """The quantities stage and the bare regex, over the same cleaned texts."""
    texts = _cleaned(docs)
    chars = sum(len(t) for t in texts)
    _quantities(texts[:1])  # lexicons load and regexes compile outside the timing
    q_s, q_n = _time(_quantities, texts, repeat)
    bare_s, bare_n = _time(_bare_texts, texts, repeat)
    console = Console(width=max(Console().width, 110))
    console.print(f"{len(texts)} cleaned documents, {chars:,} characters; best of {repeat}, CPU seconds")
    table = Table(title="zhibiao quantities stage benchmark")
    for col in ("what", "matches", "seconds", "chars/s", "× bare regex"):
        table.add_column(col, justify="left" if col == "what" else "right")
    table.add_row("bare regex (numbers with units)", f"{bare_n:,}", f"{bare_s:.3f}", f"{chars / bare_s:,.0f}", "1.0")
    table.add_row("stage: quantities (find_quantities)", f"{q_n:,}", f"{q_s:.3f}", f"{chars / q_s:,.0f}",
                  f"{q_s / bare_s:.1f}")
    console.print(table)
    if profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.runcall(_quantities, texts)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


def _forget() -> None:
    """Empty the caches keyed by text (the period grammar's): a run over texts already read would time the
    cache, and a stream of reports never comes twice. Each timed run starts from them empty."""
    for name in ("_select", "_find", "_clauses"):
        cached = getattr(periods, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


def _time(fn: Callable[[list], int], docs: list, repeat: int) -> tuple[float, int]:
    best, n = float("inf"), 0
    for _ in range(repeat):
        _forget()
        gc.collect()
        t0 = _CLOCK()
        n = fn(docs)
        best = min(best, _CLOCK() - t0)
    return best, n


def _peak(fn: Callable[[list[Document]], object], docs: list[Document]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn(docs)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0, help="size of the text to build, in MB of UTF-8")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each; the best is reported")
    ap.add_argument("--texts", type=Path, default=EXAMPLES, help="folder of reports to build the text from")
    ap.add_argument("--profile", action="store_true", help="also profile one pipeline pass with cProfile")
    ap.add_argument("--only", choices=["quantities"], help="time one stage alone beside the bare regex")
    args = ap.parse_args()

    docs = build_corpus(args.mb, folder=args.texts)
    if args.only == "quantities":
        _only_quantities(docs, args.repeat, args.profile)
        return
    chars = sum(len(d.text) for d in docs)
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    # warm up: lexicons load and regexes compile once, outside the timings
    extract_document(docs[0])
    peers = _peers()
    for _, fn, _ in peers:
        if fn is not None:
            fn(docs[:1])  # a peer's own dictionaries load here too

    pipe_s, pipe_n = _time(_pipeline, docs, args.repeat)
    bare_s, bare_n = _time(_bare, docs, args.repeat)
    timed = [(name, *_time(fn, docs, args.repeat), fn, why) if fn else (name, 0.0, 0, None, why)
             for name, fn, why in peers]
    stage_runs = []
    for _ in range(args.repeat):
        _forget()
        stage_runs.append(_stages(docs))
    stages = {k: min(run[k] for run in stage_runs) for k in stage_runs[0]}
    # Documents stream through one at a time, so the peak of a tenth of them is the peak of all of them
    # (tracing makes the pipeline several times slower: a tenth keeps the run short).
    sample = docs[:max(1, len(docs) // 10)]
    pipe_mem = _peak(_pipeline, sample)
    bare_mem = _peak(_bare, sample)

    console = Console(width=max(Console().width, 130))
    console.print(f"{len(docs)} documents from {args.texts}, {chars:,} characters, {mb:.1f} MB UTF-8; "
                  f"best of {args.repeat}, CPU seconds")
    table = Table(title="zhibiao extraction benchmark (one run, the same text)")
    for col in ("what", "matches", "seconds", "chars/s", "peak MB", "× bare regex", "× zhibiao"):
        table.add_column(col, justify="left" if col == "what" else "right")
    table.add_row("bare regex (numbers with units)", f"{bare_n:,}", f"{bare_s:.3f}", f"{chars / bare_s:,.0f}",
                  f"{bare_mem / 1e6:.1f}", "1.0", f"{bare_s / pipe_s:.4f}")
    for name, s, n, fn, why in timed:
        if fn is None:
            table.add_row(name, why, "", "", "", "", "")
            continue
        table.add_row(name, f"{n:,}", f"{s:.3f}", f"{chars / s:,.0f}", f"{_peak(fn, sample) / 1e6:.1f}",
                      f"{s / bare_s:.1f}", f"{s / pipe_s:.3f}")
    table.add_row("zhibiao pipeline (extract_document)", f"{pipe_n:,}", f"{pipe_s:.3f}",
                  f"{chars / pipe_s:,.0f}", f"{pipe_mem / 1e6:.1f}", f"{pipe_s / bare_s:.1f}", "1.0")
    total = sum(stages.values())
    for name, s in stages.items():
        table.add_row(f"  stage: {name} ({s / total:.0%} of the stages)", "", f"{s:.3f}", f"{chars / s:,.0f}", "",
                      f"{s / bare_s:.1f}", f"{s / pipe_s:.3f}")
    console.print(table)
    console.print(f"peak MB: tracemalloc over {len(sample)} of the {len(docs)} documents (they stream one by one); "
                  "× zhibiao: its seconds over the pipeline's (below 1: faster, doing less)")

    if args.profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        _forget()
        prof.runcall(_pipeline, docs)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
