import { isValidObjectId } from 'mongoose';
import { may } from '../../workflows/access';
import { keyLevelLabels, keyLevels, type KeyLevel, type YearPlan } from '../../workflows/schedule';
import { yearPlanInput } from '../../workflows/schedule-input';
import { toWan, wanToYuan } from '../../workflows/units';
import { droppedStages, finalStages, stageLabels, type Stage } from '../../workflows/vocabulary';
import { organisationName } from '../accounts/accounts.service';
import { catalogue, type ProjectRow } from '../projects/catalogue';
import { findProject } from '../projects/project.repository';
import { setYearPlan } from '../schedule/schedule.service';
import type { CurrentUser } from '../shared/current-user';
import type { ImportKind, RowCheck } from './import-kind';
import { cellDay, cellNumber, type Cell } from './workbook';

/**
 * 年度计划 by the sheet (docs/domain.md, "After the money"): one row per
 * project and year, the project named by its system number. The template lists
 * the projects a plan is usually set for, with their plans so far.
 */
export interface PlanRow {
  projectId: string;
  name: string;
  year: number;
  plan: YearPlan;
}

const levelByLabel = new Map<string, KeyLevel>(keyLevels.map((level) => [keyLevelLabels[level], level]));

/** Stages in which a plan for the year is usually set: funds secured or on their way, works under way. */
const plannedStages: readonly Stage[] = ['preliminary', 'application_review', 'submitted', 'approved', 'issued', 'implementation'];

const day = cellDay;
const wan = cellNumber;

/** Why staff may not set this project's plans (it has ended), or nothing. */
const planRefusal = (project: ProjectRow, user: CurrentUser) =>
  may(user, 'plan', { orgId: project.orgId, stage: project.stage }) ? undefined : `项目“${project.name}”已${stageLabels[project.stage]}，不能再设定计划`;

function projectNamed(cells: Record<string, Cell>): ProjectRow | string {
  const id = cells.projectId === undefined ? undefined : String(cells.projectId);
  if (id) return (isValidObjectId(id) && catalogue.get(id)) || '没有这个系统编号的项目，请勿修改模板中的编号';
  const named = catalogue.rows().filter((row) => row.name === cells.name);
  if (named.length === 1) return named[0]!;
  return named.length ? '有多个同名项目，请填写系统编号' : '请填写系统编号或准确的项目名称';
}

export const planImport: ImportKind<PlanRow> = {
  title: '年度计划',
  roles: ['staff'],
  columns: [
    { key: 'projectId', header: '系统编号', note: '模板自带，请勿修改；新增行可留空，按项目名称匹配', width: 28 },
    { key: 'name', header: '项目名称', width: 40 },
    { key: 'orgName', header: '项目单位', width: 24 },
    { key: 'stage', header: '当前阶段', width: 12 },
    { key: 'year', header: '年度', required: true, width: 8 },
    { key: 'keyLevel', header: '重点项目', choices: keyLevels.map((level) => keyLevelLabels[level]), note: '省重点、市重点、区（县）重点，非重点项目留空' },
    { key: 'plannedInvestment', header: '年度计划投资（万元）', required: true, width: 20 },
    { key: 'plannedStart', header: '计划开工', note: '日期，如 2027-03-01；续建项目填原计划开工日期' },
    { key: 'plannedCompletion', header: '计划竣工', note: '日期，如 2028-12-31' },
  ],
  instructions: [
    '每行为一个项目某一年度的计划；同一项目同一年度只能有一行。',
    '“系统编号”由模板带出，请勿修改；新增的项目可不填编号，但“项目名称”须与系统中的名称完全一致。',
    '年度计划投资以万元为单位，最多保留四位小数（即精确到元）。',
    '计划开工早于该年度的为续建项目，在该年度内的为新开工项目。',
    '上传后系统逐行检查，有错误时不会保存任何一行；全部无误后确认导入才会保存。',
  ],

  templateRows(_user, year) {
    return catalogue
      .rows()
      .filter((row) => plannedStages.includes(row.stage) || row.schedule.plans[String(year)] || row.schedule.plans[String(year - 1)])
      .filter((row) => !droppedStages.includes(row.stage))
      .map((row) => {
        const plan = row.schedule.plans[String(year)];
        return {
          projectId: row.id,
          name: row.name,
          orgName: organisationName(row.orgId),
          stage: stageLabels[row.stage],
          year,
          keyLevel: plan?.keyLevel && keyLevelLabels[plan.keyLevel],
          plannedInvestment: plan && toWan(plan.plannedInvestment),
          plannedStart: plan?.plannedStart ?? row.schedule.plans[String(year - 1)]?.plannedStart,
          plannedCompletion: plan?.plannedCompletion,
        };
      });
  },

  check(cells, user): RowCheck<PlanRow> {
    const errors: RowCheck<PlanRow>['errors'] = [];
    const project = projectNamed(cells);
    const refusal = typeof project === 'string' ? project : planRefusal(project, user);
    if (refusal) errors.push({ column: 'projectId', message: refusal });
    const year = Number(cells.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) errors.push({ column: 'year', message: '年度应为 2000—2100 之间的年份' });
    const level = cells.keyLevel === undefined ? undefined : levelByLabel.get(String(cells.keyLevel));
    if (cells.keyLevel !== undefined && !level) errors.push({ column: 'keyLevel', message: '重点项目应为省重点、市重点、区（县）重点或留空' });
    const amount = wan(cells.plannedInvestment);
    if (cells.plannedInvestment !== undefined && amount === undefined) errors.push({ column: 'plannedInvestment', message: '年度计划投资应为数字（万元）' });
    const input = { keyLevel: level, plannedInvestment: amount === undefined ? undefined : wanToYuan(amount), plannedStart: day(cells.plannedStart), plannedCompletion: day(cells.plannedCompletion) };
    const parsed = yearPlanInput.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? 'plannedInvestment');
        if (!errors.some((e) => e.column === column)) errors.push({ column, message: issue.message });
      }
    }
    if (errors.length || typeof project === 'string' || !parsed.success) return { errors };
    return { errors, value: { projectId: project.id, name: project.name, year, plan: parsed.data }, key: `${project.id}:${year}` };
  },

  stillApplies(row, user) {
    const project = catalogue.get(row.projectId);
    return project ? planRefusal(project, user) : `项目“${row.name}”已不存在`;
  },

  async apply(user: CurrentUser, row: PlanRow, importId: string) {
    await setYearPlan(user, row.projectId, row.year, row.plan, new Date(), importId);
  },

  async isApplied(row: PlanRow) {
    const project = await findProject(row.projectId);
    return JSON.stringify(project.schedule?.plans[String(row.year)]) === JSON.stringify(row.plan) || finalStages.includes(project.stage);
  },
};
