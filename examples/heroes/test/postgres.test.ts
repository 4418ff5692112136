// What only a real PostgreSQL server shows (skipped without DATABASE_URL; .ci/run starts one):
// each instance has its own pool, instances starting together migrate once (the advisory lock),
// and a NOTIFY committed on one pool reaches the other's LISTEN connection.
import t from "tap";
import { migrate } from "../src/db/migrations.js";
import { PostgresDatabase } from "../src/db/postgres.js";
import { inTransaction } from "../src/db/database.js";
import { createServerDatabase, DATABASE_URL } from "./support/database.js";

const skip = DATABASE_URL === undefined ? "DATABASE_URL is not set (a real PostgreSQL server is needed; .ci/run starts one)" : false;

t.test("two pools on one fresh database: one migration run, separate connections, notifications across", { skip }, async (t) => {
  const created = await createServerDatabase(DATABASE_URL!, "heroes_pg");
  const a = new PostgresDatabase(created.url);
  const b = new PostgresDatabase(created.url);
  t.teardown(async () => {
    await a.close();
    await b.close();
    await created.drop();
  });

  const [appliedA, appliedB] = await Promise.all([migrate(a), migrate(b)]);
  t.strictSame([...appliedA, ...appliedB].sort(), (await a.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name")).rows.map((r) => r.name), "each migration applied by exactly one of the two");
  t.equal(a.engine, "postgres");

  const pid = async (db: PostgresDatabase) => ((await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!).pid;
  t.not(await pid(a), await pid(b), "two pools, two server connections");

  const received = new Promise<string>((resolve) => void b.listen("heroes_pg_test", resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await inTransaction(a, (tx) => tx.query("SELECT pg_notify('heroes_pg_test', 'from a')"));
  t.equal(await received, "from a");

  const tx = await a.begin();
  await tx.query("INSERT INTO hero (name, secret_name) VALUES ('x', 'y')");
  t.equal((await b.query("SELECT * FROM hero")).rows.length, 0, "an open transaction is invisible to the other pool");
  await tx.rollback();
  t.equal((await b.query("SELECT * FROM hero")).rows.length, 0);
});
