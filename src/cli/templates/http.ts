/** HTTP style: a default export with `fetch(request, env, ctx)` returning a web-standard Response. */
export const httpTs = `// An http-style Runlet function: a web-standard Request in, a Response out.
import type { HttpHandler } from "runlet";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const body = (request.method === "POST" ? await request.json().catch(() => ({})) : {}) as { name?: string };
    const name = body.name ?? url.searchParams.get("name") ?? "world";
    console.log(\`\${request.method} \${url.pathname} in activation \${ctx.activationId}\`);
    return Response.json({ hello: name });
  },
} satisfies HttpHandler;
`;

export const httpJs = `// An http-style Runlet function: a web-standard Request in, a Response out.
export default {
  /**
   * @param {Request} request
   * @param {Record<string, string>} env
   * @param {{ activationId: string }} ctx
   */
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const body = request.method === "POST" ? await request.json().catch(() => ({})) : {};
    const name = body.name ?? url.searchParams.get("name") ?? "world";
    console.log(\`\${request.method} \${url.pathname} in activation \${ctx.activationId}\`);
    return new Response(JSON.stringify({ hello: name }), {
      headers: { "content-type": "application/json" },
    });
  },
};
`;
