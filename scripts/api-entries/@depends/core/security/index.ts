/**
 * `@depends/core/security`: the security schemes of FastAPI's `fastapi.security`, as dependencies.
 * Each scheme instance is a dependency (`Depends(scheme)`, `Security(scheme, { scopes })`) that reads
 * the credentials, answers 401 with the scheme's challenge when there are none, and carries the
 * OpenAPI Security Scheme Object that routes reaching it document.
 *
 * @packageDocumentation
 */
// TypeDoc names a module by its entry file's path: this file's path is the package's import name.
export * from "@depends/core/security";
