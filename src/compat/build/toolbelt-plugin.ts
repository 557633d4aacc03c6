import path from "node:path";
import type { Plugin } from "esbuild";

/** The names functions import the Toolbelt by: Runlet's, and the one hosted-platform lambdas require. */
export const TOOLBELT_NAMES = ["runlet/toolbelt", "lp-faas-toolbelt"] as const;
const NAMES = new RegExp(`^(${TOOLBELT_NAMES.join("|")})$`);

/**
 * Resolves `runlet/toolbelt` and `lp-faas-toolbelt` to the Toolbelt's source (src/compat/toolbelt under the
 * runlet package's folder, `packageRoot`), which
 * esbuild then bundles into the function like any other module: nothing of it lives on the host side.
 */
export function toolbelt(packageRoot: string): Plugin {
  return {
    name: "runlet-toolbelt",
    setup(b) {
      b.onResolve({ filter: NAMES }, () => ({
        path: path.join(packageRoot, "src/compat/toolbelt/index.ts"),
      }));
    },
  };
}
