"""The figure extractor on real notice text: values, units, kinds, qualifiers, spans, names and periods."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from documents.models import Qualifier as Q
from documents.models import Quantity
from documents.models import QuantityKind as K
from documents.numerals import chinese_to_int, normalise, parse_number
from documents.periods import find_periods
from documents.quantities import describe, extract_quantities

NOTICES = Path(__file__).resolve().parents[1] / "documents" / "notices"
Q1 = (NOTICES / "xianning-2021-q1.txt").read_text(encoding="utf-8-sig")
H1 = (NOTICES / "xianning-2021-h1-digest.txt").read_text(encoding="utf-8-sig")

# (excerpt of a real notice, expected span, value, unit, kind, qualifier, upper)
CASES: list[tuple[str, str, str, str, K, Q, str | None]] = [
    # percents, signs, targets
    ("一季度,我市实现地区生产总值增长58.3%(目标10.5%)", "58.3%", "58.3", "%", K.PERCENT, Q.EXACT, None),
    ("一季度,我市实现地区生产总值增长58.3%(目标10.5%)", "10.5%", "10.5", "%", K.PERCENT, Q.EXACT, None),
    ("全社会固定资产投资增长245.0%(目标11%)", "245.0%", "245.0", "%", K.PERCENT, Q.EXACT, None),
    ("城镇登记失业率3.52%(目标4.5%以内)", "4.5%以内", "4.5", "%", K.PERCENT, Q.AT_MOST, None),
    ("居民消费价格涨幅-0.9%(目标3%)", "-0.9%", "-0.9", "%", K.PERCENT, Q.EXACT, None),
    ("居民消费价格涨幅-0.9%(目标3%)", "3%", "3", "%", K.PERCENT, Q.EXACT, None),
    ("工业技改投资增长15%以上", "15%以上", "15", "%", K.PERCENT, Q.AT_LEAST, None),
    ("规模以上工业企业建立研发机构的比例达40%", "40%", "40", "%", K.PERCENT, Q.EXACT, None),
    ("赤壁长江公路大桥已合龙,完成总投资的91%", "91%", "91", "%", K.PERCENT, Q.EXACT, None),
    ("完成科技成果登记20项、完成全年目标25%", "25%", "25", "%", K.PERCENT, Q.EXACT, None),
    ("2020年市本级海绵城市达标率超过20%", "超过20%", "20", "%", K.PERCENT, Q.AT_LEAST, None),
    ("全市2020年度高标准农田建设项目11个、40个标段已完成总工程量的60.5%", "60.5%", "60.5", "%", K.PERCENT,
     Q.EXACT, None),
    ("一季度,我市对非洲、拉丁美洲和东盟出口同比分别达457.5%、328.3%和82.5%", "328.3%", "328.3", "%", K.PERCENT,
     Q.EXACT, None),
    # percentage points
    ("占预算支出的78.3%,比上年提高2个百分点", "2个百分点", "2", "个百分点", K.PERCENTAGE_POINT, Q.EXACT, None),
    ("按可比价格计算同比增长28.6%,比全省平均高0.1个百分点,增速列全省第7位", "0.1个百分点", "0.1", "个百分点",
     K.PERCENTAGE_POINT, Q.EXACT, None),
    ("涨幅比上年同期收窄3.7个百分点", "3.7个百分点", "3.7", "个百分点", K.PERCENTAGE_POINT, Q.EXACT, None),
    # floors, thresholds, approximations
    ("上市公司或行业龙头企业投资项目不少于3个", "不少于3个", "3", "个", K.COUNT, Q.AT_LEAST, None),
    ("投资10亿元以上项目10个", "10亿元以上", "1000000000", "元", K.MONEY, Q.AT_LEAST, None),
    ("投资10亿元以上项目10个", "10个", "10", "个", K.COUNT, Q.EXACT, None),
    ("亿元以上项目100个;新开工亿元以上产业项目100个", "亿元以上", "100000000", "元", K.MONEY, Q.AT_LEAST, None),
    ("引进亿元及以上项目68个", "亿元及以上", "100000000", "元", K.MONEY, Q.AT_LEAST, None),
    ("全市出口1亿元以上的企业5家,出口总额达8.5亿元,占全市出口总额的47%", "1亿元以上", "100000000", "元", K.MONEY,
     Q.AT_LEAST, None),
    ("全市出口1亿元以上的企业5家,出口总额达8.5亿元,占全市出口总额的47%", "8.5亿元", "850000000", "元", K.MONEY,
     Q.EXACT, None),
    ("力争高新技术企业总数突破300家", "突破300家", "300", "家", K.COUNT, Q.AT_LEAST, None),
    ("通过认定100家,高新技术企业总数超过300家", "超过300家", "300", "家", K.COUNT, Q.AT_LEAST, None),
    ("新建中药材、水果等特色基地3000亩以上", "3000亩以上", "3000", "亩", K.AREA, Q.AT_LEAST, None),
    ("目前已完成投资近6亿元,完成投资率60%", "近6亿元", "600000000", "元", K.MONEY, Q.APPROX, None),
    ("目前初步划定咸安区城镇开发边界约235平方公里", "约235平方公里", "235", "平方公里", K.AREA, Q.APPROX, None),
    ("全市科技企业孵化器、众创空间相关负责人150余人参加", "150余人", "150", "人", K.COUNT, Q.APPROX, None),
    ("完成省定9项“一事联办”工作任务,累计收件5400余件", "5400余件", "5400", "件", K.COUNT, Q.APPROX, None),
    ("集中销毁电鱼机、地笼网等各类禁用渔具800余台(套)", "800余台(套)", "800", "台(套)", K.COUNT, Q.APPROX, None),
    ("今年以来,共接到举报信件、电话共50余件次", "50余件次", "50", "件次", K.COUNT, Q.APPROX, None),
    ("初步形成了1000多家电商实体企业和实体店的电商产业链", "1000多家", "1000", "家", K.COUNT, Q.APPROX, None),
    ("其中个体工商户22739户,近13000户是返乡人员创办", "近13000户", "13000", "户", K.COUNT, Q.APPROX, None),
    ("春运期间我市累计返乡人员40余万人,未发生异常情况", "40余万人", "400000", "人", K.COUNT, Q.APPROX, None),
    ("一季度完成应检尽检22万余人", "22万余人", "220000", "人", K.COUNT, Q.APPROX, None),
    ("市老年大学开设书画、声乐、舞蹈等22个专业、75个教学班,在校学员3000余人", "3000余人", "3000", "人", K.COUNT,
     Q.APPROX, None),
    ("推动全市640余家机关企事业单位党组织,4.7万余名机关党员干部全部到小区(网格)报到", "4.7万余名", "47000", "名",
     K.COUNT, Q.APPROX, None),
    # ranges and year spans
    ("计划全年安排1-2次项目观摩活动", "1-2次", "1", "次", K.COUNT, Q.RANGE, "2"),
    ("咸宁市城区义务教育提升计划实施方案(2021-2023年)", "2021-2023年", "2021", "年", K.YEAR_SPAN, Q.RANGE, "2023"),
    ("咸宁市推进中医药强市三年行动计划(2020-2022)", "2020-2022", "2020", "年", K.YEAR_SPAN, Q.RANGE, "2022"),
    ("助力乡村旅游发展工作方案(2021—2022年)", "2021—2022年", "2021", "年", K.YEAR_SPAN, Q.RANGE, "2022"),
    # money, magnitudes applied exactly
    ("全市集中开工项目132个,总投资441.7亿元", "441.7亿元", "44170000000", "元", K.MONEY, Q.EXACT, None),
    ("咸宁-九江高速公路累计完成投资2.8亿元", "2.8亿元", "280000000", "元", K.MONEY, Q.EXACT, None),
    ("拨付香城机电研究院、启迪之星等5个双创孵化平台1447.3万元", "1447.3万元", "14473000", "元", K.MONEY, Q.EXACT,
     None),
    ("共抽检烟花爆竹27批次,罚没5.57万元", "5.57万元", "55700", "元", K.MONEY, Q.EXACT, None),
    ("一季度已贷款10户、贷款金额996万元", "996万元", "9960000", "元", K.MONEY, Q.EXACT, None),
    ("春节期间全市共销售扶贫产品2166.49万元", "2166.49万元", "21664900", "元", K.MONEY, Q.EXACT, None),
    ("市第二人民医院项目正在进行主体工程建设,已使用资金2.3692亿元", "2.3692亿元", "236920000", "元", K.MONEY,
     Q.EXACT, None),
    ("全市地区生产总值达到802.81亿元", "802.81亿元", "80281000000", "元", K.MONEY, Q.EXACT, None),
    ("共为全市城乡10.7万低保对象发放资金1.01亿元", "1.01亿元", "101000000", "元", K.MONEY, Q.EXACT, None),
    # counts with Arabic numerals
    ("新建5G基站1000座。一季度,全市新建5G基站236座。", "236座", "236", "座", K.COUNT, Q.EXACT, None),
    ("新增城镇就业3.7万人", "3.7万人", "37000", "人", K.COUNT, Q.EXACT, None),
    ("一季度全市新增城镇就业5193人", "5193人", "5193", "人", K.COUNT, Q.EXACT, None),
    ("全市上报中央预算内投资项目22个专项391项", "391项", "391", "项", K.COUNT, Q.EXACT, None),
    ("共抽检烟花爆竹27批次,罚没5.57万元", "27批次", "27", "批次", K.COUNT, Q.EXACT, None),
    ("对25宗2157.71亩闲置土地进行分类处理", "25宗", "25", "宗", K.COUNT, Q.EXACT, None),
    ("已完成31个考核断面(点位)3次水质采样监测工作", "3次", "3", "次", K.COUNT, Q.EXACT, None),
    ("摆花18万株面积2800平方米", "18万株", "180000", "株", K.COUNT, Q.EXACT, None),
    ("正大集团与崇阳县签订100万头生猪全产业链项目", "100万头", "1000000", "头", K.COUNT, Q.EXACT, None),
    ("一季度市直医保门诊慢性病待遇资格集中评审301人次", "301人次", "301", "人次", K.COUNT, Q.EXACT, None),
    ("共为全市城乡10.7万低保对象发放资金1.01亿元", "10.7万", "107000", "", K.COUNT, Q.EXACT, None),
    ("为全市城乡10102名特困对象发放资金3215万元", "10102名", "10102", "名", K.COUNT, Q.EXACT, None),
    ("将提供学前教育普惠性学位1.7万个", "1.7万个", "17000", "个", K.COUNT, Q.EXACT, None),
    ("截至3月31日全市累计接种265930剂次", "265930剂次", "265930", "剂次", K.COUNT, Q.EXACT, None),
    ("开展疫苗专项检查,共检查经营单位10家(次)", "10家(次)", "10", "家(次)", K.COUNT, Q.EXACT, None),
    ("一季度共召开市政府党组会议4次、市政府常务会议3次", "4次", "4", "次", K.COUNT, Q.EXACT, None),
    ("先后6次深入向阳湖进行调研,召开专题座谈会5次", "6次", "6", "次", K.COUNT, Q.EXACT, None),
    ("1至3月全市共处置问题线索680件,立案224件", "680件", "680", "件", K.COUNT, Q.EXACT, None),
    ("“12345”热线及云上咸宁等平台收到群众诉求29431条", "29431条", "29431", "条", K.COUNT, Q.EXACT, None),
    ("组织推荐1—4月份湖北好人15人", "15人", "15", "人", K.COUNT, Q.EXACT, None),
    ("组织温泉谷、三江森林温泉等14家文化旅游企业参加第三届世界大健康博览会", "14家", "14", "家", K.COUNT,
     Q.EXACT, None),
    ("组建公安、武警、消防、民兵等4支综合应急队伍", "4支", "4", "支", K.COUNT, Q.EXACT, None),
    ("居民消费价格指数与上年同期持平(100)", "100", "100", "", K.COUNT, Q.EXACT, None),
    # counts with Chinese numerals
    ("康养休闲公园和中医药加工产业区四个项目已完成招标", "四个", "4", "个", K.COUNT, Q.EXACT, None),
    ("先后两批次对31个项目开展事前绩效评估", "两批次", "2", "批次", K.COUNT, Q.EXACT, None),
    ("先后两批次对31个项目开展事前绩效评估", "31个", "31", "个", K.COUNT, Q.EXACT, None),
    ("已开设专题培训班两期", "两期", "2", "期", K.COUNT, Q.EXACT, None),
    ("配合武汉市发改委先后三次布置武汉城市圈发展", "三次", "3", "次", K.COUNT, Q.EXACT, None),
    ("瀛通通讯股份有限公司两家新入围的全省民营经济100强企业", "两家", "2", "家", K.COUNT, Q.EXACT, None),
    ("成功组织推荐赤壁青砖茶、黄袍山茶油两个优质区域公用品牌上央视", "两个", "2", "个", K.COUNT, Q.EXACT, None),
    ("将我市重点项目和重点园区纳入省政府十六条产业链建设内容", "十六条", "16", "条", K.COUNT, Q.EXACT, None),
    # areas, measures, durations
    ("全区桂花新造林1000亩", "1000亩", "1000", "亩", K.AREA, Q.EXACT, None),
    ("一季度,全市完成新造林5.19万亩,占年度计划任务5.1万亩的101.73%", "5.19万亩", "51900", "亩", K.AREA, Q.EXACT,
     None),
    ("对25宗2157.71亩闲置土地进行分类处理", "2157.71亩", "2157.71", "亩", K.AREA, Q.EXACT, None),
    ("在城区裸露地块播种三叶草7500平方米", "7500平方米", "7500", "平方米", K.AREA, Q.EXACT, None),
    ("夏粮收获面积20.52万亩,总产量3.95万吨", "20.52万亩", "205200", "亩", K.AREA, Q.EXACT, None),
    ("夏粮收获面积20.52万亩,总产量3.95万吨", "3.95万吨", "39500", "吨", K.MEASURE, Q.EXACT, None),
    ("加快推动赤壁500千伏输变电工程", "500千伏", "500", "千伏", K.MEASURE, Q.EXACT, None),
    ("我市承诺件法定办结时限总数为154107日,承诺办结时限总数为51240日", "154107日", "154107", "日", K.DURATION,
     Q.EXACT, None),
    ("落实24小时值班制度", "24小时", "24", "小时", K.DURATION, Q.EXACT, None),
    # ranks
    ("全市工业技术改造投资同比增长428.6%,全省排名第四。", "第四", "4", "", K.RANK, Q.EXACT, None),
    ("3月我市信用监测排名全国第三十八位,位列全省第二位。", "第三十八位", "38", "位", K.RANK, Q.EXACT, None),
    ("3月我市信用监测排名全国第三十八位,位列全省第二位。", "第二位", "2", "位", K.RANK, Q.EXACT, None),
    ("进出口总额增速分别位列全省第五位、第二位。", "第五位", "5", "位", K.RANK, Q.EXACT, None),
    ("进出口总额增速分别位列全省第五位、第二位。", "第二位", "2", "位", K.RANK, Q.EXACT, None),
    ("比全省平均高0.1个百分点,增速列全省第7位;", "第7位", "7", "位", K.RANK, Q.EXACT, None),
]  # fmt: skip


@pytest.mark.parametrize(("excerpt", "span", "value", "unit", "kind", "qualifier", "upper"), CASES)
def test_real_figures(excerpt: str, span: str, value: str, unit: str, kind: K, qualifier: Q, upper: str | None) -> None:
    found = [q for q in extract_quantities(excerpt) if q.text == span]
    assert found, f"{span!r} not found in {[q.text for q in extract_quantities(excerpt)]}"
    q = found[0]
    assert excerpt[q.start : q.end] == span
    assert (q.value, q.unit, q.kind, q.qualifier) == (Decimal(value), unit, kind, qualifier)
    assert q.upper == (Decimal(upper) if upper is not None else None)


def test_there_are_enough_real_cases() -> None:
    assert len(CASES) >= 60
    for excerpt, *_ in CASES:
        # every excerpt is cut from a real notice (the year-span ones from inside a 《…》 title, where the
        # whole notice would skip them: see test_names_dates_and_markers_are_not_figures)
        assert excerpt in Q1 or excerpt in H1, excerpt


@pytest.mark.parametrize(
    ("excerpt", "number_text"),
    [
        ("新增城镇就业3.7万人", "3.7万"),
        ("全市集中开工项目132个,总投资441.7亿元", "441.7亿"),
        ("地区生产总值增长58.3%", "58.3%"),
        ("居民消费价格涨幅-0.9%", "-0.9%"),
        ("比全省平均高0.1个百分点", "0.1"),
        ("全省排名第四。", "第四"),
        ("集中销毁电鱼机、地笼网等各类禁用渔具800余台(套)", "800"),
        ("春运期间我市累计返乡人员40余万人", "40余万"),
        ("上市公司或行业龙头企业投资项目不少于3个", "3"),
        ("城镇登记失业率3.52%(目标4.5%以内)", "4.5%"),
        ("计划全年安排1-2次项目观摩活动", "1-2"),
        ("引进亿元及以上项目68个", "亿"),
    ],
)
def test_number_text_keeps_magnitude_and_percent(excerpt: str, number_text: str) -> None:
    assert number_text in [q.number_text for q in extract_quantities(excerpt)]


@pytest.mark.parametrize(
    "excerpt",
    [
        "滚动实施疫后重振补短板强功能“十大工程”",
        "在我市“十四五”规划中将建设“武汉南大学城”纳入咸宁重要战略规划",
        "支持崇阳县打造“两山”理论实践示范样板",
        "启动“擦亮小城镇”行动,推动“三乡”工程",
        "明确了“一主四辅”的功能组团",
        "构建“一城十区”的主城格局,“三带三轴”的城乡格局、“一带两片”的农业格局",
        "增强“四个意识”、坚定“四个自信”、做到“两个维护”",
        "深入推进小区业委会、村湾理事会、“一村一辅警”全覆盖",
        "实行“一月一分析、一月一调度”",
        "落实“六个一”工作机制",
        "起草了我市影响群众健康突出问题“323”攻坚行动方案",
        "推动5G+工业互联网、物联网、大数据",
        "持续开展旅行社、A级景区、星级酒店、农家乐等服务品质提升工作",
        "加快九宫山、隐水洞景区创5A景区步伐",
        "引进世界500强、中国500强、上市公司或行业龙头企业",
        "积极培育全省民营经济100强企业",
        "加快建设全国50强高新区",
        "参加第三届世界大健康博览会",
        "获评第十届咸宁市政府质量奖",
        "引导湖北玉立砂带集团和嘉鱼官桥八组争创第四届中国质量奖",
        "举办了咸宁市创新创业大讲堂第十二期暨创业服务培训活动",
        "召开了2021年第一次水土保持工作部门联席会议",
        "申报2021年度省级制造业高质量发展专项第一批技改项目",
        "成立工作专班推进新建市第一高级中学工作",
        "加快建设市第二人民医院",
        "组织实施铸魂行动、立德行动、养成行动、筑基行动、绣花行动、便民行动、振兴行动等“七大行动”",
        "着力培养干部职工六种思维,提高七种能力,增强八种本领",
        "印发了《<关于改革完善疾病预防控制体系任务分解落实责任清单>等5个文件的通知》",
        "起草了《咸宁市城区义务教育提升计划实施方案(2021-2023年)》",
        "大力实施“双随机、一公开”监管",
        "城乡居民基本医疗保险市级统筹系统2021年1月1日上线运行",
        "截至3月31日",
        "一季度,全市",
        "关于《政府工作报告》确定的2021年重点工作第一季度完成情况的通报",
        "今年以来",
        "预计2021年6月基本完工",
        "各地积极开展2021年度项目前期准备工作",
        "全市2019年度高标准农田建设项目",
        "组织推荐1—4月份湖北好人",
        "1至3月全市共处置问题线索",
        "春节期间全市共销售扶贫产品",
        "对省自然资源厅下发的我市2020耕地“非农化”疑似图斑进行现场核实和举证",
        "基本建成107国道咸安绕城段",
        "对中央、省核拨的一次性补助资金",
        "建设一批国家级绿色工厂",
        "蒲圻电厂三期项目正开展前期工作",
        "王英水库引水二期工程正在编制可行性研究报告",
        "加快市档案馆、文化“四馆三场两中心”、体育“一场两馆”群众性文体设施建设",
        "在市政府五届五次全体(扩大)会议上",
        "壮大电子信息、食品饮料、纺织服装、装备制造等五百亿产业集群",
        "支持通城县打造百亿电子线材产业",
        "冲刺全国县域经济百强县",
        "支持咸安区打造一二三产业融合发展先导区",
        "全面推进五大振兴",
        "实行森林防灭火县、乡、村、组四级包保责任制",
        "建立和完善县、乡、村三级物流配送机制",
        "以优异成绩迎接建党100周年",
        "坚持不懈抓好长江十年禁渔",
        "实施绿道建设三年行动计划",
        "建设万间农家旅舍、千间农家旅馆",
        "“一园五心六十末端”三级配送节点框架已初步形成",
        Q1.splitlines()[1],  # 索引号 : 764137824/2021-18688 文 号 : 无
        Q1.splitlines()[3],  # 名 称: 关于《政府工作报告》… 发布日期: 2021年06月04日
        "1.持续扩大有效投资。",
        "一是主要经济指标好于预期",
    ],
)
def test_names_dates_and_markers_are_not_figures(excerpt: str) -> None:
    assert excerpt in Q1 or excerpt in H1
    assert extract_quantities(excerpt) == [], [q.text for q in extract_quantities(excerpt)]


@pytest.mark.parametrize(
    ("excerpt", "spans"),
    [
        ("一季度,引进世界500强企业投资项目3个;引进中国500强企业投资项目1个", ["3个", "1个"]),
        ("截至目前,我市上榜的湖北民营企业制造业100强企业共有6家", ["6家"]),
        ("组织温泉谷、三江森林温泉等14家文化旅游企业参加第三届世界大健康博览会", ["14家"]),
        ("南玻、奥瑞金、景源生物、赤壁市公交集团等4家企业获评第十届咸宁市政府质量奖", ["4家"]),
        ("2020年94个小区改造已全部开工,已完工27个", ["94个", "27个"]),
        ("截至3月31日全市共开展“双随机、一公开”抽查47次,检查各类主体479户", ["47次", "479户"]),
        ("“12345”热线及云上咸宁等平台收到群众诉求29431条", ["29431条"]),
    ],
)
def test_only_the_real_counts_next_to_names(excerpt: str, spans: list[str]) -> None:
    assert [q.text for q in extract_quantities(excerpt)] == spans


def test_aim_only_when_directly_governed() -> None:
    (q,) = extract_quantities("力争突破300家")
    assert (q.text, q.qualifier, q.value) == ("力争突破300家", Q.AIM, Decimal(300))
    (q,) = extract_quantities("力争高新技术企业总数突破300家")
    assert (q.text, q.qualifier) == ("突破300家", Q.AT_LEAST)


def test_full_width_forms_keep_original_offsets() -> None:
    text = "新增城镇就业３．７万人，涨幅－０．９％，合计１，２３４元"
    qs = extract_quantities(text)
    assert [q.text for q in qs] == ["３．７万人", "－０．９％", "１，２３４元"]
    assert [q.value for q in qs] == [Decimal(37000), Decimal("-0.9"), Decimal(1234)]
    assert [q.number_text for q in qs] == ["3.7万", "-0.9%", "1,234"]
    assert all(text[q.start : q.end] == q.text for q in qs)
    assert extract_quantities("共1,234人")[0].value == Decimal(1234)


def test_more_forms() -> None:
    def one(text: str) -> Quantity:
        (q,) = extract_quantities(text)
        return q

    assert (one("增长3倍").kind, one("增长3倍").value) == (K.RATIO, Decimal(3))
    assert (one("3-5万元").value, one("3-5万元").upper) == (Decimal(30000), Decimal(50000))
    assert (one("增长10-15%").kind, one("增长10-15%").upper) == (K.PERCENT, Decimal(15))
    assert (one("控制在4.5%以内").text, one("控制在4.5%以内").qualifier) == ("控制在4.5%以内", Q.AT_MOST)
    assert one("增长3%左右").qualifier == Q.APPROX
    assert (one("前10名").kind, one("前10名").qualifier) == (K.RANK, Q.AT_MOST)
    assert (one("百分之十五").kind, one("百分之十五").value) == (K.PERCENT, Decimal(15))
    assert (one("二十余万人").value, one("二十余万人").qualifier) == (Decimal(200000), Q.APPROX)
    assert (one("30日内办结").kind, one("30日内办结").qualifier) == (K.DURATION, Q.AT_MOST)
    assert one("最近3个月").qualifier == Q.EXACT
    assert one("近3个月").qualifier == Q.APPROX
    assert describe(one("3-5万元")) == "30000..50000 元 (money, range)"
    assert describe(one("超过300家")) == "≥300 家 (count)"


def test_whole_q1_notice() -> None:
    qs = extract_quantities(Q1)
    assert len(qs) > 250
    periods = find_periods(Q1)
    previous_end = 0
    for q in qs:
        assert Q1[q.start : q.end] == q.text
        assert q.start >= previous_end  # in order and never overlapping
        previous_end = q.end
        assert not any(s < q.end and q.start < e for s, e, _ in periods), q.text
        if q.upper is None:
            assert parse_number(q.number_text) == q.value, q
    texts = [q.text for q in qs]
    for expected in (
        "3.7万人",
        "441.7亿元",
        "2.3692亿元",
        "5.57万元",
        "1447.3万元",
        "4.5%以内",
        "不少于3个",
        "近6亿元",
        "800余台(套)",
        "约235平方公里",
        "1000多家",
        "第三十八位",
        "154107日",
        "2个百分点",
    ):
        assert expected in texts, expected  # fmt: skip
    for name in ("500强", "5G", "十大工程", "“12345”", "107国道", "2021年", "第一季度", "第二人民医院", "100周年"):
        at = [i for i in range(len(Q1)) if Q1.startswith(name, i)]
        assert at, name
        assert not any(q.start < i + len(name) and i < q.end for q in qs for i in at), name
    for q in extract_quantities(H1):
        assert H1[q.start : q.end] == q.text


# --- periods --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2021年1月1日", "2021-01-01"),
        ("2021年06月04日", "2021-06-04"),
        ("3月31日", "--03-31"),
        ("截至3月31日", "until:--03-31"),
        ("一季度", "Q1"),
        ("第一季度", "Q1"),
        ("上半年", "H1"),
        ("前三季度", "Q1-Q3"),
        ("全年", "FY"),
        ("1至3月", "--01/--03"),
        ("1-5月", "--01/--05"),
        ("1—4月份", "--01/--04"),
        ("今年以来", "since:this-year"),
        ("2021年6月", "2021-06"),
        ("2021年", "2021"),
        ("2020年度", "2020"),
        ("春节期间", "during:春节"),
        ("截至2021年3月", "until:2021-03"),
        ("截至目前", "until:now"),
        ("二〇二一年三月三十一日", "2021-03-31"),
        ("２０２１年３月", "2021-03"),
        ("2021年上半年", "2021-H1"),
        ("上年", "last-year"),
    ],
)
def test_find_periods(text: str, label: str) -> None:
    assert find_periods(text) == [(0, len(text), label)]


def test_periods_skip_year_spans_document_names_and_durations() -> None:
    assert find_periods("实施方案(2021-2023年)") == []
    assert find_periods("《2021年全市科技工作要点》") == []
    assert find_periods("30日内办结") == []
    assert find_periods("3个月") == []
    text = "持续保持反腐败高压态势,1至3月全市共处置问题线索680件"
    assert [(text[s:e], label) for s, e, label in find_periods(text)] == [("1至3月", "--01/--03")]


# --- numerals -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("三十八", 38), ("一百", 100), ("百", 100),
        ("一百零五", 105), ("三百五", 350), ("一千零一十", 1010), ("一千二", 1200), ("两千", 2000), ("一万", 10000),
        ("两万五", 25000), ("十万", 100000), ("三十八万", 380000), ("一万零五十", 10050), ("一亿", 100000000),
        ("一亿五", 150000000), ("一亿三千万", 130000000), ("万亿", 10**12), ("零", 0), ("〇", 0),
        ("二〇二一", 2021), ("十六", 16), ("壹佰贰拾", 120),
        ("", None), ("abc", None), ("百百", None), ("十十", None), ("三五十", None), ("十四五", None), ("两两", None),
        ("亿亿", None), ("零亿", None),
    ],
)  # fmt: skip
def test_chinese_to_int(text: str, value: int | None) -> None:
    assert chinese_to_int(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3.7万", "37000"), ("441.7亿", "44170000000"), ("58.3%", "58.3"), ("-0.9%", "-0.9"), ("３．７万", "37000"),
        ("1,234", "1234"), ("１，２３４", "1234"), ("2.3692亿", "236920000"), ("5.57万", "55700"),
        ("1447.3万", "14473000"), ("0.1", "0.1"), ("245.0%", "245.0"), ("40余万", "400000"), ("第四", "4"),
        ("第三十八", "38"), ("百分之十五", "15"), ("三十八", "38"), ("亿", "100000000"), ("3千万", "30000000"),
        ("1万亿", "1000000000000"),
    ],
)  # fmt: skip
def test_parse_number(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "1-2", "abc", "3.7万人", "5G"])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_magnitudes_are_exact_and_plain() -> None:
    assert str(parse_number("3.7万")) == "37000"
    assert str(parse_number("441.7亿")) == "44170000000"
    assert str(parse_number("3.12345万")) == "31234.5"
    assert parse_number("12345678901234567890.123456789亿") == Decimal("1234567890123456789012345678.9")


# --- properties -----------------------------------------------------------------------------------------

FIGURE_ALPHABET = (
    "0123456789０１２３４５６７８９一二两三四五六七八九十百千万亿零〇第余多约近%％‰.．-－—~至到,，。、;:"
    "个家人元亩次批期位名项件户条倍年月日季度上半以内下不少于超过突破力争达分之百点《》“”()（）套 \n5GA强号级大"
)


def _check_spans(text: str) -> None:
    previous_end = 0
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.text
        assert q.start >= previous_end
        assert q.start < q.end
        previous_end = q.end
        if q.upper is None:
            assert parse_number(q.number_text) == q.value
        else:
            assert q.value < q.upper
    for start, end, label in find_periods(text):
        assert 0 <= start < end <= len(text) and label


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    _check_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=FIGURE_ALPHABET, max_size=60))
def test_never_raises_on_figure_like_text(text: str) -> None:
    _check_spans(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([Q1[i : i + 80] for i in range(0, len(Q1) - 80, 37)]), min_size=1, max_size=3))
def test_spans_slice_back_on_notice_fragments(parts: list[str]) -> None:
    _check_spans("".join(parts))


def _to_chinese(n: int) -> str:
    """The standard written form of 0 <= n < 10**12 (一亿零五万, 一千零一十)."""
    digits = "零一二三四五六七八九"
    if n == 0:
        return "零"

    def section(x: int) -> str:
        out, zero = "", False
        for size, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // size % 10
            if d == 0:
                zero = bool(out)
            else:
                out += ("零" if zero else "") + digits[d] + unit
                zero = False
        return out

    out, gap = "", False
    for value, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value == 0:
            gap = gap or bool(out)
            continue
        if out and (value < 1000 or gap):
            out += "零"
        out += section(value) + unit
        gap = False
    return out


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_round_trip(n: int) -> None:
    assert chinese_to_int(_to_chinese(n)) == n


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿壹贰拾佰仟x", max_size=12))
def test_chinese_to_int_never_raises(text: str) -> None:
    value = chinese_to_int(text)
    assert value is None or value >= 0


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from([("", 0), ("万", 4), ("亿", 8), ("千万", 7), ("万亿", 12)]),
    st.booleans(),
)
def test_parse_number_is_exact(whole: int, fraction: int, magnitude: tuple[str, int], full_width: bool) -> None:
    written = f"{whole}.{fraction}{magnitude[0]}"
    if full_width:
        written = "".join(chr(ord(c) + 0xFEE0) if c in "0123456789." else c for c in written)
    assert normalise(written) == f"{whole}.{fraction}{magnitude[0]}"
    assert parse_number(written) == Decimal(f"{whole}.{fraction}").scaleb(magnitude[1])


@pytest.mark.parametrize(
    "text", ["分别高于全国(5.4%)、全省(5.2%)0.1和0.3个百分点", "分别慢于序时进度10.4、8.6、6.6个百分点"]
)
def test_a_list_with_its_unit_at_the_end_is_in_that_unit(text: str) -> None:
    found = [q for q in extract_quantities(text) if "%" not in q.text]
    assert found and all(q.kind == K.PERCENTAGE_POINT for q in found), [(q.text, q.kind) for q in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("３．７万", "3.7万"),
        ("１，２３４", "1,234"),
        ("增长，达到", "增长，达到"),  # the Chinese comma stays, except between full-width digits
        ("2021―2022年", "2021—2022年"),  # the horizontal bar a PDF font draws the dash with
        ("億元", "亿元"),
        ("①⑴", "①⑴"),
    ],
)
def test_normalise_keeps_length(text: str, expected: str) -> None:
    assert normalise(text) == expected and len(normalise(text)) == len(text)
