import type { PipelineStage } from 'mongoose';
import { channels, type Channel } from '../../workflows/stages';
import { organisationNames } from '../accounts/accounts.service';
import { Project, type ProjectDoc } from '../projects/project.model';
import { droppedStages, scopeMatch, type ReportScope } from './scope';

/**
 * "Applied in Y" and "secured in Y" (domain.md, "Money, dates, time limits"),
 * read from the dated entries the workflow records when events happen:
 * - applied: each forwarding upward (`applications[]`, with the year it was
 *   forwarded), counted once per project and year at its latest request;
 * - secured, central budget: the released plan (`approval`, with the plan year);
 * - secured, special bonds: each issuance (`issuances[]`, with its issue year),
 *   whichever round or batch.
 */
interface Measure {
  /** Where the dated entries are; each has a `year`. */
  path: 'applications' | 'approval' | 'issuances';
  /** The entry's field holding the amount in yuan. */
  amount: string;
  /** Conditions every counted entry meets besides its year. */
  entry?: Record<string, unknown>;
  isArray: boolean;
}

const applied: Measure = {
  path: 'applications',
  amount: 'requestedAmount',
  entry: { latestInYear: true },
  isArray: true,
};

const secured: Record<Channel, Measure> = {
  central_budget: { path: 'approval', amount: 'amount', isArray: false },
  special_bond: { path: 'issuances', amount: 'amount', isArray: true },
};

export interface YearRange {
  from: number;
  to: number;
}

export interface FundsFigures {
  appliedCount: number;
  appliedAmount: number;
  securedCount: number;
  securedAmount: number;
}

export interface FundsRow extends FundsFigures {
  year: number;
  channel: Channel;
}

function entryConditions(measure: Measure, years: YearRange): Record<string, unknown> {
  const conditions: Record<string, unknown> = { [`${measure.path}.year`]: { $gte: years.from, $lte: years.to } };
  for (const [key, value] of Object.entries(measure.entry ?? {})) conditions[`${measure.path}.${key}`] = value;
  return conditions;
}

/** One counted entry per document from here on; only `_id` and the entry are kept (FerretDB's $unwind keeps no more). */
function countedEntries(channel: Channel, measure: Measure, years: YearRange, scope: ReportScope): PipelineStage[] {
  const conditions = entryConditions(measure, years);
  const projects = { ...scopeMatch(scope), channel, stage: { $nin: droppedStages } };
  if (!measure.isArray) return [{ $match: { ...projects, ...conditions } }];
  const yearPath = `${measure.path}.year`;
  return [{ $match: { ...projects, [yearPath]: conditions[yearPath] } }, { $unwind: `$${measure.path}` }, { $match: conditions }];
}

/**
 * Projects and amounts per year, from one query: each project's total per year
 * is grouped in the database, and those rows are counted and added up here.
 * (FerretDB 1.x computes only the first accumulator of a `$group`, FerretDB#4616,
 * and every query reads every project document, so one query beats two.)
 */
async function measureByYear(channel: Channel, measure: Measure, years: YearRange, scope: ReportScope) {
  const perProjectYear = await Project.aggregate<{ _id: { year: number }; total: number }>([
    ...countedEntries(channel, measure, years, scope),
    { $group: { _id: { year: `$${measure.path}.year`, project: '$_id' }, total: { $sum: `$${measure.path}.${measure.amount}` } } },
  ]);
  const count = new Map<number, number>();
  const amount = new Map<number, number>();
  for (const { _id, total } of perProjectYear) {
    count.set(_id.year, (count.get(_id.year) ?? 0) + 1);
    amount.set(_id.year, (amount.get(_id.year) ?? 0) + total);
  }
  return { count, amount };
}

async function channelFunds(channel: Channel, years: YearRange, scope: ReportScope): Promise<FundsRow[]> {
  const [asked, got] = await Promise.all([
    measureByYear(channel, applied, years, scope),
    measureByYear(channel, secured[channel], years, scope),
  ]);
  const rows: FundsRow[] = [];
  for (let year = years.from; year <= years.to; year++) {
    rows.push({
      year,
      channel,
      appliedCount: asked.count.get(year) ?? 0,
      appliedAmount: asked.amount.get(year) ?? 0,
      securedCount: got.count.get(year) ?? 0,
      securedAmount: got.amount.get(year) ?? 0,
    });
  }
  return rows;
}

/** Applied and secured funds for every year of the range and every channel, years ascending. */
export async function fundsByYear(years: YearRange, scope: ReportScope = {}): Promise<FundsRow[]> {
  const selected = scope.channel ? [scope.channel] : channels;
  const perChannel = await Promise.all(selected.map((channel) => channelFunds(channel, years, scope)));
  return perChannel.flat().sort((a, b) => a.year - b.year || channels.indexOf(a.channel) - channels.indexOf(b.channel));
}

/** What one project counts for in a measure and year; the same rule as the totals, applied to one document. */
function amountIn(project: ProjectDoc, measure: Measure, year: number): number {
  const held = project[measure.path] as unknown;
  const entries = (Array.isArray(held) ? held : held ? [held] : []) as Record<string, unknown>[];
  const conditions = Object.entries(measure.entry ?? {});
  return entries
    .filter((entry) => entry.year === year && conditions.every(([key, value]) => entry[key] === value))
    .reduce((sum, entry) => sum + (entry[measure.amount] as number), 0);
}

export interface FundsProjectsQuery {
  year: number;
  channel: Channel;
  page: number;
  limit: number;
}

/** The projects behind one year's figures of one channel, with what each contributes. */
export async function fundsProjects(query: FundsProjectsQuery, scope: ReportScope) {
  const { year, channel, page, limit } = query;
  const measures = [applied, secured[channel]];
  const filter = {
    ...scopeMatch(scope),
    channel,
    stage: { $nin: droppedStages },
    $or: measures.map((m) => ({ [`${m.path}.year`]: year })),
  };
  const [projects, total, [figures]] = await Promise.all([
    Project.find(filter, { name: 1, orgId: 1, field: 1, stage: 1, applications: 1, approval: 1, issuances: 1 })
      .sort({ name: 1, _id: 1 })
      .skip((page - 1) * limit)
      .limit(limit)
      .lean<ProjectDoc[]>(),
    Project.countDocuments(filter),
    fundsByYear({ from: year, to: year }, { ...scope, channel }),
  ]);
  const names = await organisationNames(projects.map((p) => p.orgId.toString()));
  const items = projects.map((p) => ({
    id: p._id.toString(),
    name: p.name,
    orgId: p.orgId.toString(),
    orgName: names.get(p.orgId.toString()),
    field: p.field,
    stage: p.stage,
    appliedAmount: amountIn(p, applied, year),
    securedAmount: amountIn(p, secured[channel], year),
  }));
  const { year: _year, channel: _channel, ...totals } = figures!;
  return { year, channel, totals, items, total, page, limit };
}
