/**
 * `@depends/core/security`: the security schemes of FastAPI's `fastapi.security`, as dependencies.
 * Each scheme instance is a dependency (`Depends(scheme)`, `Security(scheme, { scopes })`) that reads
 * the credentials, answers 401 with the scheme's challenge when there are none, and carries the
 * OpenAPI Security Scheme Object that routes reaching it document.
 *
 * @packageDocumentation
 */
export { APIKeyCookie, APIKeyHeader, type APIKeyOptions, APIKeyQuery } from "./api-key.js";
export { type AuthorizationParts, splitAuthorization } from "./authorization-header.js";
export { type SchemeValue, SecurityScheme, type SecuritySchemeInit, type SecuritySchemeOptions } from "./base.js";
export { decodeBasicCredentials, type HTTPBasicCredentials } from "./basic-credentials.js";
export { type ClientCredentials, type ClientCredentialsSource, invalidClientError } from "./client-credentials.js";
export { HTTPBasic, type HTTPBasicOptions } from "./http-basic.js";
export {
  type HTTPAuthorizationCredentials, HTTPBase, type HTTPBaseOptions, HTTPBearer, type HTTPBearerOptions, HTTPDigest, type HTTPDigestOptions,
} from "./http.js";
export { type NotAuthenticatedContext, notAuthenticatedError, type NotAuthenticatedErrorFactory, type NotAuthenticatedReason } from "./not-authenticated.js";
export {
  OAuth2, OAuth2AuthorizationCodeBearer, type OAuth2AuthorizationCodeBearerOptions, type OAuth2Options, OAuth2PasswordBearer, type OAuth2PasswordBearerOptions,
} from "./oauth2.js";
export {
  type FlowScopes, type OAuthFlowAuthorizationCode, type OAuthFlowClientCredentials, type OAuthFlowCommon, type OAuthFlowImplicit, type OAuthFlowPassword, type OAuthFlows, type ScopeDescriptions,
} from "./oauth2-flows.js";
export { OpenIdConnect, type OpenIdConnectOptions } from "./open-id-connect.js";
export {
  OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict, type OAuth2PasswordRequest, type OAuth2PasswordRequestStrict,
} from "./password-form.js";
export type {
  ApiKeySecuritySchemeObject, HttpSecuritySchemeObject, OAuth2SecuritySchemeObject, OAuthFlowObject, OAuthFlowsObject, OpenIdConnectSecuritySchemeObject,
  SecuritySchemeObject,
} from "./scheme-object.js";
