import { createHash } from "node:crypto";

type Args = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/**
 * What identifies a host call: its operation and a digest of its arguments (a fetch's body bytes included),
 * so a replay's call matches a recorded one only when the function asked for the same thing. A secret's
 * value never enters the digest: of ctx.secrets only the name is kept.
 */
export function callKey(op: string, raw: unknown): { key: string; what: string } {
  const args = (raw ?? {}) as Args;
  const hash = createHash("sha256").update(op).update("\0");
  if (op.startsWith("secrets.")) {
    hash.update(str(args.key));
  } else {
    hash.update(
      JSON.stringify(args, (_k, v: unknown) => (v instanceof ArrayBuffer ? `<${v.byteLength} bytes>` : v)),
    );
    if (args.body instanceof ArrayBuffer) hash.update(new Uint8Array(args.body));
  }
  return { key: hash.digest("base64url"), what: describe(op, args) };
}

function describe(op: string, args: Args): string {
  if (op === "fetch") return `fetch ${str(args.method) || "GET"} ${str(args.url).slice(0, 200)}`;
  if (op === "invoke") return `ctx.invoke("${str(args.name)}")`;
  if (op.startsWith("kv.")) {
    const where = [str(args.namespace), str(args.key) || str(args.prefix)].filter(Boolean).join("/");
    return `ctx.${op} ${where.slice(0, 200)}`;
  }
  if (op.startsWith("secrets.")) return `ctx.${op} ${str(args.key).slice(0, 100)}`;
  return op;
}
