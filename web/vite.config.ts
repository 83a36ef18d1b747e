import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app: `npm run dev:web` serves it with hot reload and proxies the API to `npm run dev`
// (changeOrigin stays off so the Host header matches the Origin, which the CSRF check compares).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, sourcemap: false, target: 'es2022' },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.JOBR_API ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
