import argon2 from 'argon2';

// Argon2id with the library's defaults (64 MiB, 3 passes): memory-hard, OWASP-conformant.
export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
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
