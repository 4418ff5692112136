// The "5-deep chain of cheap sync dependencies", as plain functions shared by chain-depends.mjs
// (each one a dependency) and chain-hand.mjs (called in one handler): the same work on both sides.

/** The chain's first link reads the request, so the plan cannot be folded into a constant. */
export const first = ({ request }) => request.url.length;
export const next = ({ v }) => v + 1;
export const answer = ({ v }) => ({ value: v });

export const CHAIN_PATH = "/chain";
export const CHAIN_RESPONSE = {
  200: { type: "object", properties: { value: { type: "integer" } }, required: ["value"] },
};
