import { startFollower } from './follower';
import { useLinkBase } from './inbox';
import { startSweeps, type TimedNotices } from './sweep';

/**
 * Starts deriving notifications (from changes, and from deadlines as days pass, its own and `otherDeadlines`);
 * `publicUrl` is where e-mail links point.
 */
export async function startNotifications(publicUrl: string, otherDeadlines: readonly TimedNotices[]): Promise<{ stop(): Promise<void> }> {
  useLinkBase(publicUrl);
  const follower = await startFollower();
  const sweeps = startSweeps(otherDeadlines);
  return {
    async stop() {
      await sweeps.stop();
      await follower.stop();
    },
  };
}
