import t from "tap";
import { PasswordVerifier } from "../src/passwords.js";
import { fuzzedApp, injectAnswer } from "./support/hardening.js";
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]!; };
t.test("x", async (t) => {
  const { app } = await fuzzedApp(t, { passwords: new PasswordVerifier() });
  const attempt = async (username: string) => {
    const c0 = process.cpuUsage(); const w0 = performance.now();
    await injectAnswer(app, { method: "POST", url: "/token", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: `username=${username}&password=guess` });
    const c = process.cpuUsage(c0);
    return [performance.now() - w0, (c.user + c.system) / 1000];
  };
  const A: number[][] = [], B: number[][] = [];
  for (let i = 0; i < 40; i++) {
    if (i % 2) { A.push(await attempt("nobody" + i)); B.push(await attempt("johndoe")); }
    else { B.push(await attempt("johndoe")); A.push(await attempt("nobody" + i)); }
  }
  console.log("wall unknown", med(A.map(x => x[0]!)).toFixed(1), "known", med(B.map(x => x[0]!)).toFixed(1));
  console.log("cpu  unknown", med(A.map(x => x[1]!)).toFixed(1), "known", med(B.map(x => x[1]!)).toFixed(1));
  console.log("paired wall ratio median", med(A.map((a, i) => a[0]! / B[i]![0]!)).toFixed(3));
  console.log(A.map((a, i) => `${a[0]!.toFixed(0)}/${B[i]![0]!.toFixed(0)}`).join(" "));
});
