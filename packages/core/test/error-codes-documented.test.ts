import { readFileSync } from "node:fs";
import t from "tap";

// Every registration error code is stable and documented: docs/errors.md has one table row per
// member of DeclarationErrorCode, and no row for a code that does not exist.
t.test("docs/errors.md documents exactly the codes of DeclarationErrorCode", async (t) => {
  const source = readFileSync(new URL("../src/errors.ts", import.meta.url), "utf8");
  const union = source.slice(source.indexOf("export type DeclarationErrorCode ="), source.indexOf(";", source.indexOf("export type DeclarationErrorCode =")));
  const codes = [...union.matchAll(/"(DEPENDS_[A-Z_]+)"/g)].map((m) => m[1]);
  const docs = readFileSync(new URL("../../../docs/errors.md", import.meta.url), "utf8");
  const documented = [...docs.matchAll(/^\| `(DEPENDS_[A-Z_]+)` \|/gm)].map((m) => m[1]);
  t.ok(codes.length >= 30, `${codes.length} codes`);
  t.strictSame([...documented].sort(), [...codes].sort());
  t.equal(new Set(codes).size, codes.length, "no code twice");
});
