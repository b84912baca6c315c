import { defineConfig } from 'vite';

// Preact's JSX through Vite's own transform (no framework plugin needed): the
// automatic runtime imports from preact/jsx-runtime.
export default defineConfig({
  root: 'src/app',
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../../dist/app',
    emptyOutDir: true,
    // No inline <script>: the served Content-Security-Policy forbids it.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    target: 'es2022',
  },
});
