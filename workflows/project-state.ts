import type { Channel, Field, Stage } from './vocabulary';

/**
 * What the domain core knows of a project: everything its rules read. The
 * server builds it from the stored project, the web app from the API's answer;
 * `decide` and `affordances` need nothing else.
 */
export interface FundingPlan {
  centralBudget: number;
  specialBond: number;
  localFiscal: number;
  selfRaised: number;
  other: number;
}

/** 融资收益平衡 of a special-bond project: revenue and bond principal and interest over the term. */
export interface Financing {
  projectedRevenue: number;
  debtService: number;
}

export const targetCategories = ['output', 'effect', 'satisfaction'] as const;
export type TargetCategory = (typeof targetCategories)[number];

export interface PerformanceTarget {
  category: TargetCategory;
  name: string;
  weight: number;
  target: string;
}

export type DocumentState = 'missing' | 'pending' | 'accepted' | 'rejected';

export interface Application {
  round: number;
  year: number;
  date: string;
  requestedAmount: number;
  /** The application round (申报批次) it went up in, when staff had put it in one (workflows/rounds.ts). */
  roundId?: string;
  /** Whether this is the project's last forwarding in its year: "applied in Y" counts each project once, at its latest request. */
  latestInYear: boolean;
}
export interface Approval {
  amount: number;
  year: number;
  docNo: string;
  date: string;
  /** Special bonds: the district's bond quota (地方专项债券额度) this first quota is allocated from, if named. */
  districtQuotaId?: string;
}
/** A later plan amount released to a continuing central-budget project (续建项目再次下达), secured in its year. */
export interface Release {
  /** 2, 3, …: release 1 is the approval. */
  no: number;
  year: number;
  amount: number;
  docNo: string;
  date: string;
}
/** A further bond quota (额度) allocated to a special-bond project in a later year; issuances go against one quota each. */
export interface Quota {
  /** 2, 3, …: quota 1 is the approval. */
  no: number;
  year: number;
  amount: number;
  docNo: string;
  date: string;
  districtQuotaId?: string;
}
export interface Issuance {
  batch: string;
  bondCode: string;
  amount: number;
  termYears: number;
  rate: number;
  issueDate: string;
  /** The year of `issueDate`, kept so "secured in Y" is a plain match. */
  year: number;
  /** The quota it was issued against (1, the approval, when not stated: issuances recorded before quotas were numbered). */
  quota?: number;
}
export interface Disbursement {
  amount: number;
  date: string;
}
export interface ProgressReport {
  percent: number;
  note: string;
  date: string;
}
export interface Evaluation {
  scores: { name: string; category: string; weight: number; score: number }[];
  total: number;
  grade: Grade;
  date: string;
}
export type Grade = '优' | '良' | '中' | '差';

/** Everything the higher levels decided and the bureau recorded, round after round; written only by the machines' actions. */
export interface WorkflowRecord {
  /** Each forwarding upward (APPROVE from application_review), one per round. */
  applications: Application[];
  approval?: Approval;
  /** Central budget: the plan amounts released after the approval, in later years (docs/domain.md, "Money over several years"). */
  releases: Release[];
  /** Special bonds: the quotas allocated after the approval. */
  quotas: Quota[];
  issuances: Issuance[];
  disbursements: Disbursement[];
  progress: ProgressReport[];
  completion?: { date: string };
  evaluation?: Evaluation;
}

export const emptyRecord = (): WorkflowRecord => ({ applications: [], releases: [], quotas: [], issuances: [], disbursements: [], progress: [] });

/** The project's own fields, as its unit states them. */
export interface ProjectFacts {
  name: string;
  /** 项目代码 from the national platform (workflows/project-code.ts); none until the unit enters it. */
  projectCode?: string;
  field: Field;
  totalInvestment: number;
  requestedAmount: number;
  funding: FundingPlan;
  startYear: number;
  endYear: number;
  financing?: Financing;
  performanceTargets: PerformanceTarget[];
}

export interface ProjectState extends ProjectFacts {
  channel: Channel;
  stage: Stage;
  /** The machine the project started on (`channel@N`); it finishes on it. */
  machineVersion: string;
  orgId: string;
  /** The state of the current version of each document type uploaded so far. */
  dossier: Partial<Record<string, DocumentState>>;
  record: WorkflowRecord;
  /** The round whose draft it is in and the amount asked this time, when staff put it in one (workflows/rounds.ts). */
  round?: { roundId: string; amount: number };
}

export const targetCategoryLabels: Record<TargetCategory, string> = {
  output: '产出指标',
  effect: '效益指标',
  satisfaction: '满意度指标',
};
