// tsc -b never deletes the output of removed sources: start every build from empty dist/ folders.
import { rmSync } from "node:fs";
for (const dir of ["packages/core", "packages/fastify", "examples/oauth2-scopes"]) {
  rmSync(new URL(`../${dir}/dist`, import.meta.url), { recursive: true, force: true });
}
