/**
 * Loads and validates a workspace (a folder with checks/ and incidents/) in three stages: shape (zod, per
 * file), normalise (defaults), cross-file rules. Every problem is collected and located by file, line and
 * field, so one run reports all of them.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { z } from "zod";
import { crossCheck, type Finding } from "./core/crosscheck.ts";
import { normaliseProvider, type Incident, type Model, type Provider as ProviderModel, type ResolvedCheck as ResolvedCheckModel } from "./core/model.ts";
import { describeIssues, type Problem } from "./core/problems.ts";
import { logoProblem } from "./core/logo.ts";
import { readBytesIfExists, readTextIfExists } from "./store/files.ts";
import { splitFrontmatter } from "./store/frontmatter.ts";
import { parseYaml, type ParsedYaml } from "./store/yaml.ts";
import { checkTypes } from "./probes/registry.ts";
import { alertRulesFile, configFile, incidentFrontmatter, providerFile, type Check, type Config, type Route } from "./schemas.ts";

export type ResolvedCheck = ResolvedCheckModel<Check>;
export type Provider = ProviderModel<Check>;
export type Workspace = Model<Check, Route> & { root: string };

export const CONFIG_FILE = "checks/signalroom.yaml";
export const RULES_FILE = "checks/alert-rules.yaml";
export const PROVIDERS_DIR = "checks/providers";
export const INCIDENTS_DIR = "incidents";

const PLACEHOLDERS = Object.fromEntries(checkTypes.map((type) => [type.type, type.placeholders]));

export interface LoadResult {
  /** Present when there is no error (warnings may still be reported). */
  workspace?: Workspace;
  problems: Problem[];
  counts: { providers: number; checks: number; rules: number; incidents: number };
}

interface Source {
  file: string;
  parsed: ParsedYaml;
}

async function listFiles(root: string, dir: string, extension: string): Promise<string[]> {
  try {
    const names = await readdir(join(root, dir));
    return names.filter((name) => name.endsWith(extension) && !name.startsWith(".")).sort().map((name) => `${dir}/${name}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

function parseWith<S extends z.ZodType>(schema: S, source: Source, problems: Problem[]): z.output<S> | undefined {
  problems.push(...source.parsed.problems);
  if (source.parsed.problems.length > 0) return undefined;
  const result = schema.safeParse(source.parsed.data ?? {});
  if (result.success) return result.data;
  for (const issue of describeIssues(result.error.issues, source.parsed.data, schema)) {
    problems.push({ severity: "error", file: source.file, ...source.parsed.locate(issue.path, issue.atKey), path: issue.path, message: issue.message });
  }
  return undefined;
}

export async function loadWorkspace(root: string): Promise<LoadResult> {
  const problems: Problem[] = [];
  const sources = new Map<string, ParsedYaml>();
  const read = async (file: string, lineOffset = 0, text?: string): Promise<Source | undefined> => {
    const content = text ?? (await readTextIfExists(join(root, file)));
    if (content === undefined) return undefined;
    const parsed = parseYaml(content, file, lineOffset);
    sources.set(file, parsed);
    return { file, parsed };
  };

  const configSource = await read(CONFIG_FILE);
  if (!configSource) problems.push({ severity: "error", file: CONFIG_FILE, path: [], message: `is missing: every workspace needs ${CONFIG_FILE}` });
  const config = configSource ? parseWith(configFile, configSource, problems) : undefined;

  const providers: { file: string; provider: Provider }[] = [];
  const providerFiles = await listFiles(root, PROVIDERS_DIR, ".yaml");
  let brokenProviders = false;
  for (const file of providerFiles) {
    const parsed = parseWith(providerFile, (await read(file))!, problems);
    if (parsed) providers.push({ file, provider: normaliseProvider(parsed, config?.defaults ?? configFile.shape.defaults.parse(undefined)) });
    else brokenProviders = true;
  }

  const rulesSource = await read(RULES_FILE);
  const rules = rulesSource ? parseWith(alertRulesFile, rulesSource, problems)?.rules : [];

  const incidents: Incident[] = [];
  for (const file of await listFiles(root, INCIDENTS_DIR, ".md")) {
    const text = (await readTextIfExists(join(root, file)))!;
    const split = splitFrontmatter(text);
    if (!split) {
      const message = /^\uFEFF?---\r?\n/.test(text) ? "the frontmatter opened on line 1 is never closed by a --- line" : "must start with YAML frontmatter between --- lines";
      problems.push({ severity: "error", file, line: 1, col: 1, path: [], message });
      continue;
    }
    const frontmatter = parseWith(incidentFrontmatter, (await read(file, split.yamlLine - 1, split.yaml))!, problems);
    if (frontmatter) incidents.push({ file, frontmatter, body: split.body });
  }

  const counts = {
    providers: providers.length,
    checks: providers.reduce((sum, { provider }) => sum + provider.checks.length, 0),
    rules: rules?.length ?? 0,
    incidents: incidents.length,
  };
  if (config) {
    // Cross-file rules run on whatever parsed, so one run reports everything; "unknown provider/check"
    // findings are dropped while a provider file is broken, since the id may be defined in it.
    const findings = crossCheck({ configFile: CONFIG_FILE, config, providers, rulesFile: RULES_FILE, rules: rules ?? [], incidents, placeholders: PLACEHOLDERS })
      .filter((finding) => !(brokenProviders && finding.refersTo))
      .filter((finding) => rules !== undefined || finding.severity === "error");
    problems.push(...findings.map((finding) => locate(finding, sources)));
    const logo = config.page.logo;
    const logoIssue = logo ? logoProblem(logo, await readBytesIfExists(join(root, logo))) : undefined;
    if (logoIssue) problems.push(locate({ severity: "error", file: CONFIG_FILE, path: ["page", "logo"], message: logoIssue }, sources));
  }
  problems.sort(byLocation);
  if (!config || !rules || problems.some((problem) => problem.severity === "error")) return { problems, counts };
  return {
    workspace: { root, config: config as Config, providers: providers.map((entry) => entry.provider), rules, incidents },
    problems,
    counts,
  };
}

function locate(finding: Finding, sources: Map<string, ParsedYaml>): Problem {
  const source = sources.get(finding.file);
  const position = source?.locate(finding.path, finding.atKey);
  return { severity: finding.severity, file: finding.file, ...position, path: finding.path, message: finding.message };
}

function byLocation(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0);
}
