// The validation benchmark's route (issue 20, item 18): a path, two query and one header parameter,
// all validated by fastify's Ajv, so that the cost of listing every problem (Ajv allErrors and the
// per-location collection) shows on a valid request and on an invalid one with four problems.
export const VALID_PATH = "/items/42?q=books&limit=20";
export const VALID_HEADERS = { "x-token": "secret-token" };
export const VALID_BODY = JSON.stringify({ itemId: 42, q: "books", limit: 20, token: "secret-token" });
/** Four problems: the path parameter, a missing query parameter, a limit over its maximum, a missing header. */
export const INVALID_PATH = "/items/abc?limit=500";
