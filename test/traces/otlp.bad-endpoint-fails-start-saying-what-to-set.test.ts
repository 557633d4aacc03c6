import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig } from "../../src/config.js";

test("RUNLET_OTLP_ENDPOINT that is not an http(s) URL fails start saying what to set; unset is off", () => {
  for (const bad of ["collector:4318", "grpc://collector:4317", "http://"]) {
    assert.throws(
      () => loadConfig({ RUNLET_OTLP_ENDPOINT: bad }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message.includes(`RUNLET_OTLP_ENDPOINT=${bad} is invalid`) &&
        err.message.includes("http://collector:4318"),
    );
  }
  assert.equal(loadConfig({}).otlpEndpoint, undefined);
  assert.equal(loadConfig({ RUNLET_OTLP_ENDPOINT: "" }).otlpEndpoint, undefined);
  assert.equal(
    loadConfig({ RUNLET_OTLP_ENDPOINT: "http://collector:4318" }).otlpEndpoint,
    "http://collector:4318",
  );
});
