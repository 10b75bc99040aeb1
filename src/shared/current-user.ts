import type { Actor, Role } from '../../workflows/roles';

export { roles, type Role } from '../../workflows/roles';

/** The signed-in user as every module sees it: loaded fresh on each request. */
export interface CurrentUser extends Actor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgId?: string;
  /** Signed in with a password an administrator set: everything waits until they choose their own. */
  mustChangePassword?: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    currentUser?: CurrentUser;
  }
}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
  }
}
