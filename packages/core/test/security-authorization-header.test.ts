// Authorization header parsing, as FastAPI's get_authorization_scheme_param.
import t from "tap";
import { splitAuthorization } from "@depends/core/security";

t.test("splitAuthorization partitions on the first space and trims the parameter", async (t) => {
  t.strictSame(splitAuthorization("Bearer abc"), { scheme: "Bearer", param: "abc" });
  t.strictSame(splitAuthorization("Bearer  tok "), { scheme: "Bearer", param: "tok" });
  t.strictSame(splitAuthorization("Bearer"), { scheme: "Bearer", param: "" });
  t.strictSame(splitAuthorization("Bearer "), { scheme: "Bearer", param: "" });
  t.strictSame(splitAuthorization("Digest a=1, b=2"), { scheme: "Digest", param: "a=1, b=2" }, "spaces inside the parameter are kept");
  t.strictSame(splitAuthorization("Bearer\tabc"), { scheme: "Bearer\tabc", param: "" }, "only a space separates, as str.partition(' ')");
  t.strictSame(splitAuthorization(" Bearer abc"), { scheme: "", param: "Bearer abc" }, "a leading space leaves no scheme");
  t.strictSame(splitAuthorization(""), { scheme: "", param: "" });
  t.strictSame(splitAuthorization(undefined), { scheme: "", param: "" });
});
