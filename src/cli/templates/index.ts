import type { HandlerStyle } from "../../store/records.js";
import { classicJs, classicTs } from "./classic.js";
import { eventJs, eventTs } from "./event.js";
import { httpJs, httpTs } from "./http.js";

export const STYLES: readonly HandlerStyle[] = ["event", "http", "classic"];

const TEMPLATES: Record<HandlerStyle, { ts: string; js: string }> = {
  event: { ts: eventTs, js: eventJs },
  http: { ts: httpTs, js: httpJs },
  classic: { ts: classicTs, js: classicJs },
};

/** The source of a new function's entry file; `<name>` in comments becomes the function's name. */
export function template(style: HandlerStyle, language: "ts" | "js", name: string): string {
  return TEMPLATES[style][language].replaceAll("<name>", name);
}
