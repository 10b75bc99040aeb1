/**
 * Hostile input over HTTP (issue 7): a generated access matrix over every route in
 * the OpenAPI document against the policy table below, CSRF on every state change,
 * an owner walking every project id, property-based requests with smuggled
 * operators, prototype keys, deep nesting, huge numbers and odd strings, and
 * hostile files. Sessions, fixation, brute force and a disabled user's cookie are
 * covered in accounts.test.ts; engine-level file sniffing in dossier-storage.test.ts.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import express from 'express';
import fc from 'fast-check';
import { minimalPdf } from '../src/demo/sample-files';
import { webApp } from '../src/web/web-app';
import { ApiClient, type ApiResponse } from './support/client';
import {
  anonymousClient,
  bringTo,
  createProject,
  expectNoInternals,
  expectProblem,
  expectWrittenForPeople,
  performanceTargets,
  projectBody,
  review,
  sharedTeam,
  signedInUser,
  unique,
  upload,
  uploadFile,
  type Team,
} from './support/fixtures';
import { service } from './support/hooks';

const callers = ['anonymous', 'owner', 'otherOwner', 'staff', 'leader', 'admin'] as const;
type Caller = (typeof callers)[number];

/** The request got past every access check: it succeeded, or was refused only for the (deliberately incomplete) data it sent. */
const PASS = 'pass';
type Expected = number | typeof PASS;
const passed = (status: number) => [200, 201, 204, 400, 409, 422].includes(status);

/**
 * The policy as a table: what each caller gets from each route, called on a
 * draft project of the owner's organisation ("other" is an owner of another
 * one). This is the specification; a route missing here fails the test.
 */
// prettier-ignore
const POLICY: Record<string, Record<Caller, Expected>> = {
  'POST /api/auth/login':                      { anonymous: PASS, owner: PASS, otherOwner: PASS, staff: PASS, leader: PASS, admin: PASS },
  'POST /api/auth/logout':                     { anonymous: 401, owner: 204, otherOwner: 204, staff: 204, leader: 204, admin: 204 },
  'GET /api/auth/me':                          { anonymous: 401, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 200 },
  'POST /api/auth/password':                   { anonymous: 401, owner: PASS, otherOwner: PASS, staff: PASS, leader: PASS, admin: PASS },
  'GET /api/orgs':                             { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 200 },
  'POST /api/orgs':                            { anonymous: 401, owner: 403, otherOwner: 403, staff: 403, leader: 403, admin: PASS },
  'GET /api/users':                            { anonymous: 401, owner: 403, otherOwner: 403, staff: 403, leader: 403, admin: 200 },
  'GET /api/people':                           { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'POST /api/users':                           { anonymous: 401, owner: 403, otherOwner: 403, staff: 403, leader: 403, admin: PASS },
  'PATCH /api/users/{id}':                     { anonymous: 401, owner: 403, otherOwner: 403, staff: 403, leader: 403, admin: PASS },
  'POST /api/projects':                        { anonymous: 401, owner: PASS, otherOwner: PASS, staff: PASS, leader: 403, admin: 403 },
  'GET /api/projects':                         { anonymous: 401, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 200 },
  'GET /api/projects/export.xlsx':             { anonymous: 401, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 200 },
  'GET /api/projects/{id}':                    { anonymous: 401, owner: 200, otherOwner: 404, staff: 200, leader: 200, admin: 200 },
  'PATCH /api/projects/{id}':                  { anonymous: 401, owner: PASS, otherOwner: 404, staff: PASS, leader: 403, admin: 403 },
  'GET /api/projects/{id}/history':            { anonymous: 401, owner: 200, otherOwner: 404, staff: 200, leader: 200, admin: 200 },
  'POST /api/projects/{id}/events':            { anonymous: 401, owner: PASS, otherOwner: 404, staff: PASS, leader: 403, admin: 403 },
  'GET /api/queue':                            { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 403, admin: 403 },
  'GET /api/workflows':                        { anonymous: 401, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 200 },
  'POST /api/projects/{id}/documents':         { anonymous: 401, owner: PASS, otherOwner: 404, staff: PASS, leader: 403, admin: 403 },
  'GET /api/projects/{id}/documents':          { anonymous: 401, owner: 200, otherOwner: 404, staff: 200, leader: 200, admin: 200 },
  'GET /api/documents/{id}/content':           { anonymous: 401, owner: 200, otherOwner: 404, staff: 200, leader: 200, admin: 200 },
  'POST /api/documents/{id}/review':           { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'POST /api/documents/{id}/withdraw':         { anonymous: 401, owner: PASS, otherOwner: 404, staff: PASS, leader: 403, admin: 403 },
  'GET /api/projects/{id}/application.pdf':    { anonymous: 401, owner: 200, otherOwner: 404, staff: 200, leader: 200, admin: 200 },
  'GET /api/stats/funds':                      { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/stats/funds/{year}/{channel}/projects': { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/stats/pipeline':                   { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/stats/review-load':                { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/stats/summary':                    { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/exports/ledger.xlsx':              { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/public/board':                     { anonymous: 200, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 200 },
  'GET /api/public/verify/{code}':             { anonymous: 404, owner: 404, otherOwner: 404, staff: 404, leader: 404, admin: 404 },
  'GET /api/public/status':                    { anonymous: 200, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 200 },
  'GET /api/audit':                            { anonymous: 401, owner: 403, otherOwner: 403, staff: 403, leader: 200, admin: 200 },
  'PUT /api/projects/{id}/plans/{year}':        { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'POST /api/projects/{id}/monthly-reports':    { anonymous: 401, owner: PASS, otherOwner: 404, staff: PASS, leader: 403, admin: 403 },
  'GET /api/projects/{id}/monthly-reports':     { anonymous: 401, owner: 200, otherOwner: 404, staff: 200, leader: 200, admin: 200 },
  'POST /api/projects/{id}/site-photos':        { anonymous: 401, owner: PASS, otherOwner: 404, staff: PASS, leader: 403, admin: 403 },
  'GET /api/site-photos/{id}/content':          { anonymous: 401, owner: 404, otherOwner: 404, staff: 404, leader: 404, admin: 404 },
  'GET /api/monthly-reports':                   { anonymous: 401, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 403 },
  'GET /api/stats/schedule':                    { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/stats/schedule/projects':           { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/exports/schedule.pdf':              { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/exports/schedule.xlsx':             { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/imports/template.xlsx':             { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 403, admin: 403 },
  'POST /api/imports':                          { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: PASS },
  'POST /api/imports/columns':                  { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: PASS },
  'GET /api/imports/{id}':                      { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 403, admin: 403 },
  'POST /api/imports/{id}/commit':              { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'PUT /api/projects/{id}/responsibility':      { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'POST /api/projects/responsibility':          { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'POST /api/projects/{id}/responsibility/take': { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'POST /api/projects/{id}/problems':           { anonymous: 401, owner: PASS, otherOwner: 404, staff: PASS, leader: PASS, admin: 403 },
  'GET /api/projects/{id}/problems':            { anonymous: 401, owner: 200, otherOwner: 404, staff: 200, leader: 200, admin: 200 },
  'POST /api/problems/{id}/events':             { anonymous: 401, owner: PASS, otherOwner: 404, staff: PASS, leader: 403, admin: 403 },
  'GET /api/problems':                          { anonymous: 401, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 200 },
  'GET /api/problems/{id}':                     { anonymous: 401, owner: 200, otherOwner: 404, staff: 200, leader: 200, admin: 200 },
  'GET /api/exports/problems.xlsx':             { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'POST /api/projects/{id}/problem-attachments': { anonymous: 401, owner: PASS, otherOwner: 404, staff: PASS, leader: PASS, admin: 403 },
  'GET /api/problem-attachments/{id}/content':  { anonymous: 401, owner: 404, otherOwner: 404, staff: 404, leader: 404, admin: 404 },
  'GET /api/notifications':                     { anonymous: 401, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 200 },
  'POST /api/notifications/read-all':           { anonymous: 401, owner: 204, otherOwner: 204, staff: 204, leader: 204, admin: 204 },
  'POST /api/notifications/{id}/read':          { anonymous: 401, owner: 204, otherOwner: 404, staff: 404, leader: 404, admin: 404 },
  'GET /api/notifications/preferences':         { anonymous: 401, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 200 },
  'PUT /api/notifications/preferences':         { anonymous: 401, owner: PASS, otherOwner: PASS, staff: PASS, leader: PASS, admin: PASS },
  'GET /api/settings/mail':                     { anonymous: 401, owner: 403, otherOwner: 403, staff: 403, leader: 403, admin: 200 },
  'PUT /api/settings/mail':                     { anonymous: 401, owner: 403, otherOwner: 403, staff: 403, leader: 403, admin: PASS },
  'DELETE /api/settings/mail':                  { anonymous: 401, owner: 403, otherOwner: 403, staff: 403, leader: 403, admin: 204 },
  'GET /api/reminder-letters/suggestions':      { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 403, admin: 403 },
  'POST /api/reminder-letters':                 { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'GET /api/reminder-letters':                  { anonymous: 401, owner: 200, otherOwner: 200, staff: 200, leader: 200, admin: 403 },
  'GET /api/reminder-letters/{id}':             { anonymous: 401, owner: 200, otherOwner: 404, staff: 200, leader: 200, admin: 403 },
  'GET /api/reminder-letters/{id}/letter.pdf':  { anonymous: 401, owner: 200, otherOwner: 404, staff: 200, leader: 200, admin: 403 },
  'POST /api/projects/{id}/releases':           { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'POST /api/projects/{id}/quotas':             { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'POST /api/projects/{id}/issuances':          { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'GET /api/bond-quotas':                       { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'POST /api/bond-quotas':                      { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'GET /api/bond-quotas/{id}':                  { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'PATCH /api/bond-quotas/{id}':                { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'GET /api/stats/funds/by-round':               { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'POST /api/rounds':                            { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'GET /api/rounds':                             { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/rounds/rolling-plan':                { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'GET /api/rounds/{id}':                        { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
  'PATCH /api/rounds/{id}':                      { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'POST /api/rounds/{id}/close':                 { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'POST /api/rounds/{id}/reopen':                { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'GET /api/rounds/{id}/candidates':             { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 403, admin: 403 },
  'PUT /api/rounds/{id}/projects/{projectId}':   { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'DELETE /api/rounds/{id}/projects/{projectId}': { anonymous: 401, owner: 403, otherOwner: 403, staff: PASS, leader: 403, admin: 403 },
  'GET /api/rounds/{id}/draft.xlsx':             { anonymous: 401, owner: 403, otherOwner: 403, staff: 200, leader: 200, admin: 403 },
};

interface Route {
  key: string;
  method: string;
  path: string;
  public: boolean;
  multipart: boolean;
}

async function documentedRoutes(): Promise<Route[]> {
  const res = await anonymousClient().get('/api/openapi.json');
  expect(res.status).to.equal(200);
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries<Record<string, any>>(res.body.paths)) {
    for (const [method, operation] of Object.entries<any>(operations)) {
      const upper = method.toUpperCase();
      routes.push({
        key: `${upper} ${path}`,
        method: upper,
        path,
        public: Array.isArray(operation.security) && operation.security.length === 0,
        multipart: Boolean(operation.requestBody?.content?.['multipart/form-data']),
      });
    }
  }
  return routes;
}

/** What the matrix and the properties act on: a draft project of the owner's organisation with one file, and a user to edit. */
interface Targets {
  projectId: string;
  projectVersion: number;
  documentId: string;
  userId: string;
  orgId: string;
  /** A project of the owner's organisation in implementation, for events that carry data. */
  busyId: string;
  /** An import of year plans with errors, which can never be committed. */
  importId: string;
  /** A problem raised on the draft project. */
  problemId: string;
  /** A notification of the owner's (a file of theirs sent back). */
  notificationId: string;
  /** A reminder letter to the owner's organisation. */
  letterId: string;
  /** A district bond quota (地方专项债券额度). */
  bondQuotaId: string;
  /** An application round with nothing in its draft. */
  roundId: string;
}

function fillPath(path: string, targets: Targets, projectId = targets.projectId): string {
  const values: Record<string, string> = { year: '2026', channel: 'central_budget', code: 'NOSUCHCODE' };
  return path.replace(/\{(\w+)\}/g, (_all, name: string) => {
    if (name === 'projectId') return projectId;
    if (name !== 'id') return values[name]!;
    if (path.startsWith('/api/users')) return targets.userId;
    if (path.startsWith('/api/documents')) return targets.documentId;
    if (path.startsWith('/api/imports')) return targets.importId;
    if (path.startsWith('/api/problems')) return targets.problemId;
    if (path.startsWith('/api/notifications')) return targets.notificationId;
    if (path.startsWith('/api/reminder-letters')) return targets.letterId;
    if (path.startsWith('/api/bond-quotas')) return targets.bondQuotaId;
    if (path.startsWith('/api/rounds')) return targets.roundId;
    return projectId;
  });
}

/** A well-formed request for each route that changes nothing the other tests rely on. */
function harmlessBody(route: Route, targets: Targets): unknown {
  switch (route.key) {
    case 'POST /api/auth/login':
      return { username: unique('nobody'), password: 12345 }; // malformed: never counts as a failed login
    case 'POST /api/auth/password':
      return { currentPassword: 'not-the-current-one', newPassword: 'Shiqiao-river-bridge-26' }; // refused: the current password is wrong
    case 'POST /api/orgs':
    case 'POST /api/users':
    case 'POST /api/projects':
      return {};
    case 'PATCH /api/users/{id}':
      return { displayName: '矩阵测试用户' };
    case 'PATCH /api/projects/{id}':
      return { expectedVersion: targets.projectVersion - 1, name: '过期版本的修改' };
    case 'POST /api/projects/{id}/events':
      return { type: 'SUBMIT', expectedVersion: targets.projectVersion - 1 };
    case 'POST /api/documents/{id}/review':
      return { decision: 'reject' }; // without the required reason: refused after the access checks
    case 'POST /api/projects/{id}/monthly-reports':
      return { month: '2026-01', completedInvestment: 1, progressPercent: 1, progressNote: '矩阵测试' }; // a draft without a plan reports nothing
    case 'PUT /api/projects/{id}/responsibility':
      return { leaderId: targets.userId }; // a staff account named as leader: refused after the access checks
    case 'POST /api/projects/responsibility':
      return { projectIds: [targets.projectId], leaderId: targets.userId };
    case 'POST /api/projects/{id}/problems':
      return { category: 'land', description: '矩阵测试', level: 'county', dueDate: '2000-01-01' }; // due before it is raised: refused after the access checks
    case 'POST /api/problems/{id}/events':
      return { type: 'NOTE' }; // without a note
    case 'POST /api/bond-quotas':
    case 'PATCH /api/bond-quotas/{id}':
      return {}; // nothing to register (422), nothing to change (200)
    case 'POST /api/projects/{id}/releases':
    case 'POST /api/projects/{id}/quotas':
    case 'POST /api/projects/{id}/issuances':
      return { expectedVersion: targets.projectVersion - 1 }; // without data: refused after the access checks
    case 'POST /api/rounds':
    case 'PUT /api/rounds/{id}/projects/{projectId}':
      return {};
    case 'PATCH /api/rounds/{id}':
      return { expectedVersion: 1_000_000, notes: '过期版本的修改' };
    default:
      return undefined;
  }
}

/** Stands for the project's version at the time of the request, so that a well-formed body can succeed. */
const CURRENT_VERSION = -4242;

/** The well-formed requests the properties start from: one hostile change away from being accepted and stored. */
function propertyRequest(route: Route, targets: Targets): { path: string; body: unknown } {
  const bodies: Record<string, unknown> = {
    'POST /api/projects': projectBody({ orgId: targets.orgId, description: '属性测试' }),
    'POST /api/orgs': { name: '属性测试单位', kind: '事业单位' },
    'POST /api/users': { username: 'property-user', password: 'Shiqiao-river-bridge-26', displayName: '属性测试', role: 'staff' },
    'PATCH /api/users/{id}': { displayName: '属性测试用户', role: 'staff' },
    'PATCH /api/projects/{id}': { expectedVersion: CURRENT_VERSION, name: '属性测试项目', location: '示范区', description: '说明' },
    'POST /api/projects/{id}/events': { type: 'RECORD_PROGRESS', expectedVersion: CURRENT_VERSION, data: { percent: 50, note: '进展顺利' } },
    'POST /api/documents/{id}/review': { decision: 'reject', reason: '扫描不清晰' },
    'PUT /api/projects/{id}/plans/{year}': { keyLevel: 'county', plannedInvestment: 5_000_000, plannedStart: '2026-03-01', plannedCompletion: '2027-12-31' },
    'POST /api/projects/{id}/monthly-reports': { month: '2026-01', completedInvestment: 300_000, progressPercent: 5, progressNote: '场地平整' },
    'PUT /api/projects/{id}/responsibility': { unit: '示范区住建局', contact: '张责任', phone: '13800000000', assistingUnits: ['示范区交通局'] },
    'POST /api/projects/responsibility': { projectIds: [targets.projectId], unit: '示范区住建局', contact: '张责任' },
    'POST /api/projects/{id}/problems': { category: 'land', description: '用地指标未落实', level: 'county', responsibleUnit: '示范区自然资源分局' },
    'POST /api/problems/{id}/events': { type: 'NOTE', note: '已召开协调会' },
    'PUT /api/notifications/preferences': { email: 'property@example.gov.cn', emailKinds: [] },
    'POST /api/reminder-letters': { orgId: targets.orgId, items: [{ projectId: targets.projectId, kind: 'other', note: '属性测试' }], deadline: '2030-01-01' },
    'POST /api/rounds': { channel: 'special_bond', year: 2026, name: '属性测试批次', deadline: '2026-12-31', ceiling: 100_000_000 },
    'PATCH /api/rounds/{id}': { expectedVersion: 1, notes: '属性测试' },
    'PUT /api/rounds/{id}/projects/{projectId}': { amount: 1_000_000 },
  };
  // Events and the documents built from their data go to the project in implementation.
  const busy = ['POST /api/projects/{id}/events', 'POST /api/projects/{id}/monthly-reports', 'GET /api/projects/{id}/application.pdf', 'GET /api/projects/{id}/history'].includes(route.key);
  return { path: fillPath(route.path, targets, busy ? targets.busyId : targets.projectId) + (QUERIES[route.key] ?? ''), body: route.key in bodies ? bodies[route.key] : harmlessBody(route, targets) };
}

const QUERIES: Record<string, string> = {
  'GET /api/exports/ledger.xlsx': '?kind=progress',
  'GET /api/stats/schedule/projects': '?figure=planned',
  'GET /api/imports/template.xlsx': '?kind=plans',
  'GET /api/stats/funds/by-round': '?year=2026',
};

/** An import whose sheet has headers and no rows: checked with an error, so never committed. */
async function emptyImport(staff: ApiClient): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('年度计划').addRow(['系统编号', '年度', '年度计划投资（万元）']);
  const form = new FormData();
  form.append('kind', 'plans');
  form.append('file', new Blob([new Uint8Array(await workbook.xlsx.writeBuffer())]), '空表.xlsx');
  const res = await staff.request('POST', '/api/imports', { form });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.import.id;
}

/** A reminder letter to the owner's organisation, about a project of its own. */
/** A district bond quota of a year no other test uses, for the matrix to read and change. */
async function districtBondQuota(team: Team): Promise<string> {
  const res = await team.staff.post('/api/bond-quotas', { year: 2099, batch: unique('矩阵测试批次'), amount: 10_000_000 });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.quota.id;
}

async function ownersLetter(team: Team): Promise<string> {
  const project = await createProject(team.owner);
  const res = await team.staff.post('/api/reminder-letters', { orgId: team.orgId, items: [{ projectId: project.id, kind: 'other', note: '矩阵测试：提醒函' }] });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.letter.id;
}

/** An application round of the matrix's own. */
async function matrixRound(team: Team): Promise<string> {
  const res = await team.staff.post('/api/rounds', { channel: 'central_budget', year: 2026, name: unique('矩阵测试批次'), deadline: '2026-12-31' });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.round.id;
}

/** The owner's notification of a file of theirs that staff sent back, once the follower has derived it. */
async function ownersNotification(team: Team): Promise<string> {
  const project = await createProject(team.owner);
  await review(team.staff, (await upload(team.owner, project.id, 'proposal')).id, 'reject', '矩阵测试：退回材料');
  for (let tries = 0; tries < 50; tries++) {
    const found = (await team.owner.get('/api/notifications?limit=20')).body.items.find((n: { projectId: string }) => n.projectId === project.id);
    if (found) return found.id;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the owner's notification did not arrive");
}

async function call(client: ApiClient, route: Route, targets: Targets): Promise<ApiResponse> {
  const path = fillPath(route.path, targets) + (QUERIES[route.key] ?? '');
  if (route.multipart) {
    const form = new FormData();
    form.append('docType', 'proposal'); // and no file: refused after the access checks
    return client.request(route.method, path, { form });
  }
  const body = harmlessBody(route, targets);
  return client.request(route.method, path, body === undefined ? {} : { json: body });
}

describe('hostile input', function () {
  this.timeout(120_000);
  let team: Team;
  let routes: Route[];
  let targets: Targets;
  let clients: Record<Caller, ApiClient>;

  before(async () => {
    team = await sharedTeam();
    routes = await documentedRoutes();
    const project = await createProject(team.owner);
    const document = await upload(team.owner, project.id, 'proposal', '矩阵测试材料.pdf');
    // Reviewed, so that withdrawing it is refused (409) after the access checks.
    await review(team.staff, document.id, 'accept');
    const user = await signedInUser(team.admin, 'staff');
    const busy = await bringTo(team, await createProject(team.owner, projectBody({ performanceTargets })), 'implementation');
    // Projects of another organisation, with files, for the owner to try to reach.
    for (let i = 0; i < 3; i++) await upload(team.otherOwner, (await createProject(team.otherOwner)).id, 'proposal');
    const problem = await team.owner.post(`/api/projects/${project.id}/problems`, { category: 'funds', description: '矩阵测试问题', level: 'county' });
    expect(problem.status, JSON.stringify(problem.body)).to.equal(201);
    targets = {
      projectId: project.id,
      projectVersion: project.version + 1,
      documentId: document.id,
      userId: user.id,
      orgId: team.orgId,
      busyId: busy.id,
      importId: await emptyImport(team.staff),
      notificationId: await ownersNotification(team),
      problemId: problem.body.problem.id,
      letterId: await ownersLetter(team),
      bondQuotaId: await districtBondQuota(team),
      roundId: await matrixRound(team),
    };
    clients = {
      anonymous: anonymousClient(),
      owner: team.owner,
      otherOwner: team.otherOwner,
      staff: team.staff,
      leader: team.leader,
      admin: team.administrator,
    };
  });

  describe('access matrix: every documented route, by every role and by no one', () => {
    it('the policy table names exactly the routes the OpenAPI document lists', () => {
      expect(routes.map((r) => r.key).sort()).to.deep.equal(Object.keys(POLICY).sort());
    });

    it('every route answers every caller as the policy table says', async () => {
      const mismatches: string[] = [];
      for (const route of routes) {
        for (const caller of callers) {
          // Logging out ends the session: each caller does it on a session of its own.
          const client = route.key === 'POST /api/auth/logout' && caller !== 'anonymous' ? await secondSession(team, caller) : clients[caller];
          const res = await call(client, route, targets);
          const expected = POLICY[route.key]![caller];
          const ok = expected === PASS ? passed(res.status) : res.status === expected;
          if (!ok) mismatches.push(`${route.key} by ${caller}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
          if (res.status >= 400) expectProblem(res, res.status);
        }
      }
      expect(mismatches).to.deep.equal([]);
    });

    it('refuses every state change of a signed-in user without the CSRF token, or with a wrong one (403)', async () => {
      const changes = routes.filter((r) => r.method !== 'GET' && r.key !== 'POST /api/auth/login');
      expect(changes.length).to.be.above(8);
      for (const route of changes) {
        const caller = callers.find((c) => c !== 'anonymous' && POLICY[route.key]![c] !== 403 && POLICY[route.key]![c] !== 404) as Exclude<Caller, 'anonymous'>;
        // A session of its own for logging out; the matrix's own otherwise, since a notification is one user's alone.
        const client = route.key === 'POST /api/auth/logout' ? await secondSession(team, caller) : clients[caller];
        const missing = new ApiClient(client.baseUrl);
        missing.useSessionCookie(client.sessionCookie, undefined);
        expectProblem(await call(missing, route, targets), 403);
        const wrong = new ApiClient(client.baseUrl);
        wrong.useSessionCookie(client.sessionCookie, `${client.csrf!.slice(0, -4)}AAAA`);
        expectProblem(await call(wrong, route, targets), 403);
        // The right token still works on that session afterwards.
        expect(passed((await call(client, route, targets)).status), route.key).to.equal(true);
      }
    });
  });

  it("gives an owner 404 for every other organisation's project and file, however it asks", async () => {
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const res = await team.staff.get(`/api/projects?limit=200&page=${page}`);
      ids.push(...res.body.items.filter((p: any) => p.orgId !== team.orgId).map((p: any) => p.id));
      if (page * 200 >= res.body.total) break;
    }
    expect(ids.length).to.be.at.least(3);
    const wrong: string[] = [];
    const expect404 = (what: string, res: ApiResponse) => {
      if (res.status !== 404) wrong.push(`${what}: ${res.status}`);
    };
    let documentsTried = 0;
    for (const id of ids) {
      for (const suffix of ['', '/history', '/documents', '/application.pdf', '/problems']) expect404(`GET ${id}${suffix}`, await team.owner.get(`/api/projects/${id}${suffix}`));
      expect404(`problems ${id}`, await team.owner.post(`/api/projects/${id}/problems`, { category: 'land', description: '越权提出', level: 'county' }));
      expect404(`PATCH ${id}`, await team.owner.patch(`/api/projects/${id}`, { expectedVersion: 1, name: '越权修改' }));
      expect404(`events ${id}`, await team.owner.post(`/api/projects/${id}/events`, { type: 'WITHDRAW', expectedVersion: 1 }));
      expect404(`upload ${id}`, await uploadFile(team.owner, id, 'proposal', minimalPdf('x'), '越权上传.pdf'));
      if (documentsTried < 40) {
        for (const document of (await team.staff.get(`/api/projects/${id}/documents`)).body.items) {
          documentsTried++;
          expect404(`content ${document.id}`, await team.owner.get(`/api/documents/${document.id}/content`));
        }
      }
    }
    expect(documentsTried).to.be.above(0);
    expect(wrong).to.deep.equal([]);
    // …and the lists never show them.
    const own = await team.owner.get('/api/projects?limit=200');
    expect(own.body.items.every((p: any) => p.orgId === team.orgId)).to.equal(true);
  });

  describe('property-based: hostile values in every JSON body, query and path parameter', () => {
    const RUNS = 30;

    // Logging out would end the sessions the properties use; the matrix covers it.
    for (const key of Object.keys(POLICY).filter((k) => k !== 'POST /api/auth/logout')) {
      it(`${key}: never a 500, never internals, never past the access checks for the wrong caller`, async () => {
        const route = routes.find((r) => r.key === key)!;
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...callers), requestArbitrary(route, targets), async (caller, request) => {
            const options = { ...request.options, raw: await withCurrentVersion(request.path, request.options.raw) };
            const res = await clients[caller].request(route.method, request.path, options);
            expect(res.status, `${route.key} ${request.path} ${String(request.options.raw).slice(0, 200)}`).to.be.below(500);
            if ((res.headers.get('content-type') ?? '').includes('json')) expectNoInternals(res.body);
            // Every refusal, whatever was sent, is written for the person who reads it.
            if (res.status >= 400) expectWrittenForPeople(res.body);
            const expected = POLICY[route.key]![caller];
            if (expected === 401 || expected === 403 || expected === 404) expect(res.status, `${caller} on ${route.key}`).to.be.at.least(400);
          }),
          { numRuns: RUNS },
        );
      });
    }

    it('a body nested 100,000 levels deep is refused with a 4xx, and the service carries on', async () => {
      for (const raw of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)]) {
        const res = await team.owner.request('POST', `/api/projects/${targets.projectId}/events`, { raw, headers: { 'content-type': 'application/json' } });
        expect(res.status).to.be.within(400, 499);
        expectNoInternals(res.body);
      }
      expect((await team.owner.get(`/api/projects/${targets.projectId}`)).status).to.equal(200);
    });

    it('an own "__proto__" key in a body pollutes nothing: the next requests behave as before', async () => {
      const raw = '{"__proto__":{"role":"admin","isAdmin":true,"disabled":true},"constructor":{"prototype":{"role":"admin"}},"type":"SUBMIT","expectedVersion":0}';
      const res = await team.owner.request('POST', `/api/projects/${targets.projectId}/events`, { raw, headers: { 'content-type': 'application/json' } });
      expect(res.status).to.be.within(400, 499);
      expect(({} as Record<string, unknown>).role).to.equal(undefined);
      expectProblem(await team.owner.get('/api/users'), 403);
      expect((await team.owner.get('/api/auth/me')).body.user.role).to.equal('owner');
    });
  });

  describe('hostile files over HTTP', () => {
    let projectId: string;
    before(async () => {
      projectId = (await createProject(team.owner)).id;
    });

    it('an upload form without a file is 422 on "file", not a server error', async () => {
      const form = new FormData();
      form.append('docType', 'proposal');
      const res = await team.owner.request('POST', `/api/projects/${projectId}/documents`, { form });
      expectProblem(res, 422);
      expect(res.body.errors.map((e: any) => e.path)).to.include('file');
    });

    it('two files in one form are refused (400)', async () => {
      const form = new FormData();
      form.append('docType', 'proposal');
      form.append('file', new Blob([minimalPdf('one')]), 'a.pdf');
      form.append('file', new Blob([minimalPdf('two')]), 'b.pdf');
      expectProblem(await team.owner.request('POST', `/api/projects/${projectId}/documents`, { form }), 400);
    });

    it('a 0-byte file is 415 and leaves no record', async () => {
      expectProblem(await uploadFile(team.owner, projectId, 'proposal', new Uint8Array(0), '空文件.pdf'), 415);
      expect((await team.owner.get(`/api/projects/${projectId}/documents`)).body.items).to.have.length(0);
    });

    it('polyglots keep the kind their first bytes prove and are only ever served as inert attachments', async () => {
      const html = Buffer.from('<html><body><script>fetch("/api/users")</script></body></html>\n');
      const jpegThenZip = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]), Buffer.alloc(64), await zip([{ name: 'evil.html', data: html }])]);
      const cases: [string, Buffer, string, string][] = [
        ['PDF with HTML and script inside', Buffer.concat([Buffer.from('%PDF-1.4\n'), html, minimalPdf('tail')]), '申报书.pdf', 'application/pdf'],
        ['JPEG with a ZIP appended (GIFAR-style)', jpegThenZip, '现场照片.jpg', 'image/jpeg'],
      ];
      for (const [what, bytes, name, mime] of cases) {
        const document = await upload(team.owner, projectId, 'proposal', name, bytes);
        expect(document.mime, what).to.equal(mime);
        const res = await team.owner.get(`/api/documents/${document.id}/content`);
        expect(res.status).to.equal(200);
        expect(res.headers.get('content-type'), what).to.match(new RegExp(`^${mime}`));
        expect(res.headers.get('content-disposition'), what).to.match(/^attachment;/);
        expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      }
      // Markup first is not one of the accepted kinds, whatever follows it.
      expectProblem(await uploadFile(team.owner, projectId, 'proposal', Buffer.concat([html, minimalPdf('after')]), '申报书.pdf'), 415);
    });

    it('a ZIP bomb disguised as OFD (OFD.xml inflating to 256 MiB) is filed by its headers, quickly, without inflating it', async () => {
      const bomb = await zip([
        { name: 'OFD.xml', data: Buffer.alloc(256 * 1024 * 1024), deflate: true },
        { name: 'Doc_0/Document.xml', data: Buffer.from('<ofd:Document/>') },
      ]);
      expect(bomb.length).to.be.below(1024 * 1024);
      const started = Date.now();
      const document = await upload(team.owner, projectId, 'approval_doc', '批复文件.ofd', bomb);
      expect(Date.now() - started).to.be.below(3000);
      expect(document.mime).to.equal('application/ofd');
      expect((await team.owner.get(`/api/documents/${document.id}/content`)).body.length).to.equal(bomb.length);
    });

    it('a ZIP bomb disguised as an Excel import (a sheet inflating to 256 MiB) is refused by its directory, quickly, without inflating it', async () => {
      const bomb = await zip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(256 * 1024 * 1024), deflate: true },
      ]);
      const form = new FormData();
      form.append('kind', 'plans');
      form.append('file', new Blob([new Uint8Array(bomb)]), '年度计划.xlsx');
      const started = Date.now();
      const res = await team.staff.request('POST', '/api/imports', { form });
      expect(Date.now() - started).to.be.below(3000);
      expectProblem(res, 415);
      expect(res.body.detail).to.contain('过大');
    });

    it('a truncated PDF is stored as uploaded; once accepted, the application document still renders', async () => {
      const truncated = minimalPdf('truncated in transit').subarray(0, 80);
      const document = await upload(team.owner, projectId, 'proposal', '截断的建议书.pdf', truncated);
      await review(team.staff, document.id, 'accept');
      const res = await team.staff.get(`/api/projects/${projectId}/application.pdf`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/pdf/);
    });

    it('a name with a path and bidi overrides is cleaned, and the download header stays valid', async () => {
      const document = await upload(team.owner, projectId, 'eia', '..\\..\\C:\\审批\u202e\u2066文件\u202cgpj.pdf');
      // eslint-disable-next-line no-control-regex -- the very characters that must not survive
      expect(document.fileName).not.to.match(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\\/]/);
      const res = await team.owner.get(`/api/documents/${document.id}/content`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-disposition')).to.match(/^[\x20-\x7e]*$/);
    });

    it('control characters sent raw in the part header (NUL, BEL, ESC, DEL) are a 400, not a server error', async () => {
      for (const control of ['\u0000', '\u0007', '\u001b[31m', '\u007f']) {
        expectProblem(await uploadFile(team.owner, projectId, 'eia', minimalPdf('x'), `审批${control}文件.pdf`), 400);
      }
    });
  });
});

describe('security headers', () => {
  const directives = (policy: string | null) =>
    new Map((policy ?? '').split(';').filter(Boolean).map((d) => { const [name, ...values] = d.trim().split(/\s+/); return [name!, values] as const; }));

  it('every API answer, success or error, carries helmet\'s protections and no x-powered-by', async () => {
    for (const res of [await anonymousClient().get('/api/public/board'), await anonymousClient().get('/api/projects'), await anonymousClient().get('/api/nope')]) {
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(res.headers.get('x-frame-options')).to.equal('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).to.equal('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy')).to.equal('same-origin');
      expect(res.headers.get('cross-origin-resource-policy')).to.equal('same-origin');
      expect(res.headers.get('x-powered-by')).to.equal(null);
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp.get('default-src')).to.deep.equal(["'self'"]);
      expect(csp.get('frame-ancestors')).to.deep.equal(["'self'"]);
    }
  });

  it("the web page's policy: scripts from the app's own origin only, no plugins, no foreign base or form targets", async () => {
    const dist = await mkdtemp(path.join(os.tmpdir(), 'fundflow-csp-'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>测试</title>');
    for (const behindHttps of [false, true]) {
      const app = express().use(webApp({ behindHttps, distDir: dist }));
      const server = app.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const { port } = server.address() as { port: number };
        const res = await fetch(`http://127.0.0.1:${port}/projects/1`, { headers: { accept: 'text/html' } });
        expect(res.status).to.equal(200);
        const csp = directives(res.headers.get('content-security-policy'));
        expect(csp.get('script-src')).to.deep.equal(["'self'"]);
        expect(csp.get('script-src-attr')).to.deep.equal(["'none'"]);
        expect(csp.get('object-src')).to.deep.equal(["'none'"]);
        expect(csp.get('base-uri')).to.deep.equal(["'self'"]);
        expect(csp.get('form-action')).to.deep.equal(["'self'"]);
        expect(csp.get('frame-ancestors')).to.deep.equal(["'self'"]);
        expect([...csp.values()].flat()).not.to.include.members(["'unsafe-eval'", '*']);
        expect(csp.has('upgrade-insecure-requests'), `behind HTTPS: ${behindHttps}`).to.equal(behindHttps);
      } finally {
        server.close();
      }
    }
    await rm(dist, { recursive: true, force: true });
  });
});

/** Puts the project's current version where a request body asks for it (unless the property replaced it). */
async function withCurrentVersion(path: string, raw: string | undefined): Promise<string | undefined> {
  const marker = `"expectedVersion":${CURRENT_VERSION}`;
  if (!raw?.includes(marker)) return raw;
  const id = /^\/api\/projects\/([0-9a-f]{24})/.exec(path)?.[1];
  const project = id ? await (await sharedTeam()).staff.get(`/api/projects/${id}`) : undefined;
  return raw.replace(marker, `"expectedVersion":${project?.status === 200 ? project.body.project.version : 1}`);
}

/** A fresh login of the same user as `caller`, so that one can be spent (logout) or stripped of its token. */
const sessions = new Map<Caller, { username: string; password: string }>();
async function secondSession(team: Team, caller: Exclude<Caller, 'anonymous'>): Promise<ApiClient> {
  let account = sessions.get(caller);
  if (!account) {
    const role = caller === 'otherOwner' ? 'owner' : caller;
    const orgId = caller === 'owner' ? team.orgId : caller === 'otherOwner' ? (await team.otherOwner.get('/api/auth/me')).body.user.orgId : undefined;
    account = await signedInUser(team.admin, role, orgId);
    sessions.set(caller, account);
  }
  const client = new ApiClient(service().url);
  expect((await client.login(account.username, account.password)).status).to.equal(200);
  return client;
}

// ------------------------------------------------------------------ arbitraries

const OPERATORS = [{ $gt: '' }, { $ne: null }, { $where: 'sleep(5000)' }, { $regex: '.*' }, { $in: [] }, { $expr: { $eq: [1, 1] } }];
const ODD_STRINGS = ['', ' ', '\u0000', 'a\u0000b', '\u202eFDP.exe', '\u2066\u2069', '\ud800', '\uffff', 'a'.repeat(20_000), '<script>alert(1)</script>', '../../../../etc/passwd', '$gt', 'x.y', '__proto__', 'constructor', '{"$gt":""}', '1e400', 'NaN', '-0', '０１２'];
const ODD_NUMBERS = [0, -0, -1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, -(2 ** 63), 1e-320];
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', '$gt', '$where', '$set', 'a.b', '', 'toString', 'hasOwnProperty', '\u0000'];

const hostileScalar = fc.oneof(
  fc.constantFrom<unknown>(...OPERATORS, ...ODD_STRINGS, ...ODD_NUMBERS, null, true, false, [], {}),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
);
const hostileKey = fc.oneof(fc.constantFrom(...ODD_KEYS), fc.string({ maxLength: 12 }));

/** Objects built with own properties, so "__proto__" reaches the wire as a key instead of setting a prototype. */
function ownObject(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  return object;
}

const { hostile } = fc.letrec<{ hostile: unknown }>((tie) => ({
  hostile: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    hostileScalar,
    fc.array(tie('hostile'), { maxLength: 3 }),
    fc.array(fc.tuple(hostileKey, tie('hostile')), { maxLength: 3 }).map(ownObject),
  ),
}));

/** A valid body with one field (possibly nested) replaced and maybe a hostile key added, or something else entirely. */
function hostileBody(valid: unknown): fc.Arbitrary<unknown> {
  if (typeof valid !== 'object' || valid === null) return hostile;
  const paths = fieldPaths(valid);
  const extraKeys = fc.array(fc.tuple(hostileKey, hostile), { minLength: 1, maxLength: 3 }).map((extra) => ownObject([...Object.entries(valid), ...extra]));
  if (paths.length === 0) return fc.oneof(extraKeys, hostile);
  const mutated = fc
    .tuple(fc.constantFrom(...paths), hostile, fc.option(fc.tuple(hostileKey, hostile), { nil: undefined }))
    .map(([path, value, extra]) => {
      const body = structuredClone(valid) as Record<string, unknown>;
      setPath(body, path, value);
      return extra ? ownObject([...Object.entries(body), extra]) : body;
    });
  // Every free-text field odd at once (control characters, bidi overrides, markup): still valid, so it is stored
  // and every later list, PDF and ledger has to carry it.
  const textPaths = paths.filter((p) => typeof getPath(valid, p) === 'string');
  const oddText = fc.tuple(...textPaths.map(() => fc.constantFrom(...SHORT_ODD_STRINGS))).map((values) => {
    const body = structuredClone(valid) as Record<string, unknown>;
    textPaths.forEach((p, i) => {
      if (!ENUM_FIELDS.has(p.at(-1)!)) setPath(body, p, `项目${values[i]}名称`);
    });
    return body;
  });
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 2, arbitrary: oddText }, { weight: 1, arbitrary: hostile });
}

const SHORT_ODD_STRINGS = ['\u0000', 'a\u0000b', '\u202eFDP.exe', '\u2066\u2069', '\ud800', '\uffff', '<script>alert(1)</script>', '../../../../etc/passwd', '$gt', '{"$gt":""}', '０１２', '\u0007\u001b[31m'];
/** Fields whose value is one of a fixed set: odd text there is just a validation error. */
const ENUM_FIELDS = new Set(['channel', 'field', 'type', 'decision', 'role', 'orgId', 'username', 'password', 'category', 'level', 'phone']);

function getPath(target: unknown, path: string[]): unknown {
  return path.reduce<unknown>((cursor, key) => (cursor as Record<string, unknown> | undefined)?.[key], target);
}

function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, inner]) => fieldPaths(inner, [...prefix, key]))].filter((p) => p.length > 0);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cursor: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string, unknown>;
  cursor[path.at(-1)!] = value;
}

/** Lone surrogates cannot be put in a URL at all (encodeURIComponent throws); what a client sends instead. */
const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const hostileQuery = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('page', 'limit', 'q', 'channel', 'stage', 'year', 'orgId', 'field', 'from', 'to', 'kind', 'leaderId', 'staffId', 'hasLeader', 'overdue', 'state', 'q[$gt]', 'limit[]', '__proto__', 'constructor[prototype]'), hostileKey),
      fc.oneof(fc.constantFrom(...ODD_STRINGS.map(String), ...ODD_NUMBERS.map(String), '1e400', '-1', '200', '201'), fc.string({ unit: 'binary', maxLength: 20 })),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(v))}`).join('&'));

const hostileId = fc.oneof(
  fc.constantFrom('000000000000000000000000', 'ffffffffffffffffffffffff', '%24gt', '..%2F..%2Fetc', '%00', 'null', '-1', '1e400', '__proto__', 'a'.repeat(5000)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(wellFormed(s))),
);

function requestArbitrary(route: Route, targets: Targets): fc.Arbitrary<{ path: string; options: { raw?: string; headers?: Record<string, string>; form?: FormData } }> {
  const { path: validPath, body: valid } = propertyRequest(route, targets);
  const path = fc.oneof({ weight: 3, arbitrary: fc.constant(validPath) }, { weight: 1, arbitrary: hostileId.map((id) => route.path.replace(/\{\w+\}/g, id)) });
  if (route.multipart) {
    const form = fc.tuple(hostileScalar, fc.string({ unit: 'binary', maxLength: 30 })).map(([docType, fileName]) => {
      const data = new FormData();
      data.append('docType', typeof docType === 'string' ? docType : JSON.stringify(docType) ?? '');
      data.append('file', new Blob([minimalPdf('hostile')]), fileName || 'x.pdf');
      return data;
    });
    return fc.record({ path, form }).map(({ path: p, form: f }) => ({ path: p, options: { form: f } }));
  }
  // A login body must stay malformed: a well-formed wrong one counts towards the limit shared with the other tests.
  const body = route.key === 'POST /api/auth/login' ? hostile.filter((b) => typeof b !== 'object' || b === null || typeof (b as { password?: unknown }).password !== 'string') : hostileBody(valid ?? {});
  return fc.record({ path, query: hostileQuery, body }).map(({ path: p, query, body: b }) => ({
    path: query ? `${p}${p.includes('?') ? '&' : '?'}${query}` : p,
    options: route.method === 'GET' ? {} : { raw: JSON.stringify(b) ?? 'null', headers: { 'content-type': 'application/json' } },
  }));
}

// ------------------------------------------------------------------ files

const deflated = promisify(deflateRaw);

/**
 * A ZIP of stored or deflated entries, written by hand so a bomb's declared sizes are its real ones. Deflated off
 * the event loop: the service runs in this process, and seconds of blocking would let it close the client's idle
 * connection just as the next request goes out on it (ECONNRESET).
 */
async function zip(entries: { name: string; data: Buffer; deflate?: boolean }[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const stored = entry.deflate ? await deflated(entry.data, { level: 9 }) : entry.data;
    const fields = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at);
      header.writeUInt16LE(0, at + 2);
      header.writeUInt16LE(entry.deflate ? 8 : 0, at + 4);
      header.writeUInt32LE(crc32(entry.data), at + 10);
      header.writeUInt32LE(stored.length, at + 14);
      header.writeUInt32LE(entry.data.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    fields(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
