import t from "tap";
import { decodeBasicCredentials, HTTPBasic } from "@depends/core/security";
import { failure, notAuthenticated, provided } from "./security-helpers.js";

const basic64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const header = (param: string) => ({ headers: { authorization: param } });

t.test("HTTPBasic provides username and password", async (t) => {
  const basic = new HTTPBasic();
  t.strictSame(await provided(basic, header(`Basic ${basic64("john:secret")}`)), { username: "john", password: "secret" });
  t.strictSame(await provided(basic, header(`basic ${basic64("john:secret")}`)), { username: "john", password: "secret" }, "scheme in any case");
  t.strictSame(await provided(basic, header(`Basic ${basic64("john:se:cr:et")}`)), { username: "john", password: "se:cr:et" }, "password may contain ':'");
  t.strictSame(await provided(basic, header(`Basic ${basic64("john:")}`)), { username: "john", password: "" }, "empty password");
  t.strictSame(await provided(basic, header(`Basic ${basic64(":secret")}`)), { username: "", password: "secret" }, "empty user-id");
  t.strictSame(await provided(basic, header(`Basic ${basic64("jöhn:pässwörd€")}`)), { username: "jöhn", password: "pässwörd€" }, "UTF-8");
  t.strictSame(await provided(basic, header(`Basic   ${basic64("a:b")}  `)), { username: "a", password: "b" }, "parameter trimmed");
});

t.test("HTTPBasic errors carry the Basic challenge", async (t) => {
  const basic = new HTTPBasic();
  t.strictSame(await failure(basic), notAuthenticated("Basic"), "missing");
  t.strictSame(await failure(basic, header("Basic")), notAuthenticated("Basic"), "no credentials");
  t.strictSame(await failure(basic, header("Bearer abc")), notAuthenticated("Basic"), "wrong scheme");
  t.strictSame(await failure(basic, header("Basic notabase64token")), notAuthenticated("Basic"), "not base64 (FastAPI's test)");
  t.strictSame(await failure(basic, header(`Basic ${basic64("no colon")}`)), notAuthenticated("Basic"), "no ':'");
});

t.test("HTTPBasic realm", async (t) => {
  const basic = new HTTPBasic({ realm: "simple" });
  t.strictSame(await failure(basic), notAuthenticated('Basic realm="simple"'));
  t.strictSame(await failure(basic, header("Basic %%%")), notAuthenticated('Basic realm="simple"'), "malformed");
  t.equal(basic.realm, "simple");
  t.equal(new HTTPBasic({ realm: 'say "hi" \\o/' }).challenge, 'Basic realm="say \\"hi\\" \\\\o/"', "quoted-string escaping");
  t.strictSame(basic.openapi, { type: "http", scheme: "basic" }, "the realm is not part of the OpenAPI object");
  t.strictSame(new HTTPBasic({ description: "Admin login" }).openapi, { type: "http", description: "Admin login", scheme: "basic" });
  t.equal(basic.schemeName, "HTTPBasic");
});

t.test("HTTPBasic with autoError: false yields undefined, malformed credentials included", async (t) => {
  const basic = new HTTPBasic({ autoError: false });
  t.equal(await provided(basic), undefined, "missing");
  t.equal(await provided(basic, header("Bearer abc")), undefined, "wrong scheme");
  t.equal(await provided(basic, header("Basic notabase64token")), undefined, "malformed (FastAPI raises 401 here)");
  t.equal(await provided(basic, header(`Basic ${basic64("nocolon")}`)), undefined, "no ':'");
  t.strictSame(await provided(basic, header(`Basic ${basic64("a:b")}`)), { username: "a", password: "b" });
});

t.test("decodeBasicCredentials is strict base64", async (t) => {
  const valid = basic64("user:pass"); // dXNlcjpwYXNz
  t.strictSame(decodeBasicCredentials(valid), { username: "user", password: "pass" });
  t.strictSame(decodeBasicCredentials(basic64("ab:c")), { username: "ab", password: "c" }, "one '=' of padding");
  t.strictSame(decodeBasicCredentials(basic64("a:c")), { username: "a", password: "c" }, "no padding needed");
  t.strictSame(decodeBasicCredentials(basic64("a:")), { username: "a", password: "" }, "two '=' of padding");
  t.equal(decodeBasicCredentials(basic64("ab:c").replace(/=+$/, "")), undefined, "missing padding");
  t.equal(decodeBasicCredentials(`${valid}=`), undefined, "extra padding");
  t.equal(decodeBasicCredentials("dXNl=cjpw"), undefined, "padding in the middle");
  t.equal(decodeBasicCredentials("dXNlcj pwYXNz"), undefined, "space inside");
  t.equal(decodeBasicCredentials("dXNlcjpw*YXNz"), undefined, "character outside the alphabet (Python would drop it)");
  t.equal(decodeBasicCredentials(Buffer.from("a?:b>").toString("base64url")), undefined, "base64url alphabet");
  t.equal(decodeBasicCredentials("dXNlcjpwYXN"), undefined, "length not a multiple of 4");
  t.equal(decodeBasicCredentials(""), undefined, "nothing: no ':'");
});

t.test("decodeBasicCredentials requires UTF-8", async (t) => {
  t.equal(decodeBasicCredentials(Buffer.from([0x75, 0x3a, 0xff]).toString("base64")), undefined, "invalid UTF-8 byte");
  t.equal(decodeBasicCredentials(Buffer.from([0x75, 0x3a, 0xc3]).toString("base64")), undefined, "truncated sequence");
  t.strictSame(decodeBasicCredentials(Buffer.from("j\u00f6:x", "latin1").toString("base64")), undefined, "Latin-1 is not UTF-8");
  t.strictSame(decodeBasicCredentials(Buffer.from("\ufeffu:p", "utf8").toString("base64")), { username: "\ufeffu", password: "p" }, "a BOM is kept");
  const error = await failure(new HTTPBasic(), header(`Basic ${Buffer.from([0x75, 0x3a, 0xff]).toString("base64")}`));
  t.strictSame(error, notAuthenticated("Basic"), "non-UTF-8 credentials give 401");
});
