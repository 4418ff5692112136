import t from "tap";
import Type from "typebox";
import { BackgroundTasks, Depends, dependency, Query, RawReply, RawRequest, CurrentRequest, Security, SecurityScopes } from "@depends/core";
import { isSource } from "@depends/core/adapter";

t.test("isSource tells sources from anything else", async (t) => {
  const dep = dependency(() => 1);
  for (const source of [Depends(dep), Security(dep), SecurityScopes, Query(Type.String()), CurrentRequest, RawRequest, RawReply, BackgroundTasks]) t.ok(isSource(source));
  for (const other of [dep, () => 1, class Other {}, { summary: "x" }, null, undefined, "Depends", 0]) t.notOk(isSource(other), String(other));
});
