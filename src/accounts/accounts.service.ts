import { LRUCache } from 'lru-cache';
import crypto from 'node:crypto';
import type { z } from 'zod';
import { Organisation, User, type OrganisationDoc, type UserDoc } from './accounts.model';
import type { CurrentUser } from '../shared/current-user';
import { messages } from '../../workflows/messages';
import type { organisationInput, userInput, userPatch } from './accounts.schemas';
import { hashPassword, verifyDecoy, verifyPassword } from './password';
import { conflict, invalid, notFound } from '../shared/problem';
import { StartRefused } from '../config';
import { isDuplicateKey } from '../shared/mongo-errors';
import { endSessionsOf } from './session-records';
import { passwordProblem } from './password-policy';
import { SYSTEM_ACTOR, type AuditChange, type AuditValue } from '../audit/audit.model';
import { recordAudit, type AuditSource } from '../audit/audit.service';

export function toCurrentUser(user: UserDoc): CurrentUser {
  return {
    id: user._id.toString(),
    username: user.username,
    displayName: user.displayName,
    role: user.role as CurrentUser['role'],
    orgId: user.orgId?.toString(),
    ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
  };
}

const userView = (user: UserDoc) => ({ ...toCurrentUser(user), email: user.email ?? undefined, disabled: user.disabled ?? false });
const organisationView = (org: OrganisationDoc) => ({ id: org._id.toString(), name: org.name, kind: org.kind ?? undefined });

export async function authenticate(username: string, password: string): Promise<CurrentUser | undefined> {
  const user = await User.findOne({ username }).lean<UserDoc>();
  if (!user || user.disabled) {
    await verifyDecoy(password);
    return undefined;
  }
  return (await verifyPassword(user.passwordHash, password)) ? toCurrentUser(user) : undefined;
}

/**
 * Signed-in users as each request sees them, kept in memory: every change to a
 * user goes through updateUser in this process (the database's only one), which
 * forgets the user, so a disabled account is still out at once.
 */
const signedIn = new LRUCache<string, { user: CurrentUser | undefined }>({ max: 5_000 });

export async function loadCurrentUser(id: string): Promise<CurrentUser | undefined> {
  const known = signedIn.get(id);
  if (known) return known.user;
  const stored = await User.findById(id).lean<UserDoc>();
  const user = stored && !stored.disabled ? toCurrentUser(stored) : undefined;
  signedIn.set(id, { user });
  return user;
}

/**
 * Every organisation's name, held in memory: lists and reports name the unit of
 * each of thousands of projects, and organisations are few and change rarely
 * (only through this module, in the one service process).
 */
const organisationDirectory = new Map<string, string>();

export async function loadOrganisationDirectory(): Promise<void> {
  const orgs = await Organisation.find({}, { name: 1 }).lean<OrganisationDoc[]>();
  organisationDirectory.clear();
  for (const org of orgs) organisationDirectory.set(org._id.toString(), org.name);
}

export const organisationExists = (id: string): boolean => organisationDirectory.has(id);

/** Who receives what (src/notifications): a user's role, organisation, name and e-mail address. */
export interface DirectoryEntry extends CurrentUser {
  email?: string;
  disabled: boolean;
}

/**
 * Every user, held in memory like the organisations: notifications go to "all
 * staff" or "every user of this unit" many times a minute, users are few, and
 * every change to them goes through this module.
 */
const userDirectory = new Map<string, DirectoryEntry>();

const directoryEntry = (user: UserDoc): DirectoryEntry => ({ ...toCurrentUser(user), email: user.email ?? undefined, disabled: user.disabled ?? false });

export async function loadUserDirectory(): Promise<void> {
  const users = await User.find({}, { passwordHash: 0 }).lean<UserDoc[]>();
  userDirectory.clear();
  for (const user of users) userDirectory.set(user._id.toString(), directoryEntry(user));
}

/** A user as the directory knows them, disabled or not. */
export const userEntry = (id: string): DirectoryEntry | undefined => userDirectory.get(id);

/** The user, when the account is in use and has this role. */
export function activeUser(id: string, role: CurrentUser['role']): DirectoryEntry | undefined {
  const user = userDirectory.get(id);
  return user && !user.disabled && user.role === role ? user : undefined;
}

/** The users who may sign in and have this role (and, when given, belong to this organisation). */
export function activeUsers(role: CurrentUser['role'], orgId?: string): DirectoryEntry[] {
  return [...userDirectory.values()].filter((user) => !user.disabled && user.role === role && (orgId === undefined || user.orgId === orgId));
}

export const organisationName = (id: string): string | undefined => organisationDirectory.get(id);

/** Every organisation by its name, as an import reads them (names are unique). */
export const organisationsByName = (): Map<string, string> => new Map([...organisationDirectory].map(([id, name]) => [name, id]));


export async function listOrganisations() {
  const orgs = await Organisation.find().sort({ name: 1 }).lean<OrganisationDoc[]>();
  return orgs.map(organisationView);
}

export async function createOrganisation(input: z.output<typeof organisationInput>, source: AuditSource) {
  let org: OrganisationDoc;
  try {
    org = (await Organisation.create(input)).toObject();
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict(messages.organisationNameTaken);
    throw error;
  }
  organisationDirectory.set(org._id.toString(), org.name);
  await recordAudit({
    ...source,
    action: 'organisation.create',
    target: { type: 'organisation', id: org._id.toString(), name: org.name },
    changes: changesBetween({}, { name: org.name, kind: org.kind }),
  });
  return organisationView(org);
}

export async function listUsers(page: number, limit: number) {
  const [users, total] = await Promise.all([
    User.find().sort({ username: 1 }).skip((page - 1) * limit).limit(limit).lean<UserDoc[]>(),
    User.countDocuments(),
  ]);
  return { items: users.map(userView), total, page, limit };
}

function assertOrganisation(orgId: string | undefined): void {
  if (orgId && !organisationExists(orgId)) throw invalid([{ path: 'orgId', message: messages.organisationUnknown }]);
}

function assertPasswordPolicy(password: string, username: string, path = 'password'): void {
  const problem = passwordProblem(password, username);
  if (problem) throw invalid([{ path, message: problem }]);
}

type Audited = Record<string, AuditValue | undefined>;

/** The fields that differ, old and new; a password only as changed. */
function changesBetween(before: Audited, after: Audited): AuditChange[] {
  return Object.keys(after)
    .filter((field) => after[field] !== undefined && after[field] !== before[field])
    .map((field) => ({ field, from: before[field], to: after[field] }));
}

/** What the log records of a user: never the hash. */
const auditedUser = (user: Pick<UserDoc, 'displayName' | 'role' | 'orgId' | 'email' | 'disabled'>): Audited => ({
  displayName: user.displayName,
  role: user.role,
  orgId: user.orgId?.toString() ?? null,
  email: user.email ?? null,
  disabled: user.disabled ?? false,
});

const userTarget = (user: UserDoc) => ({ type: 'user' as const, id: user._id.toString(), name: user.username });

interface NewUser extends z.output<typeof userInput> {
  /** Demo accounts keep their published password: they exist only while the demo data does (src/demo). */
  exemptFromPasswordPolicy?: boolean;
}

export async function createUser(input: NewUser, source: AuditSource) {
  const { password, exemptFromPasswordPolicy, ...fields } = input;
  if (!exemptFromPasswordPolicy) assertPasswordPolicy(password, input.username);
  assertOrganisation(input.orgId);
  let user: UserDoc;
  try {
    user = (await User.create({ ...fields, passwordHash: await hashPassword(password) })).toObject();
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict(messages.usernameTaken);
    throw error;
  }
  userDirectory.set(user._id.toString(), directoryEntry(user));
  // An address not given is not a change worth a line.
  const { email, ...created } = auditedUser(user);
  await recordAudit({
    ...source,
    action: 'user.create',
    target: userTarget(user),
    changes: [...changesBetween({}, { username: user.username, ...created, ...(email ? { email } : {}) }), { field: 'password' }],
  });
  return userView(user);
}

/**
 * Disabling a user, or changing what they may do, ends their sessions at once. A password the administrator sets
 * is a temporary one (a reset): the user must choose their own at the next login.
 */
export async function updateUser(id: string, patch: z.output<typeof userPatch>, source: AuditSource) {
  const current = await User.findById(id).lean<UserDoc>();
  if (!current) throw notFound(messages.userUnknown);
  if (patch.password) assertPasswordPolicy(patch.password, current.username);
  if ((patch.role ?? current.role) === 'owner' && !(patch.orgId ?? current.orgId)) {
    throw invalid([{ path: 'orgId', message: messages.ownerNeedsOrganisation }]);
  }
  assertOrganisation(patch.orgId);
  await assertNotLastAdministrator(current, patch);
  const { password, email, ...fields } = patch;
  const update = {
    ...fields,
    ...(password ? { passwordHash: await hashPassword(password), mustChangePassword: true } : {}),
    ...(email === null ? { $unset: { email: 1 } } : email ? { email } : {}),
  };
  const user = await User.findByIdAndUpdate(id, update, { returnDocument: 'after', runValidators: true }).lean<UserDoc>();
  signedIn.delete(id);
  if (!user) throw notFound(messages.userUnknown);
  userDirectory.set(id, directoryEntry(user));
  if (patch.disabled || password || patch.role || patch.orgId) await endSessionsOf(user._id.toString());
  const changes = changesBetween(auditedUser(current), auditedUser(user));
  if (changes.length) await recordAudit({ ...source, action: 'user.update', target: userTarget(user), changes });
  if (password) await recordAudit({ ...source, action: 'user.password_reset', target: userTarget(user), changes: [{ field: 'password' }], summary: '须在下次登录时修改密码' });
  return userView(user);
}

/**
 * A user chooses their own password, knowing the current one: it must meet the policy and differ from the current
 * one. Their other sessions end; the one they changed it in (`keepSession`) goes on.
 */
export async function changeOwnPassword(user: CurrentUser, change: { currentPassword: string; newPassword: string }, keepSession: string, source: AuditSource): Promise<void> {
  const stored = await User.findById(user.id).lean<UserDoc>();
  if (!stored) throw notFound(messages.userUnknown);
  if (!(await verifyPassword(stored.passwordHash, change.currentPassword))) throw invalid([{ path: 'currentPassword', message: messages.currentPasswordWrong }]);
  if (change.newPassword === change.currentPassword) throw invalid([{ path: 'newPassword', message: messages.passwordUnchanged }]);
  assertPasswordPolicy(change.newPassword, stored.username, 'newPassword');
  await User.updateOne({ _id: stored._id }, { passwordHash: await hashPassword(change.newPassword), mustChangePassword: false });
  signedIn.delete(user.id);
  await endSessionsOf(user.id, keepSession);
  await recordAudit({ ...source, action: 'user.password_change', target: userTarget(stored), changes: [{ field: 'password' }] });
}

/** A user's own e-mail address for notifications, set or (with undefined) removed by the user. */
export async function setOwnEmail(id: string, email: string | undefined, source: AuditSource): Promise<void> {
  const current = userDirectory.get(id);
  if (!current || (current.email ?? null) === (email ?? null)) return;
  const user = await User.findByIdAndUpdate(id, email ? { email } : { $unset: { email: 1 } }, { returnDocument: 'after' }).lean<UserDoc>();
  if (!user) throw notFound(messages.userUnknown);
  userDirectory.set(id, directoryEntry(user));
  await recordAudit({ ...source, action: 'user.update', target: userTarget(user), changes: [{ field: 'email', from: current.email ?? null, to: user.email ?? null }] });
}

/** The system must always keep one administrator who can log in. */
async function assertNotLastAdministrator(user: UserDoc, patch: z.output<typeof userPatch>): Promise<void> {
  const losesAdmin = patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin');
  if (user.role !== 'admin' || user.disabled || !losesAdmin) return;
  if ((await User.countDocuments({ role: 'admin', disabled: { $ne: true } })) <= 1) throw conflict(messages.lastAdministrator);
}

/**
 * First start: create the administrator, with a generated password when none is configured. In production a
 * configured password must meet the policy; elsewhere (tests, trials) a weak one is let through.
 */
export async function ensureAdministrator(options: { username?: string; password?: string; enforcePolicy: boolean }) {
  if (await User.exists({ role: 'admin' })) return undefined;
  const username = options.username ?? 'admin';
  const password = options.password ?? crypto.randomBytes(12).toString('base64url');
  const problem = options.enforcePolicy ? passwordProblem(password, username) : undefined;
  if (problem) throw new StartRefused(`ADMIN_PASSWORD 不符合密码要求：${problem}`);
  const admin = { username, displayName: '系统管理员', role: 'admin' as const, password, exemptFromPasswordPolicy: true };
  await createUser(admin, { actor: SYSTEM_ACTOR });
  return { username, password, generated: !options.password };
}
