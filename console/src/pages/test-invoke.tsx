import { useState } from "preact/hooks";
import { ApiError, can, client, fn, type Activation, type Session } from "../api.js";
import { ErrorBox, Section, ms, shown, useAction } from "../ui.js";
import { Logs } from "./log-list.js";

interface Outcome {
  httpStatus: number;
  /** An HTTP request's answer: its content type and body as text. */
  response?: { contentType: string; body: string };
  status: string;
  activationId: string | null;
  result?: unknown;
  error?: { code: string; message: string } | null;
  durationMs?: number | null;
  billedMs?: number | null;
  coldStart?: boolean;
  logs?: Activation["logs"];
}

const wait = (msec: number) => new Promise((r) => setTimeout(r, msec));

/** Invoke with a JSON payload (kept per function in localStorage), sync or async, and show the answer. */
/** `Name: value` lines as headers. */
function headerLines(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const at = line.indexOf(":");
    if (at < 1) throw new ApiError(0, "BAD_HEADER", `The header line "${line}" is not Name: value`);
    headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return headers;
}

interface HttpRequest {
  method: string;
  path: string;
  body: string;
}

export function TestInvoke(props: { session: Session; name: string; style?: string; onInvoked: () => void }) {
  const { session, name } = props;
  const api = client(session);
  const storeKey = `runlet.payload.${session.account}.${name}`;
  const requestKey = `runlet.request.${session.account}.${name}`;
  const [payload, setPayload] = useState(() => localStorage.getItem(storeKey) ?? '{\n  "name": "Ada"\n}');
  const [mode, setMode] = useState<"payload" | "http">(props.style === "http" ? "http" : "payload");
  const [headers, setHeaders] = useState("");
  const [request, setRequest] = useState<HttpRequest>(() => {
    try {
      return JSON.parse(localStorage.getItem(requestKey) ?? "") as HttpRequest;
    } catch {
      return { method: "GET", path: "/", body: "" };
    }
  });
  const [asyncMode, setAsync] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const action = useAction();
  const developer = can(session, "developer");

  /** The activation's record (developer and up): logs, billed time; for async, once it has finished. */
  const record = async (id: string, settle: boolean): Promise<Activation | null> => {
    if (!developer) return null;
    for (let i = 0; i < 60; i++) {
      try {
        const a = await api.get<Activation>(`/activations/${encodeURIComponent(id)}`);
        if (!settle || (a.status !== "queued" && a.status !== "running")) return a;
      } catch (err) {
        if ((err as ApiError).status !== 404) throw err;
      }
      await wait(500);
    }
    return null;
  };

  const invoke = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      setOutcome(null);
      const extra = headerLines(headers);
      if (mode === "http") {
        localStorage.setItem(requestKey, JSON.stringify(request));
        const path = request.path.startsWith("/") ? request.path : `/${request.path}`;
        const url = `/fn/${encodeURIComponent(session.account)}/${encodeURIComponent(name)}${path}`;
        const hasBody = !["GET", "HEAD"].includes(request.method);
        const res = await fetch(url, {
          method: request.method,
          headers: { ...extra, authorization: `Bearer ${session.key}` },
          body: hasBody ? request.body : undefined,
          cache: "no-store",
          credentials: "omit",
        });
        const text = await res.text();
        const id = res.headers.get("x-runlet-activation-id");
        let out: Outcome = {
          httpStatus: res.status,
          status: id ? "answered" : "not run",
          activationId: id,
          response: { contentType: res.headers.get("content-type") ?? "", body: text },
          durationMs: Number(res.headers.get("x-runlet-duration-ms") ?? NaN) || null,
          coldStart: res.headers.get("x-runlet-cold-start") === "true",
        };
        setOutcome(out);
        const a = id ? await record(id, false) : null;
        if (a) {
          out = {
            ...out,
            status: a.status,
            error: a.error,
            durationMs: a.durationMs,
            billedMs: a.billedMs,
            coldStart: a.coldStart,
            logs: a.logs ?? [],
          };
          setOutcome(out);
        }
        props.onInvoked();
        return;
      }
      let body: unknown;
      try {
        body = payload.trim() === "" ? {} : JSON.parse(payload);
      } catch (err) {
        throw new ApiError(0, "BAD_JSON", `The payload is not JSON: ${(err as Error).message}`);
      }
      localStorage.setItem(storeKey, payload);
      const path = `${fn(name)}/invoke${asyncMode ? "?async=true" : ""}`;
      let out: Outcome;
      try {
        const res = await api.raw<unknown>("POST", path, body, extra);
        const id =
          res.headers.get("x-runlet-activation-id") ??
          (res.body as { activationId?: string } | null)?.activationId ??
          null;
        out = {
          httpStatus: res.status,
          status: asyncMode ? "queued" : "succeeded",
          activationId: id,
          result: asyncMode ? undefined : res.body,
          durationMs: Number(res.headers.get("x-runlet-duration-ms") ?? NaN) || null,
          coldStart: res.headers.get("x-runlet-cold-start") === "true",
        };
      } catch (err) {
        const e = err as ApiError;
        if (!e.activationId) throw err;
        out = {
          httpStatus: e.status,
          status: "failed",
          activationId: e.activationId,
          error: { code: e.code, message: e.message },
        };
      }
      setOutcome(out);
      if (out.activationId) {
        const a = await record(out.activationId, asyncMode);
        if (a) {
          out = {
            ...out,
            status: a.status,
            result: a.status === "succeeded" ? a.result : out.result,
            error: a.error,
            durationMs: a.durationMs,
            billedMs: a.billedMs,
            coldStart: a.coldStart,
            logs: a.logs ?? [],
          };
          setOutcome(out);
        }
      }
      props.onInvoked();
    });
  };

  return (
    <Section title="Test invoke">
      <form class="form" onSubmit={invoke}>
        <label>
          Send
          <select value={mode} onChange={(e) => setMode(e.currentTarget.value as "payload" | "http")}>
            <option value="payload">a JSON payload</option>
            <option value="http">an HTTP request</option>
          </select>
        </label>
        {mode === "payload" ? (
          <label>
            Payload (JSON)
            <textarea
              rows={6}
              spellcheck={false}
              value={payload}
              onInput={(e) => setPayload(e.currentTarget.value)}
            />
          </label>
        ) : (
          <>
            <div class="inline-form">
              <label>
                Method
                <select
                  value={request.method}
                  onChange={(e) => setRequest({ ...request, method: e.currentTarget.value })}
                >
                  {["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              </label>
              <label>
                Path
                <input
                  value={request.path}
                  onInput={(e) => setRequest({ ...request, path: e.currentTarget.value })}
                />
              </label>
            </div>
            <label>
              Body
              <textarea
                rows={4}
                spellcheck={false}
                value={request.body}
                onInput={(e) => setRequest({ ...request, body: e.currentTarget.value })}
              />
            </label>
          </>
        )}
        <label>
          Headers (Name: value, one a line)
          <textarea
            rows={2}
            spellcheck={false}
            value={headers}
            onInput={(e) => setHeaders(e.currentTarget.value)}
          />
        </label>
        <div class="buttons">
          <label class="inline" hidden={mode === "http"}>
            <input type="checkbox" checked={asyncMode} onChange={(e) => setAsync(e.currentTarget.checked)} />{" "}
            Async
          </label>
          <button type="submit" disabled={action.busy}>
            Invoke
          </button>
        </div>
      </form>
      <ErrorBox error={action.error} />
      {outcome ? <OutcomeView o={outcome} recordReadable={developer} /> : null}
    </Section>
  );
}

/** `recordReadable`: the key may read activation records (logs, billed time); an invoker key may not. */
function OutcomeView({ o, recordReadable }: { o: Outcome; recordReadable: boolean }) {
  return (
    <div class="outcome" role="region" aria-label="Invocation result">
      <dl>
        <dt>Status</dt>
        <dd>
          {o.status} (HTTP {o.httpStatus})
        </dd>
        <dt>Activation</dt>
        <dd>{o.activationId ?? "—"}</dd>
        <dt>Duration</dt>
        <dd>{ms(o.durationMs)}</dd>
        <dt>Billed</dt>
        <dd>{recordReadable ? ms(o.billedMs) : "— (in the activation record)"}</dd>
        <dt>Cold start</dt>
        <dd>{o.coldStart ? "yes" : "no"}</dd>
      </dl>
      {o.error ? (
        <div class="error" role="alert">
          <strong>{o.error.code}</strong>
          <pre>{o.error.message}</pre>
        </div>
      ) : null}
      {o.response ? (
        <>
          <h3>Response body{o.response.contentType ? ` (${o.response.contentType})` : ""}</h3>
          <pre aria-label="Response body">{o.response.body}</pre>
        </>
      ) : null}
      {o.result !== undefined ? (
        <>
          <h3>Result</h3>
          <pre aria-label="Result">{shown(o.result)}</pre>
        </>
      ) : null}
      {o.logs ? <Logs logs={o.logs} /> : null}
      {recordReadable ? null : (
        <>
          <h3>Logs</h3>
          <p class="hint" role="note">
            An invoker key cannot read logs or billed time: they are in the activation record
            {o.activationId ? ` ${o.activationId}` : ""}, which a developer or admin key can open.
            {o.status === "queued" ? " Nor can it follow an async invocation to its end." : ""}
          </p>
        </>
      )}
    </div>
  );
}
