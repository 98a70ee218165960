import preact from '@preact/preset-vite';
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * Static build served by the gateway. Everything is emitted as files (no `data:` URIs, no inline
 * script or style) so the gateway's strict CSP (`script-src 'self'; style-src 'self'`) holds.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  // Workspace libs (the upload page reads recorder file names with @giggles/recordings) resolve to
  // their TypeScript sources, as everywhere else in the repo.
  resolve: { conditions: ['@giggles/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    // The build's own polyfill would be inlined by nothing, but it is dead weight for the
    // browsers this targets (all support modulepreload or ignore it harmlessly).
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    // `vite dev` against a gateway running on GATEWAY_URL (default http://127.0.0.1:3000).
    proxy: { '/api': process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000' },
  },
});
