// Helpers of the upload tests: an app listening on a real socket, and curl as a second client.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Fastify, { type FastifyInstance } from "fastify";
import { type DependsPluginOptions, dependsPlugin, type Router } from "@depends/fastify";

const run = promisify(execFile);

export interface Served {
  readonly app: FastifyInstance;
  readonly url: string;
  /** The app's own spool directory (empty once every request is over). */
  readonly tmpDir: string;
  spooled(): Promise<string[]>;
}

/** Mounts `api` behind dependsPlugin, listens on 127.0.0.1:0 with a fresh spool directory. */
export async function serve(api: Router, options: DependsPluginOptions = {}, t?: { teardown(fn: () => unknown): void }): Promise<Served> {
  const tmpDir = await mkdtemp(join(tmpdir(), "depends-uploads-test-"));
  const app = Fastify();
  const multipart = options.multipart === false ? false : { ...options.multipart, tmpDir };
  await app.register(dependsPlugin, { openapi: { info: { title: "FastAPI", version: "0.1.0" } }, ...options, multipart });
  await app.register(api.plugin());
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  t?.teardown(async () => {
    await app.close();
    await rm(tmpDir, { recursive: true, force: true });
  });
  return { app, url: `http://127.0.0.1:${port}`, tmpDir, spooled: () => readdir(tmpDir) };
}

/** Waits until `check` holds (the deletion of uploads runs after the response is sent). */
export async function eventually(check: () => Promise<boolean>, ms = 2000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `curl -sS -F ... URL`: the status and the body of the answer. */
export async function curl(url: string, args: readonly string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run("curl", ["-sS", "-o", "-", "-w", "\n%{http_code}", ...args, url], { maxBuffer: 16 * 1024 * 1024 });
  const cut = stdout.lastIndexOf("\n");
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}
