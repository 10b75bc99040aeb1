import { z } from 'zod';
import type { ApiRouter } from '../shared/api-router';
import type { Settings } from '../config';
import { unauthorized } from '../shared/problem';
import { loginThrottle } from './login-throttle';
import { messages } from '../../workflows/messages';
import { loginBody, organisationInput, organisationView, passwordChange, userInput, userPatch, userView } from './accounts.schemas';
import { idParams, pageOf, pageQuery } from '../shared/schemas';
import * as accounts from './accounts.service';
import { SESSION_COOKIE, csrf, regenerateSession } from './sessions';
import { sourceOf } from '../audit/audit.service';

const meView = z.object({
  user: userView,
  csrfToken: z.string(),
  demoData: z.boolean().describe('数据库中是否有演示数据（网页端据此在每个页面显示“演示数据”横幅）'),
});

/** What the signed-in user's page needs to know about the system as a whole, asked of the modules that know it. */
export interface SystemStatus {
  demoDataPresent(): Promise<boolean>;
}

export function authRoutes(api: ApiRouter, settings: Settings, status: SystemStatus): void {
  const throttle = loginThrottle(settings);
  api.route(
    {
      method: 'post',
      path: '/api/auth/login',
      tag: '账户',
      summary: '登录',
      access: 'public',
      body: loginBody,
      responses: { 200: { description: '已登录', schema: z.object({ user: userView }) } },
    },
    async ({ body, req, res }) => {
      const user = await throttle.attempt(req, res, () => accounts.authenticate(body.username, body.password));
      if (!user) throw unauthorized(messages.badCredentials);
      // A new session id on login defeats session fixation.
      await regenerateSession(req);
      req.session.userId = user.id;
      return { body: { user } };
    },
  );

  api.route({ method: 'post', path: '/api/auth/logout', tag: '账户', summary: '退出登录', access: 'user', withTemporaryPassword: true }, async ({ req, res }) => {
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie(SESSION_COOKIE);
    return undefined;
  });

  api.route(
    {
      method: 'get',
      path: '/api/auth/me',
      tag: '账户',
      summary: '当前用户与 CSRF 令牌',
      access: 'user',
      withTemporaryPassword: true,
      responses: { 200: { description: '当前用户', schema: meView } },
    },
    async ({ user, req }) => ({ body: { user, csrfToken: csrf.generateToken(req), demoData: await status.demoDataPresent() } }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/auth/password',
      tag: '账户',
      summary: '修改本人密码（须提供当前密码；其他设备上的登录随之退出）',
      access: 'user',
      withTemporaryPassword: true,
      body: passwordChange,
      responses: { 204: { description: '已修改' }, 422: { description: '当前密码不正确，或新密码不符合要求' } },
    },
    async ({ user, body, req }) => {
      await accounts.changeOwnPassword(user, body, req.sessionID, sourceOf(req));
      return undefined;
    },
  );
}

export function adminRoutes(api: ApiRouter): void {
  const admin = ['admin'] as const;

  api.route(
    // Staff name the owner organisation of the projects they create; leaders filter by it.
    { method: 'get', path: '/api/orgs', tag: '系统管理', summary: '单位列表', access: ['admin', 'staff', 'leader'], responses: { 200: { description: '单位', schema: z.object({ items: z.array(organisationView) }) } } },
    async () => ({ body: { items: await accounts.listOrganisations() } }),
  );

  api.route(
    // Staff name a project's responsible leader and member of staff from these (包联领导、经办人).
    {
      method: 'get',
      path: '/api/people',
      tag: '系统管理',
      summary: '可指定的领导或工作人员（姓名，仅在用账号）',
      access: ['staff', 'leader'],
      query: z.object({ role: z.enum(['leader', 'staff']).optional().describe('不填则领导与工作人员都列出') }),
      responses: { 200: { description: '人员', schema: z.object({ items: z.array(z.object({ id: z.string(), displayName: z.string(), role: z.enum(['leader', 'staff']) })) }) } },
    },
    async ({ query }) => ({
      body: {
        items: (query.role ? [query.role] : (['leader', 'staff'] as const))
          .flatMap((role) => accounts.activeUsers(role).map((u) => ({ id: u.id, displayName: u.displayName, role })))
          .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN')),
      },
    }),
  );

  api.route(
    { method: 'post', path: '/api/orgs', tag: '系统管理', summary: '新建单位', access: admin, body: organisationInput, responses: { 201: { description: '已创建', schema: z.object({ organisation: organisationView }) } } },
    async ({ body, req }) => ({ status: 201, body: { organisation: await accounts.createOrganisation(body, sourceOf(req)) } }),
  );

  api.route(
    { method: 'get', path: '/api/users', tag: '系统管理', summary: '用户列表', access: admin, query: pageQuery, responses: { 200: { description: '用户', schema: pageOf(userView) } } },
    async ({ query }) => ({ body: await accounts.listUsers(query.page, query.limit) }),
  );

  api.route(
    { method: 'post', path: '/api/users', tag: '系统管理', summary: '新建用户', access: admin, body: userInput, responses: { 201: { description: '已创建', schema: z.object({ user: userView }) } } },
    async ({ body, req }) => ({ status: 201, body: { user: await accounts.createUser(body, sourceOf(req)) } }),
  );

  api.route(
    { method: 'patch', path: '/api/users/:id', tag: '系统管理', summary: '修改或停用用户；设置的密码为临时密码，用户下次登录须修改', access: admin, params: idParams, body: userPatch, responses: { 200: { description: '已修改', schema: z.object({ user: userView }) } } },
    async ({ params, body, req }) => ({ body: { user: await accounts.updateUser(params.id, body, sourceOf(req)) } }),
  );
}
