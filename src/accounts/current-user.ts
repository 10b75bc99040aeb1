export const roles = ['owner', 'staff', 'leader', 'admin'] as const;
export type Role = (typeof roles)[number];

/** The signed-in user as every module sees it: loaded fresh on each request. */
export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgId?: string;
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
