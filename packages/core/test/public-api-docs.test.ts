// Every public export of every entry point carries TSDoc with an @example (DESIGN.md, style).
import { fileURLToPath } from "node:url";
import t from "tap";
import ts from "typescript";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const entryPoints = [
  "packages/core/src/index.ts",
  "packages/core/src/security/index.ts",
  "packages/core/src/jwt/index.ts",
  "packages/fastify/src/index.ts",
].map((p) => root + p);

const program = ts.createProgram(entryPoints, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  customConditions: ["@depends/source"],
  noEmit: true,
  skipLibCheck: true,
});
const checker = program.getTypeChecker();

function hasExample(symbol: ts.Symbol): boolean {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  if (target.getJsDocTags(checker).some((tag) => tag.name === "example")) return true;
  // Classes and functions declared with overloads: any declaration's doc counts.
  return (target.declarations ?? []).some((d) => ts.getJSDocTags(d).some((tag) => tag.tagName.text === "example"));
}

for (const entry of entryPoints) {
  t.test(entry.slice(root.length), async (t) => {
    const source = program.getSourceFile(entry);
    if (!source) throw new Error(`cannot load ${entry}`);
    const module = checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entry} has no exports`);
    const missing = checker
      .getExportsOfModule(module)
      .filter((symbol) => !hasExample(symbol))
      .map((symbol) => symbol.getName());
    t.same(missing, [], "exports without a TSDoc @example");
  });
}
