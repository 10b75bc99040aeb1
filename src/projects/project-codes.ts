import mongoose, { type mongo, Types } from 'mongoose';
import type { CurrentUser } from '../shared/current-user';
import { canSee } from '../../workflows/access';
import { messages } from '../../workflows/messages';
import { invalid, Problem } from '../shared/problem';
import { duplicatesOnly } from '../shared/mongo-errors';
import { KeyedLock } from '../shared/keyed-lock';
import type { ProjectDoc } from './project.model';
import { projectStore } from './project-store';

/**
 * 项目代码 are unique across projects (docs/domain.md, "The national project code").
 * The database keeps it: a claim record whose `_id` is the code names the
 * project that holds it, so two claims of one code cannot both be stored.
 *
 * A claim is written before the change that gives a project its code, and the
 * code it had before is released after that change. A stop between the two
 * leaves a claim naming a project that does not carry the code: such a claim
 * holds nothing, and the next project to claim the code takes it over (and
 * `npm run check -- --repair` removes it). Whether a claim still holds is read
 * from the project itself, under a lock per code that every change of a code
 * takes (the service holds the database alone: service-lease.ts), so a claim
 * is never taken over while its project's change is under way.
 */
export interface ProjectCodeClaim {
  _id: string;
  projectId: Types.ObjectId;
  at: Date;
}

export const PROJECT_CODES = 'project_codes';

export const claimsCollection = () => mongoose.connection.collection<ProjectCodeClaim>(PROJECT_CODES);

const codeLock = new KeyedLock();

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

/** The project a claim names, as stored now; undefined when it is gone. */
async function holderOf(claim: ProjectCodeClaim): Promise<ProjectDoc | undefined> {
  return projectStore.find(claim.projectId);
}

/** The refusal when another project holds the code: its name only for those who may see it. */
function taken(user: CurrentUser | undefined, holder: ProjectDoc) {
  const visible = !user || canSee(user, { orgId: holder.orgId.toString() });
  return invalid([{ path: 'projectCode', message: visible ? messages.projectCodeTaken(holder.name) : messages.projectCodeTakenHidden }], messages.projectCodeTakenHidden);
}

/** Claims `code` for the project, or refuses when another project carries it. Call under the code's lock. */
async function claim(code: string, projectId: Types.ObjectId, user: CurrentUser | undefined): Promise<void> {
  for (;;) {
    try {
      await claimsCollection().insertOne({ _id: code, projectId, at: new Date() });
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = await claimsCollection().findOne({ _id: code });
    if (!existing) continue; // released meanwhile
    if (existing.projectId.equals(projectId)) return;
    const holder = await holderOf(existing);
    if (holder?.projectCode === code) throw taken(user, holder);
    // A claim left by a change that never happened, or a code its project has since changed: it holds nothing.
    const { matchedCount } = await claimsCollection().replaceOne({ _id: code, projectId: existing.projectId }, { projectId, at: new Date() });
    if (matchedCount === 1) return;
  }
}

/** Releases a code the project no longer carries. */
async function release(code: string, projectId: Types.ObjectId): Promise<void> {
  await claimsCollection().deleteOne({ _id: code, projectId });
}

/**
 * Runs a change that may give the project `code` (none: the change leaves or
 * clears it): the code is claimed first and held while the change runs;
 * `change` answers the project as changed and the code it carried before, which
 * is released when it differs.
 */
export async function withProjectCode<T extends Pick<ProjectDoc, 'projectCode'>>(
  code: string | undefined,
  projectId: Types.ObjectId,
  user: CurrentUser | undefined,
  change: () => Promise<{ result: T; previous: string | undefined }>,
): Promise<T> {
  const run = async () => {
    if (code) await claim(code, projectId, user);
    const { result, previous } = await change();
    if (previous && previous !== result.projectCode) await release(previous, projectId);
    return result;
  };
  return code ? codeLock.run(code, run) : run();
}

/**
 * Claims many codes at once for projects not yet stored (an import): one
 * write for all, and the code-by-code way only for codes already claimed.
 * Returns the codes another project holds: those projects must not be stored.
 */
export async function claimCodes(claims: { code: string; projectId: Types.ObjectId }[]): Promise<Set<string>> {
  const refused = new Set<string>();
  if (!claims.length) return refused;
  let there: Set<number> = new Set();
  try {
    await claimsCollection().insertMany(claims.map(({ code, projectId }) => ({ _id: code, projectId, at: new Date() })), { ordered: false });
  } catch (error) {
    const duplicates = duplicatesOnly(error, claims.length);
    if (!duplicates) throw error;
    there = duplicates;
  }
  for (const i of there) {
    const { code, projectId } = claims[i]!;
    await codeLock.run(code, () => claim(code, projectId, undefined)).catch((error: unknown) => {
      if (!(error instanceof Problem)) throw error;
      refused.add(code);
    });
  }
  return refused;
}

/** Every claim, for `npm run check`. */
export function allClaims(): mongo.FindCursor<ProjectCodeClaim> {
  return claimsCollection().find({});
}
