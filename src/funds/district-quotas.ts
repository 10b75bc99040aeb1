import mongoose, { Schema, Types, type mongo } from 'mongoose';
import { z } from 'zod';
import { districtAllocations, quotasOf } from '../../workflows/money';
import { messages } from '../../workflows/messages';
import { byChineseName } from '../../workflows/vocabulary';
import { catalogue, type ProjectRow } from '../projects/catalogue';
import { memoByRow } from '../projects/row-memo';
import { countsInFigures } from '../projects/row-figures';
import type { CurrentUser } from '../shared/current-user';
import { conflict, invalid, notFound } from '../shared/problem';
import { organisationName } from '../accounts/accounts.service';
import { KeyedLock } from '../shared/keyed-lock';
import { day } from '../../workflows/day-input';

/**
 * The district's own special-bond quota (地方专项债券额度), per year and batch,
 * as the province allocates it (docs/domain.md, "Money over several years").
 * It is shared out among projects: a project's quota (its approval, or a
 * further quota) may name the district quota it comes from. What is allocated
 * is not stored here but added up from the projects' records in the catalogue,
 * so it is always what the projects say; the checks that keep it within the
 * total run under the quota's lock (allocation.ts). The records are few (a
 * handful a year) and held in memory, read once at start.
 */
export interface DistrictQuotaChange {
  at: Date;
  actorId: string;
  actorName: string;
  /** What changed: the fields with their values before and after. */
  changes: { field: string; from?: unknown; to?: unknown }[];
  reason?: string;
}

export interface DistrictQuotaRecord {
  _id: string;
  year: number;
  /** 批次, e.g. 第一批 or 新增债券第二批. */
  batch: string;
  amount: number;
  docNo?: string;
  date?: string;
  note?: string;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  log: DistrictQuotaChange[];
}

const DistrictQuotas = mongoose.model<DistrictQuotaRecord>(
  'DistrictQuota',
  new Schema<DistrictQuotaRecord>({ _id: String }, { versionKey: false, strict: false, collection: 'district_bond_quotas' }),
);

const quotaRecords = () => DistrictQuotas.collection as unknown as mongo.Collection<DistrictQuotaRecord>;

const register = new Map<string, DistrictQuotaRecord>();

/**
 * One lock per district quota (and `register` for the register itself): the
 * check that an allocation fits and the project change that makes it are done
 * one at a time per quota. A conditional update cannot do it on FerretDB, which
 * evaluates the filter and the write in separate steps (src/db/capabilities.ts),
 * and the allocation is the sum of the projects' records anyway; one service
 * process owns the database, so a lock in the process is enough.
 */
export const districtLock = new KeyedLock();

/** The lock key of one district quota; `register` guards the register itself (creating, renaming a batch). */
export const quotaKey = (id: string) => `quota:${id}`;
const REGISTER = 'register';

export async function loadDistrictQuotas(): Promise<number> {
  register.clear();
  for (const quota of await quotaRecords().find({}).toArray()) register.set(quota._id, quota);
  return register.size;
}

export const districtQuota = (id: string): DistrictQuotaRecord | undefined => register.get(id);

/** How the quota reads to people: 2026年第一批地方专项债券额度. */
export const districtQuotaLabel = (quota: Pick<DistrictQuotaRecord, 'year' | 'batch'>) => `${quota.year}年${quota.batch}地方专项债券额度`;

const allocationsOf = memoByRow((row) => (row.channel === 'special_bond' ? districtAllocations(row.record) : new Map<string, number>()));

/** Projects that dropped out never hold a quota (they leave before any approval), but count in nothing anyway. */
const allocatingRows = (): ProjectRow[] => catalogue.rows().filter((row) => countsInFigures(row) && allocationsOf(row).size > 0);

/** What the projects hold of each district quota, from the catalogue. */
function allocatedByQuota(): Map<string, number> {
  const allocated = new Map<string, number>();
  for (const row of allocatingRows()) for (const [id, amount] of allocationsOf(row)) allocated.set(id, (allocated.get(id) ?? 0) + amount);
  return allocated;
}

export const allocatedOf = (id: string): number => allocatedByQuota().get(id) ?? 0;

/**
 * Why a project's quota of `amount` in `year` may not come from district quota
 * `id` now; call it under the quota's lock (allocation.ts), where nothing else
 * allocates from the same quota until the project's change is committed.
 */
export function allocationProblems(id: string, year: number, amount: number): { path: string; message: string }[] {
  const quota = register.get(id);
  if (!quota) return [{ path: 'data.districtQuotaId', message: messages.districtQuotaUnknown }];
  if (quota.year !== year) return [{ path: 'data.year', message: messages.districtQuotaYear(quota.year) }];
  const left = quota.amount - allocatedOf(id);
  return amount > left ? [{ path: 'data.amount', message: messages.districtQuotaExceeded(districtQuotaLabel(quota), amount, left) }] : [];
}

export function districtQuotaView(quota: DistrictQuotaRecord, allocated = allocatedOf(quota._id)) {
  return {
    id: quota._id,
    year: quota.year,
    batch: quota.batch,
    label: districtQuotaLabel(quota),
    amount: quota.amount,
    docNo: quota.docNo,
    date: quota.date,
    note: quota.note,
    allocated,
    left: quota.amount - allocated,
    createdAt: quota.createdAt.toISOString(),
    updatedAt: quota.updatedAt.toISOString(),
  };
}

/** Every district quota (of one year, if asked), newest year first, then by batch, each with what is allocated and left. */
export function listDistrictQuotas(year?: number) {
  const allocated = allocatedByQuota();
  return [...register.values()]
    .filter((q) => year === undefined || q.year === year)
    .sort((a, b) => b.year - a.year || byChineseName(a.batch, b.batch))
    .map((q) => districtQuotaView(q, allocated.get(q._id) ?? 0));
}

/** One district quota with the projects' quotas allocated from it; their sum is `allocated`. */
export function districtQuotaDetail(id: string) {
  const quota = register.get(id);
  if (!quota) throw notFound(messages.districtQuotaUnknown);
  const allocations = allocatingRows().flatMap((row) =>
    quotasOf(row.record)
      .filter((q) => q.districtQuotaId === id)
      .map((q) => ({ projectId: row.id, projectName: row.name, orgId: row.orgId, orgName: organisationName(row.orgId), stage: row.stage, quotaNo: q.no, amount: q.amount, docNo: q.docNo, date: q.date })),
  );
  allocations.sort((a, b) => byChineseName(a.projectName, b.projectName) || a.quotaNo - b.quotaNo);
  const allocated = allocations.reduce((sum, a) => sum + a.amount, 0);
  return { ...districtQuotaView(quota, allocated), allocations, log: quota.log.map((l) => ({ ...l, at: l.at.toISOString() })) };
}

export const districtQuotaInput = z.object({
  year: z.number().int().min(2000).max(2100),
  batch: z.string().trim().min(1).max(50),
  amount: z.number().int(messages.amountPrecision).positive(messages.amountPositive).max(messages.maxAmountYuan, messages.amountTooLarge),
  docNo: z.string().trim().min(1).max(100).optional(),
  date: day.optional(),
  note: z.string().trim().max(500).optional(),
});

export const districtQuotaPatch = districtQuotaInput.omit({ year: true }).partial().extend({ reason: z.string().trim().max(500).optional() });

/** Creating claims the year and batch: under one lock, so two at once cannot both register the same batch. */
export function createDistrictQuota(user: CurrentUser, input: z.output<typeof districtQuotaInput>, now = new Date()) {
  return districtLock.run(REGISTER, async () => {
    if ([...register.values()].some((q) => q.year === input.year && q.batch === input.batch)) throw conflict(messages.districtQuotaExists(input.year, input.batch));
    const record: DistrictQuotaRecord = { _id: new Types.ObjectId().toString(), ...input, createdAt: now, createdBy: user.displayName, updatedAt: now, log: [] };
    await quotaRecords().insertOne(record);
    register.set(record._id, record);
    return districtQuotaView(record);
  });
}

/** A change of the total, batch or document: never below what is already allocated (checked under the quota's lock). */
export function updateDistrictQuota(user: CurrentUser, id: string, patch: z.output<typeof districtQuotaPatch>, now = new Date()) {
  return districtLock.run(quotaKey(id), () =>
    districtLock.run(REGISTER, async () => {
      const quota = register.get(id);
      if (!quota) throw notFound(messages.districtQuotaUnknown);
      const { reason, ...fields } = patch;
      if (fields.batch && fields.batch !== quota.batch && [...register.values()].some((q) => q._id !== id && q.year === quota.year && q.batch === fields.batch)) {
        throw conflict(messages.districtQuotaExists(quota.year, fields.batch));
      }
      const allocated = allocatedOf(id);
      if (fields.amount !== undefined && fields.amount < allocated) throw invalid([{ path: 'amount', message: messages.districtQuotaBelowAllocated(allocated, fields.amount) }]);
      const changes = Object.entries(fields)
        .filter(([field, value]) => value !== undefined && quota[field as keyof DistrictQuotaRecord] !== value)
        .map(([field, value]) => ({ field, from: quota[field as keyof DistrictQuotaRecord], to: value }));
      if (!changes.length) return districtQuotaView(quota, allocated);
      const entry: DistrictQuotaChange = { at: now, actorId: user.id, actorName: user.displayName, changes, ...(reason ? { reason } : {}) };
      const updated: DistrictQuotaRecord = { ...quota, ...Object.fromEntries(changes.map((c) => [c.field, c.to])), updatedAt: now, log: [...quota.log, entry] };
      await quotaRecords().replaceOne({ _id: id }, updated);
      register.set(id, updated);
      return districtQuotaView(updated, allocated);
    }),
  );
}
