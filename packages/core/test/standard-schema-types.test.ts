// Type tests for Standard Schema sources (issue 18, item 2): `npm run typecheck` compiles this file;
// every `@ts-expect-error` must be an error and every `Equal` must hold. tap runs it too.
import t from "tap";
import Type from "typebox";
import * as v from "valibot";
import * as z from "zod";
import { Body, compileRoute, Cookie, createRequest, dependency, Form, Header, type ParamSource, Path, Query, type SchemaValue, type StandardSchemaV1 } from "@depends/core";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const ZItem = z.object({ name: z.string(), price: z.number(), tags: z.array(z.string()).optional() });
const VItem = v.object({ name: v.string(), price: v.number() });

// The value's type is the validator's output type.
assertType<Equal<SchemaValue<typeof ZItem>, { name: string; price: number; tags?: string[] | undefined }>>();
assertType<Equal<SchemaValue<typeof VItem>, { name: string; price: number }>>();
assertType<Equal<SchemaValue<ReturnType<typeof Type.Integer>>, number>>();
const p1 = Query(z.coerce.number());
assertType<Equal<typeof p1, ParamSource<number>>>();
const p2 = Query(z.string().transform((s) => s.length));
assertType<Equal<typeof p2, ParamSource<number>>>();
const p3 = Query(z.string(), { required: false });
assertType<Equal<typeof p3, ParamSource<string | undefined>>>();
const p4 = Query(z.string().optional());
assertType<Equal<typeof p4, ParamSource<string | undefined>>>();
const p5 = Query(z.number().default(10));
assertType<Equal<typeof p5, ParamSource<number>>>();
const p6 = Query(v.optional(v.number(), 10));
assertType<Equal<typeof p6, ParamSource<number>>>();
const p7 = Query(v.optional(v.string()));
assertType<Equal<typeof p7, ParamSource<string | undefined>>>();
const p8 = Query(z.number(), { default: 5 });
assertType<Equal<typeof p8, ParamSource<number>>>();

const route = compileRoute({
  method: "POST",
  path: "/items/{itemId}",
  sources: {
    itemId: Path(z.number().int()),
    q: Query(v.pipe(v.string(), v.minLength(2))),
    agent: Header(z.string().optional()),
    sid: Cookie(v.string()),
    item: Body(ZItem),
    other: Body(VItem, { embed: true }),
    typebox: Body(Type.Integer()),
  },
  handler: (values) => {
    assertType<Equal<typeof values.itemId, number>>();
    assertType<Equal<typeof values.q, string>>();
    assertType<Equal<typeof values.agent, string | undefined>>();
    assertType<Equal<typeof values.sid, string>>();
    assertType<Equal<typeof values.item, { name: string; price: number; tags?: string[] | undefined }>>();
    assertType<Equal<typeof values.other, { name: string; price: number }>>();
    assertType<Equal<typeof values.typebox, number>>();
    // @ts-expect-error: no such source
    void values.missing;
    // @ts-expect-error: the output of z.number() is not a string
    const s: string = values.itemId;
    void s;
    return values.item.name;
  },
});

const login = dependency({ username: Form(z.string()), age: Form(v.number()) }, ({ username, age }) => {
  assertType<Equal<typeof username, string>>();
  assertType<Equal<typeof age, number>>();
  return username;
});
void login;

export function typeErrorsOnly(): void {
  // @ts-expect-error: the default must be of the validator's output type
  Query(z.number(), { default: "ten" });
  // @ts-expect-error: a valibot default must be of the output type too
  Query(v.number(), { default: "ten" });
  // @ts-expect-error: Body's options are checked against the validator's output
  Body(ZItem, { default: { name: "pen" } });
  // @ts-expect-error: the jsonSchema option is a JSON Schema object or a function
  Query(z.string(), { jsonSchema: "string" });
}

const custom: StandardSchemaV1<unknown, Date> = { "~standard": { version: 1, vendor: "acme", validate: (value) => ({ value: new Date(String(value)) }) } };
const p9 = Query(custom, { jsonSchema: { type: "string", format: "date-time" } });
assertType<Equal<typeof p9, ParamSource<Date>>>();

t.test("the routes declared above compile and run", async (t) => {
  const value = await route.execute(createRequest({ params: { itemId: "1" }, query: { q: "ab" }, cookies: { sid: "s" }, body: { item: { name: "pen", price: 1 }, other: { name: "x", price: 2 }, typebox: 3 } }));
  t.equal(value, "pen");
});
