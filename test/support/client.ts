/** A browser-like API client: keeps the session cookie and sends the CSRF token. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** Leave out the CSRF header, to test that it is required. */
  withoutCsrf?: boolean;
  /** A body sent as is (malformed or oversized JSON); set its content-type in `headers`. */
  raw?: string;
  /** Give up after this many milliseconds (the request rejects with a TimeoutError). */
  timeoutMs?: number;
}

export class ApiClient {
  private cookie?: string;
  private csrfToken?: string;
  user?: { id: string; username: string; role: string; orgId?: string };

  constructor(readonly baseUrl: string) {}

  async login(username: string, password: string): Promise<ApiResponse> {
    const res = await this.request('POST', '/api/auth/login', { json: { username, password } });
    if (res.status === 200) {
      const me = await this.request('GET', '/api/auth/me');
      this.user = me.body.user;
      this.csrfToken = me.body.csrfToken;
    }
    return res;
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && !options.withoutCsrf && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    let body: string | FormData | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      body = options.form;
    }
    const signal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual', signal });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('fundflow.sid='));
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, json });
  }
  patch<T = any>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, json });
  }
  put<T = any>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { ...options, json });
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  /** The raw cookie, to replay it from another client. */
  get sessionCookie(): string | undefined {
    return this.cookie;
  }
  useSessionCookie(cookie: string | undefined, csrfToken?: string): void {
    this.cookie = cookie;
    this.csrfToken = csrfToken;
  }
  get csrf(): string | undefined {
    return this.csrfToken;
  }
}
