// Type tests of uploads: `npx tsc -p tsconfig.check.json --noEmit` compiles this file; every
// `@ts-expect-error` must be an error and every `Equal` must hold. tap runs it too: the routes
// are mounted and answer, so the values really are what the types say.
import t from "tap";
import Type from "typebox";
import { FormData, fetch } from "undici";
import { createUploadFile, dependency, Depends, File, Files, Form, isUploadFile, type UploadFile } from "@depends/core";
import { router } from "@depends/fastify";
import { serve } from "./support/uploads.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const api = router();

api.post("/one/", { file: File(), note: Form(Type.String()) }, (values) => {
  assertType<Equal<typeof values, { readonly file: UploadFile; readonly note: string }>>();
  assertType<Equal<typeof values.file.filename, string>>();
  assertType<Equal<typeof values.file.size, number>>();
  assertType<Equal<ReturnType<typeof values.file.buffer>, Promise<Buffer>>>();
  assertType<Equal<ReturnType<typeof values.file.text>, Promise<string>>>();
  assertType<Equal<typeof values.file.headers, Readonly<Record<string, string>>>>();
  // @ts-expect-error: an upload is not a string
  const text: string = values.file;
  void text;
  void (() => {
    // @ts-expect-error: read-only
    values.file.filename = "x";
  });
  return { file: values.file.filename, isUpload: isUploadFile(values.file) };
});

api.post("/optional/", { file: File({ required: false, description: "Optional" }) }, ({ file }) => {
  assertType<Equal<typeof file, UploadFile | undefined>>();
  // @ts-expect-error: possibly undefined
  void (() => file.filename);
  return file?.filename ?? null;
});

api.post("/many/", { files: Files({ maxSize: 1024, accept: ["text/*"] }) }, ({ files }) => {
  assertType<Equal<typeof files, UploadFile[]>>();
  return files.map((file) => file.filename);
});

api.post("/many-optional/", { files: Files({ required: false }) }, ({ files }) => {
  assertType<Equal<typeof files, UploadFile[] | undefined>>();
  return files?.length ?? 0;
});

// A dependency reads an upload like any other source.
const firstLine = dependency({ upload: File({ alias: "document" }) }, async ({ upload }) => (await upload.text()).split("\n")[0] ?? "");
api.post("/first-line/", { line: Depends(firstLine) }, ({ line }) => {
  assertType<Equal<typeof line, string>>();
  return line;
});

t.test("wrong options are compile errors, and registration errors at run time", async (t) => {
  // @ts-expect-error: maxSize is a number of bytes
  t.throws(() => File({ maxSize: "1MB" }), { code: "DEPENDS_INVALID_FILE_OPTION" });
  // @ts-expect-error: accept is a list
  t.throws(() => File({ accept: "image/png" }), { code: "DEPENDS_INVALID_FILE_OPTION" });
  // @ts-expect-error: no default for a file
  File({ default: "x" });
});

assertType<Equal<ReturnType<typeof createUploadFile>, UploadFile>>();

t.test("the values are what the types say", async (t) => {
  const { url } = await serve(api, {}, t);
  const form = new FormData();
  form.append("file", new Blob(["a"]), "a.txt");
  form.append("note", "n");
  form.append("files", new Blob(["b"], { type: "text/plain" }), "b.txt");
  form.append("document", new Blob(["first\nsecond"]), "doc.txt");
  const call = async (path: string) => (await fetch(url + path, { method: "POST", body: form })).json();
  t.strictSame(await call("/one/"), { file: "a.txt", isUpload: true });
  t.strictSame(await call("/optional/"), "a.txt");
  t.strictSame(await call("/many/"), ["b.txt"]);
  t.strictSame(await call("/many-optional/"), 1);
  t.strictSame(await call("/first-line/"), "first");
  const none = await fetch(`${url}/optional/`, { method: "POST" });
  t.strictSame(await none.json(), null);
});
