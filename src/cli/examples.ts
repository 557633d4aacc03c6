import type { Command } from "commander";

/** An example per command, shown at the end of its --help (a test checks every command has one). */
export const EXAMPLES: Record<string, string[]> = {
  init: ["runlet init hello", "runlet init api --style http --js"],
  deploy: [
    "runlet deploy hello",
    "runlet deploy hello --no-deploy",
    "runlet deploy hello --version 3",
    "runlet deploy hello --percent 10 --max-error-rate 0.05   # a canary that rolls back by itself",
  ],
  invoke: [
    `runlet invoke hello --data '{"name":"Ada"}'`,
    "runlet invoke hello --async --callback-url https://example.com/done",
    "runlet invoke hello --local --secret API_TOKEN=dev --data-file payload.json",
    "runlet invoke checkout --faults api-down",
  ],
  dev: [
    "runlet dev hello",
    "runlet dev hello --port 9000 --allow api.example.com",
    "runlet dev hello --inspect",
  ],
  logs: [
    "runlet logs hello --follow",
    "runlet logs hello --since 1h --level warn",
    "runlet logs hello --search timeout --csv > logs.csv",
  ],
  list: ["runlet list", "runlet list --json", "runlet list --idle 30d   # not invoked in 30 days"],
  get: ["runlet get hello"],
  versions: ["runlet versions hello"],
  rollback: [
    "runlet rollback hello   # ends a canary, else deploys the version below",
    "runlet rollback hello --to 2",
  ],
  promote: ["runlet promote hello"],
  undeploy: ["runlet undeploy hello"],
  delete: ["runlet delete hello", "runlet delete hello --yes   # no question (scripts, CI)"],
  activations: [
    "runlet activations --function hello --status function_error",
    "runlet activations --since 2h --until 1h --csv",
    "runlet activations --follow",
  ],
  activation: ["runlet activation act_01jd5x7k2m9q8r4t6v3w0y1z2a"],
  trace: [
    "runlet trace act_01jd5x7k2m9q8r4t6v3w0y1z2a",
    "runlet trace 4bf92f3577b34da6a3ce929d0e0e4736 --json",
  ],
  dlq: ["runlet dlq list"],
  "dlq list": ["runlet dlq list --limit 20"],
  "dlq redrive": ["runlet dlq redrive act_01jd5x7k2m9q8r4t6v3w0y1z2a"],
  events: ["runlet events publish order.created --data '{\"id\":42}'"],
  "events publish": [
    "runlet events publish order.created --data '{\"id\":42}'",
    "runlet events publish order.created --sync",
  ],
  usage: ["runlet usage --group-by function", "runlet usage --from 2026-11-01 --to 2026-12-01"],
  secrets: ["runlet secrets list"],
  "secrets set": [
    "runlet secrets set API_TOKEN --from-env API_TOKEN",
    "runlet secrets set CERT --from-file cert.pem",
  ],
  "secrets list": ["runlet secrets list"],
  "secrets delete": ["runlet secrets delete API_TOKEN"],
  budget: ["runlet budget get"],
  "budget set": [
    "runlet budget set --amount 25 --hard-limit",
    "runlet budget set hello --amount 5 --thresholds 50,90 --webhook https://example.com/alerts",
  ],
  "budget get": ["runlet budget get hello"],
  "budget delete": ["runlet budget delete hello"],
  "budget alerts": ["runlet budget alerts --function hello"],
  allowlist: ["runlet allowlist list"],
  "allowlist list": ["runlet allowlist list"],
  "allowlist add": ["runlet allowlist add api.example.com '*.example.org'"],
  "allowlist remove": ["runlet allowlist remove api.example.com"],
  replay: [
    "runlet replay act_01m8s5qagzw19z380k2enps0 --version 4",
    "runlet replay checkout --last 100 --version 4 --json > replay.json",
  ],
  faults: ["runlet faults list"],
  "faults list": ["runlet faults list --json"],
  "faults get": ["runlet faults get api-down"],
  "faults set": [
    `runlet faults set api-down --rule '{"target":"fetch:api.example.com","kind":"error"}'`,
    `runlet faults set flaky --rule '{"target":"invoke:billing","kind":"timeout","rate":0.2}' --rule '{"target":"kv","kind":"unavailable"}'`,
    "runlet faults set outage --data-file faults.json",
  ],
  "faults delete": ["runlet faults delete api-down"],
  keys: ["runlet keys list"],
  "keys create": ["runlet keys create ci --role developer"],
  "keys list": ["runlet keys list --all"],
  "keys revoke": ["runlet keys revoke key_01jd5x7k2m9q8r4t"],
  login: ["runlet login --url https://runlet.example.com --account acme --key-from-env RUNLET_KEY"],
  whoami: ["runlet whoami"],
  import: ["runlet import ./exported-lambda", "runlet import ./exported-lambda --name greeter --no-deploy"],
  pull: ["runlet pull hello", "runlet pull hello ./backup --version 3"],
  metrics: [
    "runlet metrics hello --last 7d",
    "runlet metrics hello --start 2026-11-01 --end 2026-12-01 --csv",
  ],
  completion: [
    "source <(runlet completion bash)",
    "runlet completion fish > ~/.config/fish/completions/runlet.fish",
  ],
};

/** The command's path under `runlet`: `secrets set`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Adds each command's examples to its --help, everywhere in the tree. */
export function addExamples(command: Command): void {
  for (const sub of command.commands) {
    const lines = EXAMPLES[commandPath(sub)];
    if (lines) sub.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`);
    addExamples(sub);
  }
}
