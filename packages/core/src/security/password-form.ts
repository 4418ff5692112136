import type { TString } from "typebox";
import { type Dependency, dependency } from "../dependency.js";
import { Form } from "../params.js";
import type { HttpRequest } from "../request.js";
import { CurrentRequest } from "../sources.js";
import { type ClientCredentialsSource, clientCredentials } from "./client-credentials.js";

/**
 * A resource owner password credentials request (RFC 6749 section 4.3.2), read from the form body
 * by {@link OAuth2PasswordRequestForm}. Field names are camelCase; the wire names are FastAPI's
 * (`grant_type`, `username`, `password`, `scope`, `client_id`, `client_secret`).
 *
 * @example
 * ```ts
 * const form: OAuth2PasswordRequest = {
 *   grantType: "password", username: "johndoe", password: "secret", scopes: ["me", "items"],
 *   clientId: undefined, clientSecret: undefined, clientCredentialsFrom: undefined,
 * };
 * ```
 */
export interface OAuth2PasswordRequest {
  /** `"password"` when sent; the form rejects any other value with a 422. */
  readonly grantType: "password" | undefined;
  readonly username: string;
  readonly password: string;
  /** The `scope` field split on whitespace, empty entries dropped (`[]` when not sent). */
  readonly scopes: readonly string[];
  /** From the `client_id` field or an `Authorization: Basic` header. */
  readonly clientId: string | undefined;
  /** From the `client_secret` field or an `Authorization: Basic` header. */
  readonly clientSecret: string | undefined;
  /** Where the client credentials came from, so the app can answer `invalid_client` as RFC 6749 section 5.2 asks. */
  readonly clientCredentialsFrom: ClientCredentialsSource;
}

/**
 * An {@link OAuth2PasswordRequest} whose `grant_type` was required.
 *
 * @example
 * ```ts
 * const grantType: OAuth2PasswordRequestStrict["grantType"] = "password";
 * ```
 */
export interface OAuth2PasswordRequestStrict extends OAuth2PasswordRequest {
  readonly grantType: "password";
}

// `format: "password"` only tells OpenAPI UIs to mask the field, as FastAPI does; typebox and
// fastify's Ajv both treat an unknown format as an annotation, so it never rejects a value.
// FastAPI's OAuth2PasswordRequestForm puts it on `password` and `client_secret`; its strict form
// declares both plain. Here the strict form keeps it on `password` (a documented difference: UIs
// mask the password in both forms) and, like FastAPI, leaves `client_secret` plain.
//
// The schemas are written as typebox builds them (JSON Schema plus a hidden `~kind`) rather than
// with `Type.String`: importing typebox's builder costs about 3 MB of heap and its load time, which
// an app that never declares a typebox parameter should not pay for this module.
function stringSchema(options: { readonly title: string; readonly pattern?: string; readonly format?: string }): TString {
  return Object.defineProperty({ type: "string", ...options }, "~kind", { value: "String", writable: true, configurable: true, enumerable: false }) as unknown as TString;
}

const grantType = stringSchema({ title: "Grant Type", pattern: "^password$" });
const fields = {
  username: Form(stringSchema({ title: "Username" })),
  password: Form(stringSchema({ title: "Password", format: "password" })),
  // The core drops empty form values before validation, so `scope=` falls back to this default.
  scope: Form(stringSchema({ title: "Scope" }), { default: "" }),
  client_id: Form(stringSchema({ title: "Client Id" }), { required: false }),
  client_secret: Form(stringSchema({ title: "Client Secret", format: "password" }), { required: false }),
  request: CurrentRequest,
};
const strictFields = { ...fields, client_secret: Form(stringSchema({ title: "Client Secret" }), { required: false }) };

interface FormValues {
  readonly grant_type: string | undefined;
  readonly username: string;
  readonly password: string;
  readonly scope: string;
  readonly client_id: string | undefined;
  readonly client_secret: string | undefined;
  readonly request: HttpRequest;
}

function toPasswordRequest(values: FormValues): OAuth2PasswordRequest {
  return {
    grantType: values.grant_type as "password" | undefined,
    username: values.username,
    password: values.password,
    scopes: Object.freeze(values.scope.split(/\s+/).filter((scope) => scope !== "")),
    ...clientCredentials(values.request, values.client_id, values.client_secret),
  };
}

/**
 * The OAuth2 password grant form (FastAPI's `OAuth2PasswordRequestForm`), a dependency reading an
 * `application/x-www-form-urlencoded` body: `username` and `password` required, `grant_type`
 * optional but `password` when sent, `scope` split into `scopes`, `client_id` and `client_secret`
 * optional. Empty values count as missing. Invalid forms fail with FastAPI's 422, e.g.
 * `{"type": "missing", "loc": ["body", "password"], "msg": "Field required", "input": null}`.
 *
 * Beyond FastAPI, client credentials may come in an `Authorization: Basic` header (RFC 6749
 * section 2.3.1); if the body carries them too, they must match, or the request fails with 401
 * `Invalid client credentials` and `WWW-Authenticate: Basic`.
 *
 * @example
 * ```ts
 * api.post("/token", { form: Depends(OAuth2PasswordRequestForm) }, async ({ form }) => {
 *   const user = await authenticateUser(form.username, form.password);
 *   if (!user) throw new HTTPException(400, "Incorrect username or password");
 *   return { access_token: await issueToken(user, form.scopes), token_type: "bearer" };
 * });
 * ```
 */
export const OAuth2PasswordRequestForm: Dependency<OAuth2PasswordRequest> = dependency(
  { grant_type: Form(grantType, { required: false }), ...fields },
  toPasswordRequest,
  { name: "OAuth2PasswordRequestForm" },
);

/**
 * {@link OAuth2PasswordRequestForm} with `grant_type=password` required, as RFC 6749 section 4.3.2
 * says (FastAPI's `OAuth2PasswordRequestFormStrict`). A form without it fails with 422
 * `{"type": "missing", "loc": ["body", "grant_type"], ...}`.
 *
 * @example
 * ```ts
 * api.post("/token", { form: Depends(OAuth2PasswordRequestFormStrict) }, ({ form }) => issueFor(form.username, form.scopes));
 * ```
 */
export const OAuth2PasswordRequestFormStrict: Dependency<OAuth2PasswordRequestStrict> = dependency(
  { grant_type: Form(grantType), ...strictFields },
  (values) => toPasswordRequest(values) as OAuth2PasswordRequestStrict,
  { name: "OAuth2PasswordRequestFormStrict" },
);
