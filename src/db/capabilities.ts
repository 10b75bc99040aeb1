import mongoose from 'mongoose';

/** FerretDB answers `buildInfo` with its own version beside the MongoDB one it emulates. */
export async function isFerretDB(): Promise<boolean> {
  const info = await mongoose.connection.db!.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}

let versionInProcess = false;

/**
 * FerretDB 1.x evaluates a conditional update's filter and writes the document
 * in separate steps, so concurrent updates of one record could all match the
 * same version. Where that is so, each record's changes are serialised in this
 * process (the service holds the database alone: service-lease.ts), the
 * version is compared here and the write addressed by `_id` alone, the only
 * filter it looks up by key. On MongoDB the filter keeps the version as well.
 * Called once the database is known.
 */
export function useInProcessVersionCheck(enabled: boolean): void {
  versionInProcess = enabled;
}

/** The filter of a write that replaces `version` of a record: by `_id` alone where the version is compared in process. */
export const versionFilter = <Id>(_id: Id, version: number) => (versionInProcess ? { _id } : { _id, version });
