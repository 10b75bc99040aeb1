import type { Channel } from './stages';

export function currentMachineVersion(channel: Channel): string {
  return `${channel}@1`;
}
