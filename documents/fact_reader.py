"""Read every figure of a notice into a typed `Fact`: pure, text in, facts out (no model, no I/O).

For each figure: the clause group it belongs to (clause_groups.py), its kind from the words right before it
(增长 → growth, 占…的 → share, 完成年度计划的 → completion …), its role (a bracketed 目标, a 计划 clause, a
报告提出 sentence → target; 累计/达到 → cumulative; a bracketed 全市 in a county notice → comparison), the period
named nearest before it in its sentence (else the notice's), its scope (全县, 全市, a named place) and its year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from documents.clause_groups import REFERENCE, Clause, clean_measure, paren_lead, restates, split_clauses
from documents.columns import column_role
from documents.facts import Fact, FactKind, FactRole, Scope
from documents.models import ColumnRole, Notice, Paragraph, ParagraphKind, Qualifier, Quantity, QuantityKind
from documents.numerals import normalise
from documents.places import Level, place_names, split_level
from documents.profile import NoticeProfile
from documents.quantities import extract_quantities
from documents.reporting import Period, period_mentions, year_mentions
from documents.vocabulary import vocabulary

_COMPLETION = re.compile(
    r"(?:完成|占|为|达到?|完成了)(?:了)?[^,，;；。]{0,14}?(?:计划|目标|任务(?!总?数|个数)|预算(?:任务|安排)?(?!支出)|序时|工程量|总量|总投资)[^,，;；。]{0,6}?的$|"
    r"完成[^,，;；。]{0,4}率(?:为|达|达到)?$|"
    r"(?:完成率|完工率|完成进度|投资完成率|计划完成率|执行率|到位率|拨付率|进度)(?:为|达|达到|是)?$|"
    r"(?:已?完成|完成了)(?:工程量|总工程量|总投资的?|总量的?)?$|完成(?:了)?(?:全年|年度)(?:目标|计划|任务)$"
)
_SHARE = re.compile(r"占[^,，;；。]{0,20}?(?:的|比重|比例)?(?:为|达)?$|(?:比重|占比|比例)(?:为|达|达到)?$")
_GROWTH = re.compile(
    r"(?:增长|增速|增幅|涨幅|上涨|下降|降低|减少|回落|提高|提升|下滑|降幅|增加|增|降)(?:了)?(?:为|达|达到|是)?$|"
    r"同比(?:分别)?(?:为|达|达到)?$"
)
_FALL = re.compile(
    "(?:" + "|".join(sorted(vocabulary().reductions, key=len, reverse=True)) + ")(?:了)?(?:为|达|达到|是)?$"
)
_CHANGE_FROM = re.compile(
    r"[^,，;；。\d]{0,6}?(?:降至|降到|降为|降低至|降低到|下调至|下调到|提高至|提高到|提升至|提升到|上调至|上调到|"
    r"增至|增加到|增加至|升至|升到|调整为|调整至|调整到)\d"
)
_MARGIN_OVER_TARGET = re.compile(
    r"(?:高于|低于|超过|超出|快于|慢于)(?:年度|全年)?(?:预期|调控|控制)?(?:目标|计划)(?:任务)?$"
)
_RESTATED_TARGET = re.compile(r"年初(?:设定|确定|制定|预期|提出|下达)?的$|(?:目标|预算|计划)?(?:调整为|调整到|调整至)$")
_LIST_JOIN = re.compile(r"\s*[、和及与]\s*")
_CHANGE_AHEAD = re.compile(r"(?:快于|高于|领先|超过?|超出|加快|提高|提升|上升|增加|扩大)")
_TARGET_IN_PAREN = re.compile(r"^(?:年度|全年)?(?:预期|计划)?(?:目标|任务)")
_TARGET_BEFORE = re.compile(
    r"(?:年度|全年)(?:投资)?(?:计划|目标|任务)|(?:计划|目标|任务)(?:全年|年度)|目标任务|原计划|力争|预算安排|"
    r"(?:全年|年度)(?:计划)?(?:投资|安排)?(?:计划)?$"
)
_TARGET_AFTER = re.compile(
    r"^[^,，;；。]{0,3}?的(?:年度|全年)?(?:工作|工程建设|建设|投资)?(?:目标|任务|计划)|^(?:的)?(?:年度|全年)?目标(?!任务进度)"
)
_TARGET_SENTENCE = re.compile(
    r"(?:报告|规划|方案)(?:提出|明确|确定|要求)|(?:提出|确定)了?[^,，]{0,6}目标|的目标$|目标(?:任务)?(?:为|是)|"
    r"^[^,，;；]{0,12}预期目标\s*\d{0,2}(?=[\u4e00-\u9fff])"  # a row of the year's targets: 主要预期目标1地区生产总值…
)
_RESULT = re.compile(r"实际|结果|显示|最终|落实情况|完成情况|实际上|去年|上年")
_PLAN_BEFORE = re.compile(r"计划|拟|预计将|将要|准备")
_CUMULATIVE = re.compile(r"累计|达到|达|总数|总量|总计|共计|合计|截至|截止|已累计")
_NOTE = re.compile(r"[(（](预计数?|初步统计|快报数?|预估)[)）]")
_RANK_FRAME = re.compile(
    r"((?:全|在)(?:省|市|国|区|县)|[一二三四五六七八九十0-9]+(?:个)?(?:县市区|县市|县区|市州|地市|区县|市|县|区)|同类)"
)
_SCOPE_WORD = re.compile(r"(?:全|我|本)(省|市|县|区)|(全国)")
_ITEM_UNITS = set("个项宗家件所座处条批户只辆艘台套")
_TABLE_TARGET = re.compile(r"目标|任务|计划")
_TABLE_ACTUAL = re.compile(r"完成情况|推进情况|进展情况|进度情况|完成|进展|落实情况|实际")


@dataclass
class _Context:
    profile: NoticeProfile
    paragraph: Paragraph
    text: str
    plain: str
    topic: str


def _kind(q: Quantity, before: str, measure: str) -> FactKind:
    if q.kind == QuantityKind.RANK:
        return FactKind.RANK
    if q.kind == QuantityKind.PERCENTAGE_POINT:
        return FactKind.CHANGE
    if q.kind == QuantityKind.RATIO:
        return FactKind.RATIO
    if q.kind == QuantityKind.PERCENT:
        if _COMPLETION.search(before):
            return FactKind.COMPLETION
        if _SHARE.search(before):
            return FactKind.SHARE
        if _GROWTH.search(before):
            return FactKind.GROWTH
        return FactKind.COMPLETION if re.search(r"完成率|进度$", measure) else FactKind.LEVEL
    if q.kind == QuantityKind.COUNT and (q.unit[:1] in _ITEM_UNITS or not q.unit):
        return FactKind.COUNT
    return FactKind.AMOUNT


def _target_cue(before: str) -> bool:
    """A target word governing the figure (年度投资计划54.1亿元, 全年计划竣工42项), not one inside a name
    (完成全年目标任务的小项) nor one that is reached (完成年度目标)."""
    for m in _TARGET_BEFORE.finditer(before):
        if m.end() >= len(before.rstrip("为是达到")) - 1:
            return True  # 完成年度目标5000万美元的82.4%: the figure right after 目标 is the target
        if re.search(r"(?:完成|达到|超过|达|实现)[^,，]{0,3}$", before[: m.start()]):
            continue
        if re.match(r"的|进度", before[m.end() : m.end() + 2]):
            continue
        return True
    return False


def _role(q: Quantity, kind: FactKind, ctx: _Context, clause: Clause, before: str, lead: str | None) -> FactRole:
    sentence = ctx.plain[clause.sentence_start : q.start]
    after = ctx.plain[q.end : q.end + 12]
    if lead is not None:
        if _TARGET_IN_PAREN.search(lead):
            return FactRole.TARGET
        if _SCOPE_WORD.search(lead) or place_names(lead):
            return FactRole.COMPARISON
    if "百分点" in q.unit and _MARGIN_OVER_TARGET.search(before):
        return FactRole.COMPARISON  # 增速为11.3%,高于目标任务1.3个百分点: the margin, not the target
    if _CHANGE_FROM.match(after):
        return FactRole.COMPARISON  # 现行16%的税率降至13%, 由8%提高到10%: the level a change starts from
    if _RESTATED_TARGET.search(before):
        return FactRole.TARGET  # 收入由年初预算…调整为413.8亿元, 超额完成了年初确定的1000亿元: the target, restated
    if q.qualifier == Qualifier.AIM or _TARGET_AFTER.search(after):
        return FactRole.TARGET
    controlled = re.search(r"控制(?:在|于)?$", before) or q.text.startswith("控制")
    if q.qualifier == Qualifier.AT_MOST and controlled and not _RESULT.search(sentence):
        return FactRole.TARGET  # 失业率控制在1.5%以内: a ceiling set, unless the sentence reports a result
    cue = [m.end() for m in _TARGET_SENTENCE.finditer(sentence)]
    result = [m.end() for m in _RESULT.finditer(sentence)]
    if cue and (not result or max(cue) > max(result)):
        return FactRole.TARGET
    if kind == FactKind.COMPLETION:
        # 计划完成工程量5%,实际完成工程量6%: the share planned for the period, then the share done
        return FactRole.PLAN if re.search(r"计划(?:累计)?完成[^,，;；。\d]{0,6}$", before) else FactRole.ACTUAL
    if _target_cue(before):
        return FactRole.TARGET
    if re.search(r"(?:上年|去年)同期(?:为|是)?$", before) or (
        kind in (FactKind.AMOUNT, FactKind.COUNT)
        and re.search(r"(?:同比|比|较)(?:上年|去年|上年同期|去年同期)?(?:增加|减少|多|少|增长|下降)$", before)
    ):
        return FactRole.COMPARISON  # 同比增加28.12亿元: the change, not the amount
    if re.match(r"(?:的)?计划(?!的)", after):
        return FactRole.PLAN  # 24个计划建成投产项目: the figure counts what was planned
    plan = [m.end() for m in _PLAN_BEFORE.finditer(before)]
    # 计划改造的145个小区中已开工13个, 计划建成项目已经有…21个: 13 and 21 are done; 计划累计完成7公里 is the plan
    done_after = (
        re.search(r"\d[^,，]*?(?:" + _DONE_VERB.pattern + ")|已经?有|实际", before[max(plan) :]) if plan else None
    )
    if plan and not done_after:
        return FactRole.PLAN
    if _CUMULATIVE.search(before):
        return FactRole.CUMULATIVE
    return FactRole.ACTUAL


_QUALIFIER_AFTER = re.compile(r"^(?:[0-9]{4}年)?(?:省|市|县|区)?(?:级|重点|重大|民生|实事|政府|为民)")


def _scope(ctx: _Context, clause: Clause, q: Quantity, lead: str | None) -> Scope:
    """The nearest place or scope word before the figure in its sentence; a comparison base (低于全市平均) and a
    programme's level (列入江门市重点项目, 全省排名) are not where a figure was measured."""
    if lead is not None:
        return _scope_in(lead + ctx.plain[q.start : q.start + 2], ctx) or Scope(level=ctx.profile.level)
    found = _scope_in(
        _without_references(ctx.plain[clause.sentence_start : q.start]) + ctx.plain[q.start : q.start + 2], ctx
    )
    whole = ctx.plain.rfind("。", 0, clause.sentence_start) + 1
    earlier = _without_references(ctx.plain[whole : clause.sentence_start])
    if found is None and len({n for n in place_names(earlier) if split_level(n)[1]}) == 1:
        found = _scope_in(earlier, ctx)  # 咸安区A完成…;B完成…: one place leads the whole sentence (not a list of them)
    return found or Scope(level=ctx.profile.level)


def _without_references(text: str) -> str:
    text = REFERENCE.sub(lambda m: " " * len(m.group()), text)
    return re.sub(r"[(（][^()（）]*[)）]", lambda m: " " * len(m.group()), text)


def _scope_in(text: str, ctx: _Context) -> Scope | None:
    """The nearest scope cue of a text (which ends with the figure's first characters, so that 全省第五位 reads as
    a ranking frame); a list of places (海曙区、江北区、鄞州区…) is the whole, not one of them."""
    cues: list[tuple[int, Scope]] = []
    named = [n for n in place_names(text) if split_level(n)[1] is not None]
    if len(named) >= 2 and re.search("、".join(["[^、]*"] * 2), text):
        named = []
    for name in named if named else []:
        at = text.rfind(name)
        if split_level(name)[1] is None or ctx.profile.names_place(name):
            continue  # an unsuffixed word tagged as a place (大桥, 长城) names no scope
        if _QUALIFIER_AFTER.match(text[at + len(name) :]):
            continue
        cues.append((at, Scope(level=split_level(name)[1], name=name)))
    for m in _SCOPE_WORD.finditer(text):
        if re.match(r"(?:排名|排|第|位|平均)", text[m.end() : m.end() + 2]) or _QUALIFIER_AFTER.match(text[m.end() :]):
            continue  # 全省排名第四: what it ranks among; 全市重点项目: a programme
        cues.append((m.start(), Scope(level=Level.NATION) if m.group(2) else Scope(level=Level(m.group(1)))))
    return max(cues, key=lambda c: c[0])[1] if cues else None


def _period(q: Quantity, ctx: _Context, clause: Clause, role: FactRole) -> Period | None:
    mentions = period_mentions(ctx.text[clause.sentence_start : q.start])
    if role == FactRole.TARGET:  # a target is for the year unless its own clause names a period (上半年计划…)
        own = period_mentions(ctx.text[clause.start : q.start])
        return own[-1][2] if own else Period(start=1, end=12)
    if mentions:
        period: Period | None = mentions[-1][2]
    else:
        lead = period_mentions(ctx.text[: clause.sentence_start])
        period = lead[-1][2] if lead and _leads_paragraph(ctx.text, lead[-1][0]) else ctx.profile.period
    if period is not None and role == FactRole.CUMULATIVE and not period.point and period.start == period.end:
        period = period.model_copy(update={"point": True, "start": None})
    return period


def _leads_paragraph(text: str, start: int) -> bool:
    """A period at the head of a paragraph (一季度,…) covers the sentences after it too."""
    return start <= 2 or text[start - 1] in "。;；\n"


_BASE_BEFORE = re.compile(r"(?:比|较|同比|与|相比|比上)$")
_LAST_YEAR = re.compile(r"(?<![比较同与])(?:去年|上年)(?!同期)")


def _year(q: Quantity, ctx: _Context, clause: Clause) -> int | None:
    """The year the figure is of: the last year its sentence names before it, unless that year is a comparison's
    base (比2017年同期); a 去年 after it steps back a year (2015新年伊始…去年,…完成投资1200亿元)."""
    before = normalise(ctx.text[clause.sentence_start : q.start])
    years = [y for y in year_mentions(before) if not _BASE_BEFORE.search(before[: y[0]])]
    if not years:
        return ctx.profile.year
    start, end, year = years[-1]
    return year - 1 if _LAST_YEAR.search(before[end:]) else year


def _paragraph_topic(paragraph: Paragraph, notice: Notice) -> str:
    """Whose figures the paragraph gives: its own heading sentence (锂电新材料产业园二期项目。), else a short
    first sentence with no figure (食品安全抽样检验工程。), else the nearest heading above it."""
    if paragraph.heading and not extract_quantities(paragraph.heading):
        return paragraph.heading.rstrip("。.")
    first = re.split(r"[。;；]", paragraph.text, maxsplit=1)[0]
    if len(first) <= 30 and not extract_quantities(first) and len(first) < len(paragraph.text) - 1:
        return first.strip('“”"')
    crumbs = paragraph.breadcrumb[:-1] if paragraph.marker else paragraph.breadcrumb
    crumb = crumbs[-1] if crumbs else ""
    if crumb == notice.title or len(crumb) > 30 or extract_quantities(crumb):
        return ""
    return re.sub(r"^[(（]?[一二三四五六七八九十0-9]+[)）、.．]", "", crumb).rstrip("。.")


def read_facts(notice: Notice, profile: NoticeProfile) -> list[Fact]:
    """Every figure of every body paragraph, in reading order."""
    facts: list[Fact] = []
    for index, paragraph in enumerate(notice.paragraphs):
        if paragraph.kind in (ParagraphKind.BODY, ParagraphKind.HEADING) or (
            paragraph.kind == ParagraphKind.TITLE and len(notice.paragraphs) <= 2
        ):
            found = paragraph_facts(paragraph, notice, profile)
            if _reported_below(notice.paragraphs, index):
                found = [f.model_copy(update={"role": FactRole.TARGET, "period": Period(start=1, end=12)})
                         if f.role in (FactRole.ACTUAL, FactRole.CUMULATIVE) else f for f in found]  # fmt: skip
            facts += found
    return facts


_REPORTING = re.compile(r"^(?:推进情况|进展情况|完成情况|落实情况|工作进展|进展|进度)[:：]|截至|截止|已完成|已经|累计")


def _reported_below(paragraphs: list[Paragraph], index: int) -> bool:
    """A numbered item that only states what is to be done (二、…新建公办幼儿园7所,…), reported on by the lines
    under it (推进情况:…): its figures are the item's targets."""
    item = paragraphs[index]
    text = normalise(item.text)
    if not item.marker or not extract_quantities(text) or period_mentions(text):
        return False
    if re.search(r"实现|累计|已|同比|完成了|超额|增长|下降|达到", text):
        return False
    for later in paragraphs[index + 1 : index + 4]:
        if later.marker and later.marker[:1] == item.marker[:1]:
            return False  # the next item of the same list: nothing reported under this one
        if _REPORTING.search(normalise(later.text)) or period_mentions(later.text):
            return True
    return False


def paragraph_facts(paragraph: Paragraph, notice: Notice, profile: NoticeProfile) -> list[Fact]:
    """The facts of one paragraph (offsets within its text)."""
    text = paragraph.text
    ctx = _Context(profile, paragraph, text, normalise(text), _paragraph_topic(paragraph, notice))
    quantities = [q for q in extract_quantities(text) if not _is_threshold(q, ctx.plain)]
    clauses = split_clauses(text)
    cells = cell_spans(paragraph)
    if cells:  # a table row: whose figures the task cell says
        task = next((t for (_, _, header, t) in cells if column_role(header) == ColumnRole.TASK), "")
        for q in reversed(extract_quantities(task)):
            task = task[: q.start] + " " + task[q.end :]
        ctx.topic = clean_measure(re.split(r"[,，;；。]", task)[0]) or ctx.topic
    facts: list[Fact] = []
    group_start, group_measure, sentence_topic = 0, "", ""
    current_sentence = -1
    by_clause = {c: [q for q in quantities if c.start <= q.start < c.end] for c in clauses}
    heading_end = len(paragraph.marker or "") + len(paragraph.heading or "")
    in_heading = _heading_states_targets(paragraph, text, heading_end)
    subject = ""  # the first measure of the sentence before: 地区生产总值完成242.0亿元,…;同比增长5.5% grows it
    for clause in clauses:
        if clause.sentence != current_sentence:
            opens_change = _CHANGE_OPENING.match(ctx.plain[clause.start : clause.end].lstrip(" ,，;；"))
            carried = subject if opens_change else ""
            current_sentence, group_start, group_measure, sentence_topic = clause.sentence, clause.start, carried, ""
            subject = ""
        own = clean_measure(ctx.plain[clause.start : (by_clause[clause][0].start if by_clause[clause] else clause.end)])
        subject = subject or own
        if own and not restates(own, group_measure):
            group_start, group_measure = clause.start, own
            if not sentence_topic and by_clause[clause] and by_clause[clause][0].unit[:1] in _ITEM_UNITS:
                sentence_topic = own  # 列入江门市重点项目93项: the sentence is about these projects
        previous_end = clause.start
        for q in by_clause[clause]:
            split = ctx.plain.rfind("、", previous_end, q.start) + 1 if previous_end > clause.start else 0
            piece_start = max(previous_end, split)  # 、 separates figures (中转站7个、分类池17个), not names
            before = ctx.plain[piece_start : q.start]
            lead = paren_lead(ctx.plain, q.start)
            measure = (
                clean_measure(before)
                if lead is None
                else clean_measure(ctx.plain[previous_end : q.start - len(lead) - 1]) or ""
            )
            counted = _counted_noun(ctx.plain, q, clause.end)
            if counted and not (measure and counted in measure):
                measure = clean_measure(before + counted) or counted
            measure = measure or group_measure
            if not group_measure and measure and q is by_clause[clause][0]:
                group_measure = measure
            kind = _kind(q, ctx.plain[clause.start : q.start], measure)
            role = _role(q, kind, ctx, clause, ctx.plain[clause.start : q.start], lead)
            listed = facts and facts[-1].clause == (clause.start, clause.end) and re.fullmatch(r"[、和及与\s]*", before)
            if listed:  # 分别增长457.5%、328.3%和82.5%: the later figures of a list read like the first
                kind, role = facts[-1].kind, facts[-1].role
            elif lead is not None and facts and facts[-1].clause == (clause.start, clause.end):
                kind = facts[-1].kind  # 增长58.3%(目标10.5%): the bracket gives the same measure's target
            elif in_heading and q.start < heading_end:
                role = FactRole.TARGET
            elif role in (FactRole.ACTUAL, FactRole.CUMULATIVE) and _continues_plan(facts, clause, ctx.plain, q.start):
                role = FactRole.PLAN  # 全市计划申报…120家,通过认定100家: the plan goes on
            topic = sentence_topic if sentence_topic and sentence_topic != measure else ctx.topic
            column = next((c for c in cells if c[0] <= q.start < c[1]), None)
            if column is not None:
                role, period_override = _cell_reading(column[2], role, kind)
                if column_role(column[2]) == ColumnRole.PROGRESS and q.kind == QuantityKind.PERCENT:
                    kind = FactKind.COMPLETION  # 进度:23.6%
            facts.append(
                Fact(
                    id=f"{notice.doc_id}:{paragraph.id}:{len(facts) + 1}",
                    doc_id=notice.doc_id,
                    paragraph_id=paragraph.id,
                    quantity=q,
                    subject=f"{topic} › {measure}" if topic and measure and topic not in measure else measure or topic,
                    measure=measure,
                    topic=topic,
                    kind=kind,
                    role=role,
                    falls=bool(_FALL.search(before)),
                    period=(
                        period_override if column is not None and period_override else _period(q, ctx, clause, role)
                    ),
                    year=_year(q, ctx, clause),
                    scope=_scope(ctx, clause, q, lead),
                    among=_among(q, ctx, clause) if kind == FactKind.RANK else None,
                    clause=(clause.start, clause.end),
                    group=(group_start, clause.end),
                    sentence=(clause.sentence_start, _sentence_end(text, clause.sentence_start)),
                    note=_note(ctx.plain, q, clause),
                    column=column[2] if column is not None else None,
                )
            )
            previous_end = q.end
    return _close_groups(_spread_falls(_align_respectively(facts, ctx.plain), ctx.plain), clauses)


_COUNTED = re.compile(r"[\u4e00-\u9fff“”\"]{2,16}")


def _counted_noun(plain: str, q: Quantity, clause_end: int) -> str:
    """The noun a count is of when it follows the figure (有31个小项完成…, 新增 7069张 公办养老床位)."""
    if q.kind not in (QuantityKind.COUNT, QuantityKind.AREA, QuantityKind.MEASURE) or not q.unit:
        return ""
    found = _COUNTED.match(plain[q.end : clause_end].lstrip(" "))
    if not found:
        return ""
    noun = re.split(r"(?:已|完成|达到|正在|未|均|属于|的|中|、)", found.group(), maxsplit=1)[0]
    return noun if len(noun) >= 2 else ""


_CHANGE_OPENING = re.compile(r"(?:同比|比上年|较上年|比去年|较去年|比上年同期)?(?:增长|下降|增加|减少|回落|提高)\d")
_DONE_VERB = re.compile(r"完成|实现|累计|已|实际|建成|开工")
_ENDS_PLAN = re.compile(_DONE_VERB.pattern + r"|未|中[,，:：]")


def _continues_plan(facts: list[Fact], clause: Clause, plain: str, at: int) -> bool:
    """A clause with no verb of its own that follows a plan figure of the same sentence continues the plan (a
    done verb, 未 or 中 after the plan figure ends it: 24个计划项目已经有…21个项目建成; 69个计划项目中,…三个未竣工)."""
    previous = facts[-1] if facts else None
    return (
        previous is not None and previous.role == FactRole.PLAN and previous.sentence[0] == clause.sentence_start
        and not _ENDS_PLAN.search(plain[previous.quantity.end : at])
    )  # fmt: skip


def _is_threshold(q: Quantity, plain: str) -> bool:
    """A figure that names a class (亿元以上项目, 10亿元以上项目, 1亿元以上的企业), not an amount reported."""
    if q.qualifier not in (Qualifier.AT_LEAST, Qualifier.AT_MOST) or q.kind != QuantityKind.MONEY:
        return False
    return (
        re.match(r"(?:的)?(?:[\u4e00-\u9fff]{0,4})(?:项目|企业|工程|单位|产业项目)", plain[q.end : q.end + 8])
        is not None
    )


def cell_spans(paragraph: Paragraph) -> list[tuple[int, int, str, str]]:
    """(start, end, header, cell text) of each cell of a table row within the paragraph's `header:cell;…` text."""
    spans: list[tuple[int, int, str, str]] = []
    at = 0
    for cell in paragraph.cells:
        if not cell.text or column_role(cell.header) == ColumnRole.INDEX:
            continue
        label = f"{cell.header}:"
        found = paragraph.text.find(label, at)
        if found < 0:
            continue
        start = found + len(label)
        end = paragraph.text.find(";", start + len(cell.text) - 1) if cell.text else start
        end = len(paragraph.text) if end < 0 else end
        spans.append((start, end, cell.header, cell.text))
        at = end
    return spans


def _cell_reading(header: str, role: FactRole, kind: FactKind) -> tuple[FactRole, Period | None]:
    """A table cell's column says what its figures are: the task column sets targets for the year, an actual column
    (1-10月推进情况) reports for its period, a progress column states completion."""
    column = column_role(header)
    named = period_mentions(header)
    period = named[-1][2] if named else None
    if column == ColumnRole.TASK:
        return FactRole.TARGET, period or Period(start=1, end=12)
    if column in (ColumnRole.ACTUAL, ColumnRole.PROGRESS) and role == FactRole.TARGET:
        return FactRole.ACTUAL, period
    return role, period


def _heading_states_targets(paragraph: Paragraph, text: str, heading_end: int) -> bool:
    """A numbered item whose first sentence sets figures and whose later sentences report on them (3.新建5G基站
    1000座。一季度,全市新建5G基站236座。): the first sentence's figures are targets."""
    if not paragraph.marker or not paragraph.heading or heading_end >= len(text) - 1:
        return False
    heading = paragraph.heading
    if not extract_quantities(heading) or period_mentions(heading) or re.search(r"实现|累计|已|同比", heading):
        return False
    later = text[heading_end:]
    if "完成" in heading and not (re.match(r"完成[^有,，;；]*?\d", heading) and period_mentions(later)):
        return False  # 完成高标准农田建设12万亩 is a task when a later sentence reports on it; 完成有困难的有2项 is not
    crumbs = " ".join(paragraph.breadcrumb[:-1])
    return bool(period_mentions(later)) or bool(re.search(r"目标|任务", crumbs))


def _spread_falls(facts: list[Fact], plain: str) -> list[Fact]:
    """A fall verb reaches every figure of the list it opens (分别下降4.4%和3.5%; 下降3%、2%): a figure joined to a
    falling one by 、/和 alone, in the same clause and of the same kind, falls too."""
    out = list(facts)
    for i in range(1, len(out)):
        prev, cur = out[i - 1], out[i]
        if (
            prev.falls and not cur.falls and cur.clause == prev.clause and cur.kind == prev.kind
            and _LIST_JOIN.fullmatch(plain[prev.quantity.end : cur.quantity.start])
        ):  # fmt: skip
            out[i] = cur.model_copy(update={"falls": True})
    return out


def _align_respectively(facts: list[Fact], plain: str) -> list[Fact]:
    """A、B分别X、Y: the i-th item before 分别 is what the i-th figure after it measures (二氧化硫、氮氧化物排放量分别
    下降4.4%和3.5%; 规模以上工业增加值、进出口总额增速分别位列全省第五位、第二位)."""
    out = list(facts)
    for clause in dict.fromkeys(f.clause for f in facts):
        text = plain[clause[0] : clause[1]]
        at = text.find("分别")
        if at < 0:
            continue
        after = [i for i, f in enumerate(out) if f.clause == clause and f.quantity.start >= clause[0] + at]
        items = [i for i in re.split(r"[、和及与]", text[:at]) if i.strip()]
        if len(items) != len(after) or len(items) < 2:
            continue
        for index, item in zip(after, items, strict=True):
            measure = clean_measure(item) or out[index].measure
            topic = out[index].topic
            subject = f"{topic} › {measure}" if topic and topic not in measure else measure
            out[index] = out[index].model_copy(update={"measure": measure, "subject": subject})
    return out


def _among(q: Quantity, ctx: _Context, clause: Clause) -> str | None:
    frames = list(_RANK_FRAME.finditer(ctx.plain[clause.start : q.start]))
    return frames[-1].group(1) if frames else None


def _note(plain: str, q: Quantity, clause: Clause) -> str | None:
    found = _NOTE.search(plain, q.end, clause.end + 8)
    return found.group(1) if found else None


def _sentence_end(text: str, start: int) -> int:
    found = re.compile(r"[。;；!?！？\n]").search(text, start)
    return found.start() if found else len(text)


def _close_groups(facts: list[Fact], clauses: list[Clause]) -> list[Fact]:
    """Extend each group to the last clause that continues it (a group spans until the next group opens)."""
    ends: dict[tuple[int, int], int] = {}
    for fact in facts:
        key = (fact.sentence[0], fact.group[0])
        ends[key] = max(ends.get(key, 0), fact.clause[1])
    for clause in clauses:  # clauses without figures that continue a group (…,提前完成全年投资任务)
        for key in ends:
            if key[0] == clause.sentence_start and key[1] <= clause.start and clause.start <= ends[key] + 1:
                later = [k for k in ends if k[0] == key[0] and key[1] < k[1] <= clause.start]
                if not later:
                    ends[key] = max(ends[key], clause.end)
    return [f.model_copy(update={"group": (f.group[0], ends[(f.sentence[0], f.group[0])])}) for f in facts]
