// Shared by the hardening-*.test.ts files: how many fuzz cases to run, the example app with a
// captured log, a keep-alive HTTP client that sends what it is given, and the checks every answer
// must pass (a 4xx with a JSON `{"detail": ...}` body, never a 5xx, never a secret).
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { FastifyInstance, InjectOptions } from "fastify";
import type { Test } from "tap";
import { type AppOptions, buildApp } from "../../src/app.js";
import { GUIDE_USERS } from "../../src/users.js";
import { FakePasswords } from "./fake-passwords.js";
import { GUIDE_SECRET_KEY, guideSettings } from "./settings.js";

/** Cases the normal test run executes across all hardening property tests (each file takes a share). */
export const DEFAULT_TOTAL_RUNS = 11_400;

/**
 * Runs for one property: its share of `FUZZ_RUNS` (the total wanted, `npm run fuzz` sets 100,000),
 * or `base` in the normal run. The shares add up to {@link DEFAULT_TOTAL_RUNS}.
 */
export function fuzzRuns(base: number): number {
  const total = Number(process.env.FUZZ_RUNS);
  if (!Number.isFinite(total) || total <= 0) return base;
  return Math.max(1, Math.round((base * total) / DEFAULT_TOTAL_RUNS));
}

/** fast-check parameters: the run count, and `FUZZ_SEED` to replay a failure fast-check printed. */
export function fuzzParameters(base: number): { numRuns: number; seed?: number } {
  const seed = Number(process.env.FUZZ_SEED);
  return { numRuns: fuzzRuns(base), ...(process.env.FUZZ_SEED && Number.isInteger(seed) ? { seed } : {}) };
}

/** Substrings that must never appear in any status line, header or body. */
export const SECRETS: readonly string[] = [
  "argon2",
  "$argon2id",
  "hashed_password",
  GUIDE_SECRET_KEY,
  ...GUIDE_USERS.map((user) => user.hashed_password),
  // Each hash's salt and digest alone, in case a serializer cut the PHC string apart.
  ...GUIDE_USERS.flatMap((user) => user.hashed_password.split("$").slice(-2)),
];

/** A response as the checks see it, whether it came from `inject` or a socket. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: string;
}

/** The first secret found in a response, if any. */
export function leakedSecret(answer: Answer): string | undefined {
  const text = `${answer.body}\n${JSON.stringify(answer.headers)}`;
  const lower = text.toLowerCase();
  return SECRETS.find((secret) => lower.includes(secret.toLowerCase()));
}

/** The parsed `{"detail": ...}` body, or a description of what is wrong with it. */
export function detailOf(answer: Answer): { detail: unknown } | string {
  const type = String(answer.headers["content-type"] ?? "");
  if (!type.startsWith("application/json")) return `content-type ${JSON.stringify(type)} is not JSON`;
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return `body is not JSON: ${JSON.stringify(answer.body.slice(0, 200))}`;
  }
  if (body === null || typeof body !== "object" || Array.isArray(body) || !Object.hasOwn(body, "detail")) {
    return `body has no "detail": ${answer.body.slice(0, 200)}`;
  }
  return body as { detail: unknown };
}

/** What else than a 4xx with a `detail` body an answer may be, for one request. */
export interface Allowance {
  /** Statuses below 400 that are legitimate for this request (documentation pages, redirects, a valid login). */
  readonly ok?: (status: number) => boolean;
  /** A HEAD answer carries no body. */
  readonly head?: boolean;
}

/**
 * Why an answer breaks the hardening contract, or `undefined` when it keeps it: never a 5xx, never
 * a secret, and every error a 4xx with a JSON `{"detail": ...}` body.
 */
export function contractProblem(answer: Answer, allowance: Allowance = {}): string | undefined {
  const secret = leakedSecret(answer);
  if (secret !== undefined) return `leaks ${JSON.stringify(secret.slice(0, 20))}: ${answer.status} ${answer.body.slice(0, 200)}`;
  if (answer.status >= 500) return `server error ${answer.status}: ${answer.body.slice(0, 300)}`;
  if (answer.status < 400) return allowance.ok?.(answer.status) ? undefined : `unexpected ${answer.status}: ${answer.body.slice(0, 200)}`;
  if (allowance.head) return answer.body === "" ? undefined : `HEAD answered with a body: ${answer.body.slice(0, 100)}`;
  const detail = detailOf(answer);
  return typeof detail === "string" ? `${answer.status}: ${detail}` : undefined;
}

/** A pino line as the captured log keeps it. */
export interface LogLine {
  readonly level: number;
  readonly msg?: string;
  readonly err?: { message?: string; stack?: string };
}

/** The example app for fuzzing: fake passwords unless told otherwise, and its warn+ log captured. */
export interface FuzzedApp {
  readonly app: FastifyInstance;
  /** Log lines at `warn` and above. */
  readonly log: LogLine[];
  /** Log lines at `error` and above (a 5xx is logged there, and so is a failing teardown). */
  errors(): LogLine[];
}

/** Builds the example with a logger that keeps every warn+ line; closed when `t` ends. */
export async function fuzzedApp(t: Test, options: Partial<AppOptions> = {}): Promise<FuzzedApp> {
  const log: LogLine[] = [];
  const stream = { write: (line: string) => void log.push(JSON.parse(line) as LogLine) };
  const app = await buildApp({ settings: guideSettings(), passwords: new FakePasswords(), fastify: { logger: { level: "warn", stream } }, ...options });
  await app.ready();
  t.teardown(() => app.close());
  return { app, log, errors: () => log.filter((line) => line.level >= 50) };
}

/** An injected request's answer in the shape the checks take. */
export async function injectAnswer(app: FastifyInstance, options: InjectOptions): Promise<Answer> {
  const response = await app.inject(options);
  return { status: response.statusCode, headers: response.headers, body: response.body };
}

/** One request over a real socket: headers are written as latin1 bytes, exactly as given. */
export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string | string[]>>;
  readonly body?: string | Buffer;
}

/** Listens on an ephemeral port of 127.0.0.1 and talks to the app over keep-alive HTTP/1.1. */
export interface Wire {
  readonly port: number;
  send(request: RawRequest): Promise<Answer>;
}

/** Starts `app` on 127.0.0.1:0 (the caller closes it) and returns a client for it. */
export async function listen(t: Test, app: FastifyInstance): Promise<Wire> {
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  t.teardown(() => agent.destroy());
  const send = (req: RawRequest): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | string[]> = { ...req.headers };
      if (req.body !== undefined) headers["content-length"] = String(Buffer.byteLength(req.body));
      const client = httpRequest({ host: "127.0.0.1", port, method: req.method ?? "GET", path: req.path, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      });
      client.on("error", reject);
      client.end(req.body);
    });
  return { port, send };
}

/** `text` as the latin1 string of its UTF-8 bytes: how a client's UTF-8 header reaches Node. */
export function utf8AsLatin1(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

/** `text` shortened for a failure message: long values keep their start, length and end. */
export function short(text: string, max = 160): string {
  return JSON.stringify(text.length <= max ? text : `${text.slice(0, max / 2)}…(${text.length} chars)…${text.slice(-max / 4)}`);
}

/** Gives a generated case the one-line description fast-check prints for a counterexample. */
export function described<T extends object>(value: T, text: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => text, enumerable: false });
  return value;
}

const LOCK = join(tmpdir(), `depends-hardening-${createHash("sha256").update(import.meta.url).digest("hex").slice(0, 12)}.lock`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` while no other hardening test holding this lock runs: the soak test saturates the
 * CPU on purpose, the timing test must not measure that. tap runs test files in parallel, so the
 * two take turns through a lock file (a stale one left by a killed process is taken over).
 */
export async function exclusively<T>(work: () => Promise<T>, waitMs = 180_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: "wx" });
      break;
    } catch {
      let holder = 0;
      try {
        holder = Number(readFileSync(LOCK, "utf8"));
      } catch {
        continue; // released meanwhile
      }
      // An empty file is a lock being written: wait. A dead holder's lock is taken over.
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
        rmSync(LOCK, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${LOCK} still held by ${holder || "?"} after ${waitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { force: true });
  }
}
