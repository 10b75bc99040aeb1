import { amountText } from './units';
import { eventLabel, stageLabel, type Channel, type Stage } from './vocabulary';

/**
 * Every sentence the domain rules say to users, in one place: written for the
 * people who read them (amounts in 万元 or 亿元, names instead of keys), and the
 * same on the server and in the browser.
 */
export const messages = {
  onlyOwner: '此操作只能由项目单位办理',
  onlyStaff: '此操作只能由发改部门工作人员办理',
  onlyOwnerOrStaff: '此操作只能由项目单位或发改部门办理',
  notAllowed: '无权执行此操作',
  notVisible: '项目不存在或无权查看',

  illegalEvent: (event: string, stage: Stage, channel?: Channel) =>
    `项目当前处于“${stageLabel(stage, channel)}”阶段，不能“${eventLabel(event, stage)}”`,
  reasonRequired: '请填写理由',
  dataNotTaken: (event: string, stage: Stage) => `“${eventLabel(event, stage)}”不需要填写数据`,
  invalidData: '填写的数据不符合要求',

  documentsMissing: '以下必备材料尚未通过审核',
  yiJianSanZhengMissing: '尚未达到“一件三证”条件',
  fundingMismatch: (total: number, investment: number) =>
    `资金筹措方案合计 ${amountText(total)} 与总投资 ${amountText(investment)} 不一致`,
  financingMissing: '请填写项目收益与债券本息，以测算本息覆盖倍数',
  coverageTooLow: (ratio: number, threshold: number) =>
    `本息覆盖倍数 ${ratio.toFixed(2)} 低于要求的 ${threshold}`,
  overQuota: (after: number, quota: number) =>
    `累计发行 ${amountText(after)} 将超过下达额度 ${amountText(quota)}`,
  overSecured: (after: number, secured: number) =>
    `累计拨付 ${amountText(after)} 将超过到位资金 ${amountText(secured)}`,
  noPerformanceTargets: '项目未设定绩效目标，无法评价',
  unknownTargets: (names: string[]) => `没有这些绩效指标：${names.join('、')}`,
  unscoredTargets: (names: string[]) => `以下指标尚未评分：${names.join('、')}`,

  futureReport: '不能报送尚未到来月份的月报',
  reportNotDue: (year: number) => `项目尚未制定${year}年度计划，也未进入实施，暂不需要报送月报`,
  correctionNeedsReason: '该月月报已报送，更正须说明理由',
  photoNotOfProject: '照片不属于本项目，请重新上传',
  problemNotOfProject: '所列问题不属于本项目，请从本项目的问题清单中选择',

  notALeader: '包联领导须为在用的领导账号',
  notStaff: '发改局经办人须为在用的发改局工作人员账号',
  handOnNeedsReason: '转交或取消经办人须说明理由',
  alreadyHandled: (name: string) => `该项目已由${name}经办（首问负责）；如需转交，请在责任分工中说明理由后转交`,
  projectClosed: (name: string) => `项目“${name}”已办结，不能再调整责任分工`,

  problemResolved: '问题已销号，只能重新打开',
  problemNotResolved: '问题尚未销号，无需重新打开',
  resolutionRequired: '销号须填写解决情况',
  noteRequired: '请填写办理情况',
  escalationTopLevel: '问题已由省级协调，不能再上提',
  escalationNotUpward: (from: string, to: string) => `问题目前由${from}，只能上提，不能改为${to}`,
  dueDateBeforeRaised: '办结时限不能早于提出日期',
  attachmentNotOfProject: '附件不属于本项目，请重新上传',
} as const;
