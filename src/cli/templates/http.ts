/** HTTP style: a default export with `fetch(request, env, ctx)` returning a web-standard Response. */
export const httpTs = `// An http-style Runlet function: a web-standard Request in, a Response out.
interface Context {
  activationId: string;
}

export default {
  async fetch(request: Request, env: Record<string, string>, ctx: Context): Promise<Response> {
    const url = new URL(request.url);
    const body: { name?: string } = request.method === "POST" ? await request.json().catch(() => ({})) : {};
    const name = body.name ?? url.searchParams.get("name") ?? "world";
    console.log(\`\${request.method} \${url.pathname} in activation \${ctx.activationId}\`);
    return new Response(JSON.stringify({ hello: name }), {
      headers: { "content-type": "application/json" },
    });
  },
};
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
