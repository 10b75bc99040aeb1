/**
 * Slows password guessing without letting anyone lock a user out. Failed logins are counted for each account and
 * address together, and for each address across accounts; past the allowance (LOGIN_FAILURES_PER_USER,
 * LOGIN_FAILURES_PER_ADDRESS within LOGIN_WINDOW_MS) that pair or address is held back, LOGIN_FIRST_HOLD_MS (a minute)
 * the first time and twice as long each time after (at most an hour; hold-backs are remembered for a day). Logins of the same
 * account from anywhere else go on: failures typed elsewhere never hold the owner back.
 */
import type { Request, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Settings } from '../config';
import { tooManyRequests } from '../shared/problem';
import { KeyedLock } from '../shared/keyed-lock';
import { recordAudit, sourceOf } from '../audit/audit.service';
import type { CurrentUser } from '../shared/current-user';
import { messages } from '../../workflows/messages';

const MAX_HOLD_S = 60 * 60;
const HOLDS_REMEMBERED_S = 24 * 60 * 60;

/** Failures and hold-backs of one kind of key (an account at an address, or an address). */
class Scope {
  private readonly failures: RateLimiterMemory;
  private readonly holds: RateLimiterMemory;

  constructor(
    name: string,
    private readonly allowed: number,
    windowMs: number,
    private readonly firstHoldMs: number,
  ) {
    this.failures = new RateLimiterMemory({ keyPrefix: `${name}:failures`, points: allowed, duration: Math.ceil(windowMs / 1000) });
    this.holds = new RateLimiterMemory({ keyPrefix: `${name}:holds`, points: Number.MAX_SAFE_INTEGER, duration: HOLDS_REMEMBERED_S });
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  async heldBackMs(key: string): Promise<number> {
    const state = await this.failures.get(key);
    return state && state.consumedPoints > this.allowed ? state.msBeforeNext : 0;
  }

  /** Counts a failure; the hold-back in seconds that starts with it, if it used up the allowance. */
  async fail(key: string): Promise<number | undefined> {
    if ((await this.failures.penalty(key)).consumedPoints < this.allowed) return undefined;
    const holds = (await this.holds.penalty(key)).consumedPoints;
    const seconds = Math.min(Math.ceil((this.firstHoldMs / 1000) * 2 ** (holds - 1)), MAX_HOLD_S);
    await this.failures.block(key, seconds);
    return seconds;
  }

  forget(key: string): Promise<boolean> {
    return this.failures.delete(key);
  }
}

const usernameOf = (req: Request) => String(req.body?.username ?? '').trim().toLowerCase();
const addressOf = (req: Request) => ipKeyGenerator(req.ip ?? '');
const duration = (seconds: number) => (seconds < 60 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`);

export interface LoginThrottle {
  /**
   * One login attempt: refused (429) while its account and address, or its address, is held back, without the
   * password being checked; otherwise `check` runs and a failure is counted (and audited) before the answer.
   */
  attempt(req: Request, res: Response, check: () => Promise<CurrentUser | undefined>): Promise<CurrentUser | undefined>;
}

export function loginThrottle(settings: Settings): LoginThrottle {
  const pairs = new Scope('account-address', settings.loginFailuresPerUser, settings.loginWindowMs, settings.loginFirstHoldMs);
  const addresses = new Scope('address', settings.loginFailuresPerAddress, settings.loginWindowMs, settings.loginFirstHoldMs);
  // Attempts of one account from one address run one after another, so parallel guesses cannot outrun the count.
  const inTurn = new KeyedLock();

  async function failed(req: Request, pair: string, address: string): Promise<void> {
    const target = { type: 'user' as const, name: usernameOf(req) };
    await recordAudit({ ...sourceOf(req), action: 'auth.login_failed', target });
    const pairHold = await pairs.fail(pair);
    const addressHold = await addresses.fail(address);
    if (pairHold) await recordAudit({ ...sourceOf(req), action: 'auth.login_blocked', target, summary: `该账号从此地址的登录暂停 ${duration(pairHold)}` });
    if (addressHold) await recordAudit({ ...sourceOf(req), action: 'auth.login_blocked', target, summary: `此地址的所有登录暂停 ${duration(addressHold)}` });
  }

  return {
    attempt(req, res, check) {
      const address = addressOf(req);
      const pair = `${address}|${usernameOf(req)}`;
      return inTurn.run(pair, async () => {
        const waitMs = Math.max(await pairs.heldBackMs(pair), await addresses.heldBackMs(address));
        if (waitMs) {
          const seconds = Math.ceil(waitMs / 1000);
          res.setHeader('Retry-After', String(seconds));
          throw tooManyRequests(messages.loginHeldBack(duration(seconds)));
        }
        const user = await check();
        if (!user) {
          await failed(req, pair, address);
          return undefined;
        }
        // Only the pair: a valid login of one account must not clear an address's failures on others.
        await pairs.forget(pair);
        await recordAudit({ ...sourceOf(req, user), action: 'auth.login', target: { type: 'user', id: user.id, name: user.username } });
        return user;
      });
    },
  };
}
