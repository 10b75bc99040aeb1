import { messages } from '../../workflows/messages';
import { randomBytes } from 'node:crypto';
import { stageLabels } from '../../workflows/vocabulary';
import type { ProjectDoc } from '../projects/project.model';
import { isDuplicateKey } from '../shared/mongo-errors';
import { notFound } from '../shared/problem';
import { KeyedLock } from '../shared/keyed-lock';
import { Verification, VersionCode } from './verification.model';

/** Crockford's base32: no I, L, O or U, so a code read off paper is typed without mix-ups. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Ten characters, 50 random bits: short enough to type, far too many to guess. */
const CODE_LENGTH = 10;
const ATTEMPTS = 3;

function newCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  return [...bytes].map((b) => ALPHABET[b & 31]).join('');
}

/** The code as printed: two groups of five. */
export const printedCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`;

/** What a person typed, read the way Crockford's base32 intends: case, dashes and spaces ignored, I/L as 1, O as 0. */
export function normaliseCode(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

const printing = new KeyedLock();

/** The code of this project version, made and kept the first time the version is printed. */
export function verificationCode(project: ProjectDoc, orgName: string, now = new Date()): Promise<string> {
  const versionKey = `${project._id.toString()}:${project.version}`;
  return printing.run(versionKey, async () => {
    const known = await VersionCode.findById(versionKey).lean();
    if (known) return known.code;
    const key = { projectId: project._id, version: project.version };
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await Verification.create({ _id: newCode(), ...key, projectName: project.name, orgName, stage: project.stage, createdAt: now });
        await VersionCode.create({ _id: versionKey, projectId: project._id, code: created._id });
        return created._id;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt === ATTEMPTS) throw error;
        // The version has its code already (its key record was lost with a crash), or the new code was taken.
        const existing = await Verification.findOne(key, { _id: 1 }).lean();
        if (existing) {
          await VersionCode.create({ _id: versionKey, projectId: project._id, code: existing._id });
          return existing._id;
        }
      }
    }
  });
}

/** What a printed copy was generated from: project name, owner, stage and version, nothing else. */
export async function verify(typed: string) {
  const code = normaliseCode(typed);
  const found = code.length === CODE_LENGTH ? await Verification.findById(code).lean() : null;
  if (!found) throw notFound(messages.verificationCodeUnknown);
  return { projectName: found.projectName, orgName: found.orgName, stage: found.stage, stageLabel: stageLabels[found.stage], version: found.version };
}
