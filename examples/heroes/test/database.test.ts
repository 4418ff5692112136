// The database layer: migrations applied once, and the request transaction of getTransaction:
// committed when the handler succeeds, rolled back when it (or a later dependency) raises.
import { Depends, dependency, HTTPException } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import Fastify from "fastify";
import t from "tap";
import { inTransaction } from "../src/db/database.js";
import { migrate, splitStatements } from "../src/db/migrations.js";
import { getDatabase } from "../src/services.js";
import { getTransaction } from "../src/transaction.js";
import { testDatabase } from "./support/database.js";

const count = async (): Promise<number> => {
  const db = await (await testDatabase()).open();
  return ((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM hero")).rows[0]!).n;
};

t.test("migrations: a second run applies nothing; the seeded users are there once", async (t) => {
  const db = await (await testDatabase()).open();
  t.strictSame(await migrate(db), [], "already applied (by the test database's first open)");
  const { rows } = await db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
  t.ok(rows.length >= 3);
  t.equal(rows[0]!.name, "001_heroes.sql");
  const users = await db.query<{ username: string; disabled: boolean }>("SELECT username, disabled FROM users ORDER BY username");
  t.strictSame(users.rows, [{ username: "alice", disabled: true }, { username: "johndoe", disabled: false }]);
});

t.test("splitStatements keeps quoted semicolons and drops comments", async (t) => {
  t.strictSame(splitStatements("-- c\nCREATE TABLE a (x text);\nINSERT INTO a VALUES ('x;\ny');\n"), ["CREATE TABLE a (x text)", "INSERT INTO a VALUES ('x;\ny')"]);
});

t.test("inTransaction commits on success and rolls back when the work throws", async (t) => {
  await (await testDatabase()).reset();
  const db = await (await testDatabase()).open();
  await inTransaction(db, (tx) => tx.query("INSERT INTO hero (name, secret_name) VALUES ('a', 'b')"));
  t.equal(await count(), 1);
  await t.rejects(inTransaction(db, async (tx) => {
    await tx.query("INSERT INTO hero (name, secret_name) VALUES ('c', 'd')");
    throw new Error("after the write");
  }), /after the write/);
  t.equal(await count(), 1, "the second insert is gone");
});

t.test("a request's write followed by a failure leaves nothing; a success is committed before the answer", async (t) => {
  await (await testDatabase()).reset();
  const database = await (await testDatabase()).open();
  const api = router();
  api.post("/write-then-fail", { sources: { tx: Depends(getTransaction, { scope: "function" }) }, public: true }, async function writeThenFail({ tx }) {
    await tx.query("INSERT INTO hero (name, secret_name) VALUES ('Doomed', 'x')");
    throw new HTTPException(409, "Conflict after the write");
  });
  api.post("/write-then-crash", { sources: { tx: Depends(getTransaction, { scope: "function" }) }, public: true }, async function writeThenCrash({ tx }) {
    await tx.query("INSERT INTO hero (name, secret_name) VALUES ('Doomed', 'x')");
    throw new Error("a bug");
  });
  api.post("/write", { sources: { tx: Depends(getTransaction, { scope: "function" }) }, public: true }, async function write({ tx }) {
    await tx.query("INSERT INTO hero (name, secret_name) VALUES ('Kept', 'x')");
    return { ok: true };
  });
  const app = Fastify();
  const { DependencyOverrides } = await import("@depends/core");
  const overrides = new DependencyOverrides();
  overrides.set(getDatabase, dependency(() => database));
  await app.register(dependsPlugin, { overrides });
  await app.register(api.plugin());
  t.teardown(() => app.close());

  const failed = await app.inject({ method: "POST", url: "/write-then-fail" });
  t.strictSame({ status: failed.statusCode, body: failed.json() }, { status: 409, body: { detail: "Conflict after the write" } });
  t.equal(await count(), 0, "rolled back");
  const crashed = await app.inject({ method: "POST", url: "/write-then-crash" });
  t.equal(crashed.statusCode, 500);
  t.equal(await count(), 0, "rolled back");
  const ok = await app.inject({ method: "POST", url: "/write" });
  t.equal(ok.statusCode, 200);
  t.equal(await count(), 1, "committed by the time the answer arrived");
  // And the database is usable afterwards (PGlite's lock was given back each time).
  t.equal((await database.query("SELECT 1 AS one")).rows.length, 1);
});
