/**
 * The embedded FerretDB: the Go program in `ferretdb-launcher/` is compiled
 * once into `.cache/ferretdb/` (rebuilt only when its sources or the Go
 * version change) and run as a child that prints its MongoDB URI on stdout.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { exeSuffix, exited, findExecutable, onLines, seconds, Tail, terminate, unrefChild } from './child-process';
import type { DatabaseOptions, RunningDatabase } from './database-types';
import { repoRoot } from '../config';

export const launcherDir = path.join(repoRoot, 'ferretdb-launcher');
export const defaultCacheDir = path.join(repoRoot, '.cache', 'ferretdb');

// Pure Go (modernc SQLite), so no C compiler is needed.
const BUILD_ENV = { CGO_ENABLED: '0' };
const BUILD_ARGS = ['build', '-v', '-buildvcs=false'];
const BINARY_PREFIX = 'ferretdb-launcher-';
const BINARY_PATTERN = new RegExp(`^${BINARY_PREFIX}([0-9a-f]{16})${exeSuffix.replace('.', '\\.')}$`);
const PROGRESS_EVERY_MS = 10_000;
const URI_TIMEOUT_MS = 30_000;
const KILL_AFTER_MS = 5_000;
const RESTART_MAX_WAIT_MS = 2_000;

const execFileAsync = promisify(execFile);

/**
 * Path of a launcher binary that is current, compiling it first if needed.
 * Undefined when there is neither `go` on PATH nor a cached binary.
 */
export async function ensureLauncher(opts: DatabaseOptions): Promise<string | undefined> {
  const cacheDir = path.resolve(opts.cacheDir ?? defaultCacheDir);
  const sources = await readSources();
  const go = await findExecutable('go');

  if (!go) {
    const cached = await findCachedBinary(cacheDir, sources ? sourcesHash(sources) : undefined, opts);
    if (cached) opts.log(`未找到 go，使用已编译的 FerretDB / go not on PATH, using cached FerretDB: ${cached}`);
    return cached;
  }
  if (!sources) {
    throw new Error(`找不到 FerretDB 启动程序源码 / FerretDB launcher sources missing in ${launcherDir}`);
  }

  const goVersion = await readGoVersion(go);
  const hash = createHash('sha256')
    .update(sourcesHash(sources))
    .update(goVersion)
    .update(JSON.stringify([BUILD_ARGS, BUILD_ENV]))
    .digest('hex')
    .slice(0, 16);
  const binary = path.join(cacheDir, `${BINARY_PREFIX}${hash}${exeSuffix}`);
  if (await isFile(binary)) return binary;

  await mkdir(cacheDir, { recursive: true });
  const previous = await cachedBinaries(cacheDir);
  await build(go, goVersion, binary, previous.length > 0, opts);
  await writeFile(`${binary}.sources`, sourcesHash(sources) + '\n');

  // Older builds are never used again by this checkout.
  for (const old of previous) {
    if (old !== binary) {
      await rm(old, { force: true });
      await rm(`${old}.sources`, { force: true });
    }
  }
  return binary;
}

interface SourceFile {
  name: string;
  content: Buffer;
}

/** The files `go build` compiles the launcher from: the module files and every Go file but the tests. */
async function readSources(): Promise<SourceFile[] | undefined> {
  try {
    const goFiles = (await readdir(launcherDir)).filter((name) => name.endsWith('.go') && !name.endsWith('_test.go')).sort();
    const names = ['go.mod', 'go.sum', ...goFiles];
    return await Promise.all(names.map(async (name) => ({ name, content: await readFile(path.join(launcherDir, name)) })));
  } catch {
    return undefined;
  }
}

function sourcesHash(sources: SourceFile[]): string {
  const hash = createHash('sha256');
  for (const { name, content } of sources) hash.update(`${name}\0${content.length}\0`).update(content);
  return hash.digest('hex');
}

/** `go version` as run in the launcher folder, so a toolchain switch shows. */
async function readGoVersion(go: string): Promise<string> {
  const { stdout } = await execFileAsync(go, ['version'], {
    cwd: launcherDir,
    env: { ...process.env, ...BUILD_ENV },
    timeout: 300_000,
  });
  return stdout.trim();
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function cachedBinaries(cacheDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(cacheDir);
  } catch {
    return [];
  }
  return names.filter((name) => BINARY_PATTERN.test(name)).map((name) => path.join(cacheDir, name));
}

/**
 * Without `go` the Go version is unknown, so pick the cached binary built
 * from the current sources, else the newest one.
 */
async function findCachedBinary(
  cacheDir: string,
  currentSources: string | undefined,
  opts: DatabaseOptions,
): Promise<string | undefined> {
  const candidates: { file: string; mtime: number; matches: boolean }[] = [];
  for (const file of await cachedBinaries(cacheDir)) {
    try {
      const { mtimeMs } = await stat(file);
      const built = await readFile(`${file}.sources`, 'utf8').catch(() => '');
      candidates.push({ file, mtime: mtimeMs, matches: built.trim() === currentSources });
    } catch {
      // vanished meanwhile
    }
  }
  candidates.sort((a, b) => Number(b.matches) - Number(a.matches) || b.mtime - a.mtime);
  const best = candidates[0];
  if (best && !best.matches) {
    opts.log(
      '警告：已编译的 FerretDB 可能不是由当前源码编译的 / warning: cached FerretDB may predate the current launcher sources',
    );
  }
  return best?.file;
}

async function build(go: string, goVersion: string, binary: string, rebuild: boolean, opts: DatabaseOptions) {
  const { log } = opts;
  log(
    rebuild
      ? 'FerretDB 启动程序源码或 Go 版本已变化，重新编译，约需 1–5 分钟 / launcher sources or Go version changed, recompiling the embedded FerretDB, this takes 1–5 minutes'
      : '首次编译内嵌数据库 FerretDB，约需 1–5 分钟 / compiling the embedded FerretDB for the first time, this takes 1–5 minutes',
  );
  log(`  ${goVersion}; ${launcherDir} -> ${binary}`);

  const cacheDir = path.dirname(binary);
  await removeStaleTemporaries(cacheDir);
  // Compile to a temporary name and rename, so an interrupted build never
  // leaves a broken binary under the cached name.
  const tmp = path.join(cacheDir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}-${path.basename(binary)}`);
  const started = Date.now();
  const tail = new Tail(40);
  let modules = 0;
  let packages = 0;

  const child = spawn(go, [...BUILD_ARGS, '-o', tmp, '.'], {
    cwd: launcherDir,
    env: { ...process.env, ...BUILD_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onLine = (line: string) => {
    tail.push(line);
    if (line.startsWith('go: downloading ')) modules++;
    else if (/^[\w.-]+(\/[\w.@~+-]+)*$/.test(line.trim())) packages++;
  };
  onLines(child.stdout!, onLine);
  onLines(child.stderr!, onLine);
  const ticker = setInterval(() => {
    log(
      `  … ${Math.round((Date.now() - started) / 1000)} s：已下载 ${modules} 个模块，已编译 ${packages} 个包 / ${modules} modules downloaded, ${packages} packages compiled`,
    );
  }, PROGRESS_EVERY_MS);

  const result = await new Promise<{ code: number | null; signal: string | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  }).finally(() => clearInterval(ticker));

  if (result.error || result.code !== 0) {
    await rm(tmp, { force: true });
    const why = result.error?.message ?? `exit ${result.code ?? result.signal}`;
    throw new Error(`编译 FerretDB 失败 / building FerretDB failed (${why}):\n${tail.toString()}`);
  }
  await chmod(tmp, 0o755);
  await rename(tmp, binary);
  log(
    `FerretDB 编译完成，用时 ${seconds(Date.now() - started)}（${packages} 个包）/ FerretDB compiled in ${seconds(Date.now() - started)} (${packages} packages)`,
  );
}

/** Temporaries left by builds that were killed more than an hour ago. */
async function removeStaleTemporaries(cacheDir: string): Promise<void> {
  for (const name of await readdir(cacheDir).catch(() => [] as string[])) {
    if (!name.startsWith('.tmp-')) continue;
    const file = path.join(cacheDir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 3_600_000) await rm(file, { force: true });
  }
}

export async function startFerretDB(binary: string, opts: DatabaseOptions): Promise<RunningDatabase> {
  const dir = path.resolve(opts.dataDir, 'ferretdb');
  await mkdir(dir, { recursive: true });
  const started = Date.now();
  const { child, uri } = await launch(binary, dir, '127.0.0.1:0', opts);
  opts.log(`FerretDB 已就绪 / FerretDB ready at ${uri} (${seconds(Date.now() - started)}, data ${dir})`);
  // A replacement listens where the first one did, so the driver's pool reconnects to the same URI by itself.
  return supervised(child, uri, () => launch(binary, dir, new URL(uri).host, opts), opts);
}

/** Starts the launcher listening on `listen` and waits for the URI it prints once it accepts connections. */
async function launch(binary: string, dir: string, listen: string, opts: DatabaseOptions): Promise<{ child: ChildProcess; uri: string }> {
  // stdin stays an open pipe: the launcher exits when it closes, which the
  // kernel does for us however this process ends (even SIGKILL).
  const child = spawn(binary, ['-listen', listen, '-dir', dir, '-log-level', 'warn'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid) opts.onProcess?.(child.pid);
  const tail = new Tail();
  onLines(child.stderr!, (line) => {
    tail.push(line);
    const shown = formatLogLine(line);
    if (shown !== undefined) opts.log(`[ferretdb] ${shown}`);
  });
  try {
    return { child, uri: await readUri(child, tail) };
  } catch (err) {
    await terminate(child, KILL_AFTER_MS);
    throw err;
  }
}

/**
 * One slog JSON line from the launcher, shortened for the console; undefined
 * for noise. FerretDB logs every error reply (duplicate key, "collection
 * already exists", unsupported `endSessions`, ...) as two WARN records with
 * the whole document, and a WARN when a client drops its connection; the
 * driver already reports the former to the application.
 */
export function formatLogLine(line: string): string | undefined {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time: _time, level, msg, ...rest } = record;
  const message = String(msg ?? '');
  if (level === 'WARN') {
    if (/^Response (header|message):/.test(message)) return undefined;
    if (message === 'Connection stopped' && /connection reset by peer|broken pipe|EOF/.test(String(rest.error))) {
      return undefined;
    }
  }
  const fields = Object.entries(rest).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return [String(level ?? ''), message.trim(), ...fields].filter(Boolean).join(' ');
}

function readUri(child: ChildProcess, tail: Tail): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const fail = (why: string) =>
      settle(() => reject(new Error(`FerretDB 启动失败 / FerretDB failed to start: ${why}\n${tail.toString()}`)));

    const timer = setTimeout(
      () => fail(`${URI_TIMEOUT_MS / 1000} 秒内未输出连接地址 / no URI within ${URI_TIMEOUT_MS / 1000} s`),
      URI_TIMEOUT_MS,
    );
    let first = true;
    onLines(child.stdout!, (line) => {
      if (!first) {
        if (line.trim()) tail.push(line);
        return;
      }
      first = false;
      const uri = line.trim();
      if (uri.startsWith('mongodb://')) settle(() => resolve(uri));
      else fail(`意外的输出 / unexpected output: ${JSON.stringify(line)}`);
    });
    child.once('error', (err) => fail(err.message));
    // 'close' rather than 'exit', so the stderr tail is complete.
    child.once('close', (code, signal) => fail(`进程退出 / exited (${code ?? signal})`));
  });
}

/**
 * The database for as long as the service runs: when the child dies on its own
 * (killed, crashed), a new one is started on the same data and address, retrying
 * with back-off until it is up or the service stops.
 */
function supervised(
  first: ChildProcess,
  uri: string,
  relaunch: () => Promise<{ child: ChildProcess }>,
  opts: DatabaseOptions,
): RunningDatabase {
  let child = first;
  let stopping: Promise<void> | undefined;
  let restarting: Promise<void> | undefined;

  const restart = async () => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        const next = await relaunch();
        child = next.child;
        watch(child);
        opts.log(`FerretDB 已重新启动 / FerretDB restarted at ${uri}`);
        return;
      } catch (err) {
        const wait = Math.min(RESTART_MAX_WAIT_MS, 250 * 2 ** attempt);
        opts.log(`FerretDB 重启失败，${seconds(wait)} 后重试 / restart failed, retrying in ${seconds(wait)}: ${(err as Error).message}`);
        await sleep(wait);
      }
    }
  };
  const watch = (current: ChildProcess) => {
    unrefChild(current);
    void exited(current).then(() => {
      if (stopping) return;
      opts.log(`[ferretdb] 意外退出，正在重启 / exited unexpectedly (${current.exitCode ?? current.signalCode}), restarting`);
      restarting = restart().finally(() => (restarting = undefined));
    });
  };
  watch(first);

  return {
    uri,
    kind: 'ferretdb',
    stop() {
      stopping ??= (async () => {
        await restarting;
        await terminate(child, KILL_AFTER_MS);
        opts.log('FerretDB 已停止 / FerretDB stopped');
      })();
      return stopping;
    },
  };
}
