"""Layout: blocks, their kinds and the articles of a page, on invented pages (青禾县, 岚州市 are fictional)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zhibiao import clean
from zhibiao.layout import KINDS, Layout, analyze

REPORT = """青禾县2023年国民经济和社会发展统计公报

青禾县统计局
2024年3月12日

一、综合

初步核算，全年全县地区生产总值达到128.6亿元，比上年增长6.1%。分产业看，第一产业增加值15.2亿元，增长4.0%。

二、农业

全年粮食播种面积52.3万亩，比上年增加0.8万亩，粮食总产量达到4.1亿斤，比上年增长3.2%。

三、工业和建筑业

全年规模以上工业增加值比上年增长7.4%，其中制造业增加值增长9.0%，高技术制造业增加值增长15.6%。
"""

PAGE = """岚州日报

2024年4月9日 星期二 岚州日报社出版 第5120期 今日八版

## 岚州市一季度经济实现开门红

本报记者 周明 通讯员 陈静

一季度，岚州市地区生产总值完成86.2亿元，同比增长5.8%，增速高于全省平均水平0.6个百分点。

规模以上工业增加值增长8.1%，其中制造业增加值增长9.4%，拉动全市经济增长2.3个百分点。

青禾县：
## 春耕备耕有序推进

本报讯（记者 孙丽）2024年4月8日，青禾县召开春耕生产调度会。今年全县计划播种小麦12万亩，玉米30万亩。

全县已储备化肥1.6万吨、种子2100吨，各类农机具1.2万台，能够满足春耕生产需要。

（下转第二版）

## 石桥镇新建冷链物流中心投用

新华社岚州4月8日电 位于石桥镇的冷链物流中心日前正式投入使用，总投资2.3亿元，年周转能力15万吨。

石桥镇冷链物流中心全景。王刚 摄
"""

# a report in sections: the section headings stay inside the one article
SECTIONS = """## 青禾县：产业转型步伐加快

青禾县坚持把发展经济的着力点放在实体经济上，全年完成工业投资23.5亿元，增长11.2%。

## 新兴产业加快集聚

全县新引进光伏、储能项目12个，总投资86亿元，其中5个项目已经开工建设，年内可望投产。

## 民生保障持续加强

全年民生支出占一般公共预算支出的比重达到81.5%，城镇新增就业4260人，完成年度任务的106.5%。

本报记者 吴桐
"""

REPEATED = """## 青禾县召开优化营商环境大会

全县新登记市场主体3260户，同比增长12.5%，其中企业812户，个体工商户2448户，增速居全市第一。

会议要求，各部门要进一步压缩审批时限，力争年内企业开办时间压减至1个工作日以内。

全县新登记市场主体３２６０户，同比增长12.5%，其中企业812户，个体工商户2448户，增速居全市第一。

全县新登记市场主体3260户，同比增长12.5%，其中企业812户，个体
"""

CUT = """## 岚州市新能源装机突破500万千瓦

截至3月底，全市新能源装机容量达到512.6万千瓦，占全市电力总装机的比重提高到

41.3%，比上年末提高2.1个百分点。

今年以来，全市新增并网光伏项目

6个，新增装机容量38万千瓦，完成年度计划的45%。
"""


def _kinds(layout: Layout, raw: str) -> list[tuple[str, str]]:
    return [(b.kind, raw[b.span.start:b.span.end]) for b in layout.blocks]


def _check_invariants(raw: str, layout: Layout) -> None:
    prev_end = 0
    for b in layout.blocks:
        assert b.kind in KINDS
        assert prev_end <= b.span.start < b.span.end <= len(raw)  # in order, not overlapping, not empty
        text = raw[b.span.start:b.span.end]
        assert text == text.strip()
        assert -1 <= b.article < len(layout.articles)
        if b.article >= 0:
            a = layout.articles[b.article].span
            assert a.start <= b.span.start and b.span.end <= a.end
        if b.repeat_of is not None:
            assert b.repeat_of.end <= b.span.start
        assert layout.block_at(b.span.start) is b and layout.block_at(b.span.end - 1) is b
        prev_end = b.span.end
    # every character that is not blank belongs to a block
    covered = sum(len(b.span) for b in layout.blocks)
    assert covered >= sum(1 for ch in raw if not ch.isspace())
    prev_end = 0
    for a in layout.articles:
        assert prev_end <= a.span.start < a.span.end <= len(raw)
        prev_end = a.span.end


def test_a_report_is_one_article() -> None:
    layout = analyze(REPORT)
    _check_invariants(REPORT, layout)
    assert len(layout.articles) == 1
    article = layout.articles[0]
    assert article.title == "青禾县2023年国民经济和社会发展统计公报"
    assert article.published == date(2024, 3, 12)
    kinds = [k for k, _ in _kinds(layout, REPORT)]
    assert kinds.count("heading") >= 4 and kinds.count("prose") == 3
    assert all(b.article == 0 for b in layout.blocks)


def test_a_page_with_three_articles() -> None:
    layout = analyze(PAGE)
    _check_invariants(PAGE, layout)
    assert [a.title for a in layout.articles] == [
        "岚州市一季度经济实现开门红", "青禾县：春耕备耕有序推进", "石桥镇新建冷链物流中心投用"]
    first, second, third = layout.articles
    assert first.byline == "本报记者 周明 通讯员 陈静"
    assert second.published == date(2024, 4, 8)  # printed in full in its 本报讯 line
    assert third.published is None  # 4月8日 without a year
    # the masthead belongs to no article
    masthead = [b for b in layout.blocks if b.kind == "masthead"]
    assert len(masthead) == 2 and all(b.article == -1 for b in masthead)
    assert layout.article_at(PAGE.index("第5120期")) is None
    assert layout.article_at(PAGE.index("86.2亿元")) is first
    assert layout.article_at(PAGE.index("化肥")) is second
    assert layout.article_at(PAGE.index("2.3亿元")) is third
    # the continuation mark ends the second article and belongs to it
    cont = layout.block_at(PAGE.index("下转"))
    assert cont.kind == "continuation" and cont.article == 1


def test_section_headings_stay_in_their_article() -> None:
    layout = analyze(SECTIONS)
    _check_invariants(SECTIONS, layout)
    assert len(layout.articles) == 1
    assert layout.articles[0].title == "青禾县：产业转型步伐加快"
    assert layout.articles[0].byline == "本报记者 吴桐"
    assert [b.kind for b in layout.blocks].count("heading") == 3


@pytest.mark.parametrize("text, kind", [
    ("青禾县万亩梨园花开正盛。 李军 摄", "caption"),
    ("岚州市新建的污水处理厂（记者 赵雪 摄）", "caption"),
    ("图为青禾县新建成的污水处理厂。", "caption"),
    ("（下转第三版）", "continuation"),
    ("(上接第一版)", "continuation"),
    ("转第4版", "continuation"),
    ("本报记者 周明 通讯员 陈静", "byline"),
    ("责任编辑：王芳", "byline"),
    ("文/图 赵雪", "byline"),
    ("见习记者 欧阳晓 特约记者 钱进", "byline"),
    ("来源：青禾县人民政府网", "byline"),
    ("青禾县县长 李明", "byline"),
    ("岚州日报", "masthead"),
    ("中共岚州市委机关报", "masthead"),
    ("国内统一连续出版物号：CN14-0099", "masthead"),
    ("2024年4月9日 星期二", "masthead"),
    ("农历甲辰年三月初一", "masthead"),
    ("——2024年1月10日在青禾县第十八届人民代表大会第三次会议上", "dateline"),
    ("发布时间：2024-03-12 10:30", "dateline"),
    ("本报讯", "dateline"),
    ("## 一、主要指标", "heading"),
    ("**项目建设提速增效**", "heading"),
    ("青禾县：秋粮丰收在望", "heading"),
    ("全年粮食总产量4.1亿斤，比上年增长3.2%。", "prose"),
    ("会议指出，要全力抓好项目建设。", "prose"),
    ("- 新建5G基站120个，实现乡镇全覆盖；", "list"),
    ("| 指标 | 数值 |\n| --- | --- |\n| 地区生产总值 | 128.6 |", "table"),
])
def test_block_kinds(text: str, kind: str) -> None:
    # the block stands between two paragraphs, as on a page
    before = "全县规模以上工业企业达到126户，比上年增加9户，实现营业收入310亿元。\n\n"
    after = "\n\n全县共有各类学校85所，在校学生6.2万人，专任教师4800人。\n"
    raw = before + text + after
    layout = analyze(raw)
    block = layout.block_at(len(before))
    assert block is not None and raw[block.span.start:block.span.end] == text
    assert block.kind == kind


def test_name_under_a_headline_is_a_byline() -> None:
    raw = "## 青禾县：冬储白菜上市\n\n韩冰\n\n青禾县今年种植秋白菜1.2万亩，预计总产量6万吨，比上年增长5%。\n"
    layout = analyze(raw)
    assert layout.block_at(raw.index("韩冰")).kind == "byline"
    assert layout.articles[0].byline == "韩冰"


def test_a_repeated_paragraph_points_at_the_first() -> None:
    layout = analyze(REPEATED)
    _check_invariants(REPEATED, layout)
    prose = [b for b in layout.blocks if b.kind == "prose"]
    first, other, again, cut = prose
    assert first.repeat_of is None and other.repeat_of is None
    assert again.repeat_of == first.span  # full-width digits fold to the same text
    assert cut.repeat_of == first.span  # a copy cut off at a page end
    assert len(layout.articles) == 1


def test_short_paragraphs_never_count_as_repeats() -> None:
    raw = "会议强调要抓落实。\n\n会议强调要抓落实。\n"
    assert all(b.repeat_of is None for b in analyze(raw).blocks)


def test_a_paragraph_cut_by_a_page_break_is_one_block() -> None:
    layout = analyze(CUT)
    _check_invariants(CUT, layout)
    kinds = _kinds(layout, CUT)
    assert [k for k, _ in kinds] == ["heading", "prose", "prose"]
    assert kinds[1][1].startswith("截至3月底") and kinds[1][1].endswith("2.1个百分点。")
    # a short first half is joined too when it plainly opens a sentence (今年以来，…)
    assert kinds[2][1].startswith("今年以来") and kinds[2][1].endswith("45%。")
    # clean joins the same lines, so the figure parses whole
    norm = clean.normalize(CUT)
    assert "比重提高到41.3%" in norm.text and "项目6个" in norm.text


def test_a_heading_between_the_halves_of_a_cut_paragraph_stays_a_heading() -> None:
    raw = ("本报讯 青禾县今年计划实施重点项目48个，总投资126亿元，其中新开工项目21个，年度计划完成投资\n\n"
           "青禾县重点项目集中开工\n\n"
           "38亿元，比上年增长15%。\n")
    kinds = [b.kind for b in analyze(raw).blocks]
    assert kinds == ["prose", "heading", "prose"]


def test_a_headline_over_two_lines_is_one_title() -> None:
    raw = "## 岚州市——\n\n在转型发展中\n奋力前行\n\n全市地区生产总值突破千亿元，达到1026亿元，增长5.6%。\n"
    layout = analyze(raw)
    assert layout.articles[0].title == "岚州市——在转型发展中奋力前行"


def test_subtitle_and_column_name() -> None:
    raw = ("乡村振兴进行时\n\n岚州市：小杂粮做成大产业\n\n——来自石桥镇的调查\n\n记者 秦川\n\n"
           "石桥镇种植谷子、荞麦等小杂粮3.6万亩，年产值达到1.8亿元，带动农户2100户。\n")
    article = analyze(raw).articles[0]
    assert article.title == "岚州市：小杂粮做成大产业"
    assert article.subtitle == "来自石桥镇的调查"
    assert article.byline == "记者 秦川"


def test_a_news_item_without_headline_after_another_starts_an_article() -> None:
    raw = ("## 青禾县举办招商推介会\n\n本报讯 推介会现场签约项目9个，总金额56亿元，涉及新能源、农产品加工等领域。\n\n"
           "本报讯（记者 蔡文）岚州市第一季度完成造林2.6万亩，占年度任务的52%，进度居全省前列。\n")
    layout = analyze(raw)
    assert len(layout.articles) == 2
    assert layout.articles[1].title is None


def test_names_after_the_last_sentence_close_the_article() -> None:
    raw = ("## 青禾县农民收入稳步增长\n\n全县农村居民人均可支配收入达到16520元，比上年增长7.8%。 许诺\n\n"
           "## 岚州市加快建设物流枢纽\n\n全市社会物流总额完成860亿元，增长6.2%，物流费用持续下降。\n")
    layout = analyze(raw)
    assert [a.title for a in layout.articles] == ["青禾县农民收入稳步增长", "岚州市加快建设物流枢纽"]
    assert layout.articles[0].byline == "许诺"


def test_lines_without_blank_lines_between_them() -> None:
    # one paragraph a line, no blank lines: each line is a block, the heading line too
    raw = ("青禾县2023年经济运行情况\n"
           "全年地区生产总值完成128.6亿元，比上年增长6.1%。\n"
           "全年固定资产投资比上年增长9.3%，其中工业投资增长12.6%。\n")
    kinds = [b.kind for b in analyze(raw).blocks]
    assert kinds == ["heading", "prose", "prose"]


def test_hard_wrapped_paragraph_is_one_block() -> None:
    # a text wrapped at a fixed width: a line may end with 。 in the middle of a paragraph
    raw = ("全县完成地区生产总值一百二十八亿元，增长百分之\n"
           "六点一。第一产业增加值十五亿元，增长百分之四。\n"
           "第二产业增加值五十八亿元，增长百分之七点二，\n"
           "第三产业增加值五十五亿元。\n")
    layout = analyze(raw)
    assert len(layout.blocks) == 1 and layout.blocks[0].kind == "prose"


def test_empty_and_blank_text() -> None:
    for raw in ("", "\n\n", "   \u3000\n"):
        layout = analyze(raw)
        assert layout.blocks == () and layout.articles == ()
        assert layout.block_at(0) is None and layout.article_at(0) is None


def test_article_at_between_blocks() -> None:
    layout = analyze(SECTIONS)
    gap = SECTIONS.index("\n\n## 新兴") + 1
    assert layout.block_at(gap) is None
    assert layout.article_at(gap) is layout.articles[0]
    assert layout.article_at(len(SECTIONS) + 10) is None


_PIECES = ["青禾县", "岚州日报", "## ", "# ", "**", "本报记者 周明", "通讯员", "记者", "本报讯", "新华社岚州4月8日电",
           "（下转第二版）", "(上接第一版)", "摄", " 王刚 摄", "图为", "——", "：", "，", "。", "、", "“", "”", "（", "）",
           "2024年4月9日", "星期二", "第5120期", "今日八版", "CN14-0099", "增长5.8%", "86.2亿元", "|", "\t", "- ",
           "1.", "一、", "\n", "\n\n", "\r\n", "\f", " ", "\u3000", "\u200b", "全县地区生产总值完成", "今年以来，", "会议指出，"]
_texts = st.one_of(st.text(max_size=300),
                   st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=80).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts)
@example(PAGE)
@example(REPEATED)
@example("摄\n\n摄")
@example("## \n\n**\n\n**")
def test_analyze_never_raises_and_spans_are_valid(raw: str) -> None:
    layout = analyze(raw)
    _check_invariants(raw, layout)
    # clean joins exactly the lines layout puts in one block: no block has a line break left after clean
    norm = clean.normalize(raw)
    for b in layout.blocks:
        if b.kind == "table":
            continue  # table rows keep their line breaks
        start, end = norm.to_norm(b.span.start), norm.to_norm(b.span.end)
        assert "\n" not in norm.text[start:end]
    for pos in range(0, len(raw) + 1, 7):
        block = layout.block_at(pos)
        assert block is None or block.span.start <= pos < block.span.end
        article = layout.article_at(pos)
        assert article is None or article.span.start <= pos < article.span.end
