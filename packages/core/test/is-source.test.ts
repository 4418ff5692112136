import t from "tap";
import Type from "typebox";
import { Depends, dependency, isSource, Query, RawReply, RawRequest, Request, Security, SecurityScopes } from "@depends/core";

t.test("isSource tells sources from anything else", async (t) => {
  const dep = dependency(() => 1);
  for (const source of [Depends(dep), Security(dep), SecurityScopes, Query(Type.String()), Request, RawRequest, RawReply]) t.ok(isSource(source));
  for (const other of [dep, () => 1, class Other {}, { summary: "x" }, null, undefined, "Depends", 0]) t.notOk(isSource(other), String(other));
});
