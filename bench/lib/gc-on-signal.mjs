// Preloaded into the platform process by the memory benchmarks (node --expose-gc --import …): SIGUSR2 runs a
// full garbage collection of the host heap, so "memory after" is not just garbage the host has not collected
// yet. The isolates' heaps are their own: disposing an isolate frees its heap at once.
process.on("SIGUSR2", () => {
  globalThis.gc?.();
});
