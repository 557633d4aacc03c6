// Hints in the CLI's terms: the registry's fixes speak HTTP (`GET …/functions/{name}/versions`); a CLI user
// gets the command that does the same (`runlet versions hello`), and an unknown function name gets the
// closest names in the account ("did you mean hello?").
import { distance } from "fastest-levenshtein";
import type { ErrorCode } from "../errors.js";
import { CliError } from "./cli-error.js";
import type { CliContext } from "./context.js";

/** The command line a failure came from: the command path and its first argument (often the function). */
export interface Invocation {
  command: string;
  name: string | undefined;
}

const HINTS: Partial<Record<ErrorCode, (at: Invocation) => string>> = {
  RUNLET_ERR_BAD_REQUEST: (at) => `see runlet ${at.command || ""} --help`.replace("  ", " "),
  RUNLET_ERR_INVALID_JSON: () =>
    `pass JSON quoted for your shell, e.g. --data '{"name":"Ada"}', or --data-file payload.json`,
  RUNLET_ERR_FUNCTION_NOT_FOUND: () =>
    "list the account's functions with runlet list; create one with runlet init NAME",
  RUNLET_ERR_VERSION_NOT_FOUND: (at) => `see the kept versions with runlet versions ${at.name ?? "NAME"}`,
  RUNLET_ERR_ACTIVATION_NOT_FOUND: () => "list recent activations with runlet activations",
  RUNLET_ERR_KEY_NOT_FOUND: () => "list the account's keys with runlet keys list",
  RUNLET_ERR_SECRET_NOT_FOUND: () =>
    "list secret names with runlet secrets list; set one with runlet secrets set NAME",
  RUNLET_ERR_FETCH_BLOCKED: () => "allow the host with runlet allowlist add HOST",
  RUNLET_ERR_ROUTE_NOT_FOUND: () =>
    "is RUNLET_URL (or .runlet/credentials.json's url) a Runlet server? see runlet --help",
  RUNLET_ERR_NOT_DEPLOYED: (at) =>
    `deploy it with runlet deploy ${at.name ?? "NAME"} (an older version: runlet deploy ${at.name ?? "NAME"} --version N)`,
  RUNLET_ERR_FORBIDDEN: () =>
    "this key's role does not allow it: runlet whoami shows the role; an admin can make another key with runlet keys create",
  RUNLET_ERR_INVALID_CONFIG: () => "fix the named setting in runlet.json (the limits are in the README)",
};

/** Route snippets that server messages mention, and the command that does the same. */
const ROUTES: [RegExp, string][] = [
  [/GET …\/dlq/g, "runlet dlq list"],
  [/PUT \/v1\/accounts\/\{acct\}\/allowlist or runlet allowlist add/g, "runlet allowlist add"],
  [/PUT …\/allowlist/g, "runlet allowlist add"],
  [/GET …\/functions\/\{name\}\/versions/g, "runlet versions NAME"],
  [/GET …\/activations/g, "runlet activations"],
];

export function cliHint(code: string, at: Invocation): string | undefined {
  return HINTS[code as ErrorCode]?.(at);
}

export function cliMessage(message: string): string {
  return ROUTES.reduce((text, [route, command]) => text.replace(route, command), message);
}

/** Up to three names within a small edit distance of `name`, closest first. */
export function closest(name: string, candidates: string[]): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return candidates
    .map((candidate) => ({ candidate, d: distance(name, candidate) }))
    .filter(({ candidate, d }) => d <= limit || candidate.startsWith(name) || name.startsWith(candidate))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

/**
 * Adds "did you mean …?" to an unknown function's error, from the account's function names (one request;
 * when it fails, the error stays as it was).
 */
export async function withSuggestions(err: unknown, ctx: CliContext, at: Invocation): Promise<unknown> {
  if (!(err instanceof CliError) || err.code !== "RUNLET_ERR_FUNCTION_NOT_FOUND" || at.name === undefined)
    return err;
  try {
    const client = ctx.client();
    const { functions } = await client.json<{ functions: { name: string }[] }>(
      "GET",
      client.accountPath("functions"),
      {
        signal: AbortSignal.timeout(2000),
      },
    );
    const near = closest(
      at.name,
      functions.map((f) => f.name).filter((n) => n !== at.name),
    );
    if (near.length === 0) return err;
    const hint = `did you mean ${near.join(" or ")}? (runlet list shows them all)`;
    return new CliError(err.code, err.message, { ...err.extra, hint });
  } catch {
    return err;
  }
}
