import { z } from 'zod';
import { messages } from '../../workflows/messages';
import { roles } from '../shared/current-user';
import { MIN_PASSWORD_LENGTH } from './password-policy';
import { objectId } from '../shared/schemas';

export const userView = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(roles),
    orgId: z.string().optional(),
    email: z.string().optional(),
    disabled: z.boolean().optional(),
    mustChangePassword: z.boolean().optional().describe('使用管理员设置的临时密码，须先修改密码'),
  })
  .meta({ id: 'User' });

export const organisationView = z
  .object({ id: z.string(), name: z.string(), kind: z.string().optional() })
  .meta({ id: 'Organisation' });

export const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const organisationInput = z
  .object({ name: z.string().trim().min(2).max(100).meta({ title: '单位名称' }), kind: z.string().trim().max(50).meta({ title: '单位类型' }).optional() })
  .meta({ id: 'OrganisationInput' });

/** An e-mail address for notifications; the user sets it, or an administrator for them. */
export const emailAddress = z.email('邮箱地址格式不正确').max(254);

// The rest of the policy needs the username, which a PATCH does not carry: the service checks it (password-policy.ts).
const password = z.string().min(MIN_PASSWORD_LENGTH, messages.passwordTooShort(MIN_PASSWORD_LENGTH)).max(256);

export const userInput = z
  .object({
    username: z.string().trim().regex(/^[A-Za-z0-9_.-]{3,64}$/, messages.usernameRule),
    password,
    displayName: z.string().trim().min(1).max(50),
    role: z.enum(roles),
    orgId: objectId.optional(),
    email: emailAddress.optional(),
  })
  .refine((u) => u.role !== 'owner' || u.orgId, { path: ['orgId'], message: messages.ownerNeedsOrganisation })
  .meta({ id: 'UserInput' });

export const userPatch = z
  .object({
    password: password.optional(),
    displayName: z.string().trim().min(1).max(50).optional(),
    role: z.enum(roles).optional(),
    orgId: objectId.optional(),
    email: emailAddress.nullable().optional().describe('null 删除邮箱'),
    disabled: z.boolean().optional(),
  })
  .meta({ id: 'UserPatch' });

export const passwordChange = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: password })
  .meta({ id: 'PasswordChange' });
