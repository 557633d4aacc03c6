import { useState } from "preact/hooks";
import { Section } from "../ui.js";

/** An invoker key may only invoke: it picks a function by name and gets its test-invoke panel. */
export function InvokeOnlyHome() {
  const [name, setName] = useState("");
  return (
    <Section title="Invoke a function">
      <p>This key has the invoker role: it can invoke functions, not list or change them.</p>
      <form
        class="card form"
        onSubmit={(e) => {
          e.preventDefault();
          location.hash = `#/functions/${encodeURIComponent(name.trim())}`;
        }}
      >
        <label>
          Function name
          <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit">Open</button>
      </form>
    </Section>
  );
}
