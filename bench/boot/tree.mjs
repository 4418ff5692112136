// The boot benchmark's 10-node dependency tree, as plain functions: depends-routes.mjs declares
// them as dependencies (plus an OAuth2PasswordBearer scheme), plain-routes.mjs calls them by hand.

/** How many routes to register: 1,000, or `--routes=N` (the boot benchmark also runs 0 to split fixed and per-route costs). */
export const ROUTES = Number(process.argv.find((arg) => arg.startsWith("--routes="))?.slice(9) ?? 1000);
export const routePath = (i) => `/resources/r${i}/`;

export const config = () => ({ region: "eu" });
export const db = ({ config }) => ({ config });
export const tokenData = ({ securityScopes, token }) => ({ sub: token, scopes: securityScopes.scopes });
export const user = ({ data, db }) => ({ name: data.sub, db });
export const activeUser = ({ user }) => user;
export const repo = ({ db }) => ({ db });
export const service = ({ repo, config }) => ({ repo, config });
export const audit = ({ user, config }) => ({ user: user.name, region: config.region });
export const permissions = ({ securityScopes, user }) => ({ user: user.name, scopes: securityScopes.scopes });
export const context = ({ service, audit, permissions }) => ({ service, audit, permissions });
export const handler = ({ context }) => ({ ok: true, user: context.audit.user });
