import { messages } from '../../../workflows/messages';
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
    super(415, messages.problemTitles[415]!, messages.fileTypeRefused);
    this.name = 'UnsupportedFileTypeError';
  }
}
