import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import t from "tap";

// A runtime that forbids code generation (`--disallow-code-generation-from-strings`, an edge
// runtime, a CSP without unsafe-eval) runs every plan in the interpreter, with the same answers.
t.test("routes run through the interpreter under --disallow-code-generation-from-strings", async (t) => {
  const fixture = fileURLToPath(new URL("./fixtures/no-codegen.ts", import.meta.url));
  const output = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [...process.execArgv, "--disallow-code-generation-from-strings", fixture], { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
  const results = JSON.parse(output) as Record<string, unknown>;
  t.equal(results.codegen, "EvalError", "the flag is in force in the child");
  t.strictSame(results.sync, { page: 3 });
  t.strictSame(results.async, { twice: 8 });
  t.strictSame(results.invalid, [{ type: "int_parsing", loc: ["query", "page"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "x" }]);
  t.strictSame(results.denied, [403, "no"]);
  t.strictSame(results.sources, [null, null], "no generated source: both run in the interpreter");
});
