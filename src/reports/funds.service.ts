import { appliedInYear, hasSecuredInYear, moneyYears, securedInYear } from '../../workflows/money';
import { appliedApplication, NO_ROUND, securedRoundId } from '../../workflows/rounds';
import { channels, type Channel } from '../../workflows/vocabulary';
import { organisationName } from '../accounts/accounts.service';
import type { ProjectRow } from '../projects/catalogue';
import { rowsIn, type ReportScope } from './scope';
import { memoByRow } from '../projects/row-memo';
import { countsInFigures } from '../projects/row-figures';

/**
 * "Applied in Y" and "secured in Y" (docs/domain.md, "Money"), by the money
 * rules of the domain core applied to each project's workflow record:
 * - applied: the project's latest forwarding upward in Y, counted once;
 * - secured: the plan released in Y (central budget), the bonds issued in Y (special bonds).
 */
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

const noFunds = (): FundsFigures => ({ appliedCount: 0, appliedAmount: 0, securedCount: 0, securedAmount: 0 });

type Contribution = { applied?: number; secured?: number; appliedRound?: string; securedRound?: string };

/** What one project adds to the figures of each year it applied or secured funds in. */
const contributions = memoByRow(
  (row) =>
    new Map<number, Contribution>(
      moneyYears(row.channel, row.record).map((year) => [
        year,
        {
          applied: appliedInYear(row.record, year),
          secured: hasSecuredInYear(row.channel, row.record, year) ? securedInYear(row.channel, row.record, year) : undefined,
          appliedRound: appliedApplication(row.record, year)?.roundId ?? NO_ROUND,
          securedRound: securedRoundId(row.record) ?? NO_ROUND,
        },
      ]),
    ),
);

const contribution = (row: ProjectRow, year: number): Contribution => contributions(row).get(year) ?? {};

/** What of a contribution falls in one round (docs/domain.md, "Application rounds"): applied by the round it went up in, secured by the round of its latest forwarding. */
function inRound(share: Contribution, roundId: string | undefined): Contribution {
  if (roundId === undefined) return share;
  return { applied: share.appliedRound === roundId ? share.applied : undefined, secured: share.securedRound === roundId ? share.secured : undefined };
}

function add(figures: FundsFigures, { applied, secured }: Contribution): void {
  if (applied !== undefined) {
    figures.appliedCount++;
    figures.appliedAmount += applied;
  }
  if (secured !== undefined) {
    figures.securedCount++;
    figures.securedAmount += secured;
  }
}

/** Applied and secured funds for every year of the range and every channel, years ascending. */
export function fundsByYear(years: YearRange, scope: ReportScope = {}, roundId?: string): FundsRow[] {
  const selected = scope.channel ? [scope.channel] : channels;
  const figures = new Map<string, FundsFigures>();
  for (let year = years.from; year <= years.to; year++) for (const channel of selected) figures.set(`${year}:${channel}`, noFunds());
  for (const row of rowsIn(scope)) {
    if (!countsInFigures(row)) continue;
    for (const [year, share] of contributions(row)) if (year >= years.from && year <= years.to) add(figures.get(`${year}:${row.channel}`)!, inRound(share, roundId));
  }
  return [...figures].map(([key, f]) => {
    const [year, channel] = key.split(':');
    return { year: Number(year), channel: channel as Channel, ...f };
  });
}

export interface FundsProjectsQuery {
  year: number;
  channel: Channel;
  page: number;
  limit: number;
  roundId?: string;
}

/** The projects behind one year's figures of one channel, with what each contributes; their sums are the figures. */
export function fundsProjects(query: FundsProjectsQuery, scope: ReportScope) {
  const { year, channel, page, limit, roundId } = query;
  const totals = noFunds();
  const contributing = rowsIn({ ...scope, channel })
    .filter(countsInFigures)
    .map((row) => ({ row, share: inRound(contribution(row, year), roundId) }))
    .filter(({ share }) => share.applied !== undefined || share.secured !== undefined);
  for (const { share } of contributing) add(totals, share);
  contributing.sort((a, b) => (a.row.name < b.row.name ? -1 : a.row.name > b.row.name ? 1 : a.row.id < b.row.id ? -1 : 1));
  const items = contributing.slice((page - 1) * limit, page * limit).map(({ row, share }) => ({
    id: row.id,
    name: row.name,
    orgId: row.orgId,
    orgName: organisationName(row.orgId),
    field: row.field,
    stage: row.stage,
    appliedAmount: share.applied ?? 0,
    securedAmount: share.secured ?? 0,
  }));
  return { year, channel, totals, items, total: contributing.length, page, limit };
}

/**
 * One year's figures of each channel split by round: every round that has a
 * share of them, and what went up outside any round (`roundId` none); the
 * parts add up to the year's figures.
 */
export function fundsByRound(year: number, scope: ReportScope = {}) {
  const figures = new Map<string, FundsFigures>();
  const part = (roundId: string, channel: Channel) => {
    const key = `${roundId}:${channel}`;
    let found = figures.get(key);
    if (!found) figures.set(key, (found = noFunds()));
    return found;
  };
  for (const row of rowsIn(scope)) {
    if (!countsInFigures(row)) continue;
    const share = contributions(row).get(year);
    if (!share) continue;
    add(part(share.appliedRound ?? NO_ROUND, row.channel), { applied: share.applied });
    add(part(share.securedRound ?? NO_ROUND, row.channel), { secured: share.secured });
  }
  return [...figures]
    .map(([key, f]) => {
      const [roundId, channel] = key.split(':') as [string, Channel];
      return { roundId, channel, ...f };
    })
    .filter((f) => f.appliedCount > 0 || f.securedCount > 0);
}
