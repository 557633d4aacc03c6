import { useState } from "preact/hooks";
import type { ApiError } from "../api.js";
import { whoami, type Session } from "../api.js";

export function SignIn({ onSignIn, notice }: { onSignIn: (s: Session) => void; notice?: string | null }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignIn(await whoami(key.trim()));
    } catch (err) {
      const e = err as ApiError;
      setError(
        e.status === 401
          ? "That API key or access token is unknown, revoked or expired. Check it (runlet keys list), or ask for a new token, and try again."
          : e.status === 403
            ? `This key cannot sign in to the console: ${e.message}`
            : e.message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="center">
      <form class="card signin" onSubmit={submit} aria-label="Sign in">
        <h1>Runlet console</h1>
        {notice && !error ? (
          <p class="error" role="alert">
            {notice}
          </p>
        ) : null}
        <label for="key">API key</label>
        <input
          id="key"
          type="password"
          autoComplete="off"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          aria-describedby={error ? "signin-error key-hint" : "key-hint"}
        />
        {error ? (
          <p id="signin-error" class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy || key.trim() === ""}>
          Sign in
        </button>
        <p class="hint" id="key-hint">
          An API key (rlk_…) or an access token (POST /v1/oauth/token with the key's id and secret). It stays
          in this tab (session storage) and is sent only to this server.
        </p>
      </form>
    </main>
  );
}
