// The isolated-vm build for the running Node line. No release spans every supported line: 6.x is
// prebuilt for Node 22 and 24 (it declares node >=22), 5.0.4 is the last that builds on Node 20 and does
// not build on 24. package.json lists both as optional dependencies, each restricted by `engines`, so npm
// installs exactly one; this picks it. Their typings are byte-identical: type imports name them
// "isolated-vm-types", which tsconfig.json maps to whichever is installed (a `paths` entry named
// "isolated-vm" would also redirect tsx's runtime require to the .d.ts).
import { createRequire } from "node:module";
import type ivmModule from "isolated-vm-types";

const require = createRequire(import.meta.url);
const major = Number(process.versions.node.split(".")[0]);
const name = major >= 22 ? "isolated-vm" : "isolated-vm-node20";

function load(): typeof ivmModule {
  try {
    return require(name) as typeof ivmModule;
  } catch (err) {
    throw new Error(
      `isolated-vm is not installed for Node ${process.versions.node} (looked for ${name}); ` +
        `run npm install with this Node (Runlet supports Node 20.19+, 22.14+ and 24)`,
      { cause: err },
    );
  }
}

const ivm = load();
export default ivm;
