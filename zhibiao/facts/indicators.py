"""The indicator of a figure: what it measures.

The strategies are tried in order, the first that names the figure wins: an attribute a project's figure
gives (its capacity), a name of a list (分别), the thing a new value replaces (由2台变为3台), a share's
part and whole, the thing a count counts, a rate's own name, a catalogue name before the figure (as
qualified by the text, or as the text words it), the figure it follows (增长7.2%), the text's own noun
phrase. Then refinements put a name the catalogue knows in its standard form, and so on.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..catalogue import Indicator, catalogue, fold
from . import entities, lists, phrases, tables
from .context import FOLLOWERS, Decision, Figure, Strategies, Strategy, first, lazy
from .cues import cues, rx, rx_end, rx_start

_NEXT_ITEM = re.compile(r"[、，,；;。]|以及|及|和|与")
_CLAUSE_END = re.compile(r"[，,；;。：:！!？?\n]")
_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class Naming:
    """An indicator as a strategy gives it: the name, whether it is the catalogue's standard name, how
    sure the strategy is, and whether the text's own word must stay as it is (no refinement)."""

    indicator: str | None
    standard: bool
    confidence: float
    words_only: bool = False


class Evidence:
    """What a figure's words offer for its indicator, each read when a strategy first asks for it.

    Attributes:
        fig: the figure.
        entity: the project or company the figure belongs to, if any; in_name: the figure is in its name.
    """

    def __init__(self, fig: Figure, entity: str | None, in_name: bool):
        self.fig = fig
        self.entity = entity
        self.in_name = in_name

    @lazy
    def right(self) -> str:
        """The words right after the figure, up to the next item of a list (3GW电池片及配套以及智能仓储)."""
        end = self.fig.q.span.end
        return _NEXT_ITEM.split(self.fig.text[end:end + 12], maxsplit=1)[0]

    @lazy
    def attribute(self) -> tuple[str, str, bool] | None:
        """The attribute the figure gives of a project or plant: (name, how, whether it is dated like any
        figure of the region)."""
        fig, q, text = self.fig, self.fig.q, self.fig.text
        found = None
        if self.in_name and self.entity:
            entity = self.entity
            figure = text[q.span.start:q.span.end]
            rest = entity[entity.rfind(figure) + len(figure):] if figure in entity else self.right
            name = entities.attribute_in_name(q, entity, rest)  # the words of the name after its figure
            found = (name, "capacity_in_name", False) if name else None
        if found is None and q.unit in ("W", "t") and phrases.names_product(text, q.span.end, fig.e):
            # 8GW硅片、3GW电池片: a power or a tonnage before a product is what a plant makes of it
            name = entities.attribute_in_name(q, "", self.right)
            found = (name, "capacity_of_product", False) if name else None
        if found is None and q.unit not in ("CNY", "USD", "%", "pp", "rank", "x") \
                and (rx_end("yearly_output").search(text, fig.clause_lo, q.span.start)
                     or rx("capacity_after").match(text, q.span.end)):
            # 年产500万平方米瓷砖, 500万平方米的生产能力: what plants can make in a year; a whole
            # industry's capacity is dated like any figure of the region
            found = ("产能", "yearly_output", self.entity is None)
        if found is None and q.unit_text.endswith("亿级"):
            found = ("年产值", "scale", False)  # 千亿级产业: the scale of an industry is its output value
        return found

    @lazy
    def phrase(self) -> str | None:
        fig = self.fig
        return phrases.phrase(fig.text, fig.clause_lo, fig.pos, fig.others)

    @lazy
    def found(self) -> tuple[Indicator, str] | None:
        """The catalogue name nearest before the figure in its clause, when it heads the clause's phrase
        and its unit can measure it."""
        fig = self.fig
        found = phrases.last_name(fig.text, fig.clause_lo, fig.ctx.model.indicators_in(fig.clause_lo, fig.pos))
        if found and self.phrase and not phrases.heads(self.phrase, found[1]):
            return None  # 增值税 in 个体户增值税减半征收: the phrase is about something else
        if found and not phrases.fits_unit(found[0], fig.q):
            return None  # 5GW after 单晶硅产量: an output in tonnes cannot be measured in watts
        return found

    @lazy
    def noun(self) -> str | None:
        """The noun after the figure (600亩土地)."""
        fig = self.fig
        return phrases.noun_after(fig.text, fig.q.span.end, fig.e, fig.q.unit == "count")

    @lazy
    def counted(self) -> tuple[str, str] | None:
        """What a count counts: the noun after it, the noun in its measure word with the verb before it
        (提供59个工种, 新建3所学校), or the verb alone (已开复工202个); and how."""
        fig, q = self.fig, self.fig.q
        if q.unit != "count":
            return None
        noun = self.noun if fig.measure != "rank" else None
        if noun is not None:
            return noun, "counted_after"
        if len(q.unit_text) > 1 and not self.found and q.unit_text[1:] not in phrases.measure_words():
            verb = phrases.verb_before(fig.text, fig.clause_lo, q.span.start)
            return (verb or "") + q.unit_text[1:], "counted_in_unit"
        if self.phrase is None and not self.found:
            verb = phrases.verb_before(fig.text, fig.clause_lo, q.span.start)
            return (verb, "counted_verb") if verb is not None else None
        return None


# --- the strategies ------------------------------------------------------------------------------------


def _table_cell(ev: Evidence) -> Decision[Naming] | None:
    """A number in a table's cell is of its row's label (地区生产总值 | 617.5 | 5.2 |)."""
    q = ev.fig.q
    if not isinstance(q, tables.Cell) or not q.row:
        return None
    return Decision(Naming(q.row, catalogue().get(q.row) is not None, 0.7))


def _attribute(ev: Evidence) -> Decision[Naming] | None:
    if ev.attribute is None:
        return None
    name, how, _ = ev.attribute
    return Decision(Naming(name, True, 0.8), how)


def _listed(ev: Evidence) -> Decision[Naming] | None:
    listed = lists.listed_name(ev.fig)
    if listed is None:
        return None
    name, standard = listed
    return Decision(Naming(name, standard, 0.7 if standard else 0.6, words_only=not standard))


def _rank_item(ev: Evidence) -> Decision[Naming] | None:
    """科技创新第6、工业百强第7: a rank after its own name, in its 、-item."""
    name = lists.rank_item(ev.fig)
    return Decision(Naming(name, catalogue().get(name) is not None, 0.6, words_only=True)) if name else None


@functools.cache
def _streak_before() -> re.Pattern:
    """连续 at the end of the words before a duration, or 连续 and the verb of the streak (已连续举办8年)."""
    return re.compile(f"(?:{rx('streak').pattern})(?P<verb>[\u4e00-\u9fff]{{0,2}}?)了?$")


def _streak(ev: Evidence) -> Decision[Naming] | None:
    """工业产值连续5年保持增长 / 已连续举办8年: a duration after 连续 is the length of a streak, named by
    the thing that kept on, the streak, what it kept doing and the unit of the length (工业产值连续增长年数),
    never by the thing alone (5年 is no amount of 工业产值)."""
    fig, q = ev.fig, ev.fig.q
    length = cues()["streak_length"].get(q.unit)
    if length is None:
        return None
    before = phrases.MARKS.sub("", fig.text[fig.clause_lo:fig.pos])
    m = _streak_before().search(before)
    if m is None:
        return None
    streak = m.group()[: len(m.group()) - len(m.group("verb"))].rstrip("了")
    doing = m.group("verb")
    if not doing:
        # what the streak kept doing: the words after the duration, up to the clause's end or a figure
        after = phrases.MARKS.sub("", _CLAUSE_END.split(fig.text[q.span.end:fig.e], maxsplit=1)[0])
        after = _DIGIT.split(after, maxsplit=1)[0]
        doing = rx_start("streak_lead").sub("", after, count=1)
        doing = doing if 2 <= len(doing) <= 12 else ""
    subject = _streak_subject(fig, before[:m.start()])
    if not subject and not doing:
        return None
    return Decision(Naming(f"{subject}{streak}{doing}{length}", False, 0.6, words_only=True))


def _streak_subject(fig: Figure, before: str) -> str:
    """The thing that kept on: the phrase before 连续 in the clause (总量 is the subject's named before)."""
    subject = phrases.strip(phrases.ITEM_MARKS.split(before)[-1])
    subject = rx_end("streak_adverbs").sub("", subject) if len(subject) > 2 else subject
    if len(subject) < 2 or phrases.empty(subject) or subject.startswith(tuple(cues()["demonstratives"])):
        return ""
    if subject in cues()["back_heads"]:
        return _subject_before(fig, subject) or subject  # 总量连续30年居首位: the total of the subject before
    return subject


def _after_streak(ev: Evidence) -> Decision[Naming] | None:
    """出口额连续18个月居全省第一: a figure after a streak in its clause is the streak's subject's, not the
    streak's length's; with no subject in the clause, the figure's before the streak."""
    fig = ev.fig
    if not fig.prev or fig.measure not in FOLLOWERS or fig.prev[-1].how.get("indicator") != "streak":
        return None
    before = fig.text[fig.clause_lo:fig.pos]
    at = max(before.rfind(w) for w in cues()["streak"])
    subject = _streak_subject(fig, before[:at]) if at > 0 else ""
    if subject:
        entry = catalogue().get(subject)
        return Decision(Naming(entry.name, True, 0.6) if entry else Naming(subject, False, 0.5))
    earlier = [p for p in fig.prev if p.how.get("indicator") != "streak"]
    if earlier:
        return Decision(Naming(earlier[-1].indicator, earlier[-1].indicator_standard, 0.5))
    return None


def _change_to(ev: Evidence) -> Decision[Naming] | None:
    """由原来的2台变为3台: the new figure is of the thing the old one was."""
    fig = ev.fig
    if not rx_end("new_value").search(fig.text, fig.clause_lo, fig.pos):
        return None
    before = next((p for p in reversed(fig.prev) if p.unit == fig.q.unit), None)
    return Decision(Naming(before.indicator, before.indicator_standard, 0.6)) if before is not None else None


def _share_of(ev: Evidence) -> Decision[Naming] | None:
    fig = ev.fig
    share = phrases.share_name(fig.text, fig.clause_lo, fig.pos) if fig.measure == "share" else None
    if not share:
        return None
    part, whole = share.split("占", 1)
    subject = _subject_before(fig, part)
    if subject is not None:
        share = f"{subject}占{whole}"  # 总量占地区生产总值的56%: the part is the subject named before
    entry = catalogue().get(share)
    return Decision(Naming(entry.name, True, 0.8) if entry else Naming(share, False, 0.6))


def _subject_before(fig: Figure, head: str | None) -> str | None:
    """The subject a bare head word (总量, 增加值) points back to: the last figure's before it in the
    sentence that is no rate of another, or the part of a share (A占B比重: A)."""
    if head not in cues()["back_heads"]:
        return None
    for p in reversed(fig.prev):
        if p.how.get("indicator") == "streak":
            continue  # a streak's length is no subject (总量连续9年居第二)
        name = p.indicator or ""
        part = _part_of_share(name)
        if part is not None:
            return part if part.endswith(head) or head.startswith(("总量", "其")) else None
        if p.measure == "level" and name:
            return name if name.endswith(head) or head.startswith(("总量", "其")) else None
    return None


def _part_of_share(name: str) -> str | None:
    """A in the name of a share A占B比重."""
    if name.endswith("比重") and "占" in name[2:]:
        return name.split("占", 1)[0]
    return None


def _counted(ev: Evidence) -> Decision[Naming] | None:
    if not ev.counted or not ev.counted[0]:
        return None
    noun, how = ev.counted
    return Decision(Naming(noun, False, 0.5), how)


@functools.cache
def _divided_into() -> re.Pattern:
    return re.compile(f"(?:{rx('divide_verbs').pattern})$")


def _parts(ev: Evidence) -> Decision[Naming] | None:
    """全书共分五章 / 分三批实施: after a verb of dividing, a count whose measure word names a kind of part is
    the number of those parts (章数, 批数), whatever is divided."""
    fig, q = ev.fig, ev.fig.q
    if q.unit != "count" or q.unit_text not in cues()["part_words"]:
        return None
    if not _divided_into().search(phrases.MARKS.sub("", fig.text[fig.clause_lo:fig.pos])):
        return None
    return Decision(Naming(f"{q.unit_text}数", False, 0.5))


def _classes(ev: Evidence) -> Decision[Naming] | None:
    """涵盖12大类产品 / 主要产品涵盖八大类 / 三大类20项工程: a count of kinds is the number of kinds of the
    thing classified (产品类别, 工程类别), never a count of that thing."""
    fig, q = ev.fig, ev.fig.q
    if q.unit != "count" or q.unit_text not in cues()["class_words"]:
        return None
    thing, how = ev.noun, "classes_of_noun"
    if not thing:
        before = phrases.MARKS.sub("", fig.text[fig.clause_lo:fig.pos])
        verb = rx_end("cover_verbs").search(before)
        if verb is not None:
            thing, how = phrases.strip(phrases.ITEM_MARKS.split(before[:verb.start()])[-1]), "classes_covered"
            thing = rx_start("class_lead").sub("", thing, count=1) if len(thing) > 3 else thing
    if not thing:
        nxt = next((o for o in fig.others if o.span.start == q.span.end and o.unit == "count"), None)
        if nxt is not None:  # 三大类20项工程: the kinds are of what the next figure counts
            thing, how = phrases.noun_after(fig.text, nxt.span.end, fig.e, True), "classes_of_next"
    if not thing or len(thing) < 2 or phrases.empty(thing):
        return None
    return Decision(Naming(thing + cues()["class_name"], False, 0.5), how)


def _rate_phrase(ev: Evidence) -> Decision[Naming] | None:
    """开复工率, 贡献率: the rate names itself."""
    phrase, found = ev.phrase, ev.found
    if ev.fig.measure in ("ratio", "share") and phrase and len(phrase) > 2 and phrase.endswith(("率", "比重")) \
            and not (found and fold(found[1]) == fold(phrase)):
        return Decision(Naming(phrase, False, 0.5))
    return None


def _qualified_name(ev: Evidence) -> Decision[Naming] | None:
    """民营企业营业收入 is not all 营业收入: keep the qualified name."""
    if ev.found and phrases.qualified(ev.phrase, ev.found[1]):
        return Decision(Naming(ev.phrase, False, 0.6))
    return None


def _text_word(ev: Evidence) -> Decision[Naming] | None:
    """2023年产值增长8%: 产值 of a region or a sector is not a project's 年产值; keep the text's word."""
    found, fig = ev.found, ev.fig
    if found and found[0].kind == "attribute" and fold(found[1]) != fold(found[0].name) and ev.entity is None \
            and not rx("this_entity").search(fig.text, fig.s, fig.pos) and "项目" not in fig.text[fig.s:fig.pos]:
        return Decision(Naming(found[1], False, 0.5, words_only=True))
    return None


def _catalogue_before(ev: Evidence) -> Decision[Naming] | None:
    return Decision(Naming(ev.found[0].name, True, 0.8)) if ev.found else None


@functools.cache
def _first_of_kind() -> re.Pattern:
    kinds = rx("first_of_kind").pattern
    return re.compile(f"(?:{kinds})(?:{rx('threshold_verbs').pattern})?$")


def _threshold(ev: Evidence) -> Decision[Naming] | None:
    """全国首个突破1万亿元的省份 / 全省首个超百亿元工程: the figure is the threshold a kind of thing is the
    first to pass; it measures what was named before it, or a project's total investment."""
    fig = ev.fig
    if fig.measure in FOLLOWERS or not _first_of_kind().search(fig.text, fig.clause_lo, fig.pos):
        return None
    after = fig.text[fig.q.span.end:fig.e][:12]
    if rx("entity_heads").search(_NEXT_ITEM.split(after, maxsplit=1)[0]):
        return Decision(Naming("总投资", True, 0.5), "threshold_of_project")
    if fig.prev:
        return Decision(Naming(fig.prev[-1].indicator, fig.prev[-1].indicator_standard, 0.5))
    return None


def _own_subject(ev: Evidence) -> Decision[Naming] | None:
    """服装产量增长14.6%，饮料产量增长5.5%: a rate whose own clause names a measured thing before it (a head
    word with a qualifier) is that thing's, not the figure's before it."""
    fig, phrase = ev.fig, ev.phrase
    if fig.measure not in FOLLOWERS or not fig.prev or not phrase or fig.measure == "rank":
        return None
    head = rx_end("subject_heads").search(phrase)
    if head is None or head.start() < 2:
        return None
    return Decision(Naming(phrase, False, 0.5))


def _ranked_subject(ev: Evidence) -> Decision[Naming] | None:
    """“营商环境指数”跃居全省第三 / 考核综合排名全市第二: a rank whose own clause names what is ranked is of
    that, not of the figure before it; a bare measure or head word (增速居全省第一, 数量位列第一) points back."""
    fig, phrase = ev.fig, ev.phrase
    if fig.measure != "rank" or not phrase:
        return None
    phrase = rx_end("rank_verbs").sub("", phrase)  # 增速居全市第二: 居 is the rank's verb
    core = rx_end("measure_words", repeat=True).sub("", phrase)
    if len(core) < 2 or core in cues()["back_heads"] or phrases.empty(core):
        return None
    if "排名" in fig.text[max(fig.clause_lo, fig.pos - 8):fig.pos] and not phrase.endswith("排名"):
        phrase += "排名"  # 综合排名全市第四: the rank is of the ranking the clause names
    return Decision(Naming(phrase, False, 0.5))


def _plan_completion(ev: Evidence) -> Decision[Naming] | None:
    """完成投资40亿元，占年度计划投资的55%: a completion is the 完成率 of the plan its clause names after
    完成 or 占 (up to the plan's own figure or 的) when that name holds the thing done, which the text may
    name only by the verb (累计完成投资); against a bare task (新增就业900人，完成全年任务的90%) the thing
    done names it (left to `previous`)."""
    fig = ev.fig
    if fig.measure != "completion":
        return None
    before = fig.text[fig.clause_lo:fig.pos]
    opener = max(rx("completion_of").finditer(before), key=lambda m: m.start(), default=None)
    if opener is None:
        return None
    plan = _DIGIT.split(before[opener.end():], maxsplit=1)[0].removesuffix("的")
    if not 2 <= len(plan) <= 10 or _CLAUSE_END.search(plan) or not rx("plan_nouns").search(plan):
        return None
    if fig.prev:
        thing = rx_start("done_words").sub("", fig.prev[-1].indicator or "", count=1)
        if not thing or thing not in plan:
            return None
    return Decision(Naming(plan + "完成率", False, 0.6))


def _previous(ev: Evidence) -> Decision[Naming] | None:
    """增长6.1% / 完成省下达任务800人: about the figure named before (the i-th after 分别, else the last)."""
    fig, phrase = ev.fig, ev.phrase
    if fig.prev and (fig.measure in FOLLOWERS or phrase and rx("task").fullmatch(phrase)):
        source = lists.respective_fact(fig)
        how = "respective" if source is not None else None
        source = source or fig.prev[-1]
        part = _part_of_share(source.indicator or "") if fig.measure == "growth" else None
        if part is not None and (phrase is None or phrase in cues()["back_heads"] and part.endswith(phrase)):
            # …占工业增加值的比重为24%，增加值增长8%: the rate is of the share's part, not of the share
            return Decision(Naming(part, False, 0.6), "part_of_share")
        return Decision(Naming(source.indicator, source.indicator_standard, 0.6), how)
    return None


def _object_after_verb(ev: Evidence) -> Decision[Naming] | None:
    """腾退了3000平方米闲置厂房: a verb before, the thing after."""
    fig = ev.fig
    if ev.phrase and fig.text[fig.clause_lo:fig.pos].rstrip().endswith("了") and ev.noun:
        return Decision(Naming(ev.noun, False, 0.4))
    return None


def _phrase(ev: Evidence) -> Decision[Naming] | None:
    """The text's own phrase; when it ends in a verb (严格守住40万亩基本农田), the thing measured is in
    the words after the figure."""
    if not ev.phrase:
        return None
    noun = ev.noun if phrases.ends_in_verb(ev.phrase) else None
    return Decision(Naming(noun or ev.phrase, False, 0.4), "noun_after_verb" if noun else None)


def _noun_after(ev: Evidence) -> Decision[Naming] | None:
    """600亩土地完成清丈: the thing measured follows its figure."""
    noun = ev.noun if ev.fig.measure != "rank" else None
    return Decision(Naming(noun, False, 0.4)) if noun else None


def _catalogue_in_sentence(ev: Evidence) -> Decision[Naming] | None:
    fig = ev.fig
    wider = phrases.last_name(fig.text, fig.s, fig.ctx.model.indicators_in(fig.s, fig.clause_lo))
    return Decision(_total(fig, Naming(wider[0].name, True, 0.5))) if wider else None


def _previous_figure(ev: Evidence) -> Decision[Naming] | None:
    fig = ev.fig
    if not fig.prev:
        return None
    return Decision(_total(fig, Naming(fig.prev[-1].indicator, fig.prev[-1].indicator_standard, 0.5)))


def _total(fig: Figure, n: Naming) -> Naming:
    """新登记个体工商户560户，累计达到9800户: the total is of the thing, not of the new ones."""
    if n.indicator and rx("total").search(fig.text, fig.clause_lo, fig.pos):
        whole = rx_start("new_prefix").sub("", n.indicator, count=1)
        if whole != n.indicator and len(whole) >= 2:
            entry = catalogue().get(whole)
            n.indicator, n.standard = (entry.name, True) if entry else (whole, False)
    return n


STRATEGIES: Strategies[Evidence, Naming] = Strategies(
    Strategy("table_cell", _table_cell),
    Strategy("attribute", _attribute),
    Strategy("listed", _listed),
    Strategy("rank_item", _rank_item, lambda m, u, after: m == "rank"),
    Strategy("streak", _streak, lambda m, u, after: u in cues()["streak_length"]),
    Strategy("after_streak", _after_streak, lambda m, u, after: after and m in FOLLOWERS),
    Strategy("change_to", _change_to, lambda m, u, after: after),
    Strategy("share_of", _share_of, lambda m, u, after: m == "share"),
    Strategy("threshold", _threshold, lambda m, u, after: m not in FOLLOWERS),
    Strategy("parts", _parts, lambda m, u, after: u == "count"),
    Strategy("classes", _classes, lambda m, u, after: u == "count"),
    Strategy("counted", _counted, lambda m, u, after: u == "count"),
    Strategy("rate_phrase", _rate_phrase, lambda m, u, after: m in ("ratio", "share")),
    Strategy("plan_completion", _plan_completion, lambda m, u, after: m == "completion"),
    Strategy("qualified_name", _qualified_name),
    Strategy("text_word", _text_word),
    Strategy("catalogue_before", _catalogue_before),
    Strategy("own_subject", _own_subject, lambda m, u, after: after and m in FOLLOWERS and m != "rank"),
    Strategy("ranked_subject", _ranked_subject, lambda m, u, after: m == "rank"),
    Strategy("previous", _previous, lambda m, u, after: after),
    Strategy("object_after_verb", _object_after_verb),
    Strategy("phrase", _phrase),
    Strategy("noun_after", _noun_after, lambda m, u, after: m != "rank"),
    Strategy("catalogue_in_sentence", _catalogue_in_sentence),
    Strategy("previous_figure", _previous_figure, lambda m, u, after: after),
)


# --- refinements: what is done to the name a strategy gave ---------------------------------------------


def _used_for(ev: Evidence, n: Naming) -> bool:
    """把七成以上的新增财力用于教育医疗: the share goes to what it is used for."""
    if n.indicator and ev.fig.measure == "share" and "用于" in n.indicator[:-2]:
        n.indicator = n.indicator.split("用于")[-1]
        return True
    return False


def _standard_name(ev: Evidence, n: Naming) -> bool:
    """A name the catalogue knows in its standard form; a verb's amount (全年发电45亿千瓦时: 发电量); an
    area of a thing (8000平方米外墙: 外墙面积)."""
    if not n.indicator or n.standard or n.words_only:
        return False
    fig = ev.fig
    entry = catalogue().get(n.indicator)
    if entry is not None and (n.indicator != (ev.counted[0] if ev.counted else None)
                              or fold(entry.name) == fold(n.indicator)):
        n.indicator, n.standard = entry.name, True
    elif entry is None and (entry := catalogue().get(n.indicator + "量")) is not None and phrases.fits_unit(entry, fig.q):
        n.indicator, n.standard = entry.name, True
    elif fig.q.unit == "m2" and fig.measure in ("level", "target", "change") \
            and not rx_end("area_words").search(n.indicator) and not phrases.ends_in_verb(n.indicator):
        n.indicator += "面积"
    else:
        return False
    return True


def _of_project(ev: Evidence, n: Naming) -> bool:
    """冷库，投资1200万元: a bare word said of a project means its attribute (总投资)."""
    if ev.entity and n.indicator in cues()["of_project"]:
        n.indicator, n.standard = cues()["of_project"][n.indicator], True
        return True
    return False


def _urban_rural(ev: Evidence, n: Naming) -> bool:
    fig = ev.fig
    if n.indicator and "居民" in n.indicator and "城乡" in fig.text[fig.s:fig.pos]:
        n.indicator = lists.urban_rural(fig, n.indicator)
        return True
    return False


REFINEMENTS = (("used_for", _used_for), ("standard_name", _standard_name), ("of_project", _of_project),
               ("urban_rural", _urban_rural))


def resolve(ev: Evidence) -> tuple[Naming, str | None]:
    """The figure's indicator and how it was named: the strategy, then the refinements that changed it
    (catalogue_before, phrase+standard_name …); (no name, None) when no strategy names one."""
    found = first(STRATEGIES.of_kind(ev.fig.kind()), ev)
    if found is None:
        how, naming = None, Naming(None, False, 0.5)
    else:
        how, naming = found
    for name, refine in REFINEMENTS:
        if refine(ev, naming):
            how = f"{how}+{name}" if how else name
    return naming, how
