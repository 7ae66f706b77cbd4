/**
 * What a probe run tells people: a summary table on the terminal, a job summary and annotations in
 * GitHub Actions. Built from the cycle's result only; printing is left to the caller.
 */
import type { Problem } from "./core/problems.ts";
import type { CheckStatus } from "./core/schema/enums.ts";
import type { Sample } from "./core/schema/records.ts";
import type { CycleResult } from "./engine.ts";
import { PROVIDERS_DIR } from "./workspace.ts";
import type { Paint } from "./terminal.ts";

export interface SummaryRow {
  check: string;
  provider: string;
  status: CheckStatus;
  /** The status before this run when it changed. */
  was?: CheckStatus;
  sample: Sample["state"];
  latencyMs?: number;
  failed: string;
}

/** What went wrong in a sample, in one line: the failed conditions, else the error. */
function whatFailed(sample: Sample): string {
  const failed = (sample.conditions ?? []).filter((condition) => !condition.ok);
  if (failed.length > 0) return failed.map((condition) => `${condition.text} ✗${condition.actual === undefined ? "" : ` got ${condition.actual}`}`).join("; ");
  return sample.state === "up" ? "" : (sample.error ?? "");
}

export function summaryRows(result: CycleResult): SummaryRow[] {
  return result.samples.map((sample) => {
    const check = result.probed.find((entry) => entry.id === sample.check);
    const transition = result.transitions.filter((entry) => entry.check === sample.check).at(-1);
    return {
      check: sample.check,
      provider: check?.provider ?? "",
      status: result.state.checks[sample.check]?.status ?? "unknown",
      was: transition?.from,
      sample: sample.state,
      latencyMs: sample.latencyMs,
      failed: whatFailed(sample),
    };
  });
}

const STATUS_PAINT = { up: "green", degraded: "yellow", down: "red", unknown: "dim" } as const;

const latency = (row: SummaryRow) => (row.latencyMs === undefined ? "–" : `${Math.round(row.latencyMs)} ms`);
const statusText = (row: SummaryRow) => `${row.status}${row.was ? ` (was ${row.was})` : ""}`;

/** Aligned columns: check, status (and what it was), latency, what failed; the status coloured on a terminal. */
export function summaryTable(rows: readonly SummaryRow[], paint: Paint): string[] {
  const header = ["Check", "Status", "Latency", "What failed"];
  const cells = rows.map((row) => [row.check, statusText(row), latency(row), row.failed]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column]!.length)));
  const render = (cell: string[], status: (text: string) => string) =>
    cell
      .map((text, column) => (column === cell.length - 1 ? text : text.padEnd(widths[column]!)))
      .map((text, column) => (column === 1 ? status(text) : text))
      .join("  ")
      .trimEnd();
  return [paint.bold(render(header, (text) => text)), ...rows.map((row, index) => render(cells[index]!, paint[STATUS_PAINT[row.status]]))];
}

/** One line for the end of a run: what was probed and how it went. */
export function summaryLine(result: CycleResult): string {
  const count = (status: CheckStatus) => Object.values(result.state.checks).filter((state) => state.status === status).length;
  const changes = result.transitions.length;
  return `Run ${result.runId} (${result.region}): probed ${result.samples.length} due check${result.samples.length === 1 ? "" : "s"} in ${(result.durationMs / 1000).toFixed(1)} s; ${count("up")} up, ${count("degraded")} degraded, ${count("down")} down, ${count("unknown")} unknown; ${changes} status change${changes === 1 ? "" : "s"}.`;
}

const escapeCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The GitHub Actions job summary: the line, then the table in markdown. */
export function jobSummary(result: CycleResult): string {
  const rows = summaryRows(result);
  const icon = { up: "🟢", degraded: "🟡", down: "🔴", unknown: "⚪" } as const;
  return [
    `### Probe run ${result.runId}`,
    "",
    summaryLine(result),
    "",
    ...(rows.length === 0
      ? ["No check was due."]
      : [
          "| Check | Status | Latency | What failed |",
          "| --- | --- | --- | --- |",
          ...rows.map((row) => `| ${escapeCell(row.check)} | ${icon[row.status]} ${statusText(row)} | ${latency(row)} | ${escapeCell(row.failed)} |`),
        ]),
    "",
  ].join("\n");
}

/** One error annotation per check confirmed down, on its provider's file. */
export function downAnnotations(result: CycleResult): Problem[] {
  return summaryRows(result)
    .filter((row) => row.status === "down")
    .map((row) => ({
      severity: "error",
      file: `${PROVIDERS_DIR}/${row.provider}.yaml`,
      path: [],
      message: `${row.check} is down since ${result.state.checks[row.check]?.since ?? "now"}${row.failed ? `: ${row.failed}` : ""}`,
    }));
}
