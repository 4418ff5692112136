// FastAPI's file-upload tests reproduced over real sockets: tests/test_tutorial/test_request_files/
// (tutorial001, 001_02, 001_03, 002, 003), test_request_forms_and_files/test_tutorial001.py and the
// UploadFile cases of tests/test_datastructures.py. FastAPI's `bytes` variants (`file: bytes =
// File()`) read the upload whole here (`await file.buffer()`); the `UploadFile` ones read its fields.
// Bodies are built with undici's FormData, as FastAPI's TestClient builds them with httpx.
import t from "tap";
import Type from "typebox";
import { fetch, FormData } from "undici";
import { File, Files, Form, RawReply, type UploadFile } from "@depends/core";
import { router } from "@depends/fastify";
import { eventually, serve } from "./support/uploads.js";

type Json = Record<string, any>;

const missing = (...names: string[]) => ({ detail: names.map((name) => ({ type: "missing", loc: ["body", name], msg: "Field required", input: null })) });
const binary = { type: "string", contentMediaType: "application/octet-stream" };
const validation422 = { description: "Validation Error", content: { "application/json": { schema: { $ref: "#/components/schemas/HTTPValidationError" } } } };
const ok = { description: "Successful Response", content: { "application/json": { schema: {} } } };

function blob(text: string, type?: string): Blob {
  return new Blob([text], type === undefined ? {} : { type });
}

async function post(url: string, body?: FormData | string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "POST", body, headers });
  return { status: res.status, json: (await res.json()) as Json };
}

/** The request body FastAPI documents, its named schema inlined (titles apart: depends does not invent them). */
function requestBodyOf(doc: Json, path: string): Json {
  const body = doc.paths[path].post.requestBody;
  // Named as FastAPI names it (Body_<operationId>), in components: inlined here to compare the schema.
  const content: Json = {};
  for (const [type, media] of Object.entries(body.content as Record<string, Json>)) {
    const ref = media.schema.$ref as string | undefined;
    if (ref === undefined) {
      content[type] = media;
      continue;
    }
    const name = ref.slice("#/components/schemas/".length);
    // FastAPI's title is the component's name; any other title stays, and fails the comparison.
    const { title, ...schema } = doc.components.schemas[name] as Json;
    content[type] = { ...media, schema: title === name ? schema : { title, ...schema } };
  }
  return { ...body, content };
}

// docs_src/request_files/tutorial001 (and 001_03: the same with descriptions)
function tutorial001(described = false) {
  const api = router();
  api.post("/files/", { file: File(described ? { description: "A file read as bytes" } : {}) }, async function create_file({ file }) {
    return { file_size: (await file.buffer()).length };
  });
  api.post("/uploadfile/", { file: File(described ? { description: "A file read as UploadFile" } : {}) }, function create_upload_file({ file }) {
    return { filename: file.filename };
  });
  return api;
}

t.test("tutorial001: one file, as bytes and as UploadFile", async (t) => {
  const { url, app, spooled } = await serve(tutorial001(), {}, t);
  t.test("no body: 422 missing file", async (t) => {
    const res = await post(`${url}/files/`);
    t.equal(res.status, 422);
    t.strictSame(res.json, missing("file"));
  });
  t.test("a JSON body: 422 missing file", async (t) => {
    const res = await post(`${url}/files/`, JSON.stringify({ file: "Foo" }), { "content-type": "application/json" });
    t.equal(res.status, 422);
    t.strictSame(res.json, missing("file"));
  });
  t.test("a file", async (t) => {
    const form = new FormData();
    form.append("file", blob("<file content>"), "test.txt");
    const res = await post(`${url}/files/`, form);
    t.equal(res.status, 200);
    t.strictSame(res.json, { file_size: 14 });
  });
  t.test("a file larger than pydantic's 2**16 default", async (t) => {
    const form = new FormData();
    form.append("file", blob("x".repeat(2 ** 16 + 1)), "test.txt");
    const res = await post(`${url}/files/`, form);
    t.equal(res.status, 200);
    t.strictSame(res.json, { file_size: 2 ** 16 + 1 });
  });
  t.test("an upload file", async (t) => {
    const form = new FormData();
    form.append("file", blob("<file content>"), "test.txt");
    const res = await post(`${url}/uploadfile/`, form);
    t.equal(res.status, 200);
    t.strictSame(res.json, { filename: "test.txt" });
  });
  t.test("the OpenAPI document: multipart/form-data, a binary string, required", async (t) => {
    const doc = (await app.inject("/openapi.json")).json() as Json;
    for (const [path, summary, operationId] of [["/files/", "Create File", "create_file_files__post"], ["/uploadfile/", "Create Upload File", "create_upload_file_uploadfile__post"]] as const) {
      const op = doc.paths[path].post;
      t.equal(op.summary, summary);
      t.equal(op.operationId, operationId);
      t.strictSame(op.responses, { "200": ok, "422": validation422 });
      t.strictSame(requestBodyOf(doc, path), {
        content: { "multipart/form-data": { schema: { type: "object", properties: { file: binary }, required: ["file"] } } },
        required: true,
      });
    }
  });
  t.test("nothing stays in the spool directory", async (t) => {
    t.ok(await eventually(async () => (await spooled()).length === 0));
  });
});

t.test("tutorial001_03: descriptions are documented", async (t) => {
  const { app } = await serve(tutorial001(true), {}, t);
  const doc = (await app.inject("/openapi.json")).json() as Json;
  t.strictSame(requestBodyOf(doc, "/files/").content["multipart/form-data"].schema.properties.file, { ...binary, description: "A file read as bytes" });
  t.strictSame(requestBodyOf(doc, "/uploadfile/").content["multipart/form-data"].schema.properties.file, { ...binary, description: "A file read as UploadFile" });
});

t.test("tutorial001_02: an optional file", async (t) => {
  const api = router();
  api.post("/files/", { file: File({ required: false }) }, async function create_file({ file }) {
    if (!file) return { message: "No file sent" };
    return { file_size: (await file.buffer()).length };
  });
  api.post("/uploadfile/", { file: File({ required: false }) }, function create_upload_file({ file }) {
    if (!file) return { message: "No upload file sent" };
    return { filename: file.filename };
  });
  const { url, app } = await serve(api, {}, t);
  t.strictSame(await post(`${url}/files/`), { status: 200, json: { message: "No file sent" } });
  t.strictSame(await post(`${url}/uploadfile/`), { status: 200, json: { message: "No upload file sent" } });
  const form = new FormData();
  form.append("file", blob("<file content>"), "test.txt");
  t.strictSame(await post(`${url}/files/`, form), { status: 200, json: { file_size: 14 } });
  t.strictSame(await post(`${url}/uploadfile/`, form), { status: 200, json: { filename: "test.txt" } });
  const doc = (await app.inject("/openapi.json")).json() as Json;
  for (const path of ["/files/", "/uploadfile/"]) {
    // FastAPI omits `required` (false by default); depends says `required: false`.
    t.strictSame(requestBodyOf(doc, path), {
      content: { "multipart/form-data": { schema: { type: "object", properties: { file: { anyOf: [binary, { type: "null" }] } } } } },
      required: false,
    });
  }
});

// docs_src/request_files/tutorial002 (and 003: the same with descriptions)
t.test("tutorial002 / 003: several files under one name", async (t) => {
  const api = router();
  api.post("/files/", { files: Files({ description: "Multiple files as bytes" }) }, async function create_files({ files }) {
    return { file_sizes: await Promise.all(files.map(async (file) => (await file.buffer()).length)) };
  });
  api.post("/uploadfiles/", { files: Files({ description: "Multiple files as UploadFile" }) }, function create_upload_files({ files }) {
    return { filenames: files.map((file) => file.filename) };
  });
  api.get("/", { reply: RawReply }, function main({ reply }) {
    void reply.type("text/html");
    return '<body><form action="/files/" enctype="multipart/form-data" method="post"><input name="files" type="file" multiple><input type="submit"></form></body>';
  });
  const { url, app } = await serve(api, {}, t);
  t.strictSame(await post(`${url}/files/`), { status: 422, json: missing("files") });
  t.strictSame(await post(`${url}/files/`, JSON.stringify({ file: "Foo" }), { "content-type": "application/json" }), { status: 422, json: missing("files") });
  const form = new FormData();
  form.append("files", blob("<file content>"), "test.txt");
  form.append("files", blob("<file content2>"), "test2.txt");
  t.strictSame(await post(`${url}/files/`, form), { status: 200, json: { file_sizes: [14, 15] } });
  t.strictSame(await post(`${url}/uploadfiles/`, form), { status: 200, json: { filenames: ["test.txt", "test2.txt"] } });
  const one = new FormData();
  one.append("files", blob("<file content>"), "test.txt");
  t.strictSame(await post(`${url}/uploadfiles/`, one), { status: 200, json: { filenames: ["test.txt"] } }, "one file is a list of one");
  const root = await fetch(`${url}/`);
  t.equal(root.status, 200);
  t.match(await root.text(), /<form/);
  const doc = (await app.inject("/openapi.json")).json() as Json;
  t.strictSame(requestBodyOf(doc, "/files/"), {
    content: { "multipart/form-data": { schema: { type: "object", properties: { files: { type: "array", items: binary, description: "Multiple files as bytes" } }, required: ["files"] } } },
    required: true,
  });
  t.strictSame(requestBodyOf(doc, "/uploadfiles/").content["multipart/form-data"].schema.properties.files, { type: "array", items: binary, description: "Multiple files as UploadFile" });
  t.strictSame(doc.paths["/"].get.responses, { "200": ok }, "the page route reads nothing: no 422");
});

// docs_src/request_forms_and_files/tutorial001
t.test("forms and files in one body", async (t) => {
  const api = router();
  api.post("/files/", { file: File(), fileb: File(), token: Form(Type.String()) }, async function create_file({ file, fileb, token }) {
    return { file_size: (await file.buffer()).length, token, fileb_content_type: fileb.contentType };
  });
  const { url, app, spooled } = await serve(api, {}, t);
  t.strictSame(await post(`${url}/files/`), { status: 422, json: missing("file", "fileb", "token") }, "no body");
  const tokenOnly = new FormData();
  tokenOnly.append("token", "foo");
  t.strictSame(await post(`${url}/files/`, tokenOnly), { status: 422, json: missing("file", "fileb") }, "no file");
  t.strictSame(await post(`${url}/files/`, new URLSearchParams({ token: "foo" }).toString(), { "content-type": "application/x-www-form-urlencoded" }), { status: 422, json: missing("file", "fileb") }, "an urlencoded form has no files");
  t.strictSame(await post(`${url}/files/`, JSON.stringify({ file: "Foo", token: "Bar" }), { "content-type": "application/json" }), { status: 422, json: missing("file", "fileb", "token") }, "a JSON body");
  const fileOnly = new FormData();
  fileOnly.append("file", blob("<file content>"), "test.txt");
  t.strictSame(await post(`${url}/files/`, fileOnly), { status: 422, json: missing("fileb", "token") }, "no token");
  const full = new FormData();
  full.append("token", "foo");
  full.append("file", blob("<file content>"), "test.txt");
  full.append("fileb", blob("<file b content>", "text/plain"), "testb.txt");
  t.strictSame(await post(`${url}/files/`, full), { status: 200, json: { file_size: 14, token: "foo", fileb_content_type: "text/plain" } });
  const doc = (await app.inject("/openapi.json")).json() as Json;
  t.strictSame(requestBodyOf(doc, "/files/"), {
    content: { "multipart/form-data": { schema: { type: "object", properties: { file: binary, fileb: binary, token: { type: "string" } }, required: ["file", "fileb", "token"] } } },
    required: true,
  });
  t.ok(await eventually(async () => (await spooled()).length === 0));
});

// tests/test_datastructures.py
t.test("an upload is closed (its temporary file deleted) once the request is over", async (t) => {
  const store: UploadFile[] = [];
  const api = router();
  api.post("/uploadfile/", { file: File() }, function create_upload_file({ file }) {
    store.push(file);
    return { filename: file.filename };
  });
  // Everything goes to disk, so that there is something to delete.
  const { url, spooled } = await serve(api, { multipart: { spoolThreshold: 0 } }, t);
  const form = new FormData();
  form.append("file", blob("<file content>"), "test.txt");
  t.strictSame(await post(`${url}/uploadfile/`, form), { status: 200, json: { filename: "test.txt" } });
  t.equal(store.length, 1);
  t.ok(await eventually(async () => (await spooled()).length === 0), "the spooled file is gone");
  await t.rejects(store[0]!.buffer(), { code: "ENOENT" }, "reading it afterwards fails");
});

t.test("a text field under a file field's name is not a file (UploadFile._validate)", async (t) => {
  const api = router();
  api.post("/uploadfile/", { file: File() }, ({ file }) => ({ filename: file.filename }));
  const { url } = await serve(api, {}, t);
  const form = new FormData();
  form.append("file", "not a file");
  t.strictSame(await post(`${url}/uploadfile/`, form), {
    status: 422,
    json: { detail: [{ type: "value_error", loc: ["body", "file"], msg: "Value error, Expected UploadFile, received: string", input: "not a file", ctx: { error: {} } }] },
  });
});

t.test("UploadFile: filename, content type, size, headers, stream, buffer, text", async (t) => {
  const api = router();
  api.post("/inspect/", { file: File() }, async function inspect({ file }) {
    const chunks: Buffer[] = [];
    for await (const chunk of file.stream()) chunks.push(chunk as Buffer);
    return {
      filename: file.filename, contentType: file.contentType, size: file.size, headers: file.headers,
      streamed: Buffer.concat(chunks).toString(), buffered: (await file.buffer()).toString(), text: await file.text(), again: await file.text(),
    };
  });
  for (const threshold of [1024 * 1024, 0]) {
    const { url } = await serve(api, { multipart: { spoolThreshold: threshold } }, t);
    const form = new FormData();
    form.append("file", blob("data and more data!", "text/plain"), "file.txt");
    const res = await post(`${url}/inspect/`, form);
    t.strictSame(res.json, {
      filename: "file.txt", contentType: "text/plain", size: 19,
      headers: { "content-disposition": 'form-data; name="file"; filename="file.txt"', "content-type": "text/plain" },
      streamed: "data and more data!", buffered: "data and more data!", text: "data and more data!", again: "data and more data!",
    }, threshold === 0 ? "spooled to disk" : "in memory");
  }
});
