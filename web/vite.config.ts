import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

/**
 * Writes brotli and gzip versions beside every text asset, so the server sends
 * them compressed without compressing on each request (src/web/web-app.ts).
 */
function precompress(): Plugin {
  return {
    name: 'fundflow-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const file of Object.values(bundle)) {
        if (!/\.(js|css|svg)$/.test(file.fileName)) continue;
        const source = file.type === 'chunk' ? Buffer.from(file.code) : Buffer.from(file.source);
        if (source.length < 1024) continue;
        const target = path.join(options.dir!, file.fileName);
        writeFileSync(`${target}.br`, brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${target}.gz`, gzipSync(source, { level: 9 }));
      }
    },
  };
}

/**
 * Lists the files outside web/ the bundle took in (the service's vocabulary and
 * schemas), so scripts/ensure-web-build.ts rebuilds when one of them changes.
 */
function recordOutsideInputs(): Plugin {
  const repoRoot = path.resolve(import.meta.dirname, '..');
  return {
    name: 'fundflow-outside-inputs',
    apply: 'build',
    writeBundle(options) {
      const outside = [...this.getModuleIds()]
        .filter((id) => path.isAbsolute(id) && !id.includes('node_modules') && !id.startsWith(import.meta.dirname + path.sep))
        .map((id) => path.relative(repoRoot, id.split('?')[0]!))
        .filter((file) => !file.startsWith('..'))
        .sort();
      writeFileSync(path.join(options.dir!, '.outside-inputs.json'), JSON.stringify([...new Set(outside)], null, 2));
    },
  };
}

/** Built into web/dist and served by the Express app (src/web/) on the API's own port. */
export default defineConfig({
  plugins: [vue(), precompress(), recordOutsideInputs()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Charts are split out on purpose and load only on the dashboard.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' },
  },
});
