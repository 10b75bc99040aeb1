/** What the database launchers (mongod, FerretDB) take and give. */
export type DatabaseKind = 'external' | 'mongod' | 'ferretdb';

export interface RunningDatabase {
  uri: string;
  kind: DatabaseKind;
  stop(): Promise<void>;
}

export interface DatabaseOptions {
  /** MONGODB_URI when set. */
  mongodbUri?: string;
  /** Where mongod/FerretDB keep their files (subfolders `mongod/`, `ferretdb/`). */
  dataDir: string;
  /** Console progress lines. */
  log: (msg: string) => void;
  /** Where the compiled FerretDB is cached; defaults to `.cache/ferretdb/` at the repository root. */
  cacheDir?: string;
  /**
   * Set by command-line tools, left out by the service. A tool that only reads uses the running service's
   * database; one that writes refuses while the service (or another tool) holds DATA_DIR.
   */
  tool?: { name: string; writes: boolean };
  /** Called with the pid of every database process started, the supervisor's restarts included. */
  onProcess?: (pid: number) => void;
}
