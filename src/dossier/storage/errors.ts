import { Problem } from '../../shared/problem';

/**
 * The uploaded bytes are not one of the accepted dossier kinds (PDF, OFD, DOC, DOCX, XLS, XLSX, JPG, PNG, ZIP):
 * answered with HTTP 415. `detected` says what the bytes looked like (a file-type extension such as "elf" or
 * "gif", or "text", "empty", "msi", "cfb-unknown"…), for logs only.
 */
export class UnsupportedFileTypeError extends Problem {
  readonly code = 'UNSUPPORTED_FILE_TYPE';

  constructor(
    readonly detected: string,
    readonly fieldname?: string,
  ) {
    super(415, '文件类型不支持', '只接受 PDF、OFD、DOC/DOCX、XLS/XLSX、JPG/PNG 和 ZIP 文件（按文件内容判断）');
    this.name = 'UnsupportedFileTypeError';
  }
}
