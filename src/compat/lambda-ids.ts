import { RunletError } from "../errors.js";
import type { Catalog } from "../functions/catalog.js";
import { isName } from "../functions/names.js";
import type { Store } from "../store/store.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `{id}` of `…/lambdas/{id}/invoke`: a function's UUID or its name. A UUID's name is cached (a function is
 * never renamed and a UUID never reused); each use checks it against the catalog's current record, so a
 * function deleted and created again under the same name is not reached through the old UUID.
 */
export class LambdaIds {
  #names = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
  ) {}

  /** The function's name; RUNLET_ERR_FUNCTION_NOT_FOUND when no function of the account has this id. */
  async resolve(account: string, id: string): Promise<string> {
    if (!UUID.test(id)) {
      if (isName(id) && (await this.catalog.function(account, id))) return id;
      throw missing(id);
    }
    const uuid = id.toLowerCase();
    const key = `${account}/${uuid}`;
    const cached = this.#names.get(key);
    if (cached && (await this.catalog.function(account, cached))?.uuid === uuid) return cached;
    const fn = await this.store.functions.getByUuid(account, uuid);
    if (!fn) {
      this.#names.delete(key);
      throw missing(id);
    }
    if (this.#names.size >= 10_000) this.#names.clear();
    this.#names.set(key, fn.name);
    return fn.name;
  }
}

function missing(id: string): RunletError {
  return new RunletError(
    "RUNLET_ERR_FUNCTION_NOT_FOUND",
    `no function of this account has the id or name "${id.slice(0, 80)}"; list them with GET …/lambdas/ (their uuid) or runlet list`,
  );
}
