import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { ApiClient } from './client';
import { minimalPdf } from '../../src/demo/sample-files';
import { ADMIN } from './server';
import { service } from './hooks';

let counter = 0;
/** A name no other test uses: the shared service keeps every test's data. */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

/** The administrator, logged in to the shared service or to another one (a child server). */
export async function adminClient(baseUrl = service().url): Promise<ApiClient> {
  const client = new ApiClient(baseUrl);
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

/** Creates a user through the admin API and returns a logged-in client for it, on the admin's service. */
export async function signedInUser(admin: ApiClient, role: 'owner' | 'staff' | 'leader' | 'admin', orgId?: string): Promise<TestUser> {
  const username = unique(role);
  // Meets the password policy: long, not guessable, without the username.
  const password = `Qs-${randomBytes(9).toString('base64url')}-7`;
  const created = await admin.post('/api/users', { username, password, displayName: `测试${role}`, role, orgId });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  const client = new ApiClient(admin.baseUrl);
  const login = await client.login(username, password);
  expect(login.status).to.equal(200);
  return { client, id: created.body.user.id, username, password, orgId };
}

/** A valid project body; override what the test is about. */
/** Serial numbers of the codes made here: random at the start, so runs on one database rarely meet, then counted. */
let codeSerial = 1 + Math.floor(Math.random() * 900_000);
/** A well-formed 项目代码 no other project of this run carries. */
export const uniqueProjectCode = () => `2025-330102-48-01-${String(codeSerial++ % 1_000_000 || codeSerial++).padStart(6, '0')}`;

export function projectBody(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'central_budget',
    name: unique('城区污水管网改造工程'),
    projectCode: uniqueProjectCode(),
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

/** A client without a session. */
export function anonymousClient(baseUrl = service().url): ApiClient {
  return new ApiClient(baseUrl);
}

/** Every error the service gives is RFC 9457 problem JSON with a Chinese title and no internals. */
export function expectProblem(res: { status: number; body: any; headers: Headers }, status: number): void {
  const shown = JSON.stringify(res.body);
  expect(res.status, shown).to.equal(status);
  expect(res.headers.get('content-type'), shown).to.match(/^application\/problem\+json/);
  expect(res.body, shown).to.be.an('object');
  expect(res.body.status, shown).to.equal(status);
  expect(res.body.type, shown).to.be.a('string');
  expect(res.body.title, shown).to.be.a('string').and.match(/[\u4e00-\u9fff]/);
  expectNoInternals(res.body);
  expectWrittenForPeople(res.body);
}

/** What only a developer reads: a validator's or a runtime's words, or a value's type, in what users are shown. */
const DEVELOPER_WORDING = /期望|收到|无效输入|数值过|字符串|invalid|expected|received|undefined|null|NaN|string|number|boolean|object|array|regex|>=|<=/i;

/** A problem's title, detail and field messages are Chinese sentences for the people who read them. */
export function expectWrittenForPeople(body: { title?: unknown; detail?: unknown; errors?: { message?: unknown }[] }): void {
  const said = [body.title, body.detail, ...(body.errors ?? []).map((e) => e.message)].filter((text) => text !== undefined);
  for (const text of said) {
    expect(text, JSON.stringify(body)).to.be.a('string').and.match(/[\u4e00-\u9fff]/);
    expect(text, JSON.stringify(body)).not.to.match(DEVELOPER_WORDING);
  }
}

/** No stack trace, source path or database message in what a client sees. */
export function expectNoInternals(body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  expect(text).not.to.match(/\bat [\w.<>]+ \(|\n\s+at |node_modules|\.ts:\d+|\/src\/|Mongo\w*Error|stack/i);
}

// ---------------------------------------------------------------- workflow and dossier

/** Everyone a project meets: its owner, an owner of another organisation, staff, a leader, an administrator. */
export interface Team {
  admin: ApiClient;
  orgId: string;
  owner: ApiClient;
  otherOwner: ApiClient;
  staff: ApiClient;
  leader: ApiClient;
  administrator: ApiClient;
}

export async function createTeam(admin?: ApiClient): Promise<Team> {
  admin ??= await adminClient();
  const [orgId, otherOrgId] = await Promise.all([createOrganisation(admin), createOrganisation(admin)]);
  const [owner, otherOwner, staff, leader, administrator] = await Promise.all([
    signedInUser(admin, 'owner', orgId),
    signedInUser(admin, 'owner', otherOrgId),
    signedInUser(admin, 'staff'),
    signedInUser(admin, 'leader'),
    signedInUser(admin, 'admin'),
  ]);
  return { admin, orgId, owner: owner.client, otherOwner: otherOwner.client, staff: staff.client, leader: leader.client, administrator: administrator.client };
}

let sharedTeamOnce: Promise<Team> | undefined;
/** One team for all test files on the shared service: creating and logging in users (Argon2id) is the slow part. */
export function sharedTeam(): Promise<Team> {
  return (sharedTeamOnce ??= createTeam());
}

/** A special-bond project body whose coverage ratio is `coverage` (projected revenue / debt service). */
export function specialBondBody(coverage = 1.5, overrides: Record<string, unknown> = {}) {
  return projectBody({
    channel: 'special_bond',
    name: unique('产业园区标准厂房建设项目'),
    field: 'industrial_park',
    totalInvestment: 200_000_000,
    requestedAmount: 120_000_000,
    funding: { centralBudget: 0, specialBond: 120_000_000, localFiscal: 50_000_000, selfRaised: 30_000_000, other: 0 },
    financing: { projectedRevenue: Math.round(100_000_000 * coverage), debtService: 100_000_000 },
    ...overrides,
  });
}

export async function createProject(client: ApiClient, body: Record<string, unknown> = projectBody()) {
  const res = await client.post('/api/projects', body);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.project;
}

export async function getProject(client: ApiClient, id: string) {
  const res = await client.get(`/api/projects/${id}`);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.project;
}

export async function historyOf(client: ApiClient, id: string): Promise<any[]> {
  const res = await client.get(`/api/projects/${id}/history`);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.items;
}

/** Uploads any bytes under any name; the raw answer, for refusals. */
export function uploadFile(client: ApiClient, projectId: string, docType: string, bytes: Blob | Uint8Array, fileName: string) {
  const form = new FormData();
  form.append('docType', docType);
  form.append('file', bytes instanceof Blob ? bytes : new Blob([new Uint8Array(bytes)]), fileName);
  return client.request('POST', `/api/projects/${projectId}/documents`, { form });
}

/** Uploads a small real PDF as the next version of a document type; expects 201 and returns the document. */
export async function upload(client: ApiClient, projectId: string, docType: string, fileName = `${docType}.pdf`, bytes = minimalPdf(unique(docType))) {
  const res = await uploadFile(client, projectId, docType, bytes, fileName);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.document;
}

export async function review(staff: ApiClient, documentId: string, decision: 'accept' | 'reject', reason?: string) {
  const res = await staff.post(`/api/documents/${documentId}/review`, { decision, reason });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.document;
}

/** The owner uploads one file of each type and staff accept each. */
export async function acceptAll(owner: ApiClient, staff: ApiClient, projectId: string, docTypes: readonly string[]) {
  const documents = [];
  for (const docType of docTypes) documents.push(await review(staff, (await upload(owner, projectId, docType)).id, 'accept'));
  return documents;
}

export interface EventExtras {
  reason?: string;
  data?: Record<string, unknown>;
  expectedVersion?: number;
}

/** Sends an event at the project's version (or the one given); the raw answer. */
export function sendEvent(client: ApiClient, project: { id: string; version: number }, type: string, extras: EventExtras = {}) {
  return client.post(`/api/projects/${project.id}/events`, { type, expectedVersion: project.version, ...extras });
}

/** Sends an event that must pass; returns the project after it. */
export async function advance(client: ApiClient, project: { id: string; version: number }, type: string, extras: EventExtras = {}) {
  const res = await sendEvent(client, project, type, extras);
  expect(res.status, `${type}: ${JSON.stringify(res.body)}`).to.equal(200);
  expect(res.body.project.version, type).to.equal(project.version + 1);
  return res.body.project;
}

/** The default dossier (docs/domain.md): what must be accepted before SUBMIT leaves each stage. */
export const requiredDocuments = {
  central_budget: { draft: ['proposal'], preliminary: ['approval_doc', 'land_use', 'eia', 'fund_application_report'] },
  special_bond: {
    draft: ['proposal'],
    preliminary: ['approval_doc', 'land_use', 'eia', 'implementation_plan', 'financial_assessment', 'legal_opinion'],
  },
} as const;

export const performanceTargets = [
  { category: 'output', name: '新建管网长度', weight: 50, target: '12 公里' },
  { category: 'effect', name: '污水收集率', weight: 30, target: '≥95%' },
  { category: 'satisfaction', name: '群众满意度', weight: 20, target: '≥90%' },
];

/** Plausible data for the events that carry some, within a project's amounts. */
export function sampleEventData(type: string, project: { requestedAmount: number }): Record<string, unknown> | undefined {
  switch (type) {
    case 'RECORD_APPROVAL':
      return { amount: project.requestedAmount, year: 2026, docNo: '发改投资〔2026〕88号', date: '2026-06-01' };
    case 'RECORD_ISSUANCE':
      return { batch: '2026年第一批', bondCode: '2605001', amount: Math.floor(project.requestedAmount / 2), termYears: 15, rate: 2.35, issueDate: '2026-07-15' };
    case 'RECORD_DISBURSEMENT':
      return { amount: 1_000_000, date: '2026-08-01' };
    case 'RECORD_PROGRESS':
      return { percent: 30, note: '主体工程已开工' };
    case 'COMPLETE':
      return { date: '2026-12-20' };
    default:
      return undefined;
  }
}

/** The two who move a project along. */
type Movers = Pick<Team, 'owner' | 'staff'>;
type Walker = (team: Movers, project: any) => Promise<any>;

const submitWithDocuments = (stage: 'draft' | 'preliminary'): Walker => async (team, project) => {
  const dossier: { docType: string; state: string }[] = (await getProject(team.owner, project.id)).dossier;
  const needed = requiredDocuments[project.channel as keyof typeof requiredDocuments][stage];
  const missing = needed.filter((t) => dossier.find((d) => d.docType === t)?.state !== 'accepted');
  await acceptAll(team.owner, team.staff, project.id, missing);
  return advance(team.owner, await getProject(team.owner, project.id), 'SUBMIT');
};

const byStaff = (type: string, extras: EventExtras = {}): Walker => (team, project) =>
  advance(team.staff, project, type, { data: sampleEventData(type, project), ...extras });

/** The main path forward from each stage. */
const mainPath: Record<string, Walker> = {
  draft: submitWithDocuments('draft'),
  reserve_review: byStaff('APPROVE'),
  reserve: (team, project) => advance(team.owner, project, 'START_PRELIMINARY'),
  preliminary: submitWithDocuments('preliminary'),
  application_review: byStaff('APPROVE'),
  submitted: byStaff('RECORD_APPROVAL'),
  approved: (team, project) => byStaff(project.channel === 'special_bond' ? 'RECORD_ISSUANCE' : 'START_IMPLEMENTATION')(team, project),
  issued: byStaff('START_IMPLEMENTATION'),
  implementation: byStaff('COMPLETE'),
  completed: (team, project) =>
    advance(team.staff, project, 'EVALUATE', { data: { scores: project.performanceTargets.map((t: { name: string }) => ({ name: t.name, score: 80 })) } }),
};

/** The final stages off the main path: where to branch off and how. */
const sidings: Record<string, { from: string; go: Walker }> = {
  withdrawn: { from: 'draft', go: (team, project) => advance(team.owner, project, 'WITHDRAW') },
  rejected: { from: 'reserve_review', go: byStaff('REJECT', { reason: '不符合入库条件' }) },
  removed: { from: 'reserve', go: byStaff('REMOVE', { reason: '项目已由其他资金解决，出库' }) },
};

/** Carries a project forward through HTTP, uploading and accepting what each SUBMIT needs, until it reaches `stage`. */
export async function bringTo(team: Movers, project: any, stage: string): Promise<any> {
  const siding = sidings[stage];
  if (siding) return siding.go(team, await bringTo(team, project, siding.from));
  while (project.stage !== stage) {
    const next = mainPath[project.stage];
    if (!next) throw new Error(`${stage} is not ahead of ${project.stage} on the main path`);
    project = await next(team, project);
  }
  return project;
}
