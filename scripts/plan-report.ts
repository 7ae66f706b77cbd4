/** `npm run plan` for people: the topology, what is public, each workflow's runs and minutes, the totals. */
import { formatDuration } from "./core/duration.ts";
import { INCLUDED_MINUTES, type Plan } from "./core/plan.ts";
import type { Paint } from "./terminal.ts";

const number = (value: number) => value.toLocaleString("en", { maximumFractionDigits: 1 });
const minutes = (value: number) => `${number(value)} min`;

function siteWords(site: string): string {
  if (site === "pages") return "public site on this repository's GitHub Pages";
  if (site === "host") return "public site left as an artifact for your static host";
  return `public site pushed to ${site.replace(/^repository /, "")}`;
}

function probeWords(plan: Plan): string {
  const { probe } = plan;
  if (probe.mode === "none") return "nothing probes on a schedule";
  const where = probe.runner === "service" ? "the probe loop as a service" : `probe runs on ${probe.runner} runners`;
  if (probe.mode === "schedule") return `${where}, one cycle every ${formatDuration(probe.period_s! * 1000)}`;
  return `${where}, a cycle every ${formatDuration(probe.every_s! * 1000)}`;
}

export function planText(plan: Plan, paint: Paint): string[] {
  const { topology } = plan;
  const lines = [
    `${paint.bold("Topology:")} ${topology.repository} repository · ${siteWords(topology.site)} · ${probeWords(plan)} · heartbeats ${topology.heartbeats === "push" ? "pushed by their senders" : "through heartbeat.yml"} · issues ${topology.issues === "owner-safe" ? "owner-safe" : "with internal fields"}`,
    "",
    paint.bold("Anyone can read:"),
    ...plan.public_paths.map((path) => `  • ${path}`),
  ];
  if (plan.members_only.length > 0) lines.push("", paint.bold("Members of the repository only:"), ...plan.members_only.map((path) => `  • ${path}`));

  const rows = plan.workflows.map((workflow) => [
    workflow.file,
    workflow.runs_per_day > 0 ? `${number(workflow.runs_per_day)} a day` : "on demand",
    workflow.jobs.map((job) => `${job.id}${job.legs > 1 ? ` ×${job.legs}` : ""} ${job.runner === "self-hosted" ? "self-hosted" : minutes(job.billed_minutes / job.legs)}`).join(", "),
    workflow.minutes_per_month > 0 ? `${number(workflow.minutes_per_month)} min/month` : "–",
    workflow.basis,
  ]);
  const header = ["Workflow", "Runs", "Jobs (billed per run)", "Minutes", "Why"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ");
  lines.push("", paint.bold(line(header)), ...rows.map(line));

  const fits = plan.minutes_billed
    ? (["free", "pro", "team"] as const).filter((name) => plan.fits[name]).map((name) => `${name === "free" ? "Free" : name === "pro" ? "Pro" : "Team"} (${number(INCLUDED_MINUTES[name])})`)
    : [];
  lines.push(
    "",
    `${paint.bold(`About ${number(plan.actions_minutes_per_month)} GitHub Actions minutes a month`)} on GitHub-hosted runners, each job rounded up to whole minutes as GitHub bills; ${
      plan.minutes_billed ? (fits.length ? `fits the included minutes of GitHub ${fits.join(", ")}` : paint.red("more than any plan's included minutes")) : "free: public repositories use standard runners at no cost"
    }.`,
    `Commits to main: ${number(plan.commits_per_day)} a day, and ${number(plan.site_builds_per_day)} site builds (${plan.assumptions.state_changes}).`,
    plan.detection_p50_s === null
      ? "Detection: none, since nothing probes."
      : `Detection: an outage is notified after ${formatDuration(plan.detection_p50_s * 1000)} (median), ${formatDuration(plan.detection_p95_s! * 1000)} (95th percentile), for checks at defaults.cadence.`,
  );
  for (const warning of plan.warnings) lines.push(paint.yellow(`warning: ${warning}`));
  return lines;
}
