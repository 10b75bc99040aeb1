export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000;
}

/** Errors that mean the database cannot be reached, as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    /^Mongo(ServerSelection|Network|NotConnected|TopologyClosed|PoolCleared)/.test(error.name) ||
    /Client must be connected|connection .* closed|buffering timed out|before initial connection/i.test(error.message)
  );
}
