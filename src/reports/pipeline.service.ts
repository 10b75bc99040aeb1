import { machineFor, currentMachineVersion } from '../../workflows';
import { rules } from '../../workflows/rules';
import { channels, stageLabels, type Channel, type Stage } from '../../workflows/stages';
import { organisationNames } from '../accounts/accounts.service';
import { Project, type ProjectDoc } from '../projects/project.model';
import { reviewDeadline } from '../workflow/status';
import { rateProject, ratingLabels, ratingProjection, ratings, type RatedProject, type Rating } from './rating';
import { scopeMatch, type ReportScope } from './scope';

export const reviewStages = Object.keys(rules.reviewTimeLimits) as Stage[];

/** The stages of a channel's current machine, in the machine's order. */
function stagesOf(channel: Channel): Stage[] {
  return Object.keys(machineFor(currentMachineVersion(channel)).config.states ?? {}) as Stage[];
}

async function stageCounts(scope: ReportScope) {
  const rows = await Project.aggregate<{ _id: { channel: Channel; stage: Stage }; count: number }>([
    { $match: scopeMatch(scope) },
    { $group: { _id: { channel: '$channel', stage: '$stage' }, count: { $sum: 1 } } },
  ]);
  const count = (channel: Channel, stage: Stage) =>
    rows.find((r) => r._id.channel === channel && r._id.stage === stage)?.count ?? 0;
  const selected = scope.channel ? [scope.channel] : channels;
  return selected.flatMap((channel) =>
    stagesOf(channel).map((stage) => ({ channel, stage, label: stageLabels[stage], count: count(channel, stage) })),
  );
}

async function namesOf(projects: Pick<ProjectDoc, 'orgId'>[]) {
  return organisationNames(projects.map((p) => p.orgId.toString()));
}

/** Reviews under way past their time limit in working days, the most overdue first. */
export async function overdueReviews(scope: ReportScope, now: Date) {
  const open = await Project.find(
    { ...scopeMatch(scope), stage: { $in: reviewStages } },
    { name: 1, orgId: 1, channel: 1, stage: 1, stageEnteredAt: 1 },
  ).lean<ProjectDoc[]>();
  const late = open
    .map((project) => ({ project, deadline: reviewDeadline(project, now)! }))
    .filter(({ deadline }) => deadline.overdue)
    .sort((a, b) => a.deadline.dueDate.localeCompare(b.deadline.dueDate));
  const names = await namesOf(late.map((l) => l.project));
  const items = late.map(({ project, deadline }) => ({
    id: project._id.toString(),
    name: project.name,
    orgName: names.get(project.orgId.toString()),
    channel: project.channel,
    stage: project.stage,
    enteredAt: project.stageEnteredAt.toISOString(),
    dueDate: deadline.dueDate,
    limitWorkingDays: deadline.limitWorkingDays,
    workingDaysUsed: deadline.workingDaysUsed,
  }));
  return { count: items.length, items };
}

/** Every project in implementation with its rating, red first. */
export async function ratedProjects(scope: ReportScope, now: Date) {
  const projects = await Project.find({ ...scopeMatch(scope), stage: 'implementation' }, ratingProjection).lean<RatedProject[]>();
  return projects.map((project) => ({ project, ...rateProject(project, now) }));
}

async function ratingSummary(scope: ReportScope, now: Date) {
  const rated = await ratedProjects(scope, now);
  const order = (r: Rating) => ratings.indexOf(r);
  rated.sort((a, b) => order(a.rating) - order(b.rating) || a.project.name.localeCompare(b.project.name, 'zh-CN'));
  const names = await namesOf(rated.map((r) => r.project));
  const counts = Object.fromEntries(ratings.map((r) => [r, rated.filter((p) => p.rating === r).length])) as Record<Rating, number>;
  const items = rated.map(({ project, rating, reason, disbursedShare, daysSinceProgressReport }) => ({
    id: project._id.toString(),
    name: project.name,
    orgName: names.get(project.orgId.toString()),
    channel: project.channel,
    rating,
    ratingLabel: ratingLabels[rating],
    reason,
    disbursedShare,
    daysSinceProgressReport,
  }));
  return { counts, items };
}

/** How many projects are in each stage, which reviews are overdue, how projects in implementation are rated. */
export async function pipelineStats(scope: ReportScope, now = new Date()) {
  const [stages, overdue, rated] = await Promise.all([stageCounts(scope), overdueReviews(scope, now), ratingSummary(scope, now)]);
  return { stages, overdueReviews: overdue, ratings: rated };
}
