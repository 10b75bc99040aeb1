import { reactive } from 'vue';
import { api, setCsrfToken } from './api/http';
import type { User } from './api/types';

/**
 * Who is signed in. A hint in localStorage says whether asking the service is
 * worth it, so a visitor who never signed in is not answered with a 401 first.
 */
const HINT = 'fundflow.signedIn';

/** `demoData`: the database holds demo data, which every page says in a banner. */
export const session = reactive({ user: undefined as User | undefined, checked: false, demoData: false });

export const homeOf = (role: User['role']) => ({ owner: '/projects', staff: '/queue', leader: '/dashboard', admin: '/admin' })[role];

async function loadMe(): Promise<void> {
  const me = await api.get<{ user: User; csrfToken: string; demoData: boolean }>('/api/auth/me');
  session.user = me.user;
  session.demoData = me.demoData;
  setCsrfToken(me.csrfToken);
  localStorage.setItem(HINT, '1');
}

export function forgetSession(): void {
  session.user = undefined;
  setCsrfToken('');
  localStorage.removeItem(HINT);
}

/** Visitors who have not signed in (the login page, the hall board) learn about demo data from the public status. */
async function loadStatus(): Promise<void> {
  session.demoData = (await api.get<{ demoData: boolean }>('/api/public/status')).demoData;
}

/** The signed-in user, asking the service once per page load. */
export async function currentUser(): Promise<User | undefined> {
  if (!session.checked) {
    session.checked = true;
    if (localStorage.getItem(HINT)) await loadMe().catch(forgetSession);
    // Without it the page still works; only the banner would be missing.
    if (!session.user) await loadStatus().catch(() => undefined);
  }
  return session.user;
}

export async function login(username: string, password: string): Promise<User> {
  await api.post('/api/auth/login', { username, password });
  // The token comes with the session the login created (GET /api/auth/me).
  await loadMe();
  return session.user!;
}

export async function logout(): Promise<void> {
  try {
    await api.post('/api/auth/logout');
  } finally {
    forgetSession();
  }
}
