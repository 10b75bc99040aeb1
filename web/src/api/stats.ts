import type { Channel, Stage } from '../labels';
import { api, query } from './http';
import type { FundsRow, Project } from './types';

/** The leaders' figures (/api/stats/*, /api/exports/*). */
export async function fundsByYear(from: number, to: number): Promise<FundsRow[]> {
  return (await api.get<{ items: FundsRow[] }>(`/api/stats/funds?${query({ from, to })}`)).items;
}

export type FundsKind = 'applied' | 'secured';

export interface FundsProjects {
  totals: Omit<FundsRow, 'year' | 'channel'>;
  items: (Pick<Project, 'id' | 'name' | 'orgName' | 'stage'> & { appliedAmount: number; securedAmount: number })[];
  total: number;
}

/** The projects behind one year's figures for a channel (or one round's share of them); their amounts add up to them. */
export const fundsProjects = (year: number, channel: Channel, roundId?: string) =>
  api.get<FundsProjects>(`/api/stats/funds/${year}/${channel}/projects?${query({ limit: 200, roundId })}`);

export type RoundFundsRow = Omit<FundsRow, 'year'> & { roundId: string; roundName: string };

/** One year's figures split by application round; the parts add up to the year's. */
export const fundsByRound = async (year: number) =>
  (await api.get<{ items: RoundFundsRow[] }>(`/api/stats/funds/by-round?${query({ year })}`)).items;

type Rating = 'red' | 'yellow' | 'green';

export interface Pipeline {
  stages: { channel: Channel; stage: Stage; count: number }[];
  overdueReviews: { count: number; items: { id: string; name: string; orgName?: string; stage: Stage; dueDate: string }[] };
  ratings: {
    counts: Record<Rating, number>;
    items: { id: string; name: string; orgName?: string; rating: Rating; ratingLabel: string; reason: string }[];
  };
}

export const pipeline = () => api.get<Pipeline>('/api/stats/pipeline');

export const summary = async (year: number) => (await api.get<{ text: string }>(`/api/stats/summary?${query({ year })}`)).text;

export const ledgers = [
  { kind: 'progress', label: '项目进展台账' },
  { kind: 'procedures', label: '手续办理台账' },
  { kind: 'issues', label: '退回补正台账' },
  { kind: 'intake', label: '项目入库台账' },
] as const;

export const ledgerUrl = (kind: string) => `/api/exports/ledger.xlsx?${query({ kind })}`;

/** Waiting items, and how many of them are past their time limit (限时办结). */
export interface Waiting {
  waiting: number;
  overdue: number;
}

export interface ReviewLoadLine {
  projects: number;
  reviews: Waiting;
  files: Waiting;
}

/** 经办工作量: per member of staff, the open projects they handle and what waits on them; the same for projects nobody handles. */
export const reviewLoad = () => api.get<{ staff: (ReviewLoadLine & { staffId: string; name: string })[]; unassigned: ReviewLoadLine }>('/api/stats/review-load');
