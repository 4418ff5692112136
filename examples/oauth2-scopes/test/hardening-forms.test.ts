// Property: whatever body a client posts to /token (repeated fields, huge fields, nested-looking
// keys, wrong content types, invalid UTF-8 and percent-encoding, JSON, binary, client credentials
// in a Basic header), the answer is 200 only for the right username and password, otherwise a 4xx
// with `{"detail": ...}`; never a 5xx, never a hash. Well-formed forms are checked against an
// oracle of FastAPI's form rules (last value wins, empty = missing, grant_type ^password$).
// Passwords are checked by a fast fake where they are not the point; a slice uses real argon2.
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import type { InjectOptions } from "fastify";
import t from "tap";
import { PasswordVerifier } from "../src/passwords.js";
import { GUIDE_USERS } from "../src/users.js";
import { type Answer, contractProblem, described, fuzzedApp, fuzzParameters, injectAnswer, listen, short } from "./support/hardening.js";
import { decodeJwt } from "./support/tokens.js";

const PASSWORDS: Readonly<Record<string, string>> = { johndoe: "secret", alice: "secretalice" };
const DECLARED = ["me", "items"];
const FORM = "application/x-www-form-urlencoded";

type Field = readonly [key: string, value: string];

const FIELD_NAMES = ["username", "password", "scope", "grant_type", "client_id", "client_secret"] as const;
const valueFor: Record<(typeof FIELD_NAMES)[number], fc.Arbitrary<string>> = {
  username: fc.oneof({ weight: 6, arbitrary: fc.constantFrom("johndoe", "alice", "nobody", "", "johndoe ", "JOHNDOE") }, fc.string({ unit: "grapheme", maxLength: 12 })),
  password: fc.oneof({ weight: 6, arbitrary: fc.constantFrom("secret", "secretalice", "", "wrong", "secret ", "secret\u0000") }, fc.string({ unit: "grapheme", maxLength: 12 })),
  scope: fc.tuple(fc.subarray(["me", "items", "admin", "me", "ITEMS", "*"]), fc.constantFrom(" ", "  ", "\t", "\n")).map(([words, sep]) => words.join(sep)),
  grant_type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom("password", "", "Password", "password ", "client_credentials", "passwordx") }, fc.string({ maxLength: 8 })),
  client_id: fc.string({ maxLength: 8 }),
  client_secret: fc.string({ maxLength: 8 }),
};
const knownField: fc.Arbitrary<Field> = fc.constantFrom(...FIELD_NAMES).chain((key) => valueFor[key].map((value) => [key, value] as const));
const oddKey = fc.oneof(
  fc.constantFrom("username[]", "username[a]", "user name", "USERNAME", "__proto__", "constructor", "hasOwnProperty", "toString", "a[b][c]", "password.x", ""),
  fc.string({ unit: "grapheme", maxLength: 8 }),
);
const oddField: fc.Arbitrary<Field> = fc.tuple(oddKey, fc.string({ unit: "grapheme", maxLength: 12 }));

interface FormCase {
  readonly fields: readonly Field[];
  readonly plus: boolean;
  readonly contentType: string;
}

const encode = (text: string, plus: boolean): string => (plus ? encodeURIComponent(text).replace(/%20/g, "+") : encodeURIComponent(text));
const formText = (c: FormCase): string => c.fields.map(([k, v]) => `${encode(k, c.plus)}=${encode(v, c.plus)}`).join("&");

const formCase: fc.Arbitrary<FormCase> = fc
  .record({
    login: fc.option(fc.constantFrom<Field[]>([["username", "johndoe"], ["password", "secret"]], [["username", "alice"], ["password", "secretalice"]]), { nil: undefined, freq: 2 }),
    fields: fc.array(fc.oneof({ weight: 5, arbitrary: knownField }, oddField), { maxLength: 8 }),
    plus: fc.boolean(),
    contentType: fc.constantFrom(FORM, FORM, FORM, `${FORM}; charset=utf-8`, "Application/X-WWW-Form-Urlencoded", ` ${FORM}`),
  })
  .map(({ login, fields, plus, contentType }) => {
    const all = [...(login ?? []), ...fields];
    const c = { fields: all, plus, contentType };
    return described(c, `POST /token ${contentType} ${short(formText(c), 300)}`);
  });

interface Expected {
  readonly status: number;
  /** For 422: the locations reported, in order; for 200: the granted scope. */
  readonly locs?: readonly string[];
  readonly scope?: string;
  readonly sub?: string;
}

/** FastAPI's OAuth2PasswordRequestForm, then the example's login (grants requested ∩ held ∩ declared). */
function expectedLogin(fields: readonly Field[]): Expected {
  const last = (name: string): string | undefined => {
    let value: string | undefined;
    for (const [k, v] of fields) if (k === name) value = v;
    return value === "" ? undefined : value;
  };
  const grantType = last("grant_type");
  const username = last("username");
  const password = last("password");
  const locs: string[] = [];
  if (grantType !== undefined && grantType !== "password") locs.push("grant_type");
  if (username === undefined) locs.push("username");
  if (password === undefined) locs.push("password");
  if (locs.length > 0) return { status: 422, locs };
  const user = GUIDE_USERS.find((u) => u.username === username);
  if (user === undefined || PASSWORDS[user.username] !== password) return { status: 400 };
  const requested = (last("scope") ?? "").split(/\s+/).filter((s) => s !== "");
  const granted = requested.filter((s, i) => user.scopes.includes(s) && DECLARED.includes(s) && requested.indexOf(s) === i);
  return { status: 200, scope: granted.join(" "), sub: user.username };
}

function loginMismatch(answer: Answer, expected: Expected): string | undefined {
  const problem = contractProblem(answer, { ok: (status) => status === 200 });
  if (problem !== undefined) return problem;
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  if (answer.status !== expected.status) return `got ${answer.status} ${answer.body.slice(0, 300)}; expected ${JSON.stringify(expected)}`;
  if (expected.status === 422) {
    // As a set: the order is pinned by its own test below (a known deviation from FastAPI).
    const locs = (body.detail as { loc: unknown[] }[]).map((item) => String(item.loc[1])).sort();
    return isDeepStrictEqual(locs, [...expected.locs!].sort()) ? undefined : `422 locations ${JSON.stringify(locs)}, expected ${JSON.stringify(expected.locs)}`;
  }
  if (expected.status === 400) return isDeepStrictEqual(body, { detail: "Incorrect username or password" }) ? undefined : `400 body ${answer.body}`;
  const claims = decodeJwt(body.access_token as string).claims;
  const fits = body.token_type === "bearer" && body.scope === expected.scope && claims.sub === expected.sub && claims.scope === expected.scope && body.expires_in === 1800;
  return fits ? undefined : `200 body ${answer.body.slice(0, 300)}; expected scope ${JSON.stringify(expected.scope)} for ${expected.sub}`;
}

t.test("inject: well-formed login forms get exactly FastAPI's answer", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  const seen = new Map<number, number>();
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(formCase, async (c) => {
      cases++;
      const answer = await injectAnswer(app, { method: "POST", url: "/token", headers: { "content-type": c.contentType }, payload: formText(c) });
      const problem = loginMismatch(answer, expectedLogin(c.fields));
      if (problem !== undefined) throw new Error(problem);
      seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
    }),
    fuzzParameters(2_000),
  );
  t.comment(`hardening-forms structured: ${cases} cases; statuses ${JSON.stringify(Object.fromEntries(seen))}`);
  for (const status of [200, 400, 422]) t.ok((seen.get(status) ?? 0) > 0, `the generators reach ${status}`);
  t.strictSame(errors(), [], "nothing logged at error level");
});

// Anything at all: the body as bytes, any content type, client credentials, odd methods.
const CONTENT_TYPES = [
  FORM, `${FORM}; charset=latin1`, "APPLICATION/X-WWW-FORM-URLENCODED", "application/json", "application/vnd.api+json", "multipart/form-data; boundary=x",
  "multipart/form-data", "text/plain", "application/octet-stream", `${FORM}, application/json`, ";;;", "application/x-www-form-urlencodedx", "",
];
const BODY_ALPHABET = fc.constantFrom(..."abcusernamepasswordjohndoesecret=&%+[]._-0123456789FfEe \u00e9\u0000\n");
const garbageBody = fc.oneof(
  fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: "binary", maxLength: 300 }).map((text) => Buffer.from(text)),
  fc.string({ unit: BODY_ALPHABET, maxLength: 400 }).map((text) => Buffer.from(text)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? "null")),
  fc.constantFrom("username=%FF%FE&password=%C3", "username=%&password=%zz%", "username=%E0%A4%A&password=x%u0041").map((text) => Buffer.from(text)),
  fc.tuple(fc.constantFrom("username", "password", "scope", "x"), fc.integer({ min: 1_000, max: 200_000 })).map(([key, n]) => Buffer.from(`${key}=${"a".repeat(n)}&password=secret`)),
  fc.tuple(fc.integer({ min: 10, max: 3_000 }), fc.boolean()).map(([n, same]) => Buffer.from(Array.from({ length: n }, (_, i) => (same ? `username=${i}` : `f${i}=${i}`)).join("&"))),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => Buffer.from(`${"[".repeat(depth)}${"]".repeat(depth)}`)),
  fc.constant(Buffer.concat([Buffer.from("username=johndoe&password="), Buffer.from([0xff, 0xfe, 0xc3, 0x28])])),
);
const basic = (text: string): string => `Basic ${Buffer.from(text, "latin1").toString("base64")}`;
const clientAuthorization = fc.option(
  fc.oneof(
    fc.constantFrom(basic("client:secret"), basic(":"), basic("no-colon"), "Basic Og==", "Basic", "Basic !!!", "Basic =====", basic("%zz:%"), "Bearer x.y.z"),
    fc.string({ unit: "binary-ascii", maxLength: 20 }).map(basic),
    fc.string({ unit: "binary", maxLength: 30 }).map((text) => `Basic ${text}`),
  ),
  { nil: undefined, freq: 3 },
);

interface AnyBodyCase {
  readonly method: string;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly body: Buffer;
}

const anyBodyCase: fc.Arbitrary<AnyBodyCase> = fc
  .record({
    method: fc.oneof({ weight: 12, arbitrary: fc.constant("POST") }, fc.constantFrom("PUT", "PATCH", "DELETE", "GET")),
    contentType: fc.option(
      fc.oneof({ weight: 8, arbitrary: fc.constant(FORM) }, { weight: 5, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, fc.string({ unit: "binary-ascii", maxLength: 30 })),
      { nil: undefined, freq: 10 },
    ),
    authorization: clientAuthorization,
    body: garbageBody,
  })
  .map((c) => described(c, `${c.method} /token ${short(c.contentType ?? "(no content type)")} auth=${short(c.authorization ?? "-")} body=${short(c.body.toString("latin1"), 200)}`));

const anyAnswerProblem = (answer: Answer): string | undefined => contractProblem(answer, { ok: (status) => status === 200 });

t.test("inject: any body, content type and client credentials get a 4xx with a detail", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  const seen = new Map<number, number>();
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(anyBodyCase, async (c) => {
      cases++;
      const headers: Record<string, string> = {};
      if (c.contentType !== undefined) headers["content-type"] = c.contentType;
      if (c.authorization !== undefined) headers.authorization = c.authorization;
      const answer = await injectAnswer(app, { method: c.method as InjectOptions["method"], url: "/token", headers, payload: c.body });
      const problem = anyAnswerProblem(answer);
      if (problem !== undefined) throw new Error(problem);
      seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
    }),
    fuzzParameters(1_800),
  );
  t.comment(`hardening-forms any body: ${cases} cases; statuses ${JSON.stringify(Object.fromEntries(seen))}`);
  t.strictSame(errors(), [], "nothing logged at error level");
});

t.test("real socket: any body over keep-alive HTTP/1.1", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  const wire = await listen(t, app);
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(anyBodyCase, async (c) => {
      cases++;
      const headers: Record<string, string> = {};
      // Node's client refuses control characters in header values; its server would too.
      const clean = (value: string): string => value.replace(/[\x00-\x08\x0a-\x1f\x7f-\uffff]/g, "?");
      if (c.contentType !== undefined) headers["content-type"] = clean(c.contentType);
      if (c.authorization !== undefined) headers.authorization = clean(c.authorization);
      const answer = await wire.send({ method: c.method, path: "/token", headers, body: c.body });
      const problem = anyAnswerProblem(answer);
      if (problem !== undefined) throw new Error(problem);
    }),
    fuzzParameters(300),
  );
  t.comment(`hardening-forms socket: ${cases} cases`);
  t.strictSame(errors(), [], "nothing logged at error level");
});

t.test("real argon2: only the right password logs in, whatever the input", async (t) => {
  const { app, errors } = await fuzzedApp(t, { passwords: new PasswordVerifier() });
  const post = (form: Record<string, string>) => injectAnswer(app, { method: "POST", url: "/token", headers: { "content-type": FORM }, payload: new URLSearchParams(form).toString() });
  const cases: [string, Record<string, string>, number][] = [
    ["the right password", { username: "johndoe", password: "secret" }, 200],
    ["a wrong password", { username: "johndoe", password: "secreT" }, 400],
    ["an unknown user", { username: "nobody", password: "secret" }, 400],
    ["the password with a NUL appended (no C-string truncation)", { username: "alice", password: "secretalice\u0000" }, 400],
    ["a prefix of the password", { username: "alice", password: "secretalic" }, 400],
    ["a 200 KB password", { username: "johndoe", password: "s".repeat(200_000) }, 400],
    ["a unicode password", { username: "johndoe", password: "sécret😀" }, 400],
    ["a 300 KB unknown username", { username: "u".repeat(300_000), password: "secret" }, 400],
    ["another user's password", { username: "johndoe", password: "secretalice" }, 400],
  ];
  for (const [name, form, status] of cases) {
    const answer = await post(form);
    t.equal(contractProblem(answer, { ok: (s) => s === 200 }), undefined, `${name}: keeps the contract`);
    t.equal(answer.status, status, `${name}: ${status}`);
  }
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), async (password) => {
      runs++;
      const answer = await post({ username: "johndoe", password });
      if (contractProblem(answer, { ok: () => password === "secret" }) !== undefined) throw new Error(`${answer.status} ${answer.body}`);
      if (answer.status !== (password === "secret" ? 200 : 400)) throw new Error(`${answer.status} for ${JSON.stringify(password)}`);
    }),
    { numRuns: 4 },
  );
  t.comment(`hardening-forms argon2: ${cases.length + runs} cases`);
  t.strictSame(errors(), [], "nothing logged at error level");
});

// Regression, fixed (core, packages/core/src/validation/validator.ts, compileLocationValidator): 422 items come
// in typebox's order, every "required" error first and then the others, so a form with a bad
// grant_type and no username lists username before grant_type. FastAPI (pydantic) lists errors in
// the order the fields are declared: grant_type, username, password. Fix: in
// compileLocationValidator, stable-sort the items of one location by the index of their first loc
// segment after the location (`loc[1]`) in `Object.keys(schema.properties)` before pushing them
// (items for names the schema does not declare keep their place at the end).
t.test("regression (core): 422 items are listed in field order, as FastAPI lists them", async (t) => {
  const { app } = await fuzzedApp(t);
  const answer = await injectAnswer(app, { method: "POST", url: "/token", headers: { "content-type": FORM }, payload: "grant_type=foo&password=" });
  t.equal(answer.status, 422);
  const locs = (JSON.parse(answer.body) as { detail: { loc: string[] }[] }).detail.map((item) => item.loc.join("."));
  t.strictSame(locs, ["body.grant_type", "body.username", "body.password"]);
});
