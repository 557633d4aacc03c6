/** Event style: `export default async function (event, ctx)`; the return value is the response. */
export const eventTs = `// An event-style Runlet function. Try it: runlet invoke <name> --data '{"name":"Ada"}'
import type { Context, Event } from "runlet";

interface Payload {
  name?: string;
}

export default async function handler(event: Event<Payload>, ctx: Context) {
  console.log(\`handling \${event.type} in activation \${ctx.activationId}\`);
  return { hello: event.payload?.name ?? "world" };
}
`;

export const eventJs = `// An event-style Runlet function. Try it: runlet invoke <name> --data '{"name":"Ada"}'
/**
 * @param {{ id: string, type: string, payload?: { name?: string }, headers: Record<string, string> }} event
 * @param {{ activationId: string, env: Record<string, string> }} ctx
 */
export default async function handler(event, ctx) {
  console.log(\`handling \${event.type} in activation \${ctx.activationId}\`);
  return { hello: event.payload?.name ?? "world" };
}
`;
