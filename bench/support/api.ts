/** HTTP helpers of the benchmarks, on top of the tests' client and fixtures. */
import type { ApiResponse } from '../../test/support/client';

/** Benchmarks send traffic to 127.0.0.1 only. */
export function loopbackOnly(baseUrl: string): string {
  const { hostname } = new URL(baseUrl);
  if (hostname !== '127.0.0.1') throw new Error(`benchmarks only talk to 127.0.0.1, not ${hostname}`);
  return baseUrl;
}

/** The body of an answer that must have this status; a benchmark stops on anything else. */
export function expectStatus<T = any>(res: ApiResponse<T>, status: number, what: string): T {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
