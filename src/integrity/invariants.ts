/**
 * Reads everything back and reports what breaks the rules the service keeps
 * (issue 7): every project's version and history, its money, and every dossier
 * file, on disk with its recorded SHA-256 and findable through its locator.
 * Used after load and fault tests, after a restore, and by `npm run check`.
 */
import path from 'node:path';
import { Project, type ProjectDoc } from '../projects/project.model';
import { DocumentLocator } from '../dossier/document-locator.model';
import { storedFilePath } from '../dossier/storage';
import { projectViolations } from './project-rules';
import { digestFile, listStoredFiles, sha256OfKey, type FileDigest } from './stored-files';
import type { Violation } from './violation';

export type { Violation } from './violation';

export interface InvariantReport {
  projects: number;
  documents: number;
  /** Distinct stored files read and hashed. */
  files: number;
  violations: Violation[];
}

/** Hashes each stored file once, however many document versions share its content. */
class FileDigests {
  private readonly digests = new Map<string, Promise<FileDigest | undefined>>();

  constructor(private readonly uploadsDir: string) {}

  get(storageKey: string): Promise<FileDigest | undefined> {
    let digest = this.digests.get(storageKey);
    if (!digest) {
      digest = digestFile(storedFilePath(this.uploadsDir, storageKey)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      this.digests.set(storageKey, digest);
    }
    return digest;
  }

  get count(): number {
    return this.digests.size;
  }
}

async function locators(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const locator of DocumentLocator.collection.find({})) found.set(String(locator._id), String(locator.projectId));
  return found;
}

async function documentViolations(project: ProjectDoc, files: FileDigests, located: Map<string, string>): Promise<Violation[]> {
  const found: Violation[] = [];
  const projectId = project._id.toString();
  for (const document of project.documents ?? []) {
    const documentId = document._id.toString();
    const at = { projectId, documentId };
    if (located.get(documentId) !== projectId) {
      found.push({ rule: 'locator', ...at, detail: `材料 ${document.fileName} 没有指向本项目的定位记录` });
    }
    let digest: FileDigest | undefined;
    try {
      digest = await files.get(document.storageKey);
    } catch (err) {
      found.push({ rule: 'file-missing', ...at, detail: `材料 ${document.fileName} 的存储位置无效：${(err as Error).message}` });
      continue;
    }
    if (!digest) {
      found.push({ rule: 'file-missing', ...at, detail: `材料 ${document.fileName} 的文件 ${document.storageKey} 不存在` });
    } else if (digest.sha256 !== document.sha256 || digest.size !== document.size) {
      found.push({ rule: 'file-damaged', ...at, detail: `材料 ${document.fileName} 的文件与记录不符（SHA-256 ${digest.sha256}，${digest.size} 字节）` });
    }
  }
  return found;
}

/** Stored files no record points at must still hold the content their name says: a later upload of it would be answered with them. */
async function unreferencedFileViolations(uploadsDir: string, files: FileDigests): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const key of await listStoredFiles(uploadsDir)) {
    const digest = await files.get(key);
    if (digest && digest.sha256 !== sha256OfKey(key)) {
      found.push({ rule: 'file-damaged', detail: `存储文件 ${key} 的内容与其 SHA-256 名称不符` });
    }
  }
  return found;
}

export async function checkInvariants(opts: { uploadsDir: string }): Promise<InvariantReport> {
  const uploadsDir = path.resolve(opts.uploadsDir);
  const files = new FileDigests(uploadsDir);
  const located = await locators();
  const violations: Violation[] = [];
  let projects = 0;
  let documents = 0;
  for await (const project of Project.collection.find<ProjectDoc>({})) {
    projects++;
    documents += project.documents?.length ?? 0;
    violations.push(...projectViolations(project), ...(await documentViolations(project, files, located)));
  }
  violations.push(...(await unreferencedFileViolations(uploadsDir, files)));
  return { projects, documents, files: files.count, violations };
}
