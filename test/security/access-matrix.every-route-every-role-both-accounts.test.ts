import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Access } from "../../src/server/guard.js";
import { OPERATOR_KEY, startPlatform, type TestPlatform } from "../helpers/platform.js";

/**
 * Every route × every caller (admin, developer, invoker key, operator key, no key) × the caller's own
 * account and another one. Routes come from the server's own route table, so routes added later are
 * covered without editing this file; each denial is checked for its exact status and code.
 */

type Caller = "admin" | "developer" | "invoker" | "operator" | "none";
const CALLERS: Caller[] = ["admin", "developer", "invoker", "operator", "none"];
const RANK = { invoker: 1, developer: 2, admin: 3 } as const;

/** What DESIGN §7 says about routes it names; every other route is held to the access it declares. */
const DESIGN: [RegExp, Access][] = [
  [/^(GET|POST) \/v1\/accounts$/, "operator"],
  [/^PATCH \/v1\/accounts\/:acct$/, "operator"],
  [/^\w+ \/v1\/accounts\/:acct\/keys/, "admin"],
  [/^GET \/v1\/accounts\/:acct\/audit$/, "admin"],
  [/^(PUT|DELETE) \/v1\/accounts\/:acct\/secrets\/:key$/, "admin"],
  [/^GET \/v1\/accounts\/:acct\/secrets$/, "developer"],
  [/^PUT \/v1\/accounts\/:acct\/allowlist$/, "admin"],
  [/^\w+ \/v1\/accounts\/:acct\/functions(\/:name(\/(versions.*|deploy|undeploy|logs))?)?$/, "developer"],
  [/^POST \/v1\/accounts\/:acct\/functions\/:name\/invoke$/, "invoker"],
  [/^GET \/v1\/accounts\/:acct\/activations/, "developer"],
  [/^POST \/v1\/oauth\/keys\/rotate$/, "operator"],
  [/^POST \/v1\/oauth\/token$/, "public"],
  [/^GET \/(healthz|readyz|metrics|openapi\.json)$/, "public"],
];

const PARAMS: Record<string, string> = {
  name: "fn",
  version: "1",
  id: "key_missing",
  key: "k1",
  namespace: "ns",
  type: "order.created",
  "*": "path",
};

let t: TestPlatform;
const keys: Record<string, string> = {};

before(async () => {
  t = await startPlatform();
  for (const role of ["developer", "invoker"] as const) {
    keys[role] = (await t.call("POST", "/v1/accounts/default/keys", { name: role, role })).body.key;
  }
  keys.admin = t.key;
  keys.operator = OPERATOR_KEY;
  assert.equal((await t.call("POST", "/v1/accounts", { name: "other" }, { key: OPERATOR_KEY })).status, 201);
  await t.deploy("fn", "export default async () => 'mine'");
});
after(() => t.close());

function url(route: string, account: string): string {
  return route.replace(/:(\w+)|\*/g, (m, p: string | undefined) =>
    p === "acct" ? account : (PARAMS[p ?? "*"] ?? "x"),
  );
}

/** The status and code a caller must get, or "allowed" (anything but 401 and RUNLET_ERR_FORBIDDEN). */
function expected(access: Access, caller: Caller, own: boolean, hasAccount: boolean) {
  const unauthenticated = { status: 401, code: "RUNLET_ERR_UNAUTHENTICATED" } as const;
  const forbidden = { status: 403, code: "RUNLET_ERR_FORBIDDEN" } as const;
  if (access === "public") return "allowed";
  if (caller === "none") return unauthenticated;
  if (access === "operator") return caller === "operator" ? "allowed" : forbidden;
  if (caller === "operator") return forbidden;
  if (hasAccount && !own) return forbidden;
  return RANK[caller] >= RANK[access] ? "allowed" : forbidden;
}

it("every route answers every caller with the access it is meant to have", async (ctx) => {
  const methods = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
  const routes = [...t.app.routeAccess].filter(([route]) => methods.has(route.split(" ")[0]!));
  assert.ok(routes.length >= 20, `the route table has ${routes.length} routes`);
  const table: string[] = [];
  const failures: string[] = [];
  for (const [route, declared] of routes) {
    const [method, path] = route.split(" ") as [string, string];
    // Web functions check access themselves (a public function needs no key): held to invoker.
    const access: Access = path.startsWith("/fn/") ? "invoker" : declared;
    const design = DESIGN.find(([pattern]) => pattern.test(route));
    if (design) assert.equal(access, design[1], `${route} declares ${access}; DESIGN §7 says ${design[1]}`);
    if (path.startsWith("/v1/accounts/:acct")) assert.notEqual(access, "public", `${route} has no guard`);
    const hasAccount = path.includes(":acct");
    const combos = (hasAccount ? [true, false] : [true]).flatMap((own) =>
      CALLERS.map((caller) => ({ own, caller })),
    );
    const row = await Promise.all(
      combos.map(async ({ own, caller }) => {
        const want = expected(access, caller, own, hasAccount);
        const body = ["POST", "PUT", "PATCH"].includes(method) ? {} : undefined;
        const res = await t.call(method, url(path, own ? "default" : "other"), body, {
          key: caller === "none" ? null : keys[caller]!,
        });
        const got = `${res.status}${res.body?.error?.code ? ` ${res.body.error.code}` : ""}`;
        const where = `${route} as ${caller} on ${own ? "own" : "other"} account: got ${got}`;
        const label = `${caller}${hasAccount ? (own ? "/own" : "/other") : ""}`;
        if (want === "allowed") {
          if (res.status === 401 || res.body?.error?.code === "RUNLET_ERR_FORBIDDEN")
            failures.push(`${where}, want allowed`);
          if (res.status >= 500) failures.push(`${where}, want no 5xx`);
          return `${label}=ok`;
        }
        if (res.status !== want.status || res.body?.error?.code !== want.code) {
          failures.push(`${where}, want ${want.status} ${want.code}`);
        }
        return `${label}=${want.status}`;
      }),
    );
    table.push(`${route.padEnd(60)} [${access}] ${row.join(" ")}`);
  }
  for (const line of table) ctx.diagnostic(line);
  assert.deepEqual(failures, []);
});

it("a key cannot reach another account's function through the web route or the fast invoke path", async () => {
  const other = (await t.call("POST", "/v1/accounts", { name: "third" }, { key: OPERATOR_KEY })).body.adminKey
    .key;
  for (const route of ["/v1/accounts/default/functions/fn/invoke", "/fn/default/fn/"]) {
    const res = await t.call("POST", route, {}, { key: other });
    assert.equal(res.status, 403, route);
    assert.equal(res.body.error.code, "RUNLET_ERR_FORBIDDEN", route);
  }
  const hidden = await t.call("POST", "/fn/default/no-such-fn/", {}, { key: other });
  assert.equal(hidden.status, 403, "no telling which functions another account has");
  const unknown = await t.call("POST", "/v1/accounts/nobody/functions/fn/invoke", {}, { key: other });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "RUNLET_ERR_ACCOUNT_NOT_FOUND");
});
