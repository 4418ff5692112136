// The not-authenticated error: FastAPI's make_not_authenticated_error, as an option and a method.
import t from "tap";
import { HTTPException } from "@depends/core";
import {
  APIKeyQuery, HTTPBasic, HTTPBearer, type NotAuthenticatedContext, notAuthenticatedError, type NotAuthenticatedReason, OAuth2PasswordBearer,
} from "@depends/core/security";
import { failure, provided, rejection } from "./security-helpers.js";

t.test("the default error is FastAPI 0.122+'s 401", async (t) => {
  const error = notAuthenticatedError({ schemeName: "HTTPBearer", challenge: "Bearer", reason: "missing" });
  t.type(error, HTTPException);
  t.equal(error.status, 401);
  t.equal(error.detail, "Not authenticated");
  t.strictSame(error.headers, { "WWW-Authenticate": "Bearer" });
});

t.test("makeNotAuthenticatedError option: answer 403 as before 0.122.0", async (t) => {
  const forbidden = () => new HTTPException(403, "Not authenticated");
  const bearer = new HTTPBearer({ makeNotAuthenticatedError: forbidden });
  t.strictSame(await failure(bearer), { status: 403, detail: "Not authenticated", headers: undefined });
  t.strictSame(await provided(bearer, { headers: { authorization: "Bearer x" } }), { scheme: "Bearer", credentials: "x" }, "success unchanged");
  const lenient = new HTTPBearer({ makeNotAuthenticatedError: forbidden, autoError: false });
  t.equal(await provided(lenient), undefined, "autoError: false wins over the factory");
});

t.test("the factory learns the scheme, its challenge and the reason", async (t) => {
  const contexts: NotAuthenticatedContext[] = [];
  const record = (context: NotAuthenticatedContext) => (contexts.push(context), new HTTPException(401, context.reason));
  const basic = new HTTPBasic({ realm: "r", makeNotAuthenticatedError: record });
  await failure(basic);
  await failure(basic, { headers: { authorization: "Bearer x" } });
  await failure(basic, { headers: { authorization: "Basic !!!" } });
  await failure(basic, { headers: { authorization: "Basic" } });
  t.strictSame(contexts, [
    { schemeName: "HTTPBasic", challenge: 'Basic realm="r"', reason: "missing" },
    { schemeName: "HTTPBasic", challenge: 'Basic realm="r"', reason: "wrongScheme" },
    { schemeName: "HTTPBasic", challenge: 'Basic realm="r"', reason: "malformed" },
    { schemeName: "HTTPBasic", challenge: 'Basic realm="r"', reason: "missing" },
  ]);
});

t.test("reasons of the bearer and API key schemes", async (t) => {
  const reasons: NotAuthenticatedReason[] = [];
  const record = ({ reason }: NotAuthenticatedContext) => (reasons.push(reason), new Error(reason));
  const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", makeNotAuthenticatedError: record });
  await rejection(provided(oauth2));
  await rejection(provided(oauth2, { headers: { authorization: "Basic x" } }));
  await rejection(provided(oauth2, { headers: { authorization: "Bearer" } }));
  await rejection(provided(new APIKeyQuery({ name: "k", makeNotAuthenticatedError: record })));
  t.strictSame(reasons, ["missing", "wrongScheme", "missing", "missing"]);
});

t.test("any error may be thrown, e.g. one an app's error handler maps", async (t) => {
  class LoginRequired extends Error {}
  const error = await rejection(provided(new OAuth2PasswordBearer({ tokenUrl: "token", makeNotAuthenticatedError: () => new LoginRequired("login") })));
  t.type(error, LoginRequired);
});

t.test("a subclass may override makeNotAuthenticatedError, as in FastAPI", async (t) => {
  class ForbiddenBearer extends HTTPBearer {
    protected override makeNotAuthenticatedError(reason: NotAuthenticatedReason): Error {
      return new HTTPException(403, reason === "wrongScheme" ? "Invalid authentication credentials" : "Not authenticated");
    }
  }
  const bearer = new ForbiddenBearer();
  t.strictSame(await failure(bearer), { status: 403, detail: "Not authenticated", headers: undefined });
  t.strictSame(await failure(bearer, { headers: { authorization: "Basic x" } }), { status: 403, detail: "Invalid authentication credentials", headers: undefined });
  t.equal(bearer.schemeName, "ForbiddenBearer");
});
