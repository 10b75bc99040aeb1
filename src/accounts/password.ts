import { hash, verify, type Options } from '@node-rs/argon2';

// Argon2id at OWASP's recommended cost (19 MiB, 2 passes): memory-hard, and fast enough
// that a login stays well under a second on a busy two-core machine.
// `algorithm: 2` is Algorithm.Argon2id, a const enum the compiler settings cannot import as a value.
const options: Options = { algorithm: 2, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against a real hash for unknown usernames keeps response times alike,
// so timing does not reveal which usernames exist.
let decoyHash: Promise<string> | undefined;
export async function verifyDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword('decoy-password-not-used');
  await verifyPassword(await decoyHash, password);
  return false;
}
