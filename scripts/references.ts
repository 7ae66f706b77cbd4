/**
 * Generated references: a JSON Schema per file format (editors complete and check checks/*.yaml with it
 * through the `# yaml-language-server: $schema=` line) and docs/configuration.md. Both come from the zod
 * schemas, and a test fails when the committed copies are stale (`npm run references` rewrites them).
 */
import { z } from "zod";
import { alertRulesFile, configFile, incidentFrontmatter, providerFile } from "./schemas.ts";

interface Format {
  name: string;
  file: string;
  title: string;
  schema: z.ZodType;
  intro: string;
}

export const FORMATS: Format[] = [
  { name: "signalroom", file: "checks/signalroom.yaml", title: "Page, lanes, routes and escalation", schema: configFile, intro: "One per workspace: page settings, lanes, check defaults, notification routes, escalation policies, retention and commit policy." },
  { name: "provider", file: "checks/providers/<id>.yaml", title: "Providers and their checks", schema: providerFile, intro: "One file per provider, named after its id: who owns it, what it protects, how to recover, its public face and its checks." },
  { name: "alert-rules", file: "checks/alert-rules.yaml", title: "Alert rules", schema: alertRulesFile, intro: "The playbook's provider_alert_rules: threshold, severity, route, hysteresis, quiet hours and suppress-until." },
  { name: "incident", file: "incidents/<id>.md (frontmatter)", title: "Incidents and maintenance", schema: incidentFrontmatter, intro: "One markdown file per incident or maintenance; the frontmatter below, then the internal narrative as the markdown body." },
];

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  pattern?: string;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  /** Set by `secretText`: only an `${env:NAME}` placeholder is accepted. */
  secret?: boolean;
};

export function jsonSchemaOf(format: Format): JsonSchema & Record<string, unknown> {
  const schema = z.toJSONSchema(format.schema, { io: "input", target: "draft-7", unrepresentable: "any" }) as JsonSchema & Record<string, unknown>;
  return { ...schema, title: `Signalroom ${format.file}`, description: format.intro };
}

interface Row {
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
  description: string;
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.secret) return "secret: `${env:NAME}` only";
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(" \\| ");
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return [...new Set(options.map(typeOf))].join(" \\| ");
  if (schema.type === "array") return `list of ${schema.items ? typeOf(schema.items) : "values"}`;
  if (schema.type === "object") return schema.properties ? "object" : "map";
  if (schema.pattern === "^(\\d+(?:\\.\\d+)?(ms|s|m|h|d))+$") return "duration";
  if (schema.format === "date-time") return "date-time";
  if (schema.format === "date") return "date";
  if (schema.format === "uri") return "URL";
  return Array.isArray(schema.type) ? schema.type.join(" \\| ") : (schema.type ?? "any");
}

function rows(schema: JsonSchema, prefix: string, out: Row[], required = true): void {
  const objectOf = (candidate: JsonSchema): JsonSchema | undefined => {
    if (candidate.type === "object" && candidate.properties) return candidate;
    return (candidate.anyOf ?? candidate.oneOf)?.find((option) => option.type === "object" && option.properties);
  };
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.push({
      path,
      type: typeOf(property),
      required: required && (schema.required ?? []).includes(name),
      default: property.default,
      description: property.description ?? "",
    });
    const options = property.anyOf ?? property.oneOf;
    const discriminated = options?.every((option) => option.type === "object" && Object.values(option.properties ?? {}).some((p) => p.const !== undefined));
    if (discriminated) continue;
    const nested = objectOf(property);
    if (nested) rows(nested, path, out, (schema.required ?? []).includes(name));
    else if (property.type === "array" && property.items) {
      const item = objectOf(property.items);
      const itemOptions = property.items.anyOf ?? property.items.oneOf;
      if (item && !itemOptions) rows(item, `${path}[]`, out);
    }
  }
}

function table(list: Row[]): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = ["| Field | Type | Required | Default | Description |", "| --- | --- | --- | --- | --- |"];
  for (const row of list) {
    const fallback = row.default === undefined ? "" : `\`${cell(JSON.stringify(row.default))}\``;
    lines.push(`| \`${row.path}\` | ${row.type} | ${row.required ? "yes" : ""} | ${fallback} | ${cell(row.description)} |`);
  }
  return lines.join("\n");
}

/** Sub-tables for lists whose items are a union told apart by one constant field (check types, channels, conditions). */
function variants(schema: JsonSchema, prefix: string, out: string[]): void {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const candidates = property.type === "array" && property.items ? property.items : property;
    const options = candidates.anyOf ?? candidates.oneOf;
    const nested = property.type === "object" ? property : undefined;
    if (options?.every((option) => option.type === "object" && option.properties)) {
      for (const option of options) {
        const tag = Object.entries(option.properties!).find(([, p]) => p.const !== undefined);
        if (!tag) continue;
        const list: Row[] = [];
        rows(option, "", list);
        out.push(`#### \`${path}\` with \`${tag[0]}: ${String(tag[1].const)}\``, "", table(list), "");
      }
    } else if (property.type === "array" && property.items?.properties) {
      variants(property.items, `${path}[]`, out);
    } else if (nested?.properties) {
      variants(nested, path, out);
    }
  }
}

export function configurationReference(): string {
  const parts = [
    "# Configuration reference",
    "",
    "Generated from the zod schemas by `npm run references`; do not edit by hand (a test fails when this file is stale).",
    "Durations are written like `500ms`, `30s`, `5m`, `2h`, `7d` or `1h30m`, at most `36500d`; cadences lie between `1s` and `7d`,",
    "timeouts and other waits between `10ms` and `24d` (longer than a Node.js timer can wait). Text fields marked in their",
    "description accept `${env:NAME}` placeholders, resolved from the environment at run time so secrets never live in the",
    "repository; fields typed ``secret: `${env:NAME}` only`` accept nothing else, and their values must be at least 8 characters",
    "long (docs/probes.md, Secrets). No text may hold control characters (NUL, ESC, direction overrides…); links people open",
    "must be `http://` or `https://` addresses.",
    "",
  ];
  for (const format of FORMATS) {
    const schema = jsonSchemaOf(format);
    const list: Row[] = [];
    rows(schema, "", list);
    parts.push(`## ${format.title}: \`${format.file}\``, "", format.intro, "", `JSON Schema: [docs/schema/${format.name}.schema.json](schema/${format.name}.schema.json)`, "", table(list), "");
    variants(schema, "", parts);
  }
  return `${parts.join("\n").trimEnd()}\n`;
}

/** Every generated file, by path relative to the repository. */
export function generatedReferences(): Map<string, string> {
  const files = new Map<string, string>();
  for (const format of FORMATS) files.set(`docs/schema/${format.name}.schema.json`, `${JSON.stringify(jsonSchemaOf(format), null, 2)}\n`);
  files.set("docs/configuration.md", configurationReference());
  return files;
}
