// Class-style dependencies: an instance built from sources, and one instance's methods as dependencies.
import t from "tap";
import { Type } from "typebox";
import { classDependency, compileRoute, createRequest, Depends, dependency, methodDependency, Path, Query, type ValuesOf } from "@depends/core";
import { CompileCache } from "@depends/core/adapter";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

class Pagination {
  static readonly sources = { skip: Query(Type.Integer(), { default: 0 }), limit: Query(Type.Integer(), { default: 10 }) };
  constructor(readonly values: ValuesOf<typeof Pagination.sources>) {}
  get end(): number {
    return this.values.skip + this.values.limit;
  }
}

let made = 0;
class UserRepo {
  readonly #db: Map<number, string>;
  constructor({ db }: { db: Map<number, string> }) {
    made++;
    this.#db = db;
  }
  find({ id }: { id: number }): string | undefined {
    return this.#db.get(id);
  }
  async count(): Promise<number> {
    return this.#db.size;
  }
}

const getDb = dependency(() => new Map([[1, "ann"], [2, "bo"]]));

t.test("a class built from its static sources", async (t) => {
  const getPagination = classDependency(Pagination);
  const route = compileRoute({ method: "GET", path: "/", sources: { page: Depends(getPagination) }, handler: ({ page }) => {
    assertType<Equal<typeof page, Pagination>>();
    return [page instanceof Pagination, page.end];
  } });
  t.same(await route.execute(createRequest({ query: { skip: "5" } })), [true, 15]);
});

t.test("one app-scoped instance, its methods shared as dependencies", async (t) => {
  made = 0;
  const cache = new CompileCache();
  const repo = Depends(classDependency(UserRepo, { db: Depends(getDb) }), { scope: "app" });
  const findUser = methodDependency(repo, "find", { id: Path(Type.Integer()) });
  const countUsers = methodDependency(repo, "count");
  const route = compileRoute({ method: "GET", path: "/users/{id}", sources: { user: Depends(findUser), total: Depends(countUsers) }, handler: ({ user, total }) => {
    assertType<Equal<typeof user, string | undefined>>();
    assertType<Equal<typeof total, number>>();
    return { user, total };
  } }, { cache });
  t.same(await route.execute(createRequest({ params: { id: "2" } })), { user: "bo", total: 2 });
  t.same(await route.execute(createRequest({ params: { id: "1" } })), { user: "ann", total: 2 });
  t.equal(made, 1, "one instance for the application");
  t.equal(route.nodes[0]?.definition.name, "UserRepo.find");
});

t.test("declaration mistakes", async (t) => {
  class NoSources {
    constructor(readonly v: object) {}
  }
  t.throws(() => classDependency(NoSources as never), { code: "DEPENDS_INVALID_DEPENDENCY" });
  t.throws(() => methodDependency(classDependency(UserRepo, { db: Depends(getDb) }), "find", { self: Query(Type.String()) } as never), { code: "DEPENDS_INVALID_SOURCE" });
});

// Type-checked only.
export function classTypeErrors(): void {
  const getRepo = classDependency(UserRepo, { db: Depends(getDb) });
  // @ts-expect-error: not a method of UserRepo
  methodDependency(getRepo, "delete");
  // @ts-expect-error: the constructor needs a db Map, the source gives a string
  classDependency(UserRepo, { db: Query(Type.String()) });
}
