import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import type { Command } from "commander";
import { CliContext } from "../../src/cli/context.js";
import { commandPath, EXAMPLES } from "../../src/cli/examples.js";
import { buildProgram } from "../../src/cli/main.js";
import { fakeApi, run, tempDir } from "./helpers.js";

const ESC = String.fromCharCode(27);

function commands(c: Command): Command[] {
  return c.commands.filter((s) => s.name() !== "help").flatMap((s) => [s, ...commands(s)]);
}

/** Completes `line` (words before the cursor, the last one being completed) with bash's completion machinery. */
function bashComplete(script: string, words: string[]): string[] {
  const program = [
    script,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})`,
    `COMP_CWORD=${words.length - 1}`,
    "_runlet",
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join("\n");
  return execFileSync("bash", ["-c", program], { encoding: "utf8" }).split("\n").filter(Boolean);
}

test("runlet completion bash completes commands, subcommands and each command's options", async () => {
  const { code, stdout } = await run(["completion", "bash"], { cwd: tempDir() });
  assert.equal(code, 0);
  assert.match(stdout, /complete -o filenames -F _runlet runlet/);
  assert.deepEqual(bashComplete(stdout, ["runlet", "de"]), ["deploy", "dev", "delete"]);
  assert.deepEqual(bashComplete(stdout, ["runlet", "secrets", ""]), ["set", "list", "delete"]);
  assert.deepEqual(bashComplete(stdout, ["runlet", "secrets", "set", "--from"]), [
    "--from-env",
    "--from-file",
  ]);
  assert.deepEqual(bashComplete(stdout, ["runlet", "logs", "hello", "--s"]), ["--since", "--search"]);
  assert.ok(bashComplete(stdout, ["runlet", "deploy", "--"]).includes("--no-deploy"));
});

test("runlet completion zsh and fish name every command; an unknown shell is a usage error", async () => {
  const zsh = (await run(["completion", "zsh"], { cwd: tempDir() })).stdout;
  const fish = (await run(["completion", "fish"], { cwd: tempDir() })).stdout;
  assert.match(zsh, /^#compdef runlet/);
  assert.match(zsh, /compdef _runlet runlet/);
  assert.match(fish, /complete -c runlet -n __fish_use_subcommand -a deploy -d 'bundle a function folder/);
  assert.match(fish, /__fish_seen_subcommand_from secrets; and __fish_seen_subcommand_from set' -l from-env/);
  const program = buildProgram(new CliContext({ out: () => {}, err: () => {}, env: {}, cwd: "." }));
  for (const c of program.commands.filter((c) => c.name() !== "help")) {
    assert.match(zsh, new RegExp(`\\b${c.name()}\\b`), `zsh: ${c.name()}`);
    assert.match(fish, new RegExp(`-a ${c.name()} `), `fish: ${c.name()}`);
  }
  const bad = await run(["completion", "powershell"], { cwd: tempDir() });
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /'powershell' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish/,
  );
});

test("every command's --help ends with an example of it", async () => {
  const program = buildProgram(new CliContext({ out: () => {}, err: () => {}, env: {}, cwd: "." }));
  for (const command of commands(program)) {
    const path = commandPath(command);
    assert.ok(EXAMPLES[path]?.length, `no example for runlet ${path}`);
    const { stdout } = await run([...path.split(" "), "--help"], { cwd: tempDir() });
    assert.match(stdout, /\nExamples:\n {2}\$ /, path);
  }
  assert.match((await run(["delete", "--help"], { cwd: tempDir() })).stdout, /runlet delete hello --yes/);
});

test("tables are coloured on a terminal with colours, plain when piped or with NO_COLOR", async () => {
  const api = await fakeApi({
    "GET /v1/accounts/acme/activations": () => ({
      json: {
        activations: [
          {
            id: "act_1",
            function: "hello",
            version: 1,
            trigger: "http",
            status: "function_error",
            durationMs: 3,
            billedMs: 3,
            coldStart: false,
            startedAt: 0,
          },
          {
            id: "act_2",
            function: "hello",
            version: 1,
            trigger: "http",
            status: "succeeded",
            durationMs: 2,
            billedMs: 2,
            coldStart: true,
            startedAt: 0,
          },
        ],
      },
    }),
  });
  const env = { ...api.env, FORCE_COLOR: "1" };
  const tty = await run(["activations"], { cwd: tempDir(), env, extra: { color: { out: true, err: true } } });
  assert.match(tty.stdout, new RegExp(`${ESC}\\[1mID\\s+FUNCTION`));
  assert.ok(tty.stdout.includes(`${ESC}[31mfunction_error${ESC}[39m`));
  assert.ok(tty.stdout.includes(`${ESC}[32msucceeded${ESC}[39m`));
  // Columns stay aligned: the visible text of each row has the same width up to the status column.
  const visible = tty.stdout.replace(new RegExp(`${ESC}\\[\\d+m`, "g"), "").split("\n");
  assert.equal(visible[1]?.indexOf("function_error"), visible[2]?.indexOf("succeeded"));
  const piped = await run(["activations"], { cwd: tempDir(), env: api.env });
  assert.ok(!piped.stdout.includes(ESC));
  // processIo() decides the flags: a pipe or NO_COLOR turns colour off.
  const script = `import("./src/cli/io.ts").then((m) => console.log(JSON.stringify(m.processIo().color)))`;
  const noColor = execFileSync(process.execPath, ["--import", "tsx", "-e", script], {
    env: { ...process.env, NO_COLOR: "1" },
    encoding: "utf8",
  });
  assert.deepEqual(JSON.parse(noColor), { out: false, err: false });
});

test("init tells a newcomer to use npx runlet", async () => {
  const { stdout } = await run(["init", "hello"], { cwd: tempDir() });
  assert.match(stdout, /next:\n {2}npx runlet deploy hello\n {2}npx runlet invoke hello/);
});
