/**
 * Builds the web application (web/ → web/dist) when the build is missing or
 * older than its sources. Run by `npm start` before the service, and by the
 * browser tests; a second run with nothing changed costs a hash of the sources.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');
const STAMP = path.join(dist, '.build-stamp');
/** Files outside web/ that the last build bundled (shared vocabularies and schemas), written by web/vite.config.ts. */
const OUTSIDE = path.join(dist, '.outside-inputs.json');

const WEB_INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'];

function filesUnder(entry: string): string[] {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry).flatMap((name) => filesUnder(path.join(entry, name)));
}

function outsideInputs(): string[] {
  if (!existsSync(OUTSIDE)) return [];
  return (JSON.parse(readFileSync(OUTSIDE, 'utf8')) as string[]).map((file) => path.join(root, file));
}

/** One hash over every source of the build, the locked dependency versions included. */
export function sourceHash(): string {
  const files = [...WEB_INPUTS.flatMap((entry) => filesUnder(path.join(web, entry))), ...outsideInputs(), path.join(root, 'package-lock.json')];
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) {
    hash.update(path.relative(root, file)).update('\0');
    hash.update(existsSync(file) ? readFileSync(file) : 'missing').update('\0');
  }
  return hash.digest('hex');
}

export function webBuildIsCurrent(): boolean {
  return existsSync(path.join(dist, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sourceHash();
}

/** Builds when needed; returns whether it built. */
export function ensureWebBuild(log: (line: string) => void = console.log): boolean {
  if (webBuildIsCurrent()) return false;
  log('构建网页端（web/ → web/dist）…');
  const vite = path.join(path.dirname(createRequire(path.join(web, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
  // Hashed after the build: the build names the outside files it used.
  writeFileSync(STAMP, sourceHash());
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensureWebBuild();
  } catch (error) {
    console.error(`网页端构建失败 / web build failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
