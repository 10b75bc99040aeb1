/**
 * The demo projects of 青山县 (a fictitious county), 2021–2026: each with its fields and the story of how far it got.
 * Together they cover every stage of both channels, plans released and bonds issued in different years, one project
 * that waited a round in the reserve, reviews returned and documents rejected, and finished projects with their
 * performance evaluation. Amounts are whole yuan; every funding plan adds up to the total investment.
 */
import type { Channel, Field } from '../../workflows/vocabulary';
import type { ProjectFields } from '../projects/project.schemas';
import type { DemoOrganisation } from './demo-cast';
import type { ProjectStory } from './project-story';

type Funding = ProjectFields['funding'];
type Target = NonNullable<ProjectFields['performanceTargets']>[number];

export interface DemoScenario {
  org: DemoOrganisation;
  /** The day the owner drafted the project. */
  created: string;
  project: Omit<ProjectFields, 'orgId'>;
  /** What happened after the draft. */
  story(p: ProjectStory): Promise<void>;
}

interface Outline {
  channel: Channel;
  name: string;
  field: Field;
  location: string;
  description: string;
  funding: Partial<Funding>;
  startYear: number;
  endYear: number;
  /** Special bonds: principal, term in years, expected rate (%) and the coverage the revenue gives. */
  bond?: { termYears: number; rate: number; coverage: number };
  targets: [Target['category'], string, number, string][];
}

/** Fields from an outline: the total is the funding plan's sum; the request is the whole share of the channel. */
function project(o: Outline): DemoScenario['project'] {
  const funding: Funding = { centralBudget: 0, specialBond: 0, localFiscal: 0, selfRaised: 0, other: 0, ...o.funding };
  const totalInvestment = Object.values(funding).reduce((sum, amount) => sum + amount, 0);
  const requestedAmount = o.channel === 'central_budget' ? funding.centralBudget : funding.specialBond;
  const debtService = o.bond ? requestedAmount + Math.round((requestedAmount * o.bond.rate * o.bond.termYears) / 100) : 0;
  return {
    channel: o.channel,
    name: o.name,
    field: o.field,
    location: o.location,
    description: o.description,
    totalInvestment,
    requestedAmount,
    funding,
    startYear: o.startYear,
    endYear: o.endYear,
    ...(o.bond ? { financing: { projectedRevenue: Math.round(debtService * o.bond.coverage), debtService } } : {}),
    performanceTargets: o.targets.map(([category, name, weight, target]) => ({ category, name, weight, target })),
  };
}

const YI_JIAN_SAN_ZHENG = ['land_planning_permit', 'construction_planning_permit', 'construction_permit'];

export const demoScenarios: DemoScenario[] = [
  // ---------------------------------------------------------------------------------------- evaluated
  {
    org: 'hospital',
    created: '2021-03-08',
    project: project({
      channel: 'central_budget',
      name: '县人民医院传染病区建设项目',
      field: 'social',
      location: '青山县城关镇健康路12号',
      description: '新建传染病区综合楼1栋，建筑面积1.2万平方米，设置床位120张，其中负压隔离病房8间，配套医疗设备及室外工程。',
      funding: { centralBudget: 30_000_000, localFiscal: 20_000_000, selfRaised: 18_000_000 },
      startYear: 2021,
      endYear: 2023,
      targets: [
        ['output', '新增传染病床位', 40, '120张'],
        ['effect', '传染病患者县域内就诊率', 35, '≥90%'],
        ['satisfaction', '患者满意度', 25, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2021-04-12', { extra: YI_JIAN_SAN_ZHENG });
      await p.submit('2021-06-18');
      await p.forward('2021-06-25');
      await p.approve('2021-11-16', 30_000_000, '发改投资〔2021〕1652号');
      await p.startWorks('2021-12-20');
      await p.disburse('2022-01-14', 12_000_000);
      await p.report('2022-04-29', 35, '主体结构施工至三层，负压病房设备完成招标');
      await p.disburse('2022-07-08', 10_000_000);
      await p.report('2022-10-31', 70, '主体结构封顶，机电安装及内装修施工中');
      await p.disburse('2023-03-20', 8_000_000);
      await p.report('2023-06-30', 100, '完成竣工验收，设备安装调试完毕');
      await p.complete('2023-07-14');
      await p.evaluate('2024-03-20', [95, 92, 90]);
    },
  },
  {
    org: 'investment',
    created: '2021-01-11',
    project: project({
      channel: 'special_bond',
      name: '产业园区标准厂房及配套基础设施项目',
      field: 'industrial_park',
      location: '青山县经济开发区东区',
      description: '新建标准厂房12万平方米及园区道路、供排水、供电等配套设施，收益来源为厂房租金及配套服务收费。',
      funding: { specialBond: 100_000_000, localFiscal: 20_000_000, selfRaised: 30_000_000 },
      startYear: 2021,
      endYear: 2023,
      bond: { termYears: 20, rate: 3.5, coverage: 1.3 },
      targets: [
        ['output', '新建标准厂房面积', 40, '≥12万平方米'],
        ['effect', '厂房出租率', 35, '≥85%'],
        ['satisfaction', '入驻企业满意度', 25, '≥85%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2021-02-22', {
        rejected: { docType: 'financial_assessment', reason: '收益测算未考虑厂房空置期，请补充敏感性分析后重新上传' },
      });
      await p.submit('2021-04-09');
      await p.forward('2021-04-16');
      await p.approve('2021-06-28', 100_000_000, '财债〔2021〕35号');
      await p.issue('2021-08-10', '2021年第五批', '2105831', 60_000_000, 20, 3.52);
      await p.issue('2022-03-15', '2022年第二批', '2205217', 40_000_000, 20, 3.28);
      await p.startWorks('2022-03-25');
      await p.disburse('2022-04-20', 45_000_000);
      await p.report('2022-06-30', 40, '1号至6号厂房主体施工，园区主干道路基完成');
      await p.disburse('2022-09-16', 35_000_000);
      await p.report('2022-12-30', 80, '厂房主体全部封顶，供排水管网铺设完成');
      await p.disburse('2023-05-12', 20_000_000);
      await p.report('2023-09-15', 100, '完成竣工验收，已有9家企业签订入驻协议');
      await p.complete('2023-09-28');
      await p.evaluate('2024-06-18', [88, 82, 80]);
    },
  },
  // ---------------------------------------------------------------------------------------- completed
  {
    org: 'town',
    created: '2022-03-10',
    project: project({
      channel: 'central_budget',
      name: '石桥镇污水处理厂提标改造工程',
      field: 'ecology',
      location: '青山县石桥镇滨河村',
      description: '对日处理5000吨的镇污水处理厂进行提标改造，新增深度处理单元及在线监测设施，出水由一级B提升至一级A标准。',
      funding: { centralBudget: 15_000_000, localFiscal: 11_800_000 },
      startYear: 2022,
      endYear: 2024,
      targets: [
        ['output', '污水处理规模', 40, '5000吨/日'],
        ['effect', '出水水质一级A达标率', 40, '100%'],
        ['satisfaction', '周边群众满意度', 20, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2022-04-18');
      await p.submit('2022-08-22');
      await p.forward('2022-08-29');
      await p.approve('2023-06-01', 14_000_000, '发改投资〔2023〕702号');
      await p.startWorks('2023-07-03');
      await p.disburse('2023-08-15', 6_000_000);
      await p.report('2023-10-31', 45, '深度处理池土建完成，设备进场');
      await p.disburse('2024-01-19', 5_000_000);
      await p.report('2024-06-28', 90, '设备安装完成，进入联动调试');
      await p.disburse('2024-09-10', 3_000_000);
      await p.report('2024-11-20', 100, '连续三个月出水稳定达到一级A标准');
      await p.complete('2024-11-28');
    },
  },
  {
    org: 'investment',
    created: '2021-09-06',
    project: project({
      channel: 'special_bond',
      name: '城区老旧小区改造项目（一期）',
      field: 'housing',
      location: '青山县城关镇老城片区',
      description: '改造2000年以前建成的老旧小区18个，涉及3200户，实施管网更新、加装电梯、停车位及充电桩建设，收益来源为停车、充电及物业用房出租。',
      funding: { specialBond: 60_000_000, localFiscal: 22_000_000, selfRaised: 10_000_000 },
      startYear: 2022,
      endYear: 2025,
      bond: { termYears: 15, rate: 3.3, coverage: 1.15 },
      targets: [
        ['output', '改造小区数量', 40, '18个'],
        ['effect', '惠及居民户数', 35, '≥3200户'],
        ['satisfaction', '居民满意度', 25, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2021-10-18');
      await p.submit('2022-01-10');
      await p.forward('2022-01-17');
      await p.approve('2022-03-30', 60_000_000, '财债〔2022〕18号');
      await p.issue('2022-05-19', '2022年第四批', '2205633', 35_000_000, 15, 3.12);
      await p.issue('2023-02-23', '2023年第一批', '2305108', 25_000_000, 15, 3.05);
      await p.startWorks('2023-03-06');
      await p.disburse('2023-04-10', 30_000_000);
      await p.report('2023-08-31', 50, '完成9个小区管网改造，加装电梯12部');
      await p.disburse('2023-10-20', 20_000_000);
      await p.report('2024-06-28', 85, '完成16个小区改造，新增停车位620个');
      await p.disburse('2024-08-15', 10_000_000);
      await p.report('2025-04-18', 100, '18个小区全部完工并通过验收');
      await p.complete('2025-04-30');
    },
  },
  // ---------------------------------------------------------------------------------------- implementation
  {
    org: 'hospital',
    created: '2023-02-13',
    project: project({
      channel: 'central_budget',
      name: '县人民医院急诊急救能力提升项目',
      field: 'social',
      location: '青山县城关镇健康路12号',
      description: '改扩建急诊综合楼8600平方米，建设胸痛、卒中、创伤救治中心，购置急救设备及救护车。',
      funding: { centralBudget: 20_000_000, localFiscal: 15_000_000, selfRaised: 10_000_000 },
      startYear: 2024,
      endYear: 2026,
      targets: [
        ['output', '急诊综合楼改扩建面积', 40, '8600平方米'],
        ['effect', '急危重症患者抢救成功率', 40, '≥95%'],
        ['satisfaction', '患者满意度', 20, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2023-03-20');
      await p.submit('2023-09-04');
      await p.returnForCorrection('2023-09-08', '资金申请报告中设备购置清单与投资概算不一致，请核实修改后重新提交');
      await p.revise('2023-09-18', 'fund_application_report');
      await p.submit('2023-09-25');
      await p.forward('2023-10-09');
      await p.approve('2024-05-20', 18_000_000, '发改投资〔2024〕618号');
      await p.startWorks('2024-06-17');
      await p.disburse('2024-07-19', 8_000_000);
      await p.report('2024-12-31', 40, '急诊综合楼主体改造完成，胸痛中心投入试运行');
      await p.disburse('2025-04-15', 6_000_000);
      await p.report('2025-09-30', 75, '卒中中心、创伤中心完成装修，急救设备到货');
      await p.report('2026-10-30', 90, '急救设备安装调试，救护车已交付使用');
    },
  },
  {
    org: 'investment',
    created: '2022-06-06',
    project: project({
      channel: 'special_bond',
      name: '城区停车场及智慧停车系统建设项目',
      field: 'municipal',
      location: '青山县城区',
      description: '新建地下停车场3处、立体停车楼1座，共计泊位1800个，建设全城智慧停车管理平台，收益来源为停车收费及充电服务费。',
      funding: { specialBond: 40_000_000, selfRaised: 18_000_000 },
      startYear: 2023,
      endYear: 2026,
      bond: { termYears: 15, rate: 3.0, coverage: 1.3 },
      targets: [
        ['output', '新增停车泊位', 40, '1800个'],
        ['effect', '停车场平均使用率', 35, '≥70%'],
        ['satisfaction', '市民满意度', 25, '≥85%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2022-07-11', { extra: ['land_planning_permit'] });
      await p.submit('2022-11-14');
      await p.forward('2022-11-21');
      await p.approve('2023-04-12', 40_000_000, '财债〔2023〕27号');
      await p.issue('2023-05-25', '2023年第三批', '2305472', 25_000_000, 15, 2.98);
      await p.issue('2024-03-14', '2024年第二批', '2405216', 15_000_000, 15, 2.61);
      await p.startWorks('2024-03-28');
      await p.disburse('2024-05-08', 18_000_000);
      await p.report('2024-09-30', 45, '2处地下停车场主体施工完成');
      await p.disburse('2025-01-16', 10_000_000);
      await p.report('2025-06-30', 65, '智慧停车平台完成招标，3处地下停车场主体完工');
    },
  },
  {
    org: 'town',
    created: '2024-03-04',
    project: project({
      channel: 'central_budget',
      name: '石桥镇高标准农田建设项目',
      field: 'agriculture',
      location: '青山县石桥镇东湖、西岭等6个行政村',
      description: '建设高标准农田2万亩，实施土地平整、灌溉排水、田间道路及农田防护林工程。',
      funding: { centralBudget: 12_000_000, localFiscal: 9_600_000, other: 2_400_000 },
      startYear: 2025,
      endYear: 2026,
      targets: [
        ['output', '建成高标准农田面积', 50, '2万亩'],
        ['effect', '亩均粮食产能提高', 30, '≥100斤'],
        ['satisfaction', '受益农户满意度', 20, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2024-04-08');
      await p.submit('2024-08-19');
      await p.forward('2024-08-26');
      await p.approve('2025-04-22', 12_000_000, '发改投资〔2025〕431号');
      await p.startWorks('2025-05-12');
      await p.disburse('2025-06-18', 5_000_000);
      await p.report('2025-09-30', 50, '完成土地平整1万亩，田间道路施工中');
      await p.disburse('2026-03-10', 4_000_000);
      await p.report('2026-11-05', 85, '完成土地平整1.8万亩，灌溉渠系配套基本完成');
    },
  },
  {
    // Not chosen in 2022: back to the reserve, put forward again and approved in 2023.
    org: 'town',
    created: '2021-11-08',
    project: project({
      channel: 'special_bond',
      name: '石桥镇农村供水保障工程',
      field: 'water',
      location: '青山县石桥镇全域',
      description: '新建日供水1万吨水厂1座及配水管网86公里，实现城乡供水一体化，覆盖人口4.2万人，收益来源为供水水费。',
      funding: { specialBond: 30_000_000, localFiscal: 6_000_000 },
      startYear: 2023,
      endYear: 2026,
      bond: { termYears: 10, rate: 2.7, coverage: 1.2 },
      targets: [
        ['output', '新建配水管网长度', 40, '86公里'],
        ['effect', '农村自来水普及率', 40, '≥98%'],
        ['satisfaction', '用水群众满意度', 20, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2021-12-13');
      await p.submit('2022-05-16');
      await p.forward('2022-05-23');
      await p.notChosen('2022-09-20', '2022年度专项债券额度有限，本批次未获通过，转入储备库待下一批次申报');
      await p.restartPreliminary('2023-02-06');
      await p.revise('2023-02-20', 'financial_assessment');
      await p.submit('2023-03-13');
      await p.forward('2023-03-20');
      await p.approve('2023-06-15', 30_000_000, '财债〔2023〕41号');
      await p.issue('2023-07-20', '2023年第五批', '2305829', 18_000_000, 10, 2.71);
      await p.issue('2024-01-25', '2024年第一批', '2405031', 12_000_000, 10, 2.55);
      await p.startWorks('2024-02-26');
      await p.disburse('2024-04-12', 15_000_000);
      await p.report('2024-10-31', 55, '水厂主体完工，配水管网铺设48公里');
      await p.disburse('2025-05-20', 10_000_000);
      await p.report('2026-09-30', 92, '管网全部贯通，正在进行通水调试');
    },
  },
  // ---------------------------------------------------------------------------------------- issued, approved
  {
    org: 'investment',
    created: '2024-05-13',
    project: project({
      channel: 'special_bond',
      name: '城区集中供热管网改造工程',
      field: 'energy',
      location: '青山县城关镇',
      description: '改造老旧供热一级管网32公里、换热站26座，新增供热面积120万平方米，收益来源为供热费。',
      funding: { specialBond: 60_000_000, selfRaised: 24_000_000 },
      startYear: 2025,
      endYear: 2027,
      bond: { termYears: 20, rate: 2.4, coverage: 1.25 },
      targets: [
        ['output', '改造供热管网长度', 40, '32公里'],
        ['effect', '管网热损失率', 35, '≤5%'],
        ['satisfaction', '供热用户满意度', 25, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2024-06-17', { extra: YI_JIAN_SAN_ZHENG });
      await p.submit('2024-10-14');
      await p.forward('2024-10-21');
      await p.approve('2025-02-26', 60_000_000, '财债〔2025〕9号');
      await p.issue('2025-03-27', '2025年第二批', '2505184', 35_000_000, 20, 2.18);
      await p.issue('2026-02-12', '2026年第一批', '2605066', 15_000_000, 20, 1.95);
    },
  },
  {
    org: 'hospital',
    created: '2025-03-03',
    project: project({
      channel: 'central_budget',
      name: '县人民医院医疗污水处理及医疗废物暂存设施建设项目',
      field: 'ecology',
      location: '青山县城关镇健康路12号',
      description: '新建日处理600吨医疗污水处理站1座、医疗废物暂存间300平方米，配套在线监测系统。',
      funding: { centralBudget: 6_000_000, localFiscal: 3_600_000 },
      startYear: 2026,
      endYear: 2027,
      targets: [
        ['output', '医疗污水处理能力', 40, '600吨/日'],
        ['effect', '医疗污水排放达标率', 40, '100%'],
        ['satisfaction', '周边居民满意度', 20, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2025-04-07');
      await p.submit('2025-09-15');
      await p.forward('2025-09-22');
      await p.approve('2026-07-08', 5_500_000, '发改投资〔2026〕887号');
    },
  },
  {
    org: 'town',
    created: '2025-06-09',
    project: project({
      channel: 'special_bond',
      name: '石桥镇农贸市场改造提升项目',
      field: 'municipal',
      location: '青山县石桥镇人民路',
      description: '拆除重建农贸市场1.1万平方米，设置摊位420个及冷链配送中心，收益来源为摊位租金及冷库租赁费。',
      funding: { specialBond: 12_000_000, localFiscal: 4_000_000 },
      startYear: 2026,
      endYear: 2027,
      bond: { termYears: 10, rate: 2.2, coverage: 1.22 },
      targets: [
        ['output', '新建市场建筑面积', 40, '1.1万平方米'],
        ['effect', '摊位出租率', 35, '≥90%'],
        ['satisfaction', '经营户及群众满意度', 25, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2025-07-14');
      await p.submit('2026-03-16');
      await p.forward('2026-03-23');
      await p.approve('2026-09-24', 12_000_000, '财债〔2026〕52号');
    },
  },
  // ---------------------------------------------------------------------------------------- submitted, in review
  {
    org: 'investment',
    created: '2025-08-04',
    project: project({
      channel: 'central_budget',
      name: '城区雨污分流改造工程',
      field: 'municipal',
      location: '青山县城关镇老城片区',
      description: '新建雨水管网21公里、污水管网18公里，改造合流制排水口46处，解决老城区汛期内涝和污水溢流问题。',
      funding: { centralBudget: 25_000_000, localFiscal: 17_000_000, selfRaised: 10_000_000 },
      startYear: 2026,
      endYear: 2028,
      targets: [
        ['output', '新建雨污管网长度', 40, '39公里'],
        ['effect', '城区污水集中收集率', 40, '≥90%'],
        ['satisfaction', '沿线居民满意度', 20, '≥85%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2025-09-08', { extra: ['land_planning_permit'] });
      await p.submit('2026-08-24');
      await p.forward('2026-09-01');
    },
  },
  {
    org: 'hospital',
    created: '2025-10-13',
    project: project({
      channel: 'special_bond',
      name: '县人民医院康复医养中心建设项目',
      field: 'social',
      location: '青山县城关镇健康路18号',
      description: '新建康复医养综合楼2.6万平方米，设置康复床位300张、医养结合床位200张，收益来源为医疗服务及养护服务收入。',
      funding: { specialBond: 50_000_000, selfRaised: 28_000_000 },
      startYear: 2026,
      endYear: 2028,
      bond: { termYears: 15, rate: 2.3, coverage: 1.25 },
      targets: [
        ['output', '新增康复及医养床位', 40, '500张'],
        ['effect', '床位使用率', 35, '≥80%'],
        ['satisfaction', '患者及家属满意度', 25, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2025-11-17');
      await p.submit('2026-09-28');
      await p.forward('2026-10-12');
    },
  },
  {
    org: 'town',
    created: '2025-11-03',
    project: project({
      channel: 'central_budget',
      name: '石桥镇美丽乡村道路提升工程',
      field: 'transport',
      location: '青山县石桥镇',
      description: '改造提升农村公路46公里，拓宽至6.5米并实施路面硬化、安全防护及路域环境整治。',
      funding: { centralBudget: 9_000_000, localFiscal: 9_500_000 },
      startYear: 2026,
      endYear: 2027,
      targets: [
        ['output', '提升改造农村公路里程', 50, '46公里'],
        ['effect', '沿线行政村通达时间缩短', 30, '≥30%'],
        ['satisfaction', '沿线群众满意度', 20, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2026-03-09');
      await p.submit('2026-11-18');
    },
  },
  {
    // Waiting for review longer than the time limit: flagged overdue.
    org: 'investment',
    created: '2025-12-08',
    project: project({
      channel: 'special_bond',
      name: '城东片区保障性租赁住房项目',
      field: 'housing',
      location: '青山县城东新区',
      description: '新建保障性租赁住房1200套，建筑面积7.8万平方米，配套商业及停车设施，收益来源为租金、商业及停车收入。',
      funding: { specialBond: 80_000_000, selfRaised: 36_000_000, other: 10_000_000 },
      startYear: 2026,
      endYear: 2028,
      bond: { termYears: 30, rate: 2.5, coverage: 1.2 },
      targets: [
        ['output', '新建保障性租赁住房', 40, '1200套'],
        ['effect', '新市民、青年人住房困难缓解户数', 35, '≥1000户'],
        ['satisfaction', '承租人满意度', 25, '≥85%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.prepare('2026-03-02', { rejected: { docType: 'legal_opinion', reason: '法律意见书未对项目收益权质押事项发表意见，请补充' } });
      await p.submit('2026-10-26');
    },
  },
  // ---------------------------------------------------------------------------------------- preliminary, reserve
  {
    // Coverage below the threshold: the owner must improve the financing before applying.
    org: 'investment',
    created: '2026-04-13',
    project: project({
      channel: 'special_bond',
      name: '青山县冷链物流园建设项目',
      field: 'industrial_park',
      location: '青山县经济开发区西区',
      description: '新建冷库库容3万吨、分拣配送中心及配套道路，收益来源为冷库租赁、仓储及配送服务收费。',
      funding: { specialBond: 45_000_000, selfRaised: 20_000_000 },
      startYear: 2026,
      endYear: 2028,
      bond: { termYears: 20, rate: 2.3, coverage: 1.06 },
      targets: [
        ['output', '新增冷库库容', 40, '3万吨'],
        ['effect', '农产品冷链流通率提高', 35, '≥15个百分点'],
        ['satisfaction', '入驻企业满意度', 25, '≥85%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.send('2026-05-18', 'START_PRELIMINARY', 'owner');
      for (const docType of ['approval_doc', 'land_use', 'eia', 'implementation_plan', 'financial_assessment']) await p.upload('2026-09-07', docType);
      for (const docType of ['approval_doc', 'land_use', 'eia']) await p.review('2026-09-10', docType);
      await p.review('2026-09-10', 'financial_assessment', '本息覆盖倍数不足1.1倍，请优化收益测算或调整融资方案');
    },
  },
  {
    org: 'town',
    created: '2025-05-12',
    project: project({
      channel: 'central_budget',
      name: '石桥镇防洪排涝工程',
      field: 'water',
      location: '青山县石桥镇石桥河沿线',
      description: '治理石桥河干流河道9.6公里，新建堤防7.2公里、排涝泵站2座，保护人口2.3万人。',
      funding: { centralBudget: 16_000_000, localFiscal: 16_000_000 },
      startYear: 2026,
      endYear: 2027,
      targets: [
        ['output', '新建堤防长度', 40, '7.2公里'],
        ['effect', '防洪标准', 40, '20年一遇'],
        ['satisfaction', '沿河群众满意度', 20, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
    },
  },
  {
    // Returned once at intake, corrected and submitted again.
    org: 'investment',
    created: '2026-10-19',
    project: project({
      channel: 'special_bond',
      name: '城南片区地下综合管廊及道路工程',
      field: 'municipal',
      location: '青山县城南新区',
      description: '新建地下综合管廊6.8公里及市政道路5.2公里，纳入给水、电力、通信、燃气管线，收益来源为管廊入廊费及运维费。',
      funding: { specialBond: 150_000_000, localFiscal: 30_000_000, selfRaised: 30_000_000 },
      startYear: 2027,
      endYear: 2029,
      bond: { termYears: 30, rate: 2.6, coverage: 1.12 },
      targets: [
        ['output', '新建综合管廊长度', 40, '6.8公里'],
        ['effect', '管线入廊率', 35, '≥90%'],
        ['satisfaction', '沿线单位及群众满意度', 25, '≥85%'],
      ],
    }),
    async story(p) {
      await p.dossier('2026-10-21', ['proposal']);
      await p.submit('2026-10-26');
      await p.returnForCorrection('2026-10-29', '项目建议书未明确入廊管线种类及收费标准，请补充完善');
      await p.revise('2026-11-12', 'proposal');
      await p.submit('2026-11-17');
    },
  },
  {
    org: 'hospital',
    created: '2026-11-10',
    project: project({
      channel: 'central_budget',
      name: '县人民医院智慧医院信息化建设项目',
      field: 'social',
      location: '青山县城关镇健康路12号',
      description: '建设电子病历五级、互联网医院及县域医共体信息平台，配套数据中心机房改造。',
      funding: { centralBudget: 8_000_000, selfRaised: 7_000_000 },
      startYear: 2027,
      endYear: 2028,
      targets: [
        ['output', '电子病历系统应用水平', 40, '五级'],
        ['effect', '预约诊疗率', 35, '≥60%'],
        ['satisfaction', '患者满意度', 25, '≥90%'],
      ],
    }),
    async story(p) {
      await p.upload('2026-11-16', 'proposal');
    },
  },
  // ---------------------------------------------------------------------------------------- ended early
  {
    org: 'town',
    created: '2023-05-08',
    project: project({
      channel: 'central_budget',
      name: '石桥镇文化广场及配套设施建设项目',
      field: 'social',
      location: '青山县石桥镇人民路',
      description: '新建文化广场1.5万平方米及配套公厕、停车场、景观照明。',
      funding: { centralBudget: 5_000_000, localFiscal: 3_800_000 },
      startYear: 2023,
      endYear: 2024,
      targets: [
        ['output', '新建广场面积', 50, '1.5万平方米'],
        ['satisfaction', '群众满意度', 50, '≥90%'],
      ],
    }),
    async story(p) {
      await p.dossier('2023-05-10', ['proposal']);
      await p.submit('2023-05-15');
      await p.reject('2023-05-19', '该项目属一般性公共设施，不符合中央预算内投资支持方向，建议通过地方财政资金解决');
    },
  },
  {
    org: 'investment',
    created: '2022-02-14',
    project: project({
      channel: 'special_bond',
      name: '青山县城市商业综合体项目',
      field: 'other',
      location: '青山县城关镇中心大街',
      description: '新建集购物、餐饮、影院于一体的商业综合体12万平方米，收益来源为商铺租金及物业服务费。',
      funding: { specialBond: 100_000_000, selfRaised: 80_000_000 },
      startYear: 2023,
      endYear: 2025,
      bond: { termYears: 20, rate: 3.4, coverage: 1.13 },
      targets: [
        ['output', '新建商业建筑面积', 50, '12万平方米'],
        ['effect', '商铺出租率', 50, '≥80%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.remove('2023-03-06', '根据专项债券资金投向负面清单，商业综合体项目不得使用专项债券资金，予以出库');
    },
  },
  {
    org: 'hospital',
    created: '2022-04-11',
    project: project({
      channel: 'central_budget',
      name: '县人民医院职工周转宿舍建设项目',
      field: 'housing',
      location: '青山县城关镇健康路12号',
      description: '新建职工周转宿舍1栋，建筑面积6800平方米，120套。',
      funding: { centralBudget: 6_000_000, selfRaised: 6_000_000 },
      startYear: 2022,
      endYear: 2023,
      targets: [
        ['output', '新建周转宿舍', 50, '120套'],
        ['satisfaction', '职工满意度', 50, '≥90%'],
      ],
    }),
    async story(p) {
      await p.intoReserve();
      await p.send('2022-05-16', 'START_PRELIMINARY', 'owner');
      await p.withdraw('2022-08-01', '经院务会研究，项目改由医院自有资金建设，撤回申报');
    },
  },
];
