import { Injectable, NestMiddleware } from '@nestjs/common';
import { Request, Response } from 'express';
import { consoleFile } from './console-files';
import { CONSOLE_SECURITY_HEADERS } from './console-security-headers';

const PREFIX = '/console';

/**
 * Serves the auditor's console at /console/ from the same server as the API, with no API key:
 * the page holds no data; every call it makes to /v1 carries the key the auditor signs in with.
 */
@Injectable()
export class ConsoleMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: () => void): void {
    const [path] = req.originalUrl.split('?', 1);
    if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (path === PREFIX) {
      res.redirect(301, `${PREFIX}/`);
      return;
    }
    const file = consoleFile(path.slice(PREFIX.length + 1) || 'index.html');
    if (!file) return next();
    res.set(CONSOLE_SECURITY_HEADERS);
    res.set('Content-Type', file.contentType);
    res.set('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.status(200).end(req.method === 'HEAD' ? undefined : file.body);
  }
}
