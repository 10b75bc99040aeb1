import { fundingSourceLabels } from './money';
import { amountText } from './units';
import { eventLabel, stageLabel, type Channel, type Stage } from './vocabulary';

/**
 * Every sentence the service and the web app say to users, in one place:
 * written for the people who read them (amounts in 万元 or 亿元, names instead
 * of keys, the fields as the forms call them), and the same on the server and
 * in the browser. input-errors.ts chooses among `input` for every value that
 * does not fit its form.
 */
const MAX_AMOUNT_YUAN = 1e13;

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
  unknownEvent: '没有这项操作',

  documentsMissing: '以下必备材料尚未通过审核',
  yiJianSanZhengMissing: '尚未达到“一件三证”条件',
  fundingMismatch: (total: number, investment: number) =>
    `资金筹措方案合计 ${amountText(total, investment)} 与总投资 ${amountText(investment, total)} 不一致`,
  financingMissing: '请填写项目收益与债券本息，以测算本息覆盖倍数',
  coverageTooLow: (ratio: number, threshold: number) =>
    `本息覆盖倍数 ${ratio.toFixed(2)} 低于要求的 ${threshold}`,
  overQuota: (after: number, quota: number) =>
    `累计发行 ${amountText(after, quota)} 将超过下达额度 ${amountText(quota, after)}`,
  overSecured: (after: number, secured: number) =>
    `累计拨付 ${amountText(after, secured)} 将超过到位资金 ${amountText(secured, after)}`,
  noPerformanceTargets: '项目未设定绩效目标，无法评价',
  unknownTargets: (names: string[]) => `没有这些绩效指标：${names.join('、')}`,
  unscoredTargets: (names: string[]) => `以下指标尚未评分：${names.join('、')}`,

  // Monthly reports (月报).
  futureReport: '不能报送尚未到来月份的月报',
  reportNotDue: (year: number) => `项目尚未制定${year}年度计划，也未进入实施，暂不需要报送月报`,
  correctionNeedsReason: '该月月报已报送，更正须说明理由',
  photoNotOfProject: '照片不属于本项目，请重新上传',
  monthFormat: '月份应为年月，格式如 2026-01',
  completionBeforeStart: '计划竣工不能早于计划开工',

  // A project's own fields (workflows/project-input.ts).
  amountPrecision: '金额最多精确到元（万元最多四位小数）',
  amountNegative: '金额不能为负数',
  amountPositive: '金额须大于 0',
  amountTooLarge: `金额不能超过 ${amountText(MAX_AMOUNT_YUAN)}`,
  maxAmountYuan: MAX_AMOUNT_YUAN,
  endBeforeStart: '完工年份不能早于开工年份',
  requestOverInvestment: '申请金额不能超过总投资',
  requestOverChannelShare: '申请金额不能超过资金筹措方案中该渠道的金额',
  weightsNotHundred: (weights: number) => `绩效指标权重合计应为 100，当前为 ${weights}`,
  projectOrganisationMissing: '请指定项目单位',
  projectOrganisationUnknown: '项目单位不存在',

  // Files (申报材料).
  fileMissing: '请选择要上传的文件',
  documentTypeUnknown: (labels: string[]) => `请选择材料类型：${labels.join('、')}`,
  documentNotVisible: '材料不存在或无权查看',
  rejectionReasonRequired: '退回材料须说明理由',
  withdrawOnlyUnreviewed: '只能撤回尚未审核的最新版本材料',
  withdrawNotYours: '只能撤回本人上传的材料',
  fileTypeRefused: '只接受 PDF、OFD、DOC/DOCX、XLS/XLSX、JPG/PNG 和 ZIP 文件（按文件内容判断）',
  fileTooLarge: '单个文件超过大小上限',
  uploadMalformed: '上传的表单格式不正确（文件名中不能含控制字符）',
  uploadOneFile: '一次只能上传一个文件',
  storageFull: '服务器存储空间已满，文件未能保存。请联系管理员清理空间后重新上传。',

  // Accounts and passwords.
  badCredentials: '用户名或密码错误',
  usernameRule: '用户名为 3–64 位字母、数字、下划线、点或横线',
  passwordTooShort: (length: number) => `密码至少 ${length} 位`,
  passwordContainsUsername: '密码不能包含用户名',
  passwordGuessable: '密码过于简单或属于常见密码，请改用更长、更不易猜到的密码（例如几个不相关的词加数字和符号）',
  passwordUnchanged: '新密码不能与当前密码相同',
  passwordsDiffer: '两次输入的新密码不一致',
  currentPasswordWrong: '当前密码不正确',
  passwordChangeRequired: '您正在使用管理员设置的临时密码，请先修改密码',
  ownerNeedsOrganisation: '项目单位用户必须指定所属单位',
  organisationUnknown: '所属单位不存在',
  organisationNameTaken: '单位名称已存在',
  usernameTaken: '用户名已存在',
  userUnknown: '用户不存在',
  lastAdministrator: '不能停用或降级唯一的系统管理员',
  loginHeldBack: (wait: string) => `登录失败次数过多，请 ${wait}后再试`,

  // Lists, reports and the audit log.
  fromAfterTo: '起始年份不能晚于终止年份',
  tooManyYears: (years: number) => `一次最多查询 ${years} 年`,
  fromDayAfterToDay: '起始日期不能晚于截止日期',
  tooManyDays: (days: number) => `一次最多查询 ${days} 天`,
  tooManyIds: (max: number) => `一次最多选择 ${max} 个项目`,

  // What the service answers when a request cannot be served as asked.
  problemTitles: {
    400: '请求格式错误',
    401: '未登录',
    403: '无权限',
    404: '未找到',
    409: '操作冲突',
    413: '内容过大',
    415: '文件类型不支持',
    422: '数据校验未通过',
    429: '请求过于频繁',
    500: '服务器内部错误',
    503: '服务暂不可用',
    507: '存储空间不足',
  } as Record<number, string>,
  missingDocumentsTitle: '必备材料不齐',
  signInFirst: '请先登录',
  notFoundDefault: '资源不存在或无权查看',
  noSuchEndpoint: '没有这个接口',
  noSuchFile: '没有这个文件',
  staleVersion: '数据已被他人修改，请刷新后重试',
  invalidDefault: '提交的数据不符合要求',
  tooManyAttempts: '尝试次数过多，请稍后再试',
  tooManyRequests: '访问过于频繁，请稍后再试',
  databaseUnavailable: '数据库暂不可用，请稍后重试',
  unexpected: '请稍后重试；如持续出现请联系管理员',
  notJson: '请求内容不是合法的 JSON',
  bodyTooLarge: '请求内容不能超过 1 MB',
  csrfFailed: '页面已过期，请刷新页面后重试',
  pdfBusy: 'PDF 文件生成任务较多，请稍后再试',
  webNotBuilt: '网页端尚未构建：请运行 npm start（启动时会自动构建网页端）',

  // What the web app says of a request that failed on the way.
  conflictRefresh: '已被他人处理，请刷新',
  unexpectedInBrowser: '出现意外错误，请刷新页面后重试',
  requestFailed: '请求失败',
  networkDown: '网络错误',
  serverUnreachable: '无法连接服务器，请检查网络后重试',
  sessionExpired: '登录已过期，请重新登录',

  /** What each input error says, by the field's name as users know it (see input-errors.ts). */
  input: {
    required: (field: string) => `请填写${field}`,
    choose: (field: string) => `请选择${field}`,
    number: (field: string) => `${field}须为数字`,
    whole: (field: string) => `${field}须为整数`,
    text: (field: string) => `${field}须为文字`,
    yesOrNo: (field: string) => `${field}须为“是”或“否”`,
    shape: (field: string) => `${field}的格式不正确`,
    date: (field: string) => `${field}应为日期，格式如 2026-01-31`,
    shorterThan: (field: string, min: number) => `${field}至少 ${min} 个字`,
    longerThan: (field: string, max: number) => `${field}不能超过 ${max} 个字`,
    below: (field: string, min: number) => `${field}不能小于 ${min}`,
    notAbove: (field: string, min: number) => `${field}须大于 ${min}`,
    above: (field: string, max: number) => `${field}不能大于 ${max}`,
    notBelow: (field: string, max: number) => `${field}须小于 ${max}`,
    fewerThan: (field: string, min: number) => `${field}至少 ${min} 项`,
    moreThan: (field: string, max: number) => `${field}最多 ${max} 项`,
    multipleOf: (field: string, step: number) => `${field}须为 ${step} 的整数倍`,
    unknownKeys: '请求中有不需要的内容',
    notAccepted: (field: string) => `${field}不符合要求`,
  },

  /**
   * Fields by the names the forms give them, keyed by the field's path without
   * list positions ("performanceTargets.name") or by its own key ("name").
   * A schema may name its field itself (`.meta({ title })`) where a key means
   * something else in that request (an organisation's `name`).
   */
  fieldNames: {
    channel: '资金渠道',
    name: '项目名称',
    field: '领域',
    orgId: '单位',
    location: '建设地点',
    description: '建设内容',
    totalInvestment: '总投资',
    requestedAmount: '申请资金',
    funding: '资金筹措方案',
    ...Object.fromEntries(Object.entries(fundingSourceLabels).map(([key, label]) => [`funding.${key}`, label])),
    startYear: '开工年份',
    endYear: '完工年份',
    financing: '融资收益平衡',
    'financing.projectedRevenue': '存续期项目收益',
    'financing.debtService': '存续期债券本息',
    performanceTargets: '绩效目标',
    'performanceTargets.category': '指标类别',
    'performanceTargets.name': '指标名称',
    'performanceTargets.weight': '指标权重',
    'performanceTargets.target': '目标值',
    expectedVersion: '版本号',
    type: '操作',
    reason: '理由',
    data: '数据',
    amount: '金额',
    year: '年度',
    docNo: '批复文号',
    date: '日期',
    batch: '发行批次',
    bondCode: '债券代码',
    termYears: '期限',
    rate: '票面利率',
    issueDate: '发行日期',
    percent: '形象进度',
    note: '进展情况',
    scores: '评分',
    'scores.name': '指标名称',
    'scores.score': '得分',
    decision: '审核结论',
    docType: '材料类型',
    file: '文件',
    username: '用户名',
    password: '密码',
    currentPassword: '当前密码',
    newPassword: '新密码',
    displayName: '姓名',
    role: '角色',
    disabled: '启用状态',
    kind: '类型',
    id: '编号',
    page: '页码',
    limit: '每页条数',
    q: '查找内容',
    stage: '阶段',
    rating: '红黄绿',
    sort: '排序列',
    order: '排序方向',
    ids: '所选项目',
    from: '起始',
    to: '截止',
    action: '操作类型',
    actor: '操作人',
    target: '对象',
    keyLevel: '重点项目级别',
    plannedInvestment: '年度计划投资',
    plannedStart: '计划开工',
    plannedCompletion: '计划竣工',
    month: '月份',
    completedInvestment: '本月完成投资',
    progressPercent: '形象进度',
    progressNote: '形象进度说明',
    problems: '存在问题',
    startedOn: '实际开工日期',
    inStatistics: '是否入统',
    photoIds: '现场照片',
    figure: '统计项',
  } as Record<string, string>,
  /** A field no name is known for. */
  someField: '此项',
  /** The request itself, when it is not what the endpoint takes at all. */
  wholeRequest: '请求内容',
};
