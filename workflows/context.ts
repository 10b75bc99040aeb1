import type { Role } from '../src/accounts/current-user';
import type { Channel } from './stages';

/** What a machine knows of a project: the facts guards read and the record actions write. */
export interface WorkflowContext {
  channel: Channel;
  facts: ProjectFacts;
  record: WorkflowRecord;
}

export interface ProjectFacts {
  totalInvestment: number;
  requestedAmount: number;
  fundingTotal: number;
  financing?: { projectedRevenue: number; debtService: number };
  performanceTargets: { category: string; name: string; weight: number; target: string }[];
  /** Document types whose current version staff have accepted. */
  acceptedDocuments: string[];
}

export interface Application {
  round: number;
  year: number;
  date: string;
  requestedAmount: number;
  /** Whether this is the project's last forwarding in its year: "applied in Y" counts each project once, at its latest request. */
  latestInYear: boolean;
}
export interface Approval {
  amount: number;
  year: number;
  docNo: string;
  date: string;
}
export interface Issuance {
  batch: string;
  bondCode: string;
  amount: number;
  termYears: number;
  rate: number;
  issueDate: string;
  /** The year of `issueDate`, kept so "secured in Y" is a plain match and sum in the database. */
  year: number;
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
  grade: '优' | '良' | '中' | '差';
  date: string;
}

/** Everything the higher levels decided and the bureau recorded, round after round. */
export interface WorkflowRecord {
  /** Each forwarding upward (APPROVE from application_review), one per round. */
  applications: Application[];
  approval?: Approval;
  issuances: Issuance[];
  disbursements: Disbursement[];
  progress: ProgressReport[];
  completion?: { date: string };
  evaluation?: Evaluation;
}

export interface WorkflowActor {
  id: string;
  role: Role;
  orgId?: string;
}

/** Every event carries who sends it and when; `data` is checked by the `hasValidData` guard. */
export interface WorkflowEvent {
  type: string;
  actor: WorkflowActor;
  /** The instant, and its day in China (YYYY-MM-DD), that the event happened. */
  at: string;
  day: string;
  reason?: string;
  data?: unknown;
}

export const emptyRecord = (): WorkflowRecord => ({
  applications: [],
  issuances: [],
  disbursements: [],
  progress: [],
});
