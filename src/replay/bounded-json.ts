class OverBudget extends Error {}

/**
 * JSON text of a host-side value, or undefined once it would pass `max` characters: a replacer counts a
 * lower bound of the text as it goes and stops the serialiser there, so a large answer costs at most
 * `max` of work, never its own size.
 */
export function jsonWithin(value: unknown, max: number): string | undefined {
  let count = 0;
  try {
    const text =
      JSON.stringify(value, (key, v: unknown) => {
        count += key.length + (typeof v === "string" ? v.length : 4);
        if (count > max) throw new OverBudget();
        return v;
      }) ?? "null";
    return text.length <= max ? text : undefined;
  } catch (err) {
    if (err instanceof OverBudget) return undefined;
    throw err;
  }
}
