// Type tests: `npx tsc -p tsconfig.check.json --noEmit` checks them (each @ts-expect-error must be an error).
// At run time the file only constructs schemes, so tap sees a passing test.
import t from "tap";
import { type Dependency, Depends, type DependsSource, dependency, Security } from "@depends/core";
import {
  APIKeyCookie, APIKeyHeader, APIKeyQuery, type HTTPAuthorizationCredentials, HTTPBase, HTTPBasic, type HTTPBasicCredentials, HTTPBearer, HTTPDigest, OAuth2,
  OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer, type OAuth2PasswordRequest, OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict, OpenIdConnect,
  type SchemeValue, SecurityScheme,
} from "@depends/core/security";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<_Check extends true>(): void {}
type Provides<S> = S extends DependsSource<infer T> ? T : never;

// OAuth2PasswordBearer: the token, or undefined with autoError: false.
const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read information about the current user.", items: "Read items." } as const });
const lenientOAuth2 = new OAuth2PasswordBearer({ tokenUrl: "token", autoError: false });
const token = Depends(oauth2Scheme);
const maybeToken = Depends(lenientOAuth2);
expectType<Equal<Provides<typeof token>, string>>();
expectType<Equal<Provides<typeof maybeToken>, string | undefined>>();

// The declared scope names are a type parameter, with or without `as const`.
expectType<Equal<typeof oauth2Scheme, OAuth2PasswordBearer<"me" | "items", true>>>();
const withoutConst = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { read: "Read", write: "Write" } });
expectType<Equal<typeof withoutConst, OAuth2PasswordBearer<"read" | "write", true>>>();
expectType<Equal<typeof lenientOAuth2, OAuth2PasswordBearer<string, false>>>();
expectType<Equal<typeof oauth2Scheme.scopes.me, string>>();
// @ts-expect-error: "admin" is not declared
void oauth2Scheme.scopes.admin;
const anyScheme: OAuth2PasswordBearer = oauth2Scheme; // a declared scheme is still an OAuth2PasswordBearer
void anyScheme;

// OAuth2 infers the union of every flow's scopes.
const flows = new OAuth2({ flows: { password: { tokenUrl: "t", scopes: { a: "A" } }, clientCredentials: { tokenUrl: "t", scopes: { b: "B" } } } });
expectType<Equal<typeof flows, OAuth2<"a" | "b", true>>>();
const code = new OAuth2AuthorizationCodeBearer({ authorizationUrl: "a", tokenUrl: "t", scopes: { read: "Read" } });
expectType<Equal<typeof code, OAuth2AuthorizationCodeBearer<"read", true>>>();
const oidc = new OpenIdConnect({ openIdConnectUrl: "/oidc", scopes: { openid: "Sign in" } });
expectType<Equal<typeof oidc, OpenIdConnect<"openid", true>>>();

// HTTP schemes.
const basicUser = Depends(new HTTPBasic());
expectType<Equal<Provides<typeof basicUser>, HTTPBasicCredentials>>();
expectType<Equal<HTTPBasicCredentials, { readonly username: string; readonly password: string }>>();
const maybeBasicUser = Depends(new HTTPBasic({ autoError: false, realm: "r" }));
expectType<Equal<Provides<typeof maybeBasicUser>, HTTPBasicCredentials | undefined>>();
const bearer = Depends(new HTTPBearer({ bearerFormat: "JWT" }));
expectType<Equal<Provides<typeof bearer>, HTTPAuthorizationCredentials>>();
const digest = Depends(new HTTPDigest({ autoError: false }));
expectType<Equal<Provides<typeof digest>, HTTPAuthorizationCredentials | undefined>>();
const base = Depends(new HTTPBase({ scheme: "Token" }));
expectType<Equal<Provides<typeof base>, HTTPAuthorizationCredentials>>();

// API keys.
const headerKey = Depends(new APIKeyHeader({ name: "X-Key" }));
const queryKey = Depends(new APIKeyQuery({ name: "key", autoError: false }));
const cookieKey = Depends(new APIKeyCookie({ name: "sid" }));
expectType<Equal<Provides<typeof headerKey>, string>>();
expectType<Equal<Provides<typeof queryKey>, string | undefined>>();
expectType<Equal<Provides<typeof cookieKey>, string>>();

// A boolean that may be false makes the value optional.
const required: boolean = process.env.DEPENDS_NEVER_SET === "1";
const maybe = Depends(new OAuth2PasswordBearer({ tokenUrl: "token", autoError: required }));
expectType<Equal<Provides<typeof maybe>, string | undefined>>();
expectType<Equal<SchemeValue<number, boolean>, number | undefined>>();
expectType<Equal<SchemeValue<number, true>, number>>();

// Schemes are dependencies, usable wherever one is expected.
const asDependency: Dependency<string> = oauth2Scheme;
const asOptional: Dependency<string | undefined> = lenientOAuth2;
void asDependency;
void asOptional;

// Inside dependencies the value is typed.
dependency({ token: Depends(oauth2Scheme) }, ({ token }) => token.toUpperCase());
dependency({ user: Depends(new HTTPBasic()) }, ({ user }) => user.username + user.password);
dependency({ token: Security(oauth2Scheme, { scopes: ["me"] }) }, ({ token }) => token.length);

// The password forms.
const form = Depends(OAuth2PasswordRequestForm);
expectType<Equal<Provides<typeof form>, OAuth2PasswordRequest>>();
dependency({ form: Depends(OAuth2PasswordRequestForm) }, ({ form }) => {
  expectType<Equal<typeof form.grantType, "password" | undefined>>();
  expectType<Equal<typeof form.scopes, readonly string[]>>();
  expectType<Equal<typeof form.clientId, string | undefined>>();
  // @ts-expect-error: the raw `scope` field is not kept, only `scopes`
  return form.scope;
});
dependency({ form: Depends(OAuth2PasswordRequestFormStrict) }, ({ form }) => {
  expectType<Equal<typeof form.grantType, "password">>();
});

// Options are checked (in a function that never runs: these constructions also throw at run time).
export function wrongOptions(): void {
  // @ts-expect-error: tokenUrl is required
  void new OAuth2PasswordBearer({ scopes: {} });
  // @ts-expect-error: scope descriptions are strings
  void new OAuth2PasswordBearer({ tokenUrl: "t", scopes: { me: 1 } });
  // @ts-expect-error: an API key needs its name
  void new APIKeyHeader({});
  // @ts-expect-error: HTTPBearer's scheme is fixed
  void new HTTPBearer({ scheme: "Other" });
  // @ts-expect-error: HTTPDigest has no bearerFormat
  void new HTTPDigest({ bearerFormat: "JWT" });
  // @ts-expect-error: the error factory must return an Error
  void new HTTPBearer({ makeNotAuthenticatedError: () => "no" });
  // @ts-expect-error: SecurityScheme is abstract
  void new SecurityScheme({ object: { type: "http", scheme: "x" }, challenge: "X", options: {} });
}

// A scheme that may yield undefined is no Dependency<string>, and its value must be checked.
export function lenientUses(): void {
  // @ts-expect-error: a scheme that may yield undefined is not a Dependency<string>
  const notRequired: Dependency<string> = lenientOAuth2;
  void notRequired;
  // @ts-expect-error: with autoError: false the token may be undefined
  dependency({ token: Depends(lenientOAuth2) }, ({ token }) => token.toUpperCase());
}

t.pass("the types above are checked by tsc");
