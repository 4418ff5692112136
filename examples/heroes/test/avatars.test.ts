// Avatars: PUT /heroes/{hero_id}/avatar (multipart, PNG or JPEG checked by type and magic bytes,
// at most 1 MiB, heroes:write) and GET /heroes/{hero_id}/avatar (heroes:read), over a real socket
// with undici's FormData and fetch.
import t from "tap";
import { FormData, fetch } from "undici";
import { testDatabase } from "./support/database.js";
import { type RunningApp, startApp } from "./support/server.js";

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("\x00\x00\x00\rIHDR rest of a tiny png", "latin1")]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("JFIF body of a jpeg", "latin1")]);

function form(bytes: Buffer, type: string, filename: string, field = "file"): FormData {
  const body = new FormData();
  body.append(field, new Blob([bytes], { type }), filename);
  return body;
}

async function put(app: RunningApp, id: number | string, body: FormData | undefined, token?: string) {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const response = await fetch(`${app.baseUrl}/heroes/${id}/avatar`, { method: "PUT", headers, body: body ?? new FormData() });
  const text = await response.text();
  return { status: response.status, challenge: response.headers.get("www-authenticate"), body: text === "" ? undefined : JSON.parse(text) };
}

async function get(app: RunningApp, id: number | string, token: string) {
  const response = await fetch(`${app.baseUrl}/heroes/${id}/avatar`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get("content-type"), bytes: Buffer.from(await response.arrayBuffer()) };
}

t.test("avatars", async (t) => {
  await (await testDatabase()).reset();
  const app = await startApp(t);
  const { access_token: token } = await app.login();
  const created = await app.call("POST", "/heroes/", token, { name: "Deadpond", secret_name: "Dive Wilson" });
  const { id } = (await created.json()) as { id: number };

  t.test("no avatar yet: 404", async (t) => {
    const res = await app.call("GET", `/heroes/${id}/avatar`, token);
    t.equal(res.status, 404);
    t.strictSame(await res.json(), { detail: "Avatar not found" });
  });

  t.test("a PNG is stored and read back: the same bytes and content type", async (t) => {
    const res = await put(app, id, form(PNG, "image/png", "deadpond.png"), token);
    t.strictSame(res, { status: 204, challenge: null, body: undefined });
    const read = await get(app, id, token);
    t.equal(read.status, 200);
    t.equal(read.type, "image/png");
    t.ok(read.bytes.equals(PNG), "identical bytes");
  });

  t.test("a JPEG replaces it", async (t) => {
    t.equal((await put(app, id, form(JPEG, "image/jpeg", "deadpond.jpg"), token)).status, 204);
    const read = await get(app, id, token);
    t.equal(read.type, "image/jpeg");
    t.ok(read.bytes.equals(JPEG));
  });

  t.test("a text file renamed .png (sent as image/png) is 422, and changes nothing", async (t) => {
    const res = await put(app, id, form(Buffer.from("just some text, not an image"), "image/png", "fake.png"), token);
    t.equal(res.status, 422);
    t.strictSame(res.body, {
      detail: [{ type: "value_error", loc: ["body", "file"], msg: "Value error, the file's content is not a PNG image (its first bytes do not match image/png)", input: "fake.png", ctx: { error: {} } }],
    });
    t.ok((await get(app, id, token)).bytes.equals(JPEG), "the JPEG stays");
  });

  t.test("PNG bytes sent as image/jpeg are 422", async (t) => {
    const res = await put(app, id, form(PNG, "image/jpeg", "x.jpg"), token);
    t.equal(res.status, 422);
    t.match(res.body, { detail: [{ type: "value_error", loc: ["body", "file"] }] });
  });

  t.test("another content type is 422 file_type", async (t) => {
    const res = await put(app, id, form(Buffer.from("hello"), "text/plain", "notes.txt"), token);
    t.equal(res.status, 422);
    t.match(res.body, { detail: [{ type: "file_type", loc: ["body", "file"], input: "text/plain" }] });
  });

  t.test("above 1 MiB is 413; exactly 1 MiB is accepted", async (t) => {
    const big = Buffer.concat([PNG, Buffer.alloc(1024 * 1024 + 1 - PNG.length)]);
    const res = await put(app, id, form(big, "image/png", "big.png"), token);
    t.equal(res.status, 413);
    t.match(res.body, { detail: /File too large: "big.png" in field "file"/ });
    const exact = big.subarray(0, 1024 * 1024);
    t.equal((await put(app, id, form(exact, "image/png", "exact.png"), token)).status, 204);
    t.ok((await get(app, id, token)).bytes.equals(exact));
  });

  t.test("no file is 422 missing", async (t) => {
    const res = await put(app, id, undefined, token);
    t.equal(res.status, 422);
    t.match(res.body, { detail: [{ type: "missing", loc: ["body", "file"] }] });
    const wrongField = await put(app, id, form(PNG, "image/png", "a.png", "picture"), token);
    t.equal(wrongField.status, 422);
  });

  t.test("no token: 401 Not authenticated", async (t) => {
    t.strictSame(await put(app, id, form(PNG, "image/png", "a.png")), { status: 401, challenge: "Bearer", body: { detail: "Not authenticated" } });
    const res = await fetch(`${app.baseUrl}/heroes/${id}/avatar`);
    t.equal(res.status, 401);
  });

  t.test("a token without heroes:write: 401 Not enough permissions (and it may read)", async (t) => {
    const { access_token: readOnly } = await app.login("johndoe", "secret", "heroes:read");
    t.strictSame(await put(app, id, form(PNG, "image/png", "a.png"), readOnly), {
      status: 401,
      challenge: 'Bearer scope="heroes:write"',
      body: { detail: "Not enough permissions" },
    });
    t.equal((await get(app, id, readOnly)).status, 200);
    const { access_token: writeOnly } = await app.login("johndoe", "secret", "heroes:write");
    const res = await app.call("GET", `/heroes/${id}/avatar`, writeOnly);
    t.equal(res.status, 401);
    t.equal(res.headers.get("www-authenticate"), 'Bearer scope="heroes:read"');
  });

  t.test("unknown hero: 404 Hero not found; no avatar for it", async (t) => {
    t.strictSame(await put(app, 999_999, form(PNG, "image/png", "a.png"), token), { status: 404, challenge: null, body: { detail: "Hero not found" } });
    t.strictSame(await put(app, 99_999_999_999, form(PNG, "image/png", "a.png"), token), { status: 404, challenge: null, body: { detail: "Hero not found" } });
    const res = await app.call("GET", "/heroes/999999/avatar", token);
    t.equal(res.status, 404);
    t.strictSame(await res.json(), { detail: "Avatar not found" });
  });

  t.test("the upload is audited", async (t) => {
    let actions: string[] = [];
    for (let i = 0; i < 100 && !actions.includes("avatar.updated"); i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      actions = ((await (await app.call("GET", "/audit/", token)).json()) as { action: string; hero_id: number }[]).map((e) => e.action);
    }
    t.ok(actions.includes("avatar.updated"));
  });

  t.test("the avatar goes with its hero", async (t) => {
    t.equal((await app.call("DELETE", `/heroes/${id}`, token)).status, 200);
    t.equal((await app.call("GET", `/heroes/${id}/avatar`, token)).status, 404);
  });

  t.test("OpenAPI: the PUT takes multipart/form-data with a binary file", async (t) => {
    const doc = (await (await app.request("/openapi.json")).json()) as Record<string, any>;
    const op = doc.paths["/heroes/{hero_id}/avatar"].put;
    t.strictSame(op.security, [{ OAuth2PasswordBearer: ["heroes:write"] }]);
    let schema = op.requestBody.content["multipart/form-data"].schema;
    t.equal(op.requestBody.required, true);
    if (schema.$ref !== undefined) schema = doc.components.schemas[(schema.$ref as string).split("/").pop()!];
    t.equal(schema.type, "object");
    t.strictSame(schema.required, ["file"]);
    t.match(schema.properties.file, { type: "string", contentMediaType: "application/octet-stream" });
    t.ok(doc.paths["/heroes/{hero_id}/avatar"].get, "the GET is documented");
    t.ok(op.responses["204"], "204 documented");
  });
});
