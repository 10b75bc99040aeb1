import type { Response } from 'express';
import { Schema, Types } from 'mongoose';
import { storedFilePath, type StoredFile } from './engine';
import { downloadName, isDossierFileKind } from './mime';

/** Who stored a file, as records name them. */
export interface Uploader {
  id: string;
  name: string;
}

/**
 * What every record of a stored file keeps, whatever the file is for (a dossier file, a site photo, a problem
 * attachment): the bytes are the storage engine's, kept once by SHA-256 and shared by content; the record names
 * them for one project, with the name it was uploaded under and the type sniffed from its bytes.
 */
export interface StoredFileRecord {
  _id: Types.ObjectId;
  projectId: Types.ObjectId;
  fileName: string;
  size: number;
  sha256: string;
  mime: string;
  kind: string;
  storageKey: string;
  uploadedAt: Date;
  uploadedBy: Uploader;
}

export const uploaderFields = { id: { type: String, required: true }, name: { type: String, required: true } };

/** The schema fields of a StoredFileRecord, for the models that extend it. */
export const storedFileFields = {
  projectId: { type: Schema.Types.ObjectId, required: true },
  fileName: { type: String, required: true },
  size: { type: Number, required: true },
  sha256: { type: String, required: true },
  mime: { type: String, required: true },
  kind: { type: String, required: true },
  storageKey: { type: String, required: true },
  uploadedAt: { type: Date, required: true },
  uploadedBy: uploaderFields,
};

/** A new record of a file just stored, for a project, by this user. */
export const recordOfStoredFile = (projectId: Types.ObjectId, file: StoredFile, user: { id: string; displayName: string }, now: Date): StoredFileRecord => ({
  _id: new Types.ObjectId(),
  projectId,
  fileName: file.originalName,
  size: file.size,
  sha256: file.sha256,
  mime: file.mime,
  kind: file.kind,
  storageKey: file.storageKey,
  uploadedAt: now,
  uploadedBy: { id: user.id, name: user.displayName },
});

/**
 * Sends a record's bytes with the type sniffed at upload, which the browser may not second-guess; as a download
 * under its name (with the extension of that type), unless shown in the page (a site photo).
 */
export function sendStoredFile(res: Response, uploadsDir: string, record: StoredFileRecord, as: 'download' | 'inline' = 'download'): Promise<void> {
  if (as === 'download') res.attachment(isDossierFileKind(record.kind) ? downloadName(record.fileName, record.kind) : record.fileName);
  const headers = { 'Content-Type': record.mime, 'X-Content-Type-Options': 'nosniff' };
  return new Promise<void>((resolve, reject) => res.sendFile(storedFilePath(uploadsDir, record.storageKey), { headers }, (err) => (err ? reject(err) : resolve())));
}
