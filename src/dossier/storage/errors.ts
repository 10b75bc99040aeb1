/**
 * The uploaded bytes are not one of the accepted dossier kinds (PDF, OFD, DOC, DOCX, XLS, XLSX, JPG, PNG, ZIP).
 * Meant to be answered with HTTP 415. `detected` says what the bytes looked like (a file-type extension such as
 * "elf" or "gif", or "text", "empty", "msi", "cfb-unknown"…), for logs only.
 */
export class UnsupportedFileTypeError extends Error {
  readonly code = 'UNSUPPORTED_FILE_TYPE';

  constructor(
    readonly detected: string,
    readonly fieldname?: string,
  ) {
    super('不支持的文件类型：仅接受 PDF、OFD、DOC、DOCX、XLS、XLSX、JPG、PNG、ZIP 文件');
    this.name = 'UnsupportedFileTypeError';
  }
}
