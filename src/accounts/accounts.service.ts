import crypto from 'node:crypto';
import type { z } from 'zod';
import { Organisation, User, type OrganisationDoc, type UserDoc } from './accounts.model';
import type { CurrentUser } from '../shared/current-user';
import type { organisationInput, userInput, userPatch } from './accounts.schemas';
import { hashPassword, verifyDecoy, verifyPassword } from './password';
import { conflict, invalid, notFound } from '../shared/problem';
import { isDuplicateKey } from '../shared/mongo-errors';
import { endSessionsOf } from './session-records';

export function toCurrentUser(user: UserDoc): CurrentUser {
  return {
    id: user._id.toString(),
    username: user.username,
    displayName: user.displayName,
    role: user.role as CurrentUser['role'],
    orgId: user.orgId?.toString(),
  };
}

const userView = (user: UserDoc) => ({ ...toCurrentUser(user), disabled: user.disabled ?? false });
const organisationView = (org: OrganisationDoc) => ({ id: org._id.toString(), name: org.name, kind: org.kind ?? undefined });

export async function authenticate(username: string, password: string): Promise<CurrentUser | undefined> {
  const user = await User.findOne({ username }).lean<UserDoc>();
  if (!user || user.disabled) {
    await verifyDecoy(password);
    return undefined;
  }
  return (await verifyPassword(user.passwordHash, password)) ? toCurrentUser(user) : undefined;
}

export async function loadCurrentUser(id: string): Promise<CurrentUser | undefined> {
  const user = await User.findById(id).lean<UserDoc>();
  return user && !user.disabled ? toCurrentUser(user) : undefined;
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

export const organisationName = (id: string): string | undefined => organisationDirectory.get(id);

export async function listOrganisations() {
  const orgs = await Organisation.find().sort({ name: 1 }).lean<OrganisationDoc[]>();
  return orgs.map(organisationView);
}

export async function createOrganisation(input: z.output<typeof organisationInput>) {
  try {
    const created = organisationView((await Organisation.create(input)).toObject());
    organisationDirectory.set(created.id, created.name);
    return created;
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict('单位名称已存在');
    throw error;
  }
}

export async function listUsers(page: number, limit: number) {
  const [users, total] = await Promise.all([
    User.find().sort({ username: 1 }).skip((page - 1) * limit).limit(limit).lean<UserDoc[]>(),
    User.countDocuments(),
  ]);
  return { items: users.map(userView), total, page, limit };
}

function assertOrganisation(orgId: string | undefined): void {
  if (orgId && !organisationExists(orgId)) throw invalid([{ path: 'orgId', message: '所属单位不存在' }]);
}

export async function createUser(input: z.output<typeof userInput>) {
  assertOrganisation(input.orgId);
  const { password, ...fields } = input;
  try {
    const user = await User.create({ ...fields, passwordHash: await hashPassword(password) });
    return userView(user.toObject());
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict('用户名已存在');
    throw error;
  }
}

/** Disabling a user, or changing what they may do, ends their sessions at once. */
export async function updateUser(id: string, patch: z.output<typeof userPatch>) {
  const current = await User.findById(id).lean<UserDoc>();
  if (!current) throw notFound('用户不存在');
  if ((patch.role ?? current.role) === 'owner' && !(patch.orgId ?? current.orgId)) {
    throw invalid([{ path: 'orgId', message: '项目单位用户必须指定所属单位' }]);
  }
  assertOrganisation(patch.orgId);
  await assertNotLastAdministrator(current, patch);
  const { password, ...fields } = patch;
  const update = password ? { ...fields, passwordHash: await hashPassword(password) } : fields;
  const user = await User.findByIdAndUpdate(id, update, { returnDocument: 'after', runValidators: true }).lean<UserDoc>();
  if (!user) throw notFound('用户不存在');
  if (patch.disabled || password || patch.role || patch.orgId) await endSessionsOf(user._id.toString());
  return userView(user);
}

/** The system must always keep one administrator who can log in. */
async function assertNotLastAdministrator(user: UserDoc, patch: z.output<typeof userPatch>): Promise<void> {
  const losesAdmin = patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin');
  if (user.role !== 'admin' || user.disabled || !losesAdmin) return;
  if ((await User.countDocuments({ role: 'admin', disabled: { $ne: true } })) <= 1) throw conflict('不能停用或降级唯一的系统管理员');
}

/** First start: create the administrator, with a generated password when none is configured. */
export async function ensureAdministrator(username = 'admin', configuredPassword?: string) {
  if (await User.exists({ role: 'admin' })) return undefined;
  const password = configuredPassword ?? crypto.randomBytes(12).toString('base64url');
  await User.create({ username, displayName: '系统管理员', role: 'admin', passwordHash: await hashPassword(password) });
  return { username, password, generated: !configuredPassword };
}
