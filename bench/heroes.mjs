// The heroes example's read path: GET /heroes/{hero_id} with a cached token (verified once, then
// from each server's cache), the example as it ships against the same route written by hand on
// fastify + pg, on PGlite (each server with its own in-memory database) and, when
// BENCH_DATABASE_URL (or DATABASE_URL) names a PostgreSQL server, on it (both servers on one
// database). Exports runHeroesBench for bench/run.mjs (--only=heroes).
import { createJwtSigner } from "@depends/core/jwt";
import { randomUUID } from "node:crypto";
import { inTransaction } from "../examples/heroes/dist/db/database.js";
import { migrate } from "../examples/heroes/dist/db/migrations.js";
import { PostgresDatabase } from "../examples/heroes/dist/db/postgres.js";
import { startServer } from "./lib/child.mjs";
import { SECRET_KEY } from "./lib/guide.mjs";
import { alternateLoad, expectResponse } from "./lib/load.mjs";
import { median, pairedRatio, printTable, ratioRow } from "./lib/measure.mjs";

const FULL = { rounds: 10, duration: 2, warmup: 2 };
const QUICK = { rounds: 3, duration: 1, warmup: 1 };
const rate = (rps) => `${Math.round(rps).toLocaleString("en-US")} req/s`;

async function prepareServer(url) {
  const db = new PostgresDatabase(url);
  try {
    await migrate(db);
    const { rows } = await inTransaction(db, (tx) => tx.query("INSERT INTO hero (name, age, secret_name) VALUES ('Deadpond', 30, 'Dive Wilson') RETURNING id"));
    return { heroId: rows[0].id, cleanup: async () => db.query("DELETE FROM hero WHERE id = $1", [rows[0].id]).finally(() => db.close()) };
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function group(engine, token, settings, log) {
  const servers = await Promise.all(["heroes-depends", "heroes-hand"].map((name) => startServer(name)));
  try {
    const heroId = process.env.BENCH_HERO_ID ?? "1";
    const path = `/heroes/${heroId}`;
    const body = JSON.stringify({ name: "Deadpond", age: 30, id: Number(heroId) });
    const headers = { authorization: `Bearer ${token}` };
    for (const server of servers) {
      await expectResponse(server.origin, { path, headers, status: 200, body, label: `${server.name} (${engine})` });
      await expectResponse(server.origin, { path, headers: {}, status: 401, body: JSON.stringify({ detail: "Not authenticated" }), label: `${server.name} 401` });
    }
    log(`heroes (${engine}): GET ${path} with a cached token, example vs fastify + ${engine === "PGlite" ? "PGlite" : "pg"} by hand`);
    const load = await alternateLoad(servers.map((server) => ({ name: server.name, server, path, headers, body })), { ...settings, log });
    return [
      ratioRow(`HTTP heroes GET /heroes/{id} (${engine}) vs hand-written`, {
        measured: rate(median(load.rps["heroes-depends"])),
        baseline: `${rate(median(load.rps["heroes-hand"]))} hand`,
        ratio: pairedRatio(load.rps["heroes-depends"], load.rps["heroes-hand"]),
        atLeast: 0.95,
      }),
      ratioRow("  (server CPU per request)", {
        measured: `${median(load.cpu["heroes-depends"]).toFixed(1)} µs CPU/req`,
        baseline: `${median(load.cpu["heroes-hand"]).toFixed(1)} µs CPU/req hand`,
        ratio: pairedRatio(load.cpu["heroes-depends"], load.cpu["heroes-hand"]),
      }),
    ];
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export async function runHeroesBench({ quick = false, log = console.log } = {}) {
  const settings = quick ? QUICK : FULL;
  const signer = await createJwtSigner({ secret: SECRET_KEY, algorithm: "HS256", expiresInSeconds: 1800 });
  const token = await signer.sign({ sub: "johndoe", scope: "heroes:read", jti: randomUUID(), sid: randomUUID() });
  log(`\nHeroes: ${settings.rounds} alternating rounds of ${settings.duration} s per server (warm-up ${settings.warmup} s), 50 connections`);
  delete process.env.BENCH_DATABASE_URL;
  delete process.env.BENCH_HERO_ID;
  const rows = await group("PGlite", token, settings, log);
  const url = process.env.BENCH_POSTGRES_URL || process.env.DATABASE_URL;
  if (url) {
    const prepared = await prepareServer(url);
    process.env.BENCH_DATABASE_URL = url;
    process.env.BENCH_HERO_ID = String(prepared.heroId);
    try {
      rows.push(...(await group("PostgreSQL", token, settings, log)));
    } finally {
      delete process.env.BENCH_DATABASE_URL;
      delete process.env.BENCH_HERO_ID;
      await prepared.cleanup();
    }
  } else {
    log("heroes (PostgreSQL): skipped, set DATABASE_URL (or BENCH_POSTGRES_URL) to a PostgreSQL server to measure it");
  }
  printTable("Heroes: GET /heroes/{id} with @depends/fastify vs by hand (median of rounds)", rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await runHeroesBench({ quick: process.argv.includes("--quick") });
