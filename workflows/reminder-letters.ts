import { z } from 'zod';
import { isOverdue, problemCategoryLabels, type ProblemCategory, type ProblemState } from './problems';
import { monthText } from './rating';
import type { WorkflowRules } from './rules';
import { dueToStartBy, reportDueOn, reportingFlags, startedBy, yearOfMonth, type ScheduleState } from './schedule';
import { day } from './day-input';

/**
 * 提醒函 (docs/domain.md, "Reminder letters"): the bureau reminds a unit, in a
 * numbered letter, of what holds up one or more of its projects. Each item of
 * a letter names a project and a kind of reason; the kinds are data here, each
 * with its label, how it finds what is wrong with a project now (so staff pick
 * instead of typing) and what the letter asks of the unit. A new kind is one
 * more entry, with the facts it needs added to `ReminderFacts`.
 */
export const reminderItemKinds = ['reports', 'start_missed', 'problems_overdue', 'other'] as const;
export type ReminderItemKind = (typeof reminderItemKinds)[number];

/** What the bureau knows of a project when it looks for something to remind its unit of. */
export interface ReminderFacts {
  schedule: ScheduleState;
  /** The month whose scheduling figures are current (currentScheduleMonth). */
  month: string;
  /** YYYY-MM-DD, China time. */
  today: string;
  rules: Pick<WorkflowRules, 'monthlyReports'>;
  /** The project's problems (问题清单). */
  problems: readonly { category: ProblemCategory; description: string; state: ProblemState; dueDate?: string }[];
}

/** What is wrong, in the words the letter prints, and since when (YYYY-MM-DD). */
export interface ReminderFinding {
  text: string;
  since?: string;
}

interface ReminderKindSpec {
  label: string;
  /** What is wrong with the project now, or nothing; absent for a kind whose words staff write in the note. */
  find?: (facts: ReminderFacts) => ReminderFinding | undefined;
  /** What the letter asks the unit to do about it. */
  request: string;
}

const dayText = (day: string) => `${day.slice(0, 4)}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
const monthsText = (months: string[]) => `${yearOfMonth(months[0]!)}年${months.map(monthText).join('、')}`;

export const reminderKinds: Record<ReminderItemKind, ReminderKindSpec> = {
  reports: {
    label: '月报逾期未报',
    find: ({ schedule, month, today, rules }) => {
      const { missing, late } = reportingFlags(schedule, month, today, rules);
      if (!missing.length && !late.length) return undefined;
      const parts = [...(missing.length ? [`${monthsText(missing)}月报未报送`] : []), ...(late.length ? [`${monthsText(late)}月报逾期报送`] : [])];
      return { text: parts.join('，'), since: reportDueOn([...missing, ...late].sort()[0]!, rules) };
    },
    request: '请立即补报，今后按时报送月报',
  },
  start_missed: {
    label: '未按计划开工',
    find: ({ schedule, month }) => {
      const plan = schedule.plans[String(yearOfMonth(month))];
      if (!plan?.plannedStart || !dueToStartBy(plan, month) || startedBy(schedule, month)) return undefined;
      return { text: `计划于${dayText(plan.plannedStart)}开工，至今未开工`, since: plan.plannedStart };
    },
    request: '请加快前期工作和施工准备，尽快开工建设',
  },
  problems_overdue: {
    label: '问题逾期未解决',
    find: ({ problems, today }) => {
      const overdue = problems.filter((p) => isOverdue(p, today)).sort((a, b) => a.dueDate!.localeCompare(b.dueDate!));
      if (!overdue.length) return undefined;
      const listed = overdue.map((p) => `${problemCategoryLabels[p.category]}问题"${p.description}"应于${dayText(p.dueDate!)}前解决`).join('；');
      return { text: `${listed}，至今未解决`, since: overdue[0]!.dueDate };
    },
    request: '请会同责任单位抓紧解决，并报告解决情况',
  },
  other: {
    label: '其他事项',
    request: '请抓紧整改',
  },
};

export const reminderKindLabels = Object.fromEntries(reminderItemKinds.map((kind) => [kind, reminderKinds[kind].label])) as Record<ReminderItemKind, string>;

/** Whether staff must describe the item themselves: a kind that finds nothing by itself. */
export const needsNote = (kind: ReminderItemKind) => reminderKinds[kind].find === undefined;

/** Every kind that applies to a project now, with what it found. */
export function findReminders(facts: ReminderFacts): { kind: ReminderItemKind; finding: ReminderFinding }[] {
  return reminderItemKinds.flatMap((kind) => {
    const finding = reminderKinds[kind].find?.(facts);
    return finding ? [{ kind, finding }] : [];
  });
}

/** The sentence an item prints under 存在问题 and 整改要求: what is wrong, the note staff added, and what is asked. */
export function reminderSentence(kind: ReminderItemKind, finding: ReminderFinding | undefined, note?: string): string {
  const said = [finding?.text, note?.replace(/[。.；;，,\s]+$/, '')].filter(Boolean).join('；');
  return `${said}。${reminderKinds[kind].request}。`;
}

/** A letter's number (文号): 〔2026〕第7号. */
export const reminderLetterNumber = (year: number, seq: number) => `〔${year}〕第${seq}号`;

export const reminderLetterTitle = '关于加快推进项目建设的提醒函';

/** The letter's paragraph to the unit: the kinds of what is wrong, and until when to put it right. */
export function reminderLetterParagraph(kinds: readonly ReminderItemKind[], projects: number, deadline?: string): string {
  const named = [...new Set(kinds)].map((kind) => reminderKinds[kind].label).join('、');
  const until = deadline ? `于${deadline}前` : '尽快';
  return (
    `经调度，你单位有${projects}个项目存在${named}等情况，影响项目建设进度和全区投资目标的完成。` +
    `请你单位高度重视，对照下表逐项整改，${until}将整改情况书面报送我局。`
  );
}

/** What staff send to issue a letter; the API checks with it and the web form as people type. */
export const reminderLetterInput = z
  .object({
    orgId: z.string().regex(/^[0-9a-f]{24}$/, '单位编号不正确'),
    items: z
      .array(
        z.object({
          projectId: z.string().regex(/^[0-9a-f]{24}$/, '项目编号不正确'),
          kind: z.enum(reminderItemKinds).describe('reports 月报逾期未报；start_missed 未按计划开工；other 其他事项（须写 note）'),
          note: z.string().max(500, '说明不超过 500 字').optional(),
        }),
      )
      .min(1, '至少列一个事项')
      .max(50, '一封提醒函最多列 50 个事项'),
    deadline: day.optional().describe('整改期限；不填为“尽快”'),
  })
  .meta({ id: 'ReminderLetterInput' });
