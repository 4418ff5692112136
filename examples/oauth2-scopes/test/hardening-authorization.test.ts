// Property: whatever Authorization header a client sends to a protected route (random bytes, other
// schemes, forged, tampered or oversized JWTs, alg none, HS512 with the right key, RS256 headers,
// kid games, duplicated claims, exp as a string, invalid UTF-8, whitespace inserted in a token,
// another spelling of its signature, `aud` for another service, `iat` in the future), the example
// answers exactly what the guide specifies: 200 only for a token our key signed with HS256 whose
// claims allow it, otherwise a 4xx with `{"detail": ...}` and the route's challenge. Never a 5xx,
// never a secret, nothing logged at error level. Through `inject` (most cases) and over a real socket.
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import t from "tap";
import { type Answer, contractProblem, described, fuzzedApp, fuzzParameters, injectAnswer, listen, short, utf8AsLatin1 } from "./support/hardening.js";
import { type Expected, expectedAnswers, type FuzzToken, fuzzToken, PROTECTED, type ProtectedRoute } from "./support/fuzz-tokens.js";

interface AuthCase {
  readonly route: ProtectedRoute;
  readonly head: boolean;
  /** Authorization values in order (empty: none sent); the server reads the first. */
  readonly values: readonly string[];
  readonly token: FuzzToken | undefined;
}

const bearer = fc
  .record({
    scheme: fc.constantFrom("Bearer", "Bearer", "bearer", "BEARER", "bEaReR"),
    sep: fc.constantFrom(" ", " ", " ", "  ", " \t"),
    token: fuzzToken,
    tail: fc.constantFrom("", "", "", " ", "\t", "\u3000"),
  })
  .map(({ scheme, sep, token, tail }) => ({ value: `${scheme}${sep}${token.token}${tail}`, token }));
const otherScheme = fc
  .record({ scheme: fc.constantFrom("Basic", "Token", "Bearer\t", "Bearer:", "Beare", "Bearerr", "JWT", "", " Bearer", "Bearer\u00a0", "Bearer\u212a"), token: fuzzToken })
  .map(({ scheme, token }) => ({ value: `${scheme} ${token.token}`, token }));
const anyText = fc
  .oneof(fc.string({ unit: "binary", maxLength: 60 }), fc.constantFrom("", " ", "Bearer", "Bearer ", "Bearer  ", "bearer\t", "Bearer null", "Bearer undefined", "Bearer ...", "Bearer a.b.c"))
  .map((value) => ({ value, token: undefined }));
const authorization = fc.oneof({ weight: 10, arbitrary: bearer }, { weight: 2, arbitrary: otherScheme }, { weight: 2, arbitrary: anyText });

const authCase: fc.Arbitrary<AuthCase> = fc
  .record({
    route: fc.constantFrom(...PROTECTED),
    head: fc.nat(9).map((n) => n === 0),
    first: fc.option(authorization, { nil: undefined, freq: 12 }),
    second: fc.option(authorization, { nil: undefined, freq: 8 }),
  })
  .map(({ route, head, first, second }) => {
    const values = first === undefined ? [] : second === undefined ? [first.value] : [first.value, second.value];
    const text = `${head ? "HEAD" : "GET"} ${route.path} authorization=[${values.map((v) => short(v)).join(", ")}] token: ${first?.token?.label ?? "none"} (${first?.token?.verdict ?? "-"})`;
    return described({ route, head, values, token: first?.token }, text);
  });

/** Compares an answer with the acceptable ones; a description of the mismatch, or undefined. */
function mismatch(answer: Answer, expected: readonly Expected[], head: boolean): string | undefined {
  const problem = contractProblem(answer, { ok: (status) => status === 200, head });
  if (problem !== undefined) return problem;
  const challenge = (answer.headers["www-authenticate"] as string | undefined) ?? null;
  const body: unknown = head ? undefined : JSON.parse(answer.body);
  const fits = expected.some((e) => e.status === answer.status && e.challenge === challenge && (head || isDeepStrictEqual(e.body, body)));
  return fits ? undefined : `got ${answer.status} ${challenge} ${answer.body.slice(0, 200)}; expected one of ${JSON.stringify(expected).slice(0, 400)}`;
}

/** Outcome classes seen, so the test can prove the generators reach every branch of the guide. */
function outcome(answer: Answer, head: boolean): string {
  if (head || answer.status === 200) return String(answer.status);
  return `${answer.status} ${(JSON.parse(answer.body) as { detail: string }).detail}`;
}

t.test("inject: every Authorization header gets the guide's answer, never a 5xx or a secret", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  const seen = new Map<string, number>();
  const defects = new Map<string, number>();
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(authCase, async (c) => {
      cases++;
      if (c.token?.onlyDefect !== undefined) defects.set(c.token.onlyDefect, (defects.get(c.token.onlyDefect) ?? 0) + 1);
      const headers: Record<string, string | string[]> = c.values.length === 0 ? {} : { authorization: c.values.length === 1 ? c.values[0]! : [...c.values] };
      const answer = await injectAnswer(app, { method: c.head ? "HEAD" : "GET", url: c.route.path, headers });
      const problem = mismatch(answer, expectedAnswers(c.route, c.values[0], c.token), c.head);
      if (problem !== undefined) throw new Error(problem);
      const key = outcome(answer, c.head);
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }),
    fuzzParameters(4_500),
  );
  t.comment(`hardening-authorization inject: ${cases} cases; outcomes ${JSON.stringify(Object.fromEntries(seen))}; valid but for ${JSON.stringify(Object.fromEntries(defects))}`);
  for (const reached of ["200", "400 Inactive user", "401 Not enough permissions", "401 Could not validate credentials", "401 Not authenticated"]) {
    t.ok((seen.get(reached) ?? 0) > 0, `the generators reach "${reached}"`);
  }
  // Issue 20 items 1-3: tokens that are right in every other way, refused only for `aud`, a future
  // `iat`, inserted whitespace or another spelling of the signature's bytes.
  for (const defect of ["aud", "future iat", "whitespace", "respelling"]) {
    t.ok((defects.get(defect) ?? 0) > 0, `the generators reach valid tokens with only "${defect}" wrong`);
  }
  t.strictSame(errors(), [], "nothing logged at error level");
});

// Node reads header bytes as latin1 and trims spaces and tabs around a value; control characters
// other than tab are refused by its parser before fastify sees the request (hardening-limits).
const onTheWire = (value: string): string => utf8AsLatin1(value).replace(/[\x00-\x08\x0a-\x1f\x7f]/g, "?");
const asNodeReadsIt = (value: string): string => value.replace(/^[ \t]+|[ \t]+$/g, "");

t.test("real socket: the same property over keep-alive HTTP/1.1", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  const wire = await listen(t, app);
  let cases = 0;
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(authCase, async (c) => {
      cases++;
      // Node refuses more than 16 KiB of headers with a 431 before any route runs (hardening-limits).
      const sent = c.values.map(onTheWire).filter((_, i, all) => i === 0 || all[0]!.length + all[i]!.length < 14_000);
      const headers: Record<string, string | string[]> = sent.length === 0 ? {} : { authorization: sent.length === 1 ? sent[0]! : sent };
      const answer = await wire.send({ method: c.head ? "HEAD" : "GET", path: c.route.path, headers });
      const first = sent[0] === undefined ? undefined : asNodeReadsIt(sent[0]);
      const problem = mismatch(answer, expectedAnswers(c.route, first, c.token), c.head);
      if (problem !== undefined) throw new Error(problem);
      if (answer.status === 200) accepted++;
    }),
    // Under 1% of generated cases are fully valid since the canonical-form, aud and iat generators
    // joined (issue 20): 1,500 cases leave a chance below 1e-4 that none is, where 500 failed
    // about one run in a hundred.
    fuzzParameters(1_500),
  );
  t.comment(`hardening-authorization socket: ${cases} cases, ${accepted} accepted`);
  t.ok(accepted > 0, "valid tokens get through over the wire too");
  t.strictSame(errors(), [], "nothing logged at error level");
});
