import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Dev mode: the console on Vite's port, the API proxied to the running server.
const api = process.env.NTP_API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/graphql': api,
      '/files': api,
      '/healthz': api,
      '/readyz': api,
    },
  },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1500,
  },
});
