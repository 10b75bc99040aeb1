/** The file kinds a dossier (申报材料) may contain, decided from the file's bytes, never from its name. */
export type DossierFileKind = 'pdf' | 'ofd' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'jpg' | 'png' | 'zip';

export const DOSSIER_FILE_KINDS: readonly DossierFileKind[] = [
  'pdf',
  'ofd',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'jpg',
  'png',
  'zip',
];

/** The Content-Type to serve each kind with. */
export const DOSSIER_MIME_TYPES: Readonly<Record<DossierFileKind, string>> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpg: 'image/jpeg',
  png: 'image/png',
  zip: 'application/zip',
};

export function mimeForKind(kind: DossierFileKind): string {
  return DOSSIER_MIME_TYPES[kind];
}

export function isDossierFileKind(value: unknown): value is DossierFileKind {
  return typeof value === 'string' && (DOSSIER_FILE_KINDS as readonly string[]).includes(value);
}

/** Other spellings of a kind's extension that users' files carry. */
const EXTENSION_ALIASES: Partial<Record<DossierFileKind, readonly string[]>> = { jpg: ['jpeg'] };

/**
 * The name a stored file is downloaded under: the uploader's name with the
 * extension of the type its bytes were found to be, so a file never opens as
 * something else (a PDF uploaded as "审批意见.html" downloads as "审批意见.pdf").
 */
export function downloadName(fileName: string, kind: DossierFileKind): string {
  const dot = fileName.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot + 1).toLowerCase()] : [fileName, ''];
  if (extension === kind || EXTENSION_ALIASES[kind]?.includes(extension)) return fileName;
  return `${stem}.${kind}`;
}
