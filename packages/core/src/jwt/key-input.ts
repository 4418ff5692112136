/**
 * Recognising the shapes a configured key comes in (PEM text, JWK object, CryptoKey or KeyObject),
 * and the type helper that makes key sources mutually exclusive.
 */
import type { CryptoKey, JWK, KeyObject } from "jose";

/**
 * An asymmetric key as configured: a PEM string, a JWK, a WebCrypto `CryptoKey` or a Node.js `KeyObject`.
 *
 * @example
 * ```ts
 * const key: AsymmetricKeyInput = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };
 * ```
 */
export type AsymmetricKeyInput = string | JWK | CryptoKey | KeyObject;

/**
 * What a key input turned out to be: a PEM block (with its label), a JWK, or a key object.
 *
 * @example
 * ```ts
 * const shape: KeyInputShape = { kind: "pem", label: "PUBLIC KEY", pem };
 * ```
 */
export type KeyInputShape =
  | { readonly kind: "pem"; readonly label: string; readonly pem: string }
  | { readonly kind: "jwk"; readonly jwk: JWK }
  | { readonly kind: "key"; readonly key: CryptoKey | KeyObject; readonly type: string };

/**
 * Classifies a key input, or throws a `TypeError` naming `option` when it is none of the shapes.
 *
 * @example
 * ```ts
 * shapeOfKeyInput("-----BEGIN PUBLIC KEY-----\n...", "publicKey"); // { kind: "pem", label: "PUBLIC KEY", ... }
 * ```
 */
export function shapeOfKeyInput(input: AsymmetricKeyInput, option: string): KeyInputShape {
  if (typeof input === "string") {
    const pem = input.trim();
    const label = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
    if (label === undefined) throw new TypeError(`"${option}" must be a PEM block, a JWK, a CryptoKey or a KeyObject`);
    return { kind: "pem", label, pem };
  }
  if (typeof input === "object" && input !== null) {
    if ("kty" in input && typeof input.kty === "string") return { kind: "jwk", jwk: input };
    if ("type" in input && typeof input.type === "string") return { kind: "key", key: input, type: input.type };
  }
  throw new TypeError(`"${option}" must be a PEM block, a JWK, a CryptoKey or a KeyObject`);
}

/**
 * `Chosen` plus every other member of `All` forbidden, so that exactly one key source type-checks.
 *
 * @example
 * ```ts
 * type Source = ExclusiveOf<"secret" | "publicKey", { secret: string }>; // { secret: string; publicKey?: never }
 * ```
 */
export type ExclusiveOf<All extends string, Chosen extends Partial<Record<All, unknown>>> = Chosen & {
  readonly [Other in Exclude<All, keyof Chosen>]?: never;
};

/**
 * Which of `names` are set on `options`; throws a `TypeError` unless exactly one is.
 *
 * @example
 * ```ts
 * onlyOneOf({ secret: "..." }, ["secret", "publicKey"]); // "secret"
 * ```
 */
export function onlyOneOf<Name extends string>(options: object, names: readonly Name[]): Name {
  const present = names.filter((name) => (options as Record<string, unknown>)[name] !== undefined);
  if (present.length !== 1 || present[0] === undefined) {
    throw new TypeError(`exactly one of ${names.map((n) => `"${n}"`).join(", ")} must be given${present.length > 1 ? `, got ${present.join(" and ")}` : ""}`);
  }
  return present[0];
}
