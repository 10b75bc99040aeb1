const MAX_NAME_CODE_POINTS = 200;
const MAX_KEPT_EXTENSION = 16;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030', { fatal: true });

/**
 * Recovers the file name the client meant from multer's `file.originalname`.
 *
 * busboy (under multer's default `defParamCharset: 'latin1'`) turns each byte of a plain `filename="…"` into one
 * latin1 character, so browsers' raw UTF-8 bytes arrive as mojibake and are re-read here as UTF-8
 * (`Buffer.from(name, 'latin1').toString('utf8')`, but strictly). Names that are not valid UTF-8 are tried as
 * GB18030 (old Windows clients in China send GBK). A name holding characters above U+00FF was already decoded by
 * busboy from an RFC 5987 `filename*=UTF-8''…` parameter and is kept as it is.
 */
export function decodeUploadedName(raw: string): string {
  let highBytes = false;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code > 0xff) return raw;
    if (code >= 0x80) highBytes = true;
  }
  if (!highBytes) return raw;
  const bytes = Buffer.from(raw, 'latin1');
  try {
    return utf8.decode(bytes);
  } catch {
    // not UTF-8
  }
  try {
    return gb18030.decode(bytes);
  } catch {
    return raw;
  }
}

/**
 * Characters removed from names: C0/C1 controls and DEL (Cc, incl. NUL), format characters (Cf: the bidi overrides
 * U+202A–U+202E and isolates U+2066–U+2069 used to disguise extensions, zero-width characters, BOM, soft hyphen),
 * lone surrogates (Cs) and the line/paragraph separators. Private-use characters stay: GB18030 maps some rare
 * hanzi there.
 */
const UNWANTED = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;

/**
 * A display name safe to store and show: NFC, basename only (both `/` and `\` separate), no control/format
 * characters, trimmed, at most 200 code points (keeping a short extension when cut). Returns '' when nothing usable
 * is left; the caller substitutes a default. The stored file's location never depends on this name.
 */
export function sanitizeOriginalName(name: string): string {
  let s = name.normalize('NFC').replace(UNWANTED, '');
  const lastSep = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
  if (lastSep >= 0) s = s.slice(lastSep + 1);
  s = s.trim();
  if (s === '.' || s === '..' || /^\.+$/.test(s)) return '';
  const points = Array.from(s);
  if (points.length <= MAX_NAME_CODE_POINTS) return s;
  const dot = s.lastIndexOf('.');
  const ext = dot > 0 ? Array.from(s.slice(dot)) : [];
  const keep = ext.length > 1 && ext.length <= MAX_KEPT_EXTENSION ? ext : [];
  const stem = Array.from(keep.length ? s.slice(0, dot) : s);
  return stem.slice(0, MAX_NAME_CODE_POINTS - keep.length).join('').trimEnd() + keep.join('');
}

/** The lower-case extension of a name without the dot ('' when none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
}
