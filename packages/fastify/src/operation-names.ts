/** The words of a function name, whether it is written in snake_case or camelCase. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .split(/[_\s]+/)
    .filter(Boolean);
}

/**
 * FastAPI's default summary: the endpoint's name in title case (`read_own_items` and
 * `readOwnItems` both give "Read Own Items").
 */
export function summaryOf(name: string): string | undefined {
  const parts = words(name);
  if (parts.length === 0) return undefined;
  return parts.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join(" ");
}

/**
 * FastAPI's default operation id, `<name><path>` with non-word characters as `_`, then `_<method>`:
 * `read_users_me_users_me__get`. A camelCase name is put in snake case first, so JavaScript
 * handlers get the ids FastAPI would give.
 */
export function operationIdOf(name: string, openapiPath: string, method: string): string {
  const snake = words(name).join("_").toLowerCase();
  const id = `${snake}${openapiPath}`.replace(/\W/g, "_");
  // An anonymous handler has no name to start with: drop the leading "_" the path would leave.
  return `${snake === "" ? id.replace(/^_+/, "") : id}_${method.toLowerCase()}`;
}

/** A fastify path in OpenAPI syntax: `/items/:itemId` -> `/items/{itemId}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, "{$1}");
}
