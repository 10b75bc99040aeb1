/** What the fault tests share: users on a child server, uploads whose pace the test controls, and timing. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { minimalPdf } from '../../src/demo/sample-files';
import type { ApiClient, ApiResponse } from '../support/client';
import { adminClient, createOrganisation, signedInUser } from '../support/fixtures';

export async function ownerAndStaff(baseUrl: string): Promise<{ admin: ApiClient; owner: ApiClient; staff: ApiClient; orgId: string }> {
  const admin = await adminClient(baseUrl);
  const orgId = await createOrganisation(admin);
  const [owner, staff] = await Promise.all([signedInUser(admin, 'owner', orgId), signedInUser(admin, 'staff')]);
  return { admin, owner: owner.client, staff: staff.client, orgId };
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await condition().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** A PDF of `bytes` bytes: a real header, then filler that differs per `seed`, so each file is new content. */
export function pdfOfSize(bytes: number, seed: string): Buffer {
  const head = minimalPdf(seed);
  const filler = Buffer.alloc(Math.max(0, bytes - head.length), `${seed}\n`);
  return Buffer.concat([head, filler]);
}

/**
 * An upload whose body the test releases in two parts: the head of the file is sent at once, the rest only when
 * `finish()` is called. Until then the service holds a half-written temporary file.
 */
export function heldUpload(client: ApiClient, projectId: string, docType: string, file: Buffer, fileName: string) {
  const boundary = `----fundflow-fault-${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="docType"\r\n\r\n${docType}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const split = Math.floor(file.length / 2);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new Uint8Array(Buffer.concat([head, file.subarray(0, split)])));
      await released;
      controller.enqueue(new Uint8Array(Buffer.concat([file.subarray(split), tail])));
      controller.close();
    },
  });
  const response: Promise<ApiResponse | Error> = fetch(`${client.baseUrl}/api/projects/${projectId}/documents`, {
    method: 'POST',
    headers: { cookie: client.sessionCookie!, 'x-csrf-token': client.csrf!, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  } as RequestInit).then(
    async (res) => ({ status: res.status, body: await res.json().catch(() => undefined), headers: res.headers }),
    (error: Error) => error,
  );
  return { response, finish: release };
}

/** Files under `<uploadsDir>/.tmp`: uploads the service has not finished. */
export async function temporaryFiles(uploadsDir: string): Promise<string[]> {
  return readdir(path.join(uploadsDir, '.tmp')).catch(() => []);
}

export function expectStatus(res: ApiResponse, status: number, what: string): void {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).to.equal(status);
}
