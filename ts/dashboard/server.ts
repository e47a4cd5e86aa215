import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkJsonValue, TunekitError } from '../errors.js';
import { openStorage, type StorageSpec } from '../study/storage/index.js';
import type { Storage } from '../study/types.js';
import { StorageCache, type StudyCache } from './cache.js';
import { edfSeries, historySeries } from './compare.js';
import { ApiError, pageTrials, parseTrialQuery, sortTrials, trialDetail } from './query.js';
import { chartsOf } from './charts.js';
import { RENDER_SCRIPT } from '../plots/index.js';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** The studies to show: a {@link Storage} (a memory storage of this program) or a URL (`sqlite:tunekit.db`, `postgres://…`). */
  storage: StorageSpec;
  /**
   * The address to listen on. Anything but a loopback address exposes the
   * studies (and, with `allowEdit`, their attributes) to the network; the CLI
   * prints a warning then.
   * @default '127.0.0.1'
   */
  host?: string;
  /** The port; 0 picks a free one (see the returned `url`). @default 8080 */
  port?: number;
  /** Enables the POST endpoints that edit study and trial user attributes and notes; without it they answer 403. @default false */
  allowEdit?: boolean;
  /** Milliseconds between two looks at the storage while a page listens for live updates. @default 1000 */
  pollMs?: number;
}

/** A running dashboard. */
export interface Dashboard {
  /** Where it listens, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  /** Stops listening and ends the live-update streams (the storage stays open: it belongs to the caller). */
  close(): Promise<void>;
}

/** The largest request body a POST may have. */
export const MAX_BODY_BYTES = 64 * 1024;
/** The longest note (characters). */
const MAX_NOTE = 20_000;
/** The user attribute a note is stored in (study or trial). */
export const NOTE_ATTR = 'note';
/** The most points a chart series returns; `maxPoints` is capped to it. */
const MAX_POINTS = 20_000;
const DEFAULT_POINTS = 2_000;

const ASSETS = fileURLToPath(new URL('../../assets/dashboard/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Whether a host name or address is this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/** JSON with non-finite numbers as the strings `"Infinity"`, `"-Infinity"`, `"NaN"` (as `tunekit export --format json`). */
function toJson(body: unknown): string {
  return JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = toJson(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof ApiError) send(res, err.status, { error: { code: err.code, message: err.message } });
  else if (err instanceof TunekitError) send(res, 400, { error: { code: err.code, message: err.message } });
  else send(res, 500, { error: { code: 'INTERNAL', message: String((err as Error)?.message ?? err) } });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  // A form or text/plain POST from another site is a "simple" cross-origin request; JSON is not.
  if (!/^application\/json\b/i.test(type)) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `expected content-type application/json, got ${JSON.stringify(type)}`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ApiError(413, 'BODY_TOO_LARGE', `the body is ${declared} bytes; at most ${MAX_BODY_BYTES}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'BODY_TOO_LARGE', `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new ApiError(400, 'BAD_JSON', `the body is not JSON: ${(err as Error).message}`);
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'BAD_BODY', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** `{ key, value }` of an attribute edit, checked. */
function attrEdit(body: unknown): { key: string; value: unknown } {
  const b = objectBody(body);
  if (typeof b.key !== 'string' || b.key === '') throw new ApiError(400, 'BAD_BODY', `key must be a non-empty string, got ${JSON.stringify(b.key)}`);
  if (!Object.hasOwn(b, 'value')) throw new ApiError(400, 'BAD_BODY', 'value is missing (null clears an attribute)');
  checkJsonValue(b.value, `user attribute ${JSON.stringify(b.key)}`, b.key);
  return { key: b.key, value: b.value };
}

/** `{ note }` of a note edit, checked. */
function noteEdit(body: unknown): string {
  const b = objectBody(body);
  if (typeof b.note !== 'string') throw new ApiError(400, 'BAD_BODY', `note must be a string, got ${JSON.stringify(b.note)}`);
  if (b.note.length > MAX_NOTE) throw new ApiError(400, 'BAD_BODY', `the note has ${b.note.length} characters; at most ${MAX_NOTE}`);
  return b.note;
}

function maxPointsOf(q: URLSearchParams): number {
  const s = q.get('maxPoints');
  if (s === null) return DEFAULT_POINTS;
  const v = Number(s);
  if (!Number.isInteger(v) || v < 2) throw new ApiError(400, 'BAD_QUERY', `maxPoints: expected an integer ≥ 2, got ${JSON.stringify(s)}`);
  return Math.min(v, MAX_POINTS);
}

function objectiveOf(q: URLSearchParams, n: number): number {
  const s = q.get('objective') ?? '0';
  const v = Number(s);
  if (!Number.isInteger(v) || v < 0 || v >= n) throw new ApiError(400, 'BAD_QUERY', `objective: expected an integer in [0, ${n - 1}], got ${JSON.stringify(s)}`);
  return v;
}

/** A static file of the page, or null (404) for anything outside the assets folder. */
async function staticFile(rel: string): Promise<{ path: string; type: string } | null> {
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const path = normalize(join(ASSETS, rel));
  if (!path.startsWith(ASSETS.endsWith(sep) ? ASSETS : ASSETS + sep)) return null;
  const type = TYPES[extname(path)];
  if (type === undefined) return null;
  try {
    return (await stat(path)).isFile() ? { path, type } : null;
  } catch {
    return null;
  }
}

/**
 * Starts the dashboard over a storage: the page at `/` and its JSON API under
 * `/api/` (docs/dashboard.md). Binds 127.0.0.1 unless `host` says otherwise;
 * read-only unless `allowEdit`.
 *
 * ```ts
 * const storage = new MemoryStorage();
 * const study = await createStudy({ name: 'demo', storage });
 * await study.optimize((t) => t.suggestFloat('x', -1, 1) ** 2, { nTrials: 50 });
 * const { url, close } = await startDashboard({ storage, port: 0 });
 * ```
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  const allowEdit = options.allowEdit ?? false;
  const pollMs = options.pollMs ?? 1000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TunekitError('INVALID_PARAMETER', `port must be an integer in [0, 65535], got ${port}`);
  if (!Number.isFinite(pollMs) || pollMs < 50) throw new TunekitError('INVALID_PARAMETER', `pollMs must be ≥ 50, got ${pollMs}`);
  const storage: Storage = openStorage(options.storage);
  const cache = new StorageCache(storage);
  const echarts = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
  const loopback = isLoopback(host);
  const streams = new Set<ServerResponse>();

  const studyOf = async (name: string, maxAgeMs = 250): Promise<StudyCache> => {
    const c = await cache.study(name, maxAgeMs);
    if (c === null) throw new ApiError(404, 'NO_SUCH_STUDY', `no study named ${JSON.stringify(name)}`);
    return c;
  };
  const trialOf = (c: StudyCache, s: string) => {
    const n = Number(s);
    const t = Number.isInteger(n) && n >= 0 ? c.trial(n) : undefined;
    if (t === undefined) throw new ApiError(404, 'NO_SUCH_TRIAL', `study ${JSON.stringify(c.record.name)} has no trial number ${JSON.stringify(s)}`);
    return t;
  };
  const editable = () => {
    if (!allowEdit) throw new ApiError(403, 'READ_ONLY', 'this dashboard is read-only: start it with --allow-edit (allowEdit: true) to edit attributes and notes');
  };

  async function api(req: IncomingMessage, res: ServerResponse, parts: string[], q: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const get = method === 'GET' || method === 'HEAD';
    const [a, name, b, number, c] = parts;
    if (get && a === 'info' && parts.length === 1) return send(res, 200, { allowEdit, pollMs, maxLimit: 1000, maxPoints: MAX_POINTS });
    if (get && a === 'studies' && parts.length === 1) {
      const all = await cache.all(250);
      return send(res, 200, { studies: all.map((s) => s.overview()) });
    }
    if (get && a === 'events' && parts.length === 1) return events(req, res, q);
    if (get && a === 'compare' && parts.length === 1) {
      const names = (q.get('studies') ?? '').split(',').filter((s) => s !== '');
      if (names.length === 0) throw new ApiError(400, 'BAD_QUERY', 'studies: give one or more study names, comma-separated');
      const kind = q.get('kind') ?? 'history';
      if (kind !== 'history' && kind !== 'edf') throw new ApiError(400, 'BAD_QUERY', `kind: expected history or edf, got ${JSON.stringify(kind)}`);
      const maxPoints = maxPointsOf(q);
      const caches = await Promise.all(names.map((n) => studyOf(n)));
      const objective = objectiveOf(q, Math.min(...caches.map((s) => s.record.directions.length)));
      const series = caches.map((s) => (kind === 'edf' ? edfSeries : historySeries)(s.record.name, s.record.directions[objective] ?? 'minimize', s.trials(), objective, maxPoints));
      return send(res, 200, { kind, objective, series });
    }
    if (a !== 'studies' || name === undefined) throw new ApiError(404, 'NOT_FOUND', `no API route ${JSON.stringify(`/api/${parts.join('/')}`)}`);
    if (get && parts.length === 2) return send(res, 200, (await studyOf(name)).overview());
    if (get && b === 'trials' && parts.length === 3) {
      const s = await studyOf(name);
      const query = parseTrialQuery(q, s.record.directions.length);
      const sorted = s.memo(`sort:${query.order}:${query.sort}`, () => sortTrials(s.trials(), query.sort, query.order));
      return send(res, 200, { version: s.version, ...pageTrials(sorted, query) });
    }
    if (get && b === 'trials' && number !== undefined && parts.length === 4) {
      const s = await studyOf(name);
      return send(res, 200, trialDetail(trialOf(s, number)));
    }
    if (get && b === 'charts' && parts.length === 3) {
      const s = await studyOf(name);
      const { charts, errors } = await chartsOf(s, q, maxPointsOf(q));
      // The page draws `chart`; the plotted numbers (`data`) only when asked for.
      const withData = q.get('data') === '1';
      return send(res, 200, { version: s.version, charts: withData ? charts : charts.map(({ data: _data, ...rest }) => rest), errors });
    }
    if (method === 'POST' && (b === 'attrs' || b === 'note') && parts.length === 3) {
      editable();
      const s = await studyOf(name);
      const body = await readBody(req);
      const edit = b === 'note' ? { key: NOTE_ATTR, value: noteEdit(body) } : attrEdit(body);
      await storage.setStudyAttr(s.record.id, 'user', edit.key, edit.value);
      await s.reloadRecord();
      return send(res, 200, { userAttrs: s.record.userAttrs });
    }
    if (method === 'POST' && b === 'trials' && number !== undefined && (c === 'attrs' || c === 'note') && parts.length === 5) {
      editable();
      const s = await studyOf(name);
      const t = trialOf(s, number);
      const body = await readBody(req);
      const edit = c === 'note' ? { key: NOTE_ATTR, value: noteEdit(body) } : attrEdit(body);
      await storage.setTrialAttr(t.id, 'user', edit.key, edit.value);
      const after = await s.reload(t.number);
      return send(res, 200, { userAttrs: after?.userAttrs ?? {} });
    }
    if (method === 'POST') {
      // A POST to a known read route, or any edit route while read-only.
      if (!allowEdit) editable();
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on /api/${parts.join('/')}`);
    }
    if (!get) throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on /api/${parts.join('/')}`);
    throw new ApiError(404, 'NOT_FOUND', `no API route ${JSON.stringify(`/api/${parts.join('/')}`)}`);
  }

  /** Live updates: Server-Sent Events, one `studies` event (every study's overview) now and whenever one changes. */
  function events(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    const only = q.get('study');
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: ${Math.max(1000, pollMs)}\n\n`);
    streams.add(res);
    let seen = '';
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      streams.delete(res);
    };
    req.on('close', stop);
    res.on('close', stop);
    const tick = async () => {
      if (stopped) return;
      try {
        const list = only === null ? await cache.all(pollMs / 2) : [await studyOf(only, pollMs / 2)];
        const payload = list.map((s) => s.overview());
        const key = payload.map((o) => `${o.id}:${o.version}`).join(',');
        if (key !== seen) {
          seen = key;
          res.write(`event: studies\ndata: ${toJson(payload)}\n\n`);
        } else res.write(': idle\n\n');
      } catch (err) {
        res.write(`event: error\ndata: ${toJson({ message: String((err as Error)?.message ?? err) })}\n\n`);
      }
      if (!stopped) timer = setTimeout(() => void tick(), pollMs);
    };
    void tick();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // DNS rebinding: a page of another origin that resolves its name to 127.0.0.1 sends its own Host.
    const hostHeader = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (loopback && !isLoopback(hostHeader)) throw new ApiError(403, 'BAD_HOST', `host ${JSON.stringify(req.headers.host)} refused: this dashboard answers loopback names only`);
    const path = url.pathname;
    if (path === '/api' || path.startsWith('/api/')) {
      let parts: string[];
      try {
        parts = path
          .slice('/api/'.length)
          .split('/')
          .filter((p) => p !== '')
          .map(decodeURIComponent);
      } catch {
        throw new ApiError(400, 'BAD_PATH', `cannot decode ${JSON.stringify(path)}`);
      }
      return api(req, res, parts, url.searchParams);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`);
    let file: { path: string; type: string } | null;
    if (path === '/vendor/render.js') {
      res.writeHead(200, { 'content-type': TYPES['.js'] as string, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : RENDER_SCRIPT);
      return;
    }
    if (path === '/vendor/echarts.min.js') file = { path: echarts, type: TYPES['.js'] as string };
    else {
      let rel: string;
      try {
        rel = decodeURIComponent(path === '/' ? '/index.html' : path).slice(1);
      } catch {
        throw new ApiError(400, 'BAD_PATH', `cannot decode ${JSON.stringify(path)}`);
      }
      file = await staticFile(rel);
    }
    if (file === null) throw new ApiError(404, 'NOT_FOUND', `no file ${JSON.stringify(path)}`);
    const body = await readFile(file.path);
    res.writeHead(200, {
      'content-type': file.type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, err);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${actual}/`,
    close: async () => {
      for (const s of streams) s.end();
      streams.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests still being answered get a second to finish.
      const timer = setTimeout(() => server.closeAllConnections(), 1000);
      await closed;
      clearTimeout(timer);
    },
  };
}
