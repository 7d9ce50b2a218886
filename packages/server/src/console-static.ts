import fs from 'node:fs';
import path from 'node:path';
import express from 'express';

/** The built admin console (packages/console/dist), the same from src/ (tsx, vitest) and dist/. */
export const CONSOLE_DIR = path.resolve(__dirname, '../../console/dist');

const API_PATHS = /^\/(graphql|files|healthz|readyz)(\/|$)/;

/**
 * Serves the console at `/` when it has been built, with index.html for the client-side routes
 * (`/units/show/7`); API paths never fall through to it.
 */
export function serveConsole(app: express.Express, dir = CONSOLE_DIR): boolean {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return false;
  // Hashed asset names change with their content, so they may be cached for good.
  app.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use(express.static(dir, { index: false, maxAge: 0 }));
  app.get(/.*/, (req, res, next) => {
    if (API_PATHS.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
