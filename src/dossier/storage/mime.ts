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
