import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the ledger service at /console/ (apps/ledger/src/console). Everything is emitted
// as files, nothing inline, so the page runs under a CSP without 'unsafe-inline'.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
});
