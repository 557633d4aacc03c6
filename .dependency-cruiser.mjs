// `npm run lint` runs this: no import cycle between files, nor between the folders of src/ (the folder tree
// is the architecture: triggers/ → dispatcher/ → scheduler/ → runtime/, with store/, model/ … beside them).
// Type-only imports count too: a cycle of types is still two layers that each need the other.
export default {
  forbidden: [
    { name: "no-file-cycle", severity: "error", from: {}, to: { circular: true } },
    { name: "no-folder-cycle", scope: "folder", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // The isolate's own code is a separate world with its own tsconfig (and no imports of the host's).
    exclude: { path: "^src/runtime/sandbox/" },
  },
};
