// Factory-made dependencies (`requireRole("admin")`) overridden as a family, typed by the factory.
import t from "tap";
import { compileRoute, createRequest, Depends, dependency, dependencyFamily, DependencyOverrides, HTTPException } from "@depends/core";

interface User {
  readonly name: string;
  readonly roles: readonly string[];
}

const getUser = dependency((): User => ({ name: "ann", roles: ["editor"] }));
const requireRole = dependencyFamily((role: "admin" | "editor") =>
  dependency({ user: Depends(getUser) }, ({ user }) => {
    if (!user.roles.includes(role)) throw new HTTPException(403, `needs ${role}`);
    return user;
  }, { name: `requireRole(${role})` }),
);

t.test("members with equal arguments are one dependency (one call per request)", async (t) => {
  t.equal(requireRole("admin"), requireRole("admin"));
  t.not(requireRole("admin"), requireRole("editor"));
  let calls = 0;
  const counted = dependencyFamily((n: number) => dependency(() => ++calls + n));
  const route = compileRoute({ method: "GET", path: "/", sources: { a: Depends(counted(1)), b: Depends(counted(1)) }, handler: ({ a, b }) => [a, b] });
  t.same(await route.execute(createRequest()), [2, 2]);
});

t.test("setFamily replaces every member, made before or after, by the factory's arguments; restore puts them back", async (t) => {
  const overrides = new DependencyOverrides();
  const admin = compileRoute({ method: "GET", path: "/a", sources: { user: Depends(requireRole("admin")) }, handler: ({ user }) => user.name }, { overrides });
  await t.rejects(admin.execute(createRequest()), { message: "needs admin" });
  const seen: string[] = [];
  {
    using _ = overrides.setFamily(requireRole, (role) => {
      seen.push(role);
      return dependency((): User => ({ name: `fake ${role}`, roles: [role] }));
    });
    t.equal(await admin.execute(createRequest()), "fake admin");
    const editor = compileRoute({ method: "GET", path: "/e", sources: { user: Depends(requireRole("editor")) }, handler: ({ user }) => user.name }, { overrides });
    t.equal(await editor.execute(createRequest()), "fake editor");
    t.equal(await admin.execute(createRequest()), "fake admin");
    t.same(seen, ["admin", "editor"], "one replacement per member");
    {
      using _one = overrides.set(requireRole("admin"), dependency((): User => ({ name: "direct", roles: [] })));
      t.equal(await admin.execute(createRequest()), "direct", "a member's own override wins");
    }
  }
  await t.rejects(admin.execute(createRequest()), { message: "needs admin" });
  t.equal(overrides.size, 0);
});

t.test("setFamily refuses what is not a family", async (t) => {
  const overrides = new DependencyOverrides();
  t.throws(() => overrides.setFamily((() => getUser) as never, () => getUser), { code: "DEPENDS_INVALID_DEPENDENCY" });
  t.throws(() => dependencyFamily((() => 42) as never)(), { code: "DEPENDS_INVALID_DEPENDENCY" });
});

// Type-checked only.
export function familyTypeErrors(overrides: DependencyOverrides): void {
  // @ts-expect-error: "owner" is not a role the factory accepts
  requireRole("owner");
  // @ts-expect-error: the replacement's parameter is the factory's ("admin" | "editor"), not a number
  overrides.setFamily(requireRole, (role: number) => dependency((): User => ({ name: String(role), roles: [] })));
  // @ts-expect-error: the replacement must provide a User
  overrides.setFamily(requireRole, () => dependency(() => 42));
}
