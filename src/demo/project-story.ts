/**
 * Plays one demo project's life through the real services, with the clock set to the day each step happened, so
 * that its history, dossier versions, reviews and records are exactly what the same work through the API leaves.
 */
import type { CurrentUser } from '../shared/current-user';
import type { DocumentRecord } from '../projects/document.model';
import { addDocumentVersion, reviewDocument } from '../dossier/dossier.service';
import { storeBuffer } from '../dossier/storage';
import type { ProjectDoc } from '../projects/project.model';
import { projectInput } from '../projects/project.schemas';
import { createProject } from '../projects/projects.service';
import { sendEvent } from '../workflow/workflow.service';
import { rules } from '../../workflows/rules-file';
import { demoDocument, type DemoProject } from './demo-documents';

export interface StoryCast {
  owner: CurrentUser;
  /** The bureau officer who handles this channel's projects. */
  staff: CurrentUser;
  uploadsDir: string;
}

interface EventOptions {
  reason?: string;
  data?: Record<string, unknown>;
}

const STEP_MS = 30 * 60 * 1000;

/** The day `days` after `day` (YYYY-MM-DD). */
export function plusDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export class ProjectStory {
  private id = '';
  private createdOn = '';
  private version = 0;
  private clock = new Date(0);
  private readonly documents = new Map<string, DocumentRecord[]>();

  constructor(
    private readonly cast: StoryCast,
    private readonly project: DemoProject,
  ) {}

  get projectId(): string {
    return this.id;
  }

  /** 09:00 in China on `day`, or half an hour after the previous step when that is later: steps stay in order. */
  private at(day: string): Date {
    const morning = new Date(`${day}T09:00:00+08:00`);
    this.clock = new Date(Math.max(morning.getTime(), this.clock.getTime() + STEP_MS));
    return this.clock;
  }

  private follow(project: ProjectDoc): void {
    this.version = project.version;
  }

  async create(day: string): Promise<void> {
    const { orgName: _orgName, code: _code, ...fields } = this.project;
    const created = await createProject(this.cast.owner, projectInput.parse(fields), this.at(day));
    this.id = created._id.toString();
    this.createdOn = day;
    this.follow(created);
  }

  /** The owner uploads the next version of a document. */
  async upload(day: string, docType: string): Promise<void> {
    const versions = this.documents.get(docType) ?? [];
    const file = await demoDocument(this.project, docType, versions.length + 1);
    const stored = await storeBuffer(this.cast.uploadsDir, file.content, file.fileName);
    const document = await addDocumentVersion(this.cast.owner, this.id, docType, stored, this.at(day));
    this.documents.set(docType, [...versions, document]);
    this.version++;
  }

  /** Staff review the latest version of a document: accepted, or rejected with `reason`. */
  async review(day: string, docType: string, reason?: string): Promise<void> {
    const latest = this.documents.get(docType)?.at(-1);
    if (!latest) throw new Error(`demo story: no ${docType} to review in ${this.project.name}`);
    await reviewDocument(this.cast.staff, latest._id.toString(), reason ? 'reject' : 'accept', reason, this.at(day));
    this.version++;
  }

  /** Uploads a set of documents; staff accept them two days later, except one rejected and then replaced. */
  async dossier(day: string, docTypes: readonly string[], rejected?: { docType: string; reason: string }): Promise<void> {
    for (const docType of docTypes) await this.upload(day, docType);
    for (const docType of docTypes) await this.review(plusDays(day, 2), docType, docType === rejected?.docType ? rejected.reason : undefined);
    if (rejected) await this.revise(plusDays(day, 6), rejected.docType);
  }

  /** A new version of a document, accepted two days later. */
  async revise(day: string, docType: string): Promise<void> {
    await this.upload(day, docType);
    await this.review(plusDays(day, 2), docType);
  }

  async send(day: string, type: string, by: 'owner' | 'staff', options: EventOptions = {}): Promise<void> {
    const user = by === 'owner' ? this.cast.owner : this.cast.staff;
    this.follow(await sendEvent(user, this.id, { type, expectedVersion: this.version, ...options }, this.at(day)));
  }

  // ------------------------------------------------------------------------------------------ the usual steps

  /** The proposal goes in, then submitted and taken into the reserve (储备库) within ten days of the draft. */
  async intoReserve(): Promise<void> {
    await this.dossier(plusDays(this.createdOn, 2), rules.requiredDocuments[this.project.channel].draft);
    await this.submit(plusDays(this.createdOn, 5));
    await this.send(plusDays(this.createdOn, 9), 'APPROVE', 'staff');
  }

  /** Preliminary work starts; three weeks later the required documents (and `extra` ones) go in and are reviewed. */
  async prepare(day: string, options: { extra?: string[]; rejected?: { docType: string; reason: string } } = {}): Promise<void> {
    await this.send(day, 'START_PRELIMINARY', 'owner');
    const required = rules.requiredDocuments[this.project.channel].preliminary;
    await this.dossier(plusDays(day, 21), [...required, ...(options.extra ?? [])], options.rejected);
  }

  submit = (day: string) => this.send(day, 'SUBMIT', 'owner');
  /** 上报: the bureau forwards the application to the higher level. */
  forward = (day: string) => this.send(day, 'APPROVE', 'staff');
  returnForCorrection = (day: string, reason: string) => this.send(day, 'RETURN', 'staff', { reason });
  reject = (day: string, reason: string) => this.send(day, 'REJECT', 'staff', { reason });
  remove = (day: string, reason: string) => this.send(day, 'REMOVE', 'staff', { reason });
  withdraw = (day: string, reason: string) => this.send(day, 'WITHDRAW', 'owner', { reason });
  /** Not chosen by the higher level this round: back to the reserve. */
  notChosen = (day: string, reason: string) => this.send(day, 'RECORD_REJECTION', 'staff', { reason });
  restartPreliminary = (day: string) => this.send(day, 'START_PRELIMINARY', 'owner');

  /** The plan is released (central budget) or the bond quota allocated (special bond). */
  approve = (day: string, amount: number, docNo: string) =>
    this.send(day, 'RECORD_APPROVAL', 'staff', { data: { amount, year: Number(day.slice(0, 4)), docNo, date: day } });

  issue = (day: string, batch: string, bondCode: string, amount: number, termYears: number, rate: number) =>
    this.send(day, 'RECORD_ISSUANCE', 'staff', { data: { batch, bondCode, amount, termYears, rate, issueDate: day } });

  startWorks = (day: string) => this.send(day, 'START_IMPLEMENTATION', 'staff');
  disburse = (day: string, amount: number) => this.send(day, 'RECORD_DISBURSEMENT', 'staff', { data: { amount, date: day } });
  report = (day: string, percent: number, note: string) => this.send(day, 'RECORD_PROGRESS', 'staff', { data: { percent, note } });
  complete = (day: string) => this.send(day, 'COMPLETE', 'staff', { data: { date: day } });

  /** Scores in the order of the project's performance targets. */
  async evaluate(day: string, scores: number[]): Promise<void> {
    const targets = this.project.performanceTargets ?? [];
    await this.send(day, 'EVALUATE', 'staff', { data: { scores: targets.map((t, i) => ({ name: t.name, score: scores[i] ?? 0 })) } });
  }
}
