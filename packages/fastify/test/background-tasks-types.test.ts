// Type tests of BackgroundTasks and of dependencies that return the reply: `npm run typecheck`
// compiles this file (every `@ts-expect-error` must be an error, every `Equal` must hold); tap runs
// the routes too.
import t from "tap";
import Fastify, { type FastifyReply } from "fastify";
import { BackgroundTasks, Depends, dependency, RawReply, type ValueOfDependency } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const sendEmail = async (to: string, subject: string): Promise<void> => void [to, subject];

const withTasks = dependency({ tasks: BackgroundTasks }, ({ tasks }) => {
  assertType<Equal<typeof tasks, BackgroundTasks>>();
  tasks.addTask(sendEmail, "a@example.com", "hi");
  return tasks;
});
// Compiled, never called: each line would throw (or queue a wrong call) at run time.
export function wrongUses(tasks: BackgroundTasks): void {
  // @ts-expect-error: the subject is missing
  tasks.addTask(sendEmail, "a@example.com");
  // @ts-expect-error: the address must be a string
  tasks.addTask(sendEmail, 1, "hi");
  // @ts-expect-error: a task is a function
  tasks.addTask("sendEmail");
  // @ts-expect-error: not writable
  tasks.size = 1;
}
assertType<Equal<ValueOfDependency<typeof withTasks>, BackgroundTasks>>();

// A dependency returning the reply provides the reply (not `Awaited` of fastify's thenable).
const syncReply = dependency({ reply: RawReply }, ({ reply }) => reply.header("x-a", "1"));
assertType<Equal<ValueOfDependency<typeof syncReply>, FastifyReply>>();
const asyncReply = dependency({ reply: RawReply }, async ({ reply }): Promise<FastifyReply> => reply);
assertType<Equal<ValueOfDependency<typeof asyncReply>, FastifyReply>>();
// Other thenables are still awaited.
const number = dependency(async () => 1);
assertType<Equal<ValueOfDependency<typeof number>, number>>();

t.test("the typed routes mount and answer", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/", { tasks: Depends(withTasks), a: Depends(syncReply), b: Depends(asyncReply) }, ({ tasks, a, b }) => {
    assertType<Equal<typeof tasks, BackgroundTasks>>();
    assertType<Equal<typeof a, FastifyReply>>();
    return { size: tasks.size, same: a === b };
  });
  await app.register(api.plugin());
  t.same((await app.inject("/")).json(), { size: 1, same: true });
  await app.close();
});
