import { Client } from "./client.js";
import { resolveCredentials, type Credentials } from "./credentials.js";
import type { Io } from "./io.js";
import { Output } from "./output.js";

/** What every command gets: its Io, an Output chosen by its --json flag, and a lazily built API client. */
export class CliContext {
  readonly io: Io;
  /** The mode of the running command, so errors are reported the way its output is. */
  json = false;
  readonly #fetch: typeof fetch;

  constructor(io: Io, fetchImpl: typeof fetch = globalThis.fetch) {
    this.io = io;
    this.#fetch = fetchImpl;
  }

  output(options: { json?: boolean }): Output {
    this.json = options.json === true;
    return new Output(this.io, this.json);
  }

  /** Resolves credentials now, so a command fails on missing ones before doing slow work. */
  client(): Client {
    return new Client(resolveCredentials(this.io.env, this.io.cwd), this.#fetch);
  }

  /** A client for credentials given on the command line rather than resolved (`runlet login`). */
  clientWith(credentials: Credentials): Client {
    return new Client(credentials, this.#fetch);
  }
}
