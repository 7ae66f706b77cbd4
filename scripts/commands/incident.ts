import { createInterface } from "node:readline/promises";
import { TEMPLATES, type TemplateName } from "../core/communication.ts";
import { formatGap } from "../core/close-gate.ts";
import { acknowledge, addUpdate, closeIncident, describeChanges, EditRefused, newIncident, type NewIncident } from "../core/incident-edit.ts";
import type { Incident, IncidentFrontmatter } from "../core/model.ts";
import { incidentSeverity } from "../core/schema/enums.ts";
import { componentEffect, impact, incidentStatus, maintenanceStatus } from "../core/schema/incident.ts";
import { incidentFile, writeIncident } from "../store/incidents.ts";
import type { Terminal } from "../terminal.ts";
import type { Workspace } from "../workspace.ts";
import { UserError, type Command, type CommandContext } from "./command.ts";
import { validWorkspace } from "./valid-workspace.ts";
import { formatIncidentList } from "./incident-list.ts";

const VERBS = ["new", "update", "ack", "resolve", "close", "list"] as const;
type Values = CommandContext["values"];

interface Ask {
  (question: string, fallback?: string): Promise<string | undefined>;
}

/** Prompts only on a terminal; in scripts and CI a missing flag is an error naming the flag. */
function asker(terminal: Terminal): Ask & { close(): void } {
  const rl = terminal.interactive ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  const ask = async (question: string, fallback?: string) => {
    if (!rl) return fallback;
    const answer = (await rl.question(`${question}${fallback ? ` [${fallback}]` : ""}: `)).trim();
    return answer || fallback;
  };
  return Object.assign(ask, { close: () => rl?.close() });
}

function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

function oneOf<T extends string>(name: string, value: string | undefined, options: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(options as readonly string[]).includes(value)) throw new UserError(`--${name} must be one of ${options.join(", ")}, not "${value}".`);
  return value as T;
}

async function required(ask: Ask, values: Values, name: string, question: string, fallback?: string): Promise<string> {
  const value = text(values, name) ?? (await ask(question, fallback));
  if (!value) throw new UserError(`--${name} is required (${question.toLowerCase()}).`);
  return value;
}

function find(workspace: Workspace, id: string | undefined): Incident {
  if (!id) throw new UserError("Name the incident: npm run incident -- <verb> ID (see `npm run incident -- list`).");
  const exact = workspace.incidents.find((incident) => incident.frontmatter.id === id);
  const matches = exact ? [exact] : workspace.incidents.filter((incident) => incident.frontmatter.id.startsWith(id));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new UserError(`No incident "${id}" in incidents/ (see \`npm run incident -- list\`).`);
  throw new UserError(`"${id}" matches ${matches.length} incidents: ${matches.map((m) => m.frontmatter.id).join(", ")}.`);
}

function publicNames(workspace: Workspace, providers: readonly string[]): string[] {
  return providers.flatMap((id) => {
    const provider = workspace.providers.find((candidate) => candidate.id === id);
    return provider && provider.public !== false ? [provider.public.name] : [];
  });
}

function parseComponents(values: Values): NewIncident["components"] {
  const entries = ((values.component as string[] | undefined) ?? []).map((pair) => {
    const [id, effect] = pair.split("=");
    if (!id || !effect) throw new UserError(`--component takes PROVIDER=EFFECT, e.g. payment-webhooks=partial_outage (got "${pair}").`);
    return [id, oneOf("component", effect, componentEffect.options)!] as const;
  });
  return Object.fromEntries(entries);
}

async function gatherNew(values: Values, ask: Ask, workspace: Workspace): Promise<NewIncident> {
  const kind = oneOf("kind", text(values, "kind") ?? "incident", ["incident", "maintenance"] as const)!;
  const title = await required(ask, values, "title", "Title (owner-safe)");
  const providers = (await required(ask, values, "providers", `Providers, comma separated (${workspace.providers.map((p) => p.id).join(", ")})`))
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  const input: NewIncident = { kind, title, providers, components: parseComponents(values), commander: text(values, "commander"), message: text(values, "message") };
  if (kind === "incident") {
    input.severity = oneOf("severity", await required(ask, values, "severity", "Severity (SEV-1 … SEV-4)"), incidentSeverity.options);
    input.impact = oneOf("impact", text(values, "impact") ?? (await ask("Public impact (none, minor, major, critical)", "none")), impact.options);
    input.started = text(values, "started");
  } else {
    input.scheduledFor = await required(ask, values, "from", "Maintenance start (e.g. 2026-11-20T22:00:00Z)");
    input.scheduledUntil = await required(ask, values, "until", "Maintenance end");
    input.impact = oneOf("impact", text(values, "impact"), impact.options);
  }
  return input;
}

async function save(root: string, workspace: Workspace, terminal: Terminal, incident: Incident, before: IncidentFrontmatter | undefined): Promise<void> {
  try {
    await writeIncident(root, workspace, incident);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  terminal.out(`${terminal.paint.green("✓")} ${before ? "Updated" : "Created"} ${incident.file}`);
  for (const line of describeChanges(before, incident.frontmatter)) terminal.out(`  ${line}`);
}

export const incident: Command = {
  name: "incident",
  summary: "Open, update, acknowledge, resolve, close and list incidents and maintenance.",
  usage: [
    "new --title T --severity SEV-n --providers a,b [--impact I] [--component ID=EFFECT]… [--message M] [--commander C]",
    "    new --kind maintenance --title T --providers a,b --from TIME --until TIME [--component ID=under_maintenance]",
    "    update ID [--status S] [--message M | --template initial|progress|resolution]",
    "    ack ID [--by NAME]    resolve ID [--message M]    close ID    list [--open]",
    "  Prompts for what is missing on a terminal; in scripts every required value is a flag.",
  ].join("\n"),
  options: {
    title: { type: "string" },
    kind: { type: "string" },
    severity: { type: "string" },
    providers: { type: "string" },
    impact: { type: "string" },
    component: { type: "string", multiple: true },
    commander: { type: "string" },
    started: { type: "string" },
    from: { type: "string" },
    until: { type: "string" },
    status: { type: "string" },
    message: { type: "string" },
    template: { type: "string" },
    by: { type: "string" },
    open: { type: "boolean" },
  },
  async run({ root, values, positionals, terminal, clock }) {
    const [verb, id] = positionals;
    if (!verb || !(VERBS as readonly string[]).includes(verb)) throw new UserError(`Say what to do: npm run incident -- ${VERBS.join(" | ")} (got ${verb ? `"${verb}"` : "nothing"}).`);
    const workspace = await validWorkspace(root, terminal, "nothing was written");
    const now = clock.now();
    if (verb === "list") {
      terminal.out(formatIncidentList(workspace.incidents, { open: values.open === true, now, paint: terminal.paint }));
      return 0;
    }
    const ask = asker(terminal);
    try {
      if (verb === "new") {
        const input = await gatherNew(values, ask, workspace);
        const taken = new Set(workspace.incidents.map((entry) => entry.frontmatter.id));
        let frontmatter;
        try {
          frontmatter = newIncident(input, taken, publicNames(workspace, input.providers), now);
        } catch (error) {
          throw new UserError(`The incident is not valid: ${(error as Error).message}`);
        }
        const body = `## What we know\n\n_Internal narrative: what was seen, what was tried, who did what._\n`;
        await save(root, workspace, terminal, { file: incidentFile(frontmatter.id), frontmatter, body }, undefined);
        return 0;
      }
      const target = find(workspace, id);
      const before = target.frontmatter;
      const names = publicNames(workspace, before.providers);
      let after: IncidentFrontmatter;
      if (verb === "ack") after = acknowledge(before, text(values, "by"), now);
      else if (verb === "close") after = closeIncident(before, now);
      else {
        const statuses = before.kind === "maintenance" ? maintenanceStatus.options : incidentStatus.options;
        const status = verb === "resolve" ? (before.kind === "maintenance" ? "completed" : "resolved") : oneOf("status", text(values, "status") ?? (await ask(`Status (${statuses.join(", ")})`, before.status)), statuses);
        const template = oneOf("template", text(values, "template"), TEMPLATES) as TemplateName | undefined;
        const message = text(values, "message") ?? (template ? undefined : await ask("Public message (empty: use the template)"));
        after = addUpdate(before, { status, message, template }, names, now);
      }
      await save(root, workspace, terminal, { ...target, frontmatter: after }, before);
      return 0;
    } catch (error) {
      if (error instanceof EditRefused) {
        terminal.err(terminal.paint.red(`✗ ${error.message}`));
        for (const gap of error.gaps) terminal.err(`  - ${formatGap(gap)}`);
        return 1;
      }
      throw error;
    } finally {
      ask.close();
    }
  },
};
