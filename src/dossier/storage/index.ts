export {
  type StoredFile,
  TEMPORARY_DIR_NAME,
  cleanTemporaryUploads,
  createDossierUpload,
  discardUpload,
  getStoredFile,
  storeBuffer,
  storedFilePath,
} from './engine';
export { UnsupportedFileTypeError } from './errors';
export { type StoredFileRecord, type Uploader, recordOfStoredFile, sendStoredFile, storedFileFields, uploaderFields } from './file-record';
export { DOSSIER_FILE_KINDS, DOSSIER_MIME_TYPES, type DossierFileKind, downloadName, isDossierFileKind, mimeForKind } from './mime';
export { decodeUploadedName, sanitizeOriginalName } from './names';
export { SNIFF_BYTES, type SniffVerdict, type ZipEntry, resolveZipKind, sniffHead, zipCentralDirectory } from './sniff';
