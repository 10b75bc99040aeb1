import type { Affordances } from '../../../workflows/affordances';
import type { Rating } from '../../../workflows/rating';
import type { Channel, Field, Stage } from '../labels';

/** Shapes of the API's answers (see /api/docs), as far as the screens read them. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: 'owner' | 'staff' | 'leader' | 'admin';
  orgId?: string;
  disabled?: boolean;
  /** Signed in with a temporary password an administrator set: they must choose their own first. */
  mustChangePassword?: boolean;
}

export interface Organisation {
  id: string;
  name: string;
  kind?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export interface Funding {
  centralBudget: number;
  specialBond: number;
  localFiscal: number;
  selfRaised: number;
  other: number;
}

export interface PerformanceTarget {
  category: 'output' | 'effect' | 'satisfaction';
  name: string;
  weight: number;
  target: string;
}

export interface ReviewDeadline {
  limitWorkingDays: number;
  dueDate: string;
  overdue: boolean;
  workingDaysUsed: number;
}

export interface DocumentVersion {
  id: string;
  docType: string;
  version: number;
  fileName: string;
  size: number;
  mime: string;
  uploadedAt: string;
  uploadedBy?: { id: string; name: string };
  state: 'pending' | 'accepted' | 'rejected';
  review?: { decision: 'accepted' | 'rejected'; reason?: string; at: string; by: { id: string; name: string } };
}

export interface ChecklistItem {
  docType: string;
  label: string;
  required: boolean;
  requiredFor?: 'draft' | 'preliminary';
  state: 'missing' | 'pending' | 'accepted' | 'rejected';
  current?: DocumentVersion;
  /** This user may take the current version back (uploaded by mistake, not reviewed yet). */
  mayWithdraw: boolean;
}

export interface Project {
  id: string;
  channel: Channel;
  name: string;
  /** 项目代码 from the national platform (workflows/project-code.ts); none until entered. */
  projectCode?: string;
  field: Field;
  orgId: string;
  orgName?: string;
  location?: string;
  description?: string;
  totalInvestment: number;
  requestedAmount: number;
  funding: Funding;
  startYear: number;
  endYear: number;
  /** 计划申报年度, for the three-year rolling plan. */
  applicationYear?: number;
  /** The round whose plan draft it is in, and the amount asked this time (workflows/rounds.ts). */
  round?: { roundId: string; amount: number };
  financing?: { projectedRevenue: number; debtService: number };
  performanceTargets?: PerformanceTarget[];
  stage: Stage;
  version: number;
  stageEnteredAt: string;
  createdAt: string;
  updatedAt: string;
  /** In lists only when the service includes it; always on a project's own page. */
  review?: ReviewDeadline;
  /** 红黄绿 of a project in implementation (lists). */
  rating?: Rating;
  ratingReason?: string;
}

export interface QueueFile extends Project {
  pendingDocuments: { docType: string; label: string }[];
}

export interface ProjectDetail extends Omit<Project, 'rating'> {
  availableEvents: string[];
  /** What this user may do now, as the domain core answers it (workflows/affordances.ts). */
  affordances: Affordances;
  machineVersion: string;
  dueDate?: string;
  overdue: boolean;
  coverage?: { ratio?: number; threshold: number; reached: boolean };
  securedAmount: number;
  disbursedAmount: number;
  dossier: ChecklistItem[];
  readiness: { yiJianSanZheng: { complete: boolean; missing: string[]; blocksSubmit: boolean } };
  approval?: { amount: number; year: number; docNo: string; date: string; districtQuotaId?: string };
  issuances?: { batch: string; bondCode: string; amount: number; termYears: number; rate: number; issueDate: string; year: number; quota?: number }[];
  /** Money over several years: plan releases (central budget) or quotas (special bonds) by year, funds secured per year, what this user may record. */
  money: ProjectMoney;
  disbursements?: { amount: number; date: string }[];
  progress?: { percent: number; note: string; date: string }[];
  evaluation?: { total: number; grade: string };
  /** 红黄绿 of a project followed month by month: none without a plan for the year, and the reason says so. */
  rating?: { rating?: Rating; reason: string };
}

export interface HistoryEntry {
  at: string;
  actorName: string;
  role: string;
  event: string;
  from?: Stage;
  to?: Stage;
  reason?: string;
  data?: Record<string, unknown>;
}

export interface WorkflowDescription {
  channel: Channel;
  label: string;
  stages: { key: Stage; label: string; final: boolean; reviewTimeLimitWorkingDays?: number }[];
  transitions: { from: Stage; event: string; to: Stage; guards: string[] }[];
  documentTypes: Record<string, string>;
  coverageThreshold?: number;
  /** 常用退回理由 (workflows/rules.yaml). */
  returnReasons: { project: string[]; document: string[] };
}

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actionLabel: string;
  actor?: { username: string; displayName?: string; role?: User['role'] };
  target?: { type: string; id?: string; name?: string };
  changes?: { field: string; from?: string | number | boolean | null; to?: string | number | boolean | null }[];
  summary?: string;
  address?: string;
}

export interface FundsRow {
  year: number;
  channel: Channel;
  appliedCount: number;
  appliedAmount: number;
  securedCount: number;
  securedAmount: number;
}

export interface ProjectMoney {
  releases: { no: number; year: number; amount: number; docNo: string; date: string }[];
  quotas: { no: number; year: number; amount: number; docNo: string; date: string; districtQuotaId?: string; issued: number; left: number }[];
  securedByYear: { year: number; amount: number }[];
  mayRecord: ('release' | 'quota' | 'issuance')[];
}

/** 地方专项债券额度: the district's bond quota of a year and batch, with what is allocated to projects and left. */
export interface DistrictQuota {
  id: string;
  year: number;
  batch: string;
  label: string;
  amount: number;
  docNo?: string;
  date?: string;
  note?: string;
  allocated: number;
  left: number;
  createdAt: string;
  updatedAt: string;
}

export interface DistrictQuotaDetail extends DistrictQuota {
  allocations: { projectId: string; projectName: string; orgName?: string; stage: Stage; quotaNo: number; amount: number; docNo: string; date: string }[];
  log: { at: string; actorName: string; changes: { field: string; from?: unknown; to?: unknown }[]; reason?: string }[];
}
