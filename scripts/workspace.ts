/**
 * Loads and validates a workspace (a folder with checks/ and incidents/) in three stages: shape (zod, per
 * file), normalise (defaults), cross-file rules. Every problem is collected and located by file, line and
 * field, so one run reports all of them.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { z } from "zod";
import { crossCheck, type Finding } from "./core/crosscheck.ts";
import { normaliseProvider, type Incident, type Model, type Provider as ProviderModel, type ResolvedCheck as ResolvedCheckModel } from "./core/model.ts";
import { describeIssues, type Problem } from "./core/problems.ts";
import { logoProblem } from "./core/logo.ts";
import { issueFields } from "./core/topology.ts";
import { FILE_FOR_FOLDER, pathProblem, readBytesIfExists, readWorkspaceText } from "./store/files.ts";
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

/** The visible entries of a folder, sorted; a folder that cannot be listed is a problem, not a crash. */
async function listFolder(root: string, dir: string, problems: Problem[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(root, dir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    const problem = pathProblem(error, "folder");
    if (!problem) throw error;
    problems.push({ severity: "error", file: dir, path: [], message: problem });
    return [];
  }
  return names.filter((name) => !name.startsWith(".")).sort();
}

/** A file in checks/providers that is not `*.yaml`: `.yml` is refused with what to do, anything else named. */
function unreadProvider(dir: string, name: string): Problem {
  const file = `${dir}/${name}`;
  if (name.endsWith(".yml")) return { severity: "error", file, path: [], message: `is not read: provider files end in .yaml (one spelling keeps ids, links and annotations predictable); rename it to ${name.slice(0, -4)}.yaml` };
  return { severity: "warning", file, path: [], message: `is not read: only *.yaml files in ${dir} are providers` };
}

async function blockedFolders(root: string): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const dir of ["checks", INCIDENTS_DIR]) {
    const problem = await stat(join(root, dir)).then(
      (found) => (found.isDirectory() ? undefined : FILE_FOR_FOLDER),
      (error: unknown) => ((error as NodeJS.ErrnoException).code === "ENOENT" ? undefined : pathProblem(error, "folder")),
    );
    if (problem) problems.push({ severity: "error", file: dir, path: [], message: problem });
  }
  return problems;
}

/** `checks/signalroom.yml` beside (or instead of) `checks/signalroom.yaml`: refused, never silently ignored. */
async function misspelt(root: string, file: string): Promise<Problem | undefined> {
  const yml = file.replace(/\.yaml$/, ".yml");
  const found = await readWorkspaceText(root, yml).catch(() => undefined);
  if (!found || !("text" in found)) return undefined;
  return { severity: "error", file: yml, path: [], message: `is not read: Signalroom reads ${file}; rename it (or merge it into ${file})` };
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
  /** A file's text, or undefined when it is missing or cannot be read as text (that is reported). */
  const readText = async (file: string): Promise<string | undefined> => {
    const found = await readWorkspaceText(root, file);
    if (found && "problem" in found) problems.push({ severity: "error", file, path: [], message: found.problem });
    return found && "text" in found ? found.text : undefined;
  };
  const read = async (file: string, lineOffset = 0, text?: string): Promise<Source | undefined> => {
    const content = text ?? (await readText(file));
    if (content === undefined) return undefined;
    const parsed = parseYaml(content, file, lineOffset);
    sources.set(file, parsed);
    return { file, parsed };
  };
  // A file where checks/ or incidents/ should be explains every other failure: say it once and stop.
  const blocked = await blockedFolders(root);
  if (blocked.length > 0) return { problems: blocked, counts: { providers: 0, checks: 0, rules: 0, incidents: 0 } };
  for (const file of [CONFIG_FILE, RULES_FILE]) {
    const problem = await misspelt(root, file);
    if (problem) problems.push(problem);
  }

  const configSource = await read(CONFIG_FILE);
  const configMissing = !configSource && !problems.some((problem) => problem.file === CONFIG_FILE);
  if (configMissing) problems.push({ severity: "error", file: CONFIG_FILE, path: [], message: `is missing: every workspace needs ${CONFIG_FILE}` });
  const config = configSource ? parseWith(configFile, configSource, problems) : undefined;

  const providers: { file: string; provider: Provider }[] = [];
  const providerEntries = await listFolder(root, PROVIDERS_DIR, problems);
  problems.push(...providerEntries.filter((name) => !name.endsWith(".yaml")).map((name) => unreadProvider(PROVIDERS_DIR, name)));
  const providerFiles = providerEntries.filter((name) => name.endsWith(".yaml")).map((name) => `${PROVIDERS_DIR}/${name}`);
  let brokenProviders = problems.some((problem) => problem.severity === "error" && problem.file.startsWith(PROVIDERS_DIR));
  for (const file of providerFiles) {
    const source = await read(file);
    const parsed = source ? parseWith(providerFile, source, problems) : undefined;
    if (parsed) providers.push({ file, provider: normaliseProvider(parsed, config?.defaults ?? configFile.shape.defaults.parse(undefined)) });
    else brokenProviders = true;
  }

  const rulesSource = await read(RULES_FILE);
  const rulesUnreadable = !rulesSource && problems.some((problem) => problem.file === RULES_FILE);
  const rules = rulesSource ? parseWith(alertRulesFile, rulesSource, problems)?.rules : rulesUnreadable ? undefined : [];

  const incidents: Incident[] = [];
  for (const file of (await listFolder(root, INCIDENTS_DIR, problems)).filter((name) => name.endsWith(".md")).map((name) => `${INCIDENTS_DIR}/${name}`)) {
    const text = await readText(file);
    if (text === undefined) continue;
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
    workspace: { root, config: withIssueFields(config as Config), providers: providers.map((entry) => entry.provider), rules, incidents },
    problems,
    counts,
  };
}

/** Normalise: a `github` route without its own `fields` posts what deploy.issues allows. */
function withIssueFields(config: Config): Config {
  const fields = issueFields(config.deploy);
  return { ...config, routes: config.routes.map((route) => (route.channel === "github" && route.fields === undefined ? { ...route, fields } : route)) };
}

function locate(finding: Finding, sources: Map<string, ParsedYaml>): Problem {
  const source = sources.get(finding.file);
  const position = source?.locate(finding.path, finding.atKey);
  return { severity: finding.severity, file: finding.file, ...position, path: finding.path, message: finding.message };
}

function byLocation(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0);
}
