/**
 * `@depends/core/jwt`: bearer-JWT verification and signing on jose, for dependencies such as
 * FastAPI's `get_current_user`. Keys are imported once, algorithms are pinned, `exp` is required,
 * oversized tokens are refused before any cryptography, and verified tokens can be cached.
 *
 * @packageDocumentation
 */
// TypeDoc names a module by its entry file's path: this file's path is the package's import name.
export * from "@depends/core/jwt";
