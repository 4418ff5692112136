import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import t from "tap";
import Type from "typebox";
import { OAuth2PasswordRequestForm } from "@depends/core/security";
import { compileRoute, Depends } from "@depends/core";

const run = promisify(execFile);
const probe = fileURLToPath(new URL("./fixtures/imports-of.mjs", import.meta.url));

async function importsOf(specifier: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, ["--conditions=@depends/source", "--import", "@tapjs/typescript/import", probe, specifier], { cwd: process.cwd() });
  return JSON.parse(stdout) as string[];
}

t.test("importing the security schemes does not load typebox (about 3 MB of heap)", async (t) => {
  const urls = await importsOf("@depends/core/security");
  t.ok(urls.some((url) => url.includes("/security/password-form.")), "the probe sees the module graph");
  t.same(urls.filter((url) => /\/node_modules\/typebox\//.test(url)), []);
});

t.test("the password form's schemas are the ones typebox builds", async (t) => {
  const route = compileRoute({ method: "POST", path: "/token", sources: { form: Depends(OAuth2PasswordRequestForm) }, handler: ({ form }) => form });
  const body = route.requestSchemas.body as { properties: Record<string, unknown> };
  t.strictSame(body.properties.username, Type.String({ title: "Username" }));
  t.strictSame(body.properties.password, Type.String({ title: "Password", format: "password" }));
  t.strictSame(body.properties.grant_type, Type.String({ title: "Grant Type", pattern: "^password$" }));
  t.strictSame(body.properties.scope, { ...Type.String({ title: "Scope" }), default: "" });
  t.strictSame(body.properties.client_secret, Type.String({ title: "Client Secret", format: "password" }));
  for (const name of ["username", "password", "grant_type"]) t.ok(Type.IsString(body.properties[name]), `${name} is a typebox string`);
});
