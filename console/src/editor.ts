// The source editor: CodeMirror 6 with TypeScript highlighting. Loaded on demand (a function page), so the
// list page never downloads it.
import { javascript } from "@codemirror/lang-javascript";
import { linter, lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { highlighting } from "./highlight.js";

export interface Editor {
  value(): string;
  set(text: string): void;
  /** Marks server errors (1-based line and column) in the text; an empty list clears them. */
  mark(errors: { line: number; column: number; message: string }[]): void;
  focus(): void;
  destroy(): void;
}

const theme = EditorView.theme({
  "&": { backgroundColor: "var(--panel)", color: "var(--fg)", fontSize: "13px", minHeight: "18rem" },
  ".cm-content": { caretColor: "var(--fg)", fontFamily: "var(--mono)" },
  ".cm-gutters": { backgroundColor: "var(--bg)", color: "var(--muted)", border: "none" },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--active)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--selection) !important",
  },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--fg)" },
});

/**
 * The editor lives in a shadow root: there CodeMirror's styles go in as constructed style sheets, which the
 * console's CSP (style-src 'self', no inline <style>) allows; the theme's colours come through as CSS variables.
 */
/** A type problem at a 1-based line and column, for the list beside the editor. */
export interface TypeProblem {
  line: number;
  column: number;
  message: string;
}

let worker: Worker | undefined;
let nextId = 0;
/** Type checks `source` in the TypeScript worker (started on first use). */
function typeCheck(source: string): Promise<{ from: number; to: number; message: string }[]> {
  worker ??= new Worker(new URL("./ts-worker.ts", import.meta.url), { type: "module" });
  const id = ++nextId;
  const w = worker;
  return new Promise((resolve) => {
    const on = (
      event: MessageEvent<{ id: number; problems: { from: number; to: number; message: string }[] }>,
    ) => {
      if (event.data.id !== id) return;
      w.removeEventListener("message", on);
      resolve(event.data.problems);
    };
    w.addEventListener("message", on);
    w.postMessage({ id, source });
  });
}

export function createEditor(
  host: HTMLElement,
  doc: string,
  onChange: (text: string) => void,
  onTypeProblems: (problems: TypeProblem[]) => void = () => undefined,
): Editor {
  const root = host.shadowRoot ?? host.attachShadow({ mode: "open" });
  root.replaceChildren();
  const parent = document.createElement("div");
  root.append(parent);
  const view = new EditorView({
    parent,
    root,
    doc,
    extensions: [
      highlighting,
      basicSetup,
      javascript({ typescript: true }),
      lintGutter(),
      // TypeScript's own checker, as you type: errors are underlined before saving.
      linter(
        async (view) => {
          const text = view.state.doc.toString();
          const problems = await typeCheck(text);
          if (view.state.doc.toString() !== text) return [];
          const doc = view.state.doc;
          onTypeProblems(
            problems.map((p) => {
              const line = doc.lineAt(Math.min(p.from, doc.length));
              return { line: line.number, column: p.from - line.from + 1, message: p.message };
            }),
          );
          return problems.map((p) => ({
            from: Math.min(p.from, doc.length),
            to: Math.min(Math.max(p.to, p.from), doc.length),
            severity: "error" as const,
            message: p.message,
          }));
        },
        { delay: 400 },
      ),
      theme,
      EditorView.contentAttributes.of({ "aria-label": "Source code" }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
      }),
    ],
  });
  return {
    value: () => view.state.doc.toString(),
    set: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    mark(errors) {
      const doc = view.state.doc;
      const diagnostics: Diagnostic[] = errors.map((e) => {
        const line = doc.line(Math.min(Math.max(e.line, 1), doc.lines));
        const from = Math.min(line.from + Math.max(e.column - 1, 0), line.to);
        return { from, to: Math.min(from + 1, line.to), severity: "error", message: e.message };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
