import type { RoundStatus } from '../../../workflows/rounds';
import type { Channel, Field, Stage } from '../labels';
import { api, query } from './http';
import type { Page } from './types';

/** An application round (申报批次) with its draft's total against the ceiling. */
export interface Round {
  id: string;
  channel: Channel;
  year: number;
  name: string;
  deadline: string;
  notes?: string;
  ceiling?: number;
  status: RoundStatus;
  version: number;
  projectCount: number;
  total: number;
  left?: number;
  over: boolean;
}

export interface Readiness {
  yiJianSanZheng: { complete: boolean; missing: string[] };
  coverage?: { ratio?: number; threshold: number; reached: boolean };
  dossierComplete: boolean;
  dossierMissing: string[];
  ready: boolean;
  gaps: string[];
}

/** A project of the round's draft, or one that could join it. */
export interface RoundLine {
  id: string;
  name: string;
  orgId: string;
  orgName?: string;
  field: Field;
  location?: string;
  stage: Stage;
  version: number;
  totalInvestment: number;
  requestedAmount: number;
  amount: number;
  forwarded: boolean;
  securedAmount: number;
  readiness: Readiness;
  inRound?: { roundId: string; name?: string };
}

export interface RoundDetail {
  round: Round;
  items: RoundLine[];
  byField: { field: Field; count: number; amount: number; totalInvestment: number }[];
  byUnit: { orgId: string; orgName: string; count: number; amount: number; totalInvestment: number }[];
  deadlinePassed: boolean;
  workingDaysLeft: number;
  notReady: { id: string; name: string; gaps: string[] }[];
}

export interface NewRound {
  channel: Channel;
  year: number;
  name: string;
  deadline: string;
  notes?: string;
  ceiling?: number;
}

export interface RollingGroup {
  count: number;
  requestedAmount: number;
  totalInvestment: number;
  items: { id: string; name: string; channel: Channel; orgName?: string; field: Field; stage: Stage; applicationYear?: number; totalInvestment: number; requestedAmount: number }[];
}

export interface RollingPlan {
  from: number;
  years: (RollingGroup & { year: number })[];
  later: RollingGroup;
  unplanned: RollingGroup;
}

/** A project under review or forwarded upward that no round's draft holds. */
export interface OutsideRound {
  id: string;
  name: string;
  channel: Channel;
  stage: Stage;
  orgName?: string;
  requestedAmount: number;
}

export const listRounds = (filters: Record<string, string | number | undefined>) => api.get<Page<Round> & { outside: OutsideRound[]; outsideTotal: number }>(`/api/rounds?${query(filters)}`);
export const openRound = async (body: NewRound) => (await api.post<{ round: Round }>('/api/rounds', body)).round;
export const roundDetail = (id: string) => api.get<RoundDetail>(`/api/rounds/${id}`);
export const roundCandidates = async (id: string) => (await api.get<{ items: RoundLine[] }>(`/api/rounds/${id}/candidates`)).items;
export const updateRound = async (id: string, body: Partial<Omit<NewRound, 'ceiling'>> & { ceiling?: number | null; expectedVersion: number }) => (await api.patch<{ round: Round }>(`/api/rounds/${id}`, body)).round;
export const setRoundOpen = async (id: string, open: boolean) => (await api.post<{ round: Round }>(`/api/rounds/${id}/${open ? 'reopen' : 'close'}`)).round;
export const putDraftLine = async (id: string, projectId: string, amount: number) => (await api.put<{ round: Round }>(`/api/rounds/${id}/projects/${projectId}`, { amount })).round;
export const removeDraftLine = async (id: string, projectId: string) => (await api.delete<{ round: Round }>(`/api/rounds/${id}/projects/${projectId}`)).round;
export const draftUrl = (id: string) => `/api/rounds/${id}/draft.xlsx`;
export const rollingPlan = (from: number, channel?: Channel) => api.get<RollingPlan>(`/api/rounds/rolling-plan?${query({ from, channel })}`);
