import type { AddressInfo } from "node:net";
import type { Test } from "tap";
import { type AppOptions, buildApp } from "../../src/app.js";
import { FakePasswords } from "./fake-passwords.js";
import { guideSettings } from "./settings.js";

/** A listening example app and helpers that talk to it over real HTTP with `fetch`. */
export interface RunningApp {
  readonly baseUrl: string;
  /** `fetch` relative to the app, without following redirects. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** GET with `Authorization: Bearer <token>`. */
  getWithToken(path: string, token: string): Promise<Response>;
  /** POST /token with a form; returns the response. */
  postToken(form: Record<string, string>): Promise<Response>;
  /** Logs in (expects 200) and returns the access token. */
  login(username: string, password: string, scope?: string): Promise<string>;
}

/**
 * Builds the example, listens on an ephemeral port of 127.0.0.1 and closes it when `t` ends.
 * Passwords are checked by {@link FakePasswords} unless `options.passwords` says otherwise.
 */
export async function startApp(t: Test, options: Partial<AppOptions> = {}): Promise<RunningApp> {
  const app = await buildApp({ settings: guideSettings(), passwords: new FakePasswords(), ...options });
  await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const request = (path: string, init: RequestInit = {}) => fetch(baseUrl + path, { redirect: "manual", ...init });
  const postToken = (form: Record<string, string>) => request("/token", { method: "POST", body: new URLSearchParams(form) });
  return {
    baseUrl,
    request,
    getWithToken: (path, token) => request(path, { headers: { authorization: `Bearer ${token}` } }),
    postToken,
    async login(username, password, scope = "") {
      const response = await postToken({ username, password, scope });
      const body = (await response.json()) as { access_token?: unknown };
      if (response.status !== 200 || typeof body.access_token !== "string") {
        throw new Error(`login of ${username} failed: ${response.status} ${JSON.stringify(body)}`);
      }
      return body.access_token;
    },
  };
}

/** Status, the `WWW-Authenticate` header (null when absent) and the JSON body of a response. */
export async function summary(response: Response): Promise<{ status: number; challenge: string | null; body: unknown }> {
  return { status: response.status, challenge: response.headers.get("www-authenticate"), body: await response.json() };
}
