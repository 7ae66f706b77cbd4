/**
 * Output for people: colour only on a terminal (NO_COLOR and FORCE_COLOR respected), progress that
 * redraws in place on a terminal and stays quiet elsewhere, and in GitHub Actions annotations on files
 * and a job summary.
 */
import { appendFile } from "node:fs/promises";
import type { Problem } from "./core/problems.ts";
import { formatPath, formatProblem } from "./core/problems.ts";

export interface Terminal {
  color: boolean;
  interactive: boolean;
  actions: boolean;
  out(line?: string): void;
  err(line?: string): void;
  progress(text: string): void;
  clearProgress(): void;
  annotate(problem: Problem): void;
  summary(markdown: string): Promise<void>;
  paint: Paint;
}

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

interface Streams {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export function createTerminal(env: NodeJS.ProcessEnv = process.env, streams: Streams = process): Terminal {
  const interactive = Boolean(streams.stdout.isTTY) && !env.CI;
  const color = env.FORCE_COLOR ? env.FORCE_COLOR !== "0" : !env.NO_COLOR && Boolean(streams.stdout.isTTY);
  const actions = env.GITHUB_ACTIONS === "true";
  const code = (open: number, close: number) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) streams.stdout.write("\r\u001b[2K");
    progressShown = false;
  };
  return {
    color,
    interactive,
    actions,
    out(line = "") {
      clearProgress();
      streams.stdout.write(`${line}\n`);
    },
    err(line = "") {
      clearProgress();
      streams.stderr.write(`${line}\n`);
    },
    progress(text) {
      if (!interactive) return;
      streams.stdout.write(`\r\u001b[2K${text}`);
      progressShown = true;
    },
    clearProgress,
    annotate(problem) {
      if (!actions) return;
      const level = problem.severity === "warning" ? "warning" : "error";
      const where = [`file=${problem.file}`, problem.line ? `line=${problem.line}` : "", problem.col ? `col=${problem.col}` : ""].filter(Boolean).join(",");
      const message = `${formatPath(problem.path) ? `${formatPath(problem.path)}: ` : ""}${problem.message}`;
      streams.stdout.write(`::${level} ${where}::${escapeAnnotation(message)}\n`);
    },
    async summary(markdown) {
      if (actions && env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
    },
    paint: {
      bold: code(1, 22),
      dim: code(2, 22),
      red: code(31, 39),
      green: code(32, 39),
      yellow: code(33, 39),
      cyan: code(36, 39),
    },
  };
}

function escapeAnnotation(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Prints problems one per line, errors in red, warnings in yellow, and annotates them in Actions. */
export function reportProblems(terminal: Terminal, problems: readonly Problem[]): void {
  for (const problem of problems) {
    const line = formatProblem(problem);
    terminal.err(problem.severity === "error" ? terminal.paint.red(line) : terminal.paint.yellow(line));
    terminal.annotate(problem);
  }
}
