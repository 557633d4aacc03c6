import type { ClusterSettingRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

export function clusterSettingRepository({ db }: RepositoryContext): ClusterSettingRepository {
  return {
    async claim(name, value, at) {
      // Whichever node inserts first wins; the others (at the same moment or later) read its value.
      await db
        .insertInto("cluster_settings")
        .values({ name, value, created_at: at })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      const row = await db
        .selectFrom("cluster_settings")
        .select("value")
        .where("name", "=", name)
        .executeTakeFirstOrThrow();
      return row.value;
    },
  };
}
