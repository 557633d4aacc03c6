import { LocalCounters } from "../../src/metering/local-counters.js";
import { countersContract } from "./counters.contract.js";

countersContract("in process", async () => ({ counters: new LocalCounters(), close: async () => {} }));
