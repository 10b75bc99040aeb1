import { expect } from 'chai';
import { ApiClient } from './client';
import { ADMIN } from './server';
import { service } from './hooks';

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function adminClient(): Promise<ApiClient> {
  const client = new ApiClient(service().url);
  const res = await client.login(ADMIN.username, ADMIN.password);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return client;
}

export async function createOrganisation(admin: ApiClient, name = unique('测试单位')): Promise<string> {
  const res = await admin.post('/api/orgs', { name, kind: '事业单位' });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.organisation.id;
}

export interface TestUser {
  client: ApiClient;
  id: string;
  username: string;
  password: string;
  orgId?: string;
}

/** Creates a user through the admin API and returns a logged-in client for it. */
export async function signedInUser(admin: ApiClient, role: 'owner' | 'staff' | 'leader' | 'admin', orgId?: string): Promise<TestUser> {
  const username = unique(role);
  const password = 'password-' + username;
  const created = await admin.post('/api/users', { username, password, displayName: `测试${role}`, role, orgId });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  const client = new ApiClient(service().url);
  const login = await client.login(username, password);
  expect(login.status).to.equal(200);
  return { client, id: created.body.user.id, username, password, orgId };
}

/** A valid project body; override what the test is about. */
export function projectBody(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'central_budget',
    name: unique('城区污水管网改造工程'),
    field: 'municipal',
    location: '示范区',
    totalInvestment: 100_000_000,
    requestedAmount: 40_000_000,
    funding: { centralBudget: 40_000_000, specialBond: 0, localFiscal: 30_000_000, selfRaised: 30_000_000, other: 0 },
    startYear: 2025,
    endYear: 2027,
    ...overrides,
  };
}
