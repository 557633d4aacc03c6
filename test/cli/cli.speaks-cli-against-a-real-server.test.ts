import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { run, tempDir, writeFiles } from "./helpers.js";

const WEB = `export default { async fetch() { return new Response("hi from the web"); } };\n`;
const LOGGER = `export default async function (event: { payload: { n?: number } }, ctx: any) {
  console.info("starting", event.payload.n);
  console.warn("careful");
  console.error("broken pipe");
  const secret = await ctx.secrets.get("API_TOKEN");
  const seen = ((await ctx.kv.get("runs")) ?? 0) + 1;
  await ctx.kv.set("runs", seen);
  return { n: event.payload.n ?? 0, secret: secret ?? null, seen };
}
`;

describe("the CLI against a real server", () => {
  let p: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const cwd = tempDir("runlet-cli-real-");
  const cli = (...argv: string[]) => run(argv, { cwd, env });

  before(async () => {
    p = await startPlatform();
    env = { RUNLET_URL: p.url, RUNLET_ACCOUNT: p.account, RUNLET_KEY: p.key };
    writeFiles(cwd, {
      "web/index.ts": WEB,
      "web/runlet.json": `{"name":"web"}`,
      "hello/index.ts": LOGGER,
      "hello/runlet.json": `{"name":"hello"}`,
    });
  });
  after(() => p.close());

  it("deploy and get print a web function's URL", async () => {
    const deployed = await cli("deploy", "web");
    assert.equal(deployed.code, 0, deployed.stderr);
    const url = `${p.url}/fn/default/web/`;
    assert.match(deployed.stdout, new RegExp(`url: ${url.replace(/[/.]/g, "\\$&")}`));
    assert.equal(
      await (await fetch(url, { headers: { authorization: `Bearer ${p.key}` } })).text(),
      "hi from the web",
    );
    assert.match((await cli("get", "web")).stdout, /^url\s+http:\/\/127\.0\.0\.1:\d+\/fn\/default\/web\/$/m);
    assert.equal(JSON.parse((await cli("get", "web", "--json")).stdout).url, url);
  });

  it("an unknown function gets the closest names; a missing version names runlet versions", async () => {
    const typo = await cli("get", "wev");
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /runlet: function wev does not exist/);
    assert.match(typo.stderr, /hint: did you mean web\?/);
    const far = await cli("get", "zzzzzzzz");
    assert.match(far.stderr, /hint: list the account's functions with runlet list/);
    const version = await cli("rollback", "web", "--to", "99");
    assert.match(version.stderr, /hint: see the kept versions with runlet versions web/);
    assert.doesNotMatch(version.stderr + typo.stderr + far.stderr, /GET |POST |…\//);
  });

  it("deploy --no-deploy says how to deploy that version, and deploy --version does it", async () => {
    writeFiles(cwd, { "web/index.ts": WEB.replace("hi from", "hello from") });
    const uploaded = await cli("deploy", "web", "--no-deploy");
    assert.equal(uploaded.code, 0, uploaded.stderr);
    assert.match(uploaded.stdout, /runlet deploy web --version 2/);
    assert.doesNotMatch(uploaded.stdout, /rollback/);
    const deployed = await cli("deploy", "web", "--version", "2");
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /web now runs version 2/);
    assert.equal(JSON.parse((await cli("get", "web", "--json")).stdout).deployedVersion, 2);
  });

  it("logs and activations filter by level, text, activation and time, and export CSV", async () => {
    assert.equal((await cli("deploy", "hello")).code, 0);
    const invoked = await cli("invoke", "hello", "--data", '{"n":1}', "--json");
    const id = JSON.parse(invoked.stdout).activationId as string;
    await cli("invoke", "hello", "--data", '{"n":2}');

    const warn = await cli("logs", "hello", "--level", "warn");
    assert.equal(warn.code, 0, warn.stderr);
    assert.deepEqual(messages(warn.stdout), ["careful", "broken pipe", "careful", "broken pipe"]);
    assert.deepEqual(messages((await cli("logs", "hello", "--search", "START")).stdout), [
      "starting 1",
      "starting 2",
    ]);
    assert.deepEqual(messages((await cli("logs", "hello", "--activation", id)).stdout), [
      "starting 1",
      "careful",
      "broken pipe",
    ]);
    assert.equal(messages((await cli("logs", "hello", "--since", "1h")).stdout).length, 6);
    assert.match(
      (await cli("logs", "hello", "--until", "2001-01-01")).stderr,
      /no log lines for hello match/,
    );
    // The hosted lpf's spellings: --start/--end in epoch ms, --levels as a set in any case.
    const start = String(Date.now() - 3_600_000);
    const lpf = await cli("logs", "hello", `--start=${start}`, "--levels", "Info", "Error");
    assert.equal(lpf.code, 0, lpf.stderr);
    assert.deepEqual(messages(lpf.stdout), ["starting 1", "broken pipe", "starting 2", "broken pipe"]);
    assert.match((await cli("logs", "hello", "--start", start, "--end", "0")).stderr, /no log lines/);
    const bad = await cli("logs", "hello", "--levels", "loud");
    assert.equal(bad.code, 2, "a usage error");
    assert.match(bad.stderr, /levels are debug, info, log, warn, error/);
    assert.equal(
      (await cli("activations", "--function", "hello", "--levels", "warn", "--csv")).stdout
        .split("\r\n")
        .filter((l) => l.includes(",hello,")).length,
      2,
    );
    const csv = (await cli("logs", "hello", "--level", "error", "--csv")).stdout.split("\r\n");
    assert.equal(csv[0], "time,activation,level,message");
    assert.match(csv[1] ?? "", /^\d{4}-\d\d-\d\dT[\d:.]+Z,act_\w+,error,broken pipe$/);

    const table = (await cli("activations", "--function", "hello", "--search", id)).stdout;
    assert.equal(table.trim().split("\n").length, 2, table);
    assert.match(table, new RegExp(id));
    const acsv = (await cli("activations", "--function", "hello", "--level", "error", "--csv")).stdout.split(
      "\r\n",
    );
    assert.equal(acsv[0], "id,function,version,trigger,status,durationMs,billedMs,coldStart,startedAt,error");
    assert.equal(acsv.filter((l) => l.includes(",hello,")).length, 2);
    assert.equal(
      (await cli("activations", "--function", "hello", "--until", "2001-01-01")).stdout,
      "no activations match\n",
    );
  });

  it("activation <id> shows one activation, and whoami the key", async () => {
    const invoked = JSON.parse((await cli("invoke", "hello", "--data", '{"n":7}', "--json")).stdout);
    const shown = await cli("activation", invoked.activationId);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^status\s+succeeded$/m);
    assert.match(shown.stdout, /^attempts\s+1$/m);
    assert.match(shown.stdout, /"n": 7/);
    assert.match(shown.stdout, /warn\s+careful/);
    const who = await cli("whoami");
    assert.match(who.stdout, /\(admin\) in account default at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(who.stdout, /credentials from RUNLET_KEY/);
  });

  it("invoke --json and invoke --local --json print the same shape, with ISO times; --local has secrets and a kv", async () => {
    const remote = JSON.parse((await cli("invoke", "hello", "--json")).stdout);
    const local1 = await cli(
      "invoke",
      "hello",
      "--local",
      "hello",
      "--secret",
      "API_TOKEN=dev-token",
      "--json",
    );
    assert.equal(local1.code, 0, local1.stderr);
    const local = JSON.parse(local1.stdout);
    assert.deepEqual(Object.keys(local).sort(), Object.keys(remote).sort());
    for (const report of [remote, local]) {
      assert.match(report.startedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.match(report.logs[0].t, /^\d{4}-\d\d-\d\dT/);
      assert.equal(report.status, "succeeded");
    }
    assert.deepEqual(local.result, { n: 0, secret: "dev-token", seen: 1 });
    // The local kv is kept in the folder between runs; a secrets file works like --secret.
    writeFiles(cwd, { "local.env": "# dev secrets\nAPI_TOKEN='from-file'\n" });
    const local2 = JSON.parse(
      (await cli("invoke", "hello", "--local", "hello", "--secrets-file", "local.env", "--json")).stdout,
    );
    assert.deepEqual(local2.result, { n: 0, secret: "from-file", seen: 2 });
  });

  it("invoke --local refuses a folder that is not there instead of running the current one", async () => {
    const missing = await cli("invoke", "nothere", "--local");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no folder \.\/nothere here/);
    const named = await cli("invoke", "hello", "--local", path.join("does", "not", "exist"));
    assert.match(named.stderr, /no such folder: .*does\/not\/exist/);
  });
});

/** The message column of `runlet logs` text lines. */
function messages(stdout: string): string[] {
  return stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) =>
      line
        .split(/\s{2,}/)
        .slice(3)
        .join("  "),
    );
}
