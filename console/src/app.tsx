import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "./api.js";
import { can, onCredentialRefused, onReachability, whoami, type Session } from "./api.js";
import { AccountPage } from "./pages/account.js";
import { FunctionPage } from "./pages/function.js";
import { FunctionsPage, NewFunctionPage } from "./pages/functions.js";
import { InvokeOnlyHome } from "./pages/invoke.js";
import { MetricsPage } from "./pages/metrics.js";
import { SignIn } from "./pages/signin.js";

const KEY = "runlet.key";

/** The route is the URL's fragment (#/functions/hello): no server fallback needed, and no key in it. */
function useRoute(): string[] {
  const parse = () => location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const on = () => setRoute(parse());
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(() => sessionStorage.getItem(KEY) !== null);
  const [down, setDown] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const route = useRoute();

  useEffect(() => onReachability((up) => setDown(!up)), []);
  // A credential that stops working mid-session (an access token expires after 15 minutes by default):
  // back to the sign-in form, saying why, rather than errors on every panel.
  useEffect(
    () =>
      onCredentialRefused(() => {
        if (sessionStorage.getItem(KEY) === null) return;
        sessionStorage.removeItem(KEY);
        setSession(null);
        setRefused("The server no longer accepts this credential (expired or revoked): sign in again.");
      }),
    [],
  );
  // While the server is away, ask it every few seconds; the banner goes when it answers.
  useEffect(() => {
    if (!down) return;
    const timer = setInterval(() => {
      fetch("/healthz", { cache: "no-store" }).then(
        (res) => res.ok && setDown(false),
        () => undefined,
      );
    }, 3000);
    return () => clearInterval(timer);
  }, [down]);

  useEffect(() => {
    const key = sessionStorage.getItem(KEY);
    if (key === null) return;
    whoami(key).then(
      (s) => {
        setSession(s);
        setRestoring(false);
      },
      (err: ApiError) => {
        if (err.status === 401) sessionStorage.removeItem(KEY);
        setRestoring(false);
      },
    );
  }, []);

  const signIn = (s: Session) => {
    setRefused(null);
    sessionStorage.setItem(KEY, s.key);
    setSession(s);
  };
  const signOut = () => {
    sessionStorage.removeItem(KEY);
    setSession(null);
    location.hash = "";
  };

  const banner = down ? (
    <div class="banner" role="status">
      The server is not answering. Retrying every few seconds…
    </div>
  ) : null;
  if (restoring) return <main class="center">{banner}Loading…</main>;
  if (!session)
    return (
      <>
        {banner}
        <SignIn onSignIn={signIn} notice={refused} />
      </>
    );

  const [page, name] = route;
  let body;
  if (page === "functions" && name) body = <FunctionPage session={session} name={name} />;
  else if (page === "new" && can(session, "developer")) body = <NewFunctionPage session={session} />;
  else if (page === "account") body = <AccountPage session={session} />;
  else if (page === "metrics" && can(session, "developer")) body = <MetricsPage session={session} />;
  else if (can(session, "developer")) body = <FunctionsPage session={session} />;
  else body = <InvokeOnlyHome />;

  return (
    <>
      {banner}
      <header class="top">
        <a class="brand" href="#/">
          Runlet
        </a>
        <nav aria-label="Main">
          <a href="#/" aria-current={page === undefined || page === "functions" ? "page" : undefined}>
            Functions
          </a>
          {can(session, "developer") ? (
            <a href="#/metrics" aria-current={page === "metrics" ? "page" : undefined}>
              Metrics
            </a>
          ) : null}
          {can(session, "developer") ? (
            <a href="#/account" aria-current={page === "account" ? "page" : undefined}>
              Account
            </a>
          ) : null}
        </nav>
        <span class="who">
          {session.keyId} ({session.role}
          {session.via === "token" ? ", access token" : ""}) in {session.account}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>{body}</main>
    </>
  );
}
