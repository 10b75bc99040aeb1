import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Request, type RequestHandler } from 'express';
import { contentSecurityPolicy } from 'helmet';
import { repoRoot } from '../config';
import { messages } from '../../workflows/messages';
import { notFound, problemOf } from '../shared/problem';
import { sendProblem } from '../shared/error-handler';

export const webDist = path.join(repoRoot, 'web', 'dist');

/** The build writes each asset's brotli and gzip versions beside it (web/vite.config.ts). */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** Hashed names never change content, so browsers may keep them for a year without asking. */
const IMMUTABLE = { maxAge: 365 * 24 * 60 * 60 * 1000, immutable: true, index: false as const };

/**
 * Assets in the best encoding the browser takes, compressed once at build time
 * rather than on every request; the uncompressed file otherwise.
 */
function hashedAssets(assetsDir: string): RequestHandler {
  const plain = express.static(assetsDir, IMMUTABLE);
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = path.join(assetsDir, path.normalize(safeDecode(req.path)));
    if (!file.startsWith(assetsDir + path.sep)) return next();
    // Our order, not the header's: browsers list gzip first, and brotli is smaller.
    const accepted = req.acceptsEncodings();
    const encoding = ENCODINGS.find((e) => accepted.includes(e.name) && existsSync(file + e.suffix));
    res.vary('Accept-Encoding');
    if (!encoding) return plain(req, res, next);
    res.type(path.extname(file));
    res.setHeader('Content-Encoding', encoding.name);
    res.sendFile(file + encoding.suffix, IMMUTABLE, (err) => err && next(err));
  };
}

function safeDecode(urlPath: string): string {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return '/';
  }
}

/** A navigation by a browser (not an API client), which the single-page application answers. */
const isPageRequest = (req: Request) =>
  (req.method === 'GET' || req.method === 'HEAD') && !/^\/(api|healthz)(\/|$)/.test(req.path) && (req.get('accept') ?? '').includes('text/html');

/**
 * The page's own policy: Helmet's defaults (which the whole app has) plus PDF
 * previews in frames from blob: addresses, and without upgrade-insecure-requests
 * unless the service runs behind HTTPS: on a plain-HTTP office network that
 * directive would send every script request to an https:// address nobody serves.
 */
function pagePolicy(behindHttps: boolean): RequestHandler {
  return contentSecurityPolicy({
    directives: {
      'frame-src': ["'self'", 'blob:'],
      'img-src': ["'self'", 'data:', 'blob:'],
      'upgrade-insecure-requests': behindHttps ? [] : null,
    },
  });
}

/**
 * Serves the built web application (web/dist) on the API's own port: hashed
 * assets with long cache lives, index.html never cached, and the history-API
 * fallback for page addresses. Register it after the API: it never answers /api.
 */
export function webApp(options: { behindHttps: boolean; distDir?: string }): express.Router {
  const distDir = options.distDir ?? webDist;
  const indexHtml = path.join(distDir, 'index.html');
  const policy = pagePolicy(options.behindHttps);
  const router = express.Router();

  router.use('/assets', hashedAssets(path.join(distDir, 'assets')), (_req, _res, next) => next(notFound(messages.noSuchFile)));
  router.use((req, res, next) => {
    if (!isPageRequest(req)) return next();
    if (!existsSync(indexHtml)) {
      sendProblem(res, problemOf(503, messages.webNotBuilt));
      return;
    }
    policy(req, res, () => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(indexHtml, { cacheControl: false }, (err) => err && next(err));
    });
  });
  // The few unhashed files beside index.html (the icon).
  router.use(express.static(distDir, { index: false, maxAge: '1h' }));
  return router;
}
