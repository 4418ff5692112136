import type { AddressInfo } from "node:net";
import type { Test } from "tap";
import { type AppOptions, buildApp } from "../../src/app.js";
import type { Settings } from "../../src/settings.js";
import { testDatabase } from "./database.js";
import { FakePasswords } from "./fake-passwords.js";

/** The guide's key: PyJWT signs with the UTF-8 bytes of this 64-character hex string. */
export const GUIDE_SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";

/** Settings as `readSettings` gives them for the guide's key (the port is unused: tests listen on 0). */
export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    host: "127.0.0.1",
    port: 8001,
    secretKey: GUIDE_SECRET_KEY,
    generatedSecret: false,
    accessTokenExpireMinutes: 30,
    refreshTokenExpireDays: 14,
    databaseUrl: undefined,
    pgliteDataDir: "memory://",
    revocationBoundMs: 1_000,
    ...overrides,
  };
}

/** The token answer of `/token`. */
export interface Tokens {
  readonly access_token: string;
  readonly token_type: string;
  readonly refresh_token: string;
  readonly scope: string;
  readonly expires_in: number;
}

/** A listening heroes app and helpers that talk to it over real HTTP with `fetch`. */
export interface RunningApp {
  readonly baseUrl: string;
  readonly wsUrl: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  /** A request with `Authorization: Bearer <token>` and, for a `json` body, its content type. */
  call(method: string, path: string, token: string, json?: unknown): Promise<Response>;
  postForm(path: string, form: Record<string, string>): Promise<Response>;
  /** Logs in (expects 200) and returns the whole answer. */
  login(username?: string, password?: string, scope?: string): Promise<Tokens>;
  close(): Promise<void>;
}

/**
 * Builds the app on the test file's database (a new connection to it: a second call is a second
 * instance), listens on an ephemeral port and closes when `t` ends. Passwords through {@link FakePasswords}.
 */
export async function startApp(t: Test, options: Omit<Partial<AppOptions>, "settings"> & { settings?: Partial<Settings> } = {}): Promise<RunningApp> {
  const database = options.database ?? (await (await testDatabase()).open());
  const app = await buildApp({ passwords: new FakePasswords(), ...options, database, settings: testSettings(options.settings) });
  await app.listen({ host: "127.0.0.1", port: 0 });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  t.teardown(close);
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const request = (path: string, init: RequestInit = {}) => fetch(baseUrl + path, { redirect: "manual", ...init });
  const postForm = (path: string, form: Record<string, string>) => request(path, { method: "POST", body: new URLSearchParams(form) });
  return {
    baseUrl,
    wsUrl: baseUrl.replace("http", "ws"),
    request,
    postForm,
    call(method, path, token, json) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (json !== undefined) headers["content-type"] = "application/json";
      return request(path, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    },
    async login(username = "johndoe", password = "secret", scope = "me heroes:read heroes:write audit:read") {
      const response = await postForm("/token", { username, password, scope });
      const body = (await response.json()) as Tokens;
      if (response.status !== 200) throw new Error(`login of ${username} failed: ${response.status} ${JSON.stringify(body)}`);
      return body;
    },
    close,
  };
}

/** Status, `WWW-Authenticate` (null when absent) and the JSON body of a response. */
export async function summary(response: Response): Promise<{ status: number; challenge: string | null; body: unknown }> {
  const text = await response.text();
  return { status: response.status, challenge: response.headers.get("www-authenticate"), body: text === "" ? undefined : JSON.parse(text) };
}
