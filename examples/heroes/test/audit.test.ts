// The audit log: every write is recorded by a background task after the response (BackgroundTasks),
// GET /audit/ lists the entries newest first; a refused or failed write records nothing.
import t from "tap";
import { testDatabase } from "./support/database.js";
import { startApp } from "./support/server.js";

t.test("creates, updates and deletes are audited after the response, newest first", async (t) => {
  await (await testDatabase()).reset();
  const app = await startApp(t);
  const { access_token: token } = await app.login();
  const { id } = (await (await app.call("POST", "/heroes/", token, { name: "Deadpond", secret_name: "Dive Wilson" })).json()) as { id: number };
  t.equal((await app.call("PATCH", `/heroes/${id}`, token, { age: 31 })).status, 200);
  t.equal((await app.call("DELETE", `/heroes/${id}`, token)).status, 200);
  // Refused or failed writes: no task runs for an error response.
  t.equal((await app.call("DELETE", `/heroes/${id}`, token)).status, 404);
  t.equal((await app.call("POST", "/heroes/", token, { name: "x" })).status, 422);
  const readOnly = (await app.login("johndoe", "secret", "heroes:read")).access_token;
  t.equal((await app.call("POST", "/heroes/", readOnly, { name: "x", secret_name: "y" })).status, 401);

  let entries: { id: number; at: string; username: string; action: string; hero_id: number | null }[] = [];
  for (let i = 0; i < 100 && entries.length < 3; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    entries = (await (await app.call("GET", "/audit/", token)).json()) as typeof entries;
  }
  t.strictSame(entries.map(({ username, action, hero_id }) => ({ username, action, hero_id })), [
    { username: "johndoe", action: "hero.deleted", hero_id: id },
    { username: "johndoe", action: "hero.updated", hero_id: id },
    { username: "johndoe", action: "hero.created", hero_id: id },
  ], "newest first, and nothing for the refused writes");
  for (const entry of entries) t.match(entry.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  t.ok(entries[0]!.id > entries[1]!.id && entries[1]!.id > entries[2]!.id);
  const page = (await (await app.call("GET", "/audit/?offset=1&limit=1", token)).json()) as typeof entries;
  t.strictSame(page.map((e) => e.action), ["hero.updated"]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(((await (await app.call("GET", "/audit/", token)).json()) as unknown[]).length, 3, "still three: the refused writes recorded nothing later either");
});
