/** Runs the command-line tools in scripts/ as their own processes, as an operator would, on a child server's folders. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './child-server';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment that points a tool at the data of a child server's work folder. */
export function workDirEnv(workDir: string): Record<string, string> {
  return { MONGODB_URI: '', DATA_DIR: path.join(workDir, 'data'), UPLOADS_DIR: path.join(workDir, 'uploads'), LOG_LEVEL: 'warn' };
}

export function runScript(script: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', script), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `npm run check` on a work folder (through its service's database while one runs there); the JSON report. */
export async function checkWorkDir(workDir: string): Promise<{ code: number | null; report: { projects: number; documents: number; files: number; violations: unknown[] }; run: ScriptRun }> {
  const run = await runScript('check.ts', ['--json'], workDirEnv(workDir));
  const line = run.stdout.trim().split('\n').pop() ?? '';
  let report;
  try {
    report = JSON.parse(line);
  } catch {
    throw new Error(`check printed no report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, report, run };
}
