import { startFollower } from './follower';
import { useLinkBase } from './inbox';
import { startSweeps } from './sweep';

/** Starts deriving notifications (from changes, and from deadlines as days pass); `publicUrl` is where e-mail links point. */
export async function startNotifications(publicUrl: string): Promise<{ stop(): Promise<void> }> {
  useLinkBase(publicUrl);
  const follower = await startFollower();
  const sweeps = startSweeps();
  return {
    async stop() {
      await sweeps.stop();
      await follower.stop();
    },
  };
}
