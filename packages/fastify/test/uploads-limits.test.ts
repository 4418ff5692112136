// Limits of multipart bodies, over real sockets: each limit answers 413 (the size and count
// limits) or 422 (a type `accept` refuses) in FastAPI's {"detail"} shape, naming the limit; what
// was spooled before the refusal is deleted. Also: Form alone on a multipart body, the password
// form over multipart, malformed bodies (400), and registration errors.
import t from "tap";
import Type from "typebox";
import { fetch, FormData } from "undici";
import { DeclarationError, Depends, dependency, File, Files, Form } from "@depends/core";
import { OAuth2PasswordRequestForm } from "@depends/core/security";
import Fastify from "fastify";
import { dependsPlugin, router } from "@depends/fastify";
import { curl, eventually, serve } from "./support/uploads.js";

type Json = Record<string, any>;

async function post(url: string, body?: FormData | string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "POST", body, headers });
  return { status: res.status, json: (await res.json()) as Json };
}

function filesForm(entries: readonly (readonly [string, string | number, string?])[]): FormData {
  const form = new FormData();
  for (const [name, content, filename] of entries) {
    if (typeof content === "number") form.append(name, new Blob([Buffer.alloc(content, 0x61)]), filename ?? "f.bin");
    else form.append(name, content);
  }
  return form;
}

function uploadApi() {
  const api = router();
  api.post("/one/", { file: File(), note: Form(Type.String(), { required: false }) }, ({ file, note }) => ({ size: file.size, note: note ?? null }));
  api.post("/small/", { file: File({ maxSize: 100 }) }, ({ file }) => ({ size: file.size }));
  api.post("/many/", { files: Files() }, ({ files }) => ({ sizes: files.map((file) => file.size) }));
  api.post("/images/", { pictures: Files({ accept: ["image/png", "image/jpeg"] }), avatar: File({ accept: ["image/*"], required: false }) }, ({ pictures, avatar }) => ({
    types: pictures.map((picture) => picture.contentType), avatar: avatar?.contentType ?? null,
  }));
  return api;
}

const limits = { fileSize: 1000, files: 3, fields: 2, fieldSize: 50, totalSize: 2500, spoolThreshold: 10 };

t.test("size and count limits: 413 naming the limit, nothing left spooled", async (t) => {
  const { url, spooled } = await serve(uploadApi(), { multipart: limits }, t);
  const cases: [string, string, FormData, string][] = [
    ["a file above multipart.fileSize", "/one/", filesForm([["file", 1001, "big.bin"]]), 'File too large: "big.bin" in field "file" exceeds the maximum file size (multipart.fileSize) of 1000 bytes'],
    ["a file above the field's maxSize", "/small/", filesForm([["file", 101, "pic.png"]]), 'File too large: "pic.png" in field "file" exceeds the field\'s maxSize of 100 bytes'],
    ["more files than multipart.files", "/many/", filesForm([["files", 1], ["files", 1], ["files", 1], ["files", 1]]), "Too many files: a multipart body may carry at most 3 (multipart.files)"],
    ["more fields than multipart.fields", "/one/", filesForm([["note", "a"], ["x", "b"], ["y", "c"], ["file", 1]]), "Too many fields: a multipart body may carry at most 2 (multipart.fields)"],
    ["a field above multipart.fieldSize", "/one/", filesForm([["note", "n".repeat(51)], ["file", 1]]), 'Field too large: field "note" exceeds the maximum field size of 50 bytes (multipart.fieldSize)'],
    ["a body above multipart.totalSize", "/many/", filesForm([["files", 900], ["files", 900], ["files", 900]]), "Request body too large: the files and fields of a multipart body may total at most 2500 bytes (multipart.totalSize)"],
  ];
  for (const [what, path, form, detail] of cases) {
    t.strictSame(await post(url + path, form), { status: 413, json: { detail } }, what);
  }
  t.ok(await eventually(async () => (await spooled()).length === 0), "every spooled part was deleted");
  t.strictSame(await post(`${url}/small/`, filesForm([["file", 100]])), { status: 200, json: { size: 100 } }, "exactly maxSize passes");
  t.strictSame(await post(`${url}/one/`, filesForm([["note", "n".repeat(50)], ["file", 1000]])), { status: 200, json: { size: 1000, note: "n".repeat(50) } }, "exactly the limits pass");
});

t.test("the same limits with curl -F", async (t) => {
  const { url, spooled } = await serve(uploadApi(), { multipart: limits }, t);
  const tooBig = await curl(`${url}/small/`, ["-F", "file=@/etc/services;filename=services.txt"]);
  t.equal(tooBig.status, 413);
  t.strictSame(JSON.parse(tooBig.body), { detail: 'File too large: "services.txt" in field "file" exceeds the field\'s maxSize of 100 bytes' });
  const tooMany = await curl(`${url}/many/`, ["-F", "files=@/etc/hostname", "-F", "files=@/etc/hostname", "-F", "files=@/etc/hostname", "-F", "files=@/etc/hostname"]);
  t.equal(tooMany.status, 413);
  t.strictSame(JSON.parse(tooMany.body), { detail: "Too many files: a multipart body may carry at most 3 (multipart.files)" });
  t.ok(await eventually(async () => (await spooled()).length === 0));
});

t.test("accept: a file of another type is a 422 file_type, listed with the other problems", async (t) => {
  const { url } = await serve(uploadApi(), {}, t);
  const form = new FormData();
  form.append("pictures", new Blob(["png"], { type: "image/png" }), "a.png");
  form.append("pictures", new Blob(["txt"], { type: "text/plain" }), "b.txt");
  form.append("avatar", new Blob(["gif"], { type: "image/gif" }), "c.gif");
  const res = await post(`${url}/images/`, form);
  t.equal(res.status, 422);
  t.strictSame(res.json, {
    detail: [{ type: "file_type", loc: ["body", "pictures", 1], msg: "File type should be one of image/png, image/jpeg", input: "text/plain", ctx: { expected: "image/png, image/jpeg" } }],
  });
  const bad = new FormData();
  bad.append("pictures", new Blob(["jpg"], { type: "IMAGE/JPEG; x=y" }), "a.jpg");
  bad.append("avatar", new Blob(["txt"], { type: "text/plain" }), "c.txt");
  const both = await post(`${url}/images/`, bad);
  t.strictSame(both.json.detail, [{ type: "file_type", loc: ["body", "avatar"], msg: "File type should be image/*", input: "text/plain", ctx: { expected: "image/*" } }], "case and parameters are ignored; a range matches a family");
  const good = new FormData();
  good.append("pictures", new Blob(["jpg"], { type: "image/jpeg" }), "a.jpg");
  good.append("avatar", new Blob(["gif"], { type: "image/gif" }), "c.gif");
  t.strictSame(await post(`${url}/images/`, good), { status: 200, json: { types: ["image/jpeg"], avatar: "image/gif" } });
});

t.test("Form fields alone on a multipart body; the password form over multipart (FastAPI reads both encodings)", async (t) => {
  const api = router();
  api.post("/login/", { username: Form(Type.String()), remember: Form(Type.Boolean(), { default: false }), tags: Form(Type.Array(Type.String()), { required: false }) }, function login(values) {
    return values;
  });
  api.post("/token", { form: Depends(OAuth2PasswordRequestForm) }, function login_for_access_token({ form }) {
    return { username: form.username, password: form.password, scopes: form.scopes };
  });
  const { url, app } = await serve(api, {}, t);
  const form = new FormData();
  form.append("username", "johndoe");
  form.append("remember", "true");
  form.append("tags", "a");
  form.append("tags", "b");
  form.append("stray", new Blob(["ignored"]), "stray.txt");
  t.strictSame(await post(`${url}/login/`, form), { status: 200, json: { username: "johndoe", remember: true, tags: ["a", "b"] } }, "an undeclared file part is read and dropped");
  const empty = new FormData();
  empty.append("username", "");
  t.strictSame(await post(`${url}/login/`, empty), { status: 422, json: { detail: [{ type: "missing", loc: ["body", "username"], msg: "Field required", input: null }] } }, "an empty value is missing, as in an urlencoded form");
  const token = new FormData();
  token.append("grant_type", "password");
  token.append("username", "johndoe");
  token.append("password", "secret");
  token.append("scope", "me items");
  t.strictSame(await post(`${url}/token`, token), { status: 200, json: { username: "johndoe", password: "secret", scopes: ["me", "items"] } });
  const viaCurl = await curl(`${url}/token`, ["-F", "username=johndoe", "-F", "password=secret"]);
  t.strictSame({ status: viaCurl.status, json: JSON.parse(viaCurl.body) }, { status: 200, json: { username: "johndoe", password: "secret", scopes: [] } });
  const doc = (await app.inject("/openapi.json")).json() as Json;
  t.strictSame(Object.keys(doc.paths["/token"].post.requestBody.content), ["application/x-www-form-urlencoded"], "without files, FastAPI documents a form as urlencoded");
  t.strictSame(Object.keys(doc.paths["/login/"].post.requestBody.content), ["application/x-www-form-urlencoded"]);
});

t.test("malformed multipart bodies are a 400, never a 500", async (t) => {
  const { url, spooled } = await serve(uploadApi(), { multipart: { spoolThreshold: 0 } }, t);
  const noBoundary = await post(`${url}/one/`, "whatever", { "content-type": "multipart/form-data" });
  t.equal(noBoundary.status, 400);
  t.match(noBoundary.json.detail, /^Invalid multipart\/form-data body: /);
  const truncated = await post(`${url}/one/`, '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalf a file', { "content-type": "multipart/form-data; boundary=XX" });
  t.equal(truncated.status, 400);
  t.match(truncated.json.detail, /^Invalid multipart\/form-data body: /);
  const empty = await post(`${url}/one/`, "", { "content-type": "multipart/form-data; boundary=XX" });
  t.strictSame(empty, { status: 422, json: { detail: [{ type: "missing", loc: ["body", "file"], msg: "Field required", input: null }] } }, "an empty body is an empty form");
  t.ok(await eventually(async () => (await spooled()).length === 0));
});

t.test("a browser's empty file input counts as absent", async (t) => {
  const { url } = await serve(uploadApi(), {}, t);
  const body = '--XX\r\nContent-Disposition: form-data; name="file"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--XX--\r\n';
  const res = await post(`${url}/one/`, body, { "content-type": "multipart/form-data; boundary=XX" });
  t.strictSame(res, { status: 422, json: { detail: [{ type: "missing", loc: ["body", "file"], msg: "Field required", input: null }] } });
});

t.test("registration errors", async (t) => {
  t.throws(() => File({ maxSize: -1 }), { code: "DEPENDS_INVALID_FILE_OPTION" });
  t.throws(() => File({ maxSize: 1.5 }), { code: "DEPENDS_INVALID_FILE_OPTION" });
  t.throws(() => Files({ accept: [] }), { code: "DEPENDS_INVALID_FILE_OPTION" });
  t.throws(() => File({ accept: ["png"] }), { code: "DEPENDS_INVALID_FILE_OPTION", message: /"png"/ });
  const app = Fastify();
  await t.rejects(async () => app.register(dependsPlugin, { multipart: { fileSize: -5 } }).ready(), { code: "DEPENDS_INVALID_FILE_OPTION", message: /multipart\.fileSize/ });
  const off = Fastify();
  await off.register(dependsPlugin, { multipart: false });
  const api = router();
  api.post("/up/", { file: File() }, ({ file }) => file.filename);
  off.register(api.plugin());
  const refused = await off.ready().then(() => undefined, (error: unknown) => error);
  t.ok(refused instanceof DeclarationError, "a DeclarationError");
  t.match(refused, { code: "DEPENDS_MULTIPART_DISABLED", route: "POST /up/", message: /File source "file"/ });
  const clash = router();
  clash.post("/x/", { a: File(), b: Depends(dependencyReading()) }, () => null);
  const app2 = Fastify();
  await app2.register(dependsPlugin);
  app2.register(clash.plugin());
  await t.rejects(async () => app2.ready(), { code: "DEPENDS_CONFLICTING_PARAM" }, "a field declared as a file and as text");
});

function dependencyReading() {
  return dependency({ a: Form(Type.String()) }, ({ a }) => a);
}
