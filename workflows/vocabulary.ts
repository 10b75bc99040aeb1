/**
 * The public vocabulary of the pipeline (docs/domain.md, "Stages").
 * API, exports and the UI use these keys; add to them, never rename them.
 * Every label users read for a key is here, so no screen or export can disagree.
 */
export const channels = ['central_budget', 'special_bond'] as const;
export type Channel = (typeof channels)[number];

export const channelLabels: Record<Channel, string> = {
  central_budget: '中央预算内投资',
  special_bond: '地方政府专项债券',
};

/** The short names reports and tables use. */
export const channelShortLabels: Record<Channel, string> = {
  central_budget: '中央预算内',
  special_bond: '专项债券',
};

export const stages = [
  'draft',
  'reserve_review',
  'reserve',
  'preliminary',
  'application_review',
  'submitted',
  'approved',
  'issued',
  'implementation',
  'completed',
  'evaluated',
  'rejected',
  'removed',
  'withdrawn',
] as const;
export type Stage = (typeof stages)[number];

/** What "approved" means differs by channel: a plan released, or a bond quota allocated. */
const channelStageLabels: Record<Channel, Partial<Record<Stage, string>>> = {
  central_budget: { approved: '已下达投资计划' },
  special_bond: { approved: '已下达额度' },
};

/** A stage's name, the channel's own where it has one. */
export const stageLabel = (stage: Stage, channel?: Channel): string =>
  (channel && channelStageLabels[channel][stage]) ?? stageLabels[stage];

export const stageLabels: Record<Stage, string> = {
  draft: '谋划（草稿）',
  reserve_review: '入库审核',
  reserve: '储备库',
  preliminary: '前期工作',
  application_review: '申报审核',
  submitted: '已上报，待上级批复',
  approved: '已下达',
  issued: '已发行',
  implementation: '实施中',
  completed: '已竣工',
  evaluated: '绩效评价完成',
  rejected: '不予入库',
  removed: '出库',
  withdrawn: '撤回',
};

/** What each history entry's event is called in Chinese: workflow events and the record's own entries. */
export const eventLabels: Record<string, string> = {
  CREATE: '创建项目',
  EDIT: '修改项目信息',
  DOCUMENT_UPLOAD: '上传材料',
  DOCUMENT_REVIEW: '审核材料',
  DOCUMENT_WITHDRAW: '撤回材料',
  SUBMIT: '提交',
  WITHDRAW: '撤回',
  APPROVE: '审核通过',
  RETURN: '退回补正',
  REJECT: '不予入库',
  START_PRELIMINARY: '启动前期工作',
  REMOVE: '出库',
  RECORD_APPROVAL: '登记上级批复',
  RECORD_REJECTION: '登记未获批复',
  RECORD_ISSUANCE: '登记债券发行',
  START_IMPLEMENTATION: '开工实施',
  RECORD_DISBURSEMENT: '登记资金拨付',
  RECORD_PROGRESS: '报送实施进展',
  COMPLETE: '竣工',
  EVALUATE: '绩效评价',
  PLAN: '制定年度计划',
  MONTHLY_REPORT: '报送月报',
  RESPONSIBILITY: '调整责任分工',
  REMINDER_LETTER: '发出提醒函',
  FUNDS_RELEASE: '追加下达投资计划',
  FUNDS_QUOTA: '追加专项债券额度',
  FUNDS_ISSUANCE: '登记债券发行',
  ROUND: '调整申报批次',
  IMPORT: '从 Excel 导入',
};

/** Stages a project never leaves. */
export const finalStages: readonly Stage[] = ['evaluated', 'rejected', 'removed', 'withdrawn'];

/** Stages that dropped out of the pipeline (不予入库, 出库, 撤回): they count in no figure. */
export const droppedStages: readonly Stage[] = ['rejected', 'removed', 'withdrawn'];

/** The two stages in which staff review what the owner sent; each has a time limit in working days. */
export const reviewStages = ['reserve_review', 'application_review'] as const satisfies readonly Stage[];
export type ReviewStage = (typeof reviewStages)[number];

export const isReviewStage = (stage: string): stage is ReviewStage => (reviewStages as readonly string[]).includes(stage);

/** Where the same event means different things, the stage it leaves says which. */
const eventLabelsByStage: Record<string, string> = {
  'draft:SUBMIT': '提交入库申请',
  'preliminary:SUBMIT': '提交申报',
  'reserve_review:APPROVE': '同意入库',
  'application_review:APPROVE': '同意上报',
};

export function eventLabel(event: string, stage?: string): string {
  return (stage && eventLabelsByStage[`${stage}:${event}`]) ?? eventLabels[event] ?? event;
}

/** Events that take the reviewer's opinion (审核意见) when they give one; it is kept in the history like a reason. */
export const opinionEvents: readonly string[] = ['APPROVE'];

/** What the text an event carries is called: a reason for sending back, an opinion for passing. */
export const reasonLabel = (event: string): string => (opinionEvents.includes(event) ? '审核意见' : '理由');

export const fields = [
  'transport',
  'water',
  'municipal',
  'social',
  'industrial_park',
  'ecology',
  'housing',
  'agriculture',
  'energy',
  'other',
] as const;
export type Field = (typeof fields)[number];

export const fieldLabels: Record<Field, string> = {
  transport: '交通',
  water: '水利',
  municipal: '市政',
  social: '社会事业',
  industrial_park: '产业园区',
  ecology: '生态环保',
  housing: '保障性安居工程',
  agriculture: '农业农村',
  energy: '能源',
  other: '其他',
};

/** Chinese names in the order people expect (by pinyin), compared many thousand times per report: one collator. */
export const byChineseName = new Intl.Collator('zh-CN').compare;
