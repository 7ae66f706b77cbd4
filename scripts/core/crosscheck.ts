import { closeGateGaps, formatGap } from "./close-gate.ts";
import { parseCondition, type Placeholder } from "./conditions.ts";
import { formatDuration } from "./duration.ts";
import { markdownLimitExceeded } from "./markdown-limits.ts";
import type { AlertRule, Config, Incident, Provider } from "./model.ts";
import type { PathSegment } from "./problems.ts";

/** A problem found by a cross-file rule, located by file and field path (the loader adds line numbers). */
export interface Finding {
  severity: "error" | "warning";
  file: string;
  path: PathSegment[];
  message: string;
  atKey?: boolean;
  /** Set on "unknown X" findings, which are unreliable while a file that could define X does not parse. */
  refersTo?: "provider" | "check";
}

export interface CrossInput {
  configFile: string;
  config: Config;
  providers: { file: string; provider: Provider }[];
  rulesFile: string;
  rules: AlertRule[];
  incidents: Incident[];
  /** Condition placeholders each check type provides (from the check-type registry). */
  placeholders?: Readonly<Record<string, readonly Placeholder[]>>;
}

type Rule = (input: CrossInput) => Finding[];

const MAINTENANCE_STATUSES = new Set(["scheduled", "in_progress", "verifying", "completed"]);
const KIND_FIELD = { system: "protects", integration: "protects", api: "consumer", webhook: "destination" } as const;

function stem(file: string, extension: string): string {
  return file.slice(file.lastIndexOf("/") + 1, -extension.length);
}

function duplicates<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return true;
    seen.add(k);
    return false;
  });
}

const providerIdMatchesFile: Rule = ({ providers }) =>
  providers
    .filter(({ file, provider }) => stem(file, ".yaml") !== provider.id)
    .map(({ file, provider }) => ({
      severity: "error",
      file,
      path: ["id"],
      message: `must equal the file name: rename the file to ${provider.id}.yaml or the id to "${stem(file, ".yaml")}"`,
    }));

const knownLanes: Rule = ({ config, providers }) => {
  const lanes = new Set(config.lanes.map((lane) => lane.id));
  return providers
    .filter(({ provider }) => !lanes.has(provider.lane))
    .map(({ file, provider }) => ({
      severity: "error",
      file,
      path: ["lane"],
      message: `unknown lane "${provider.lane}" (lanes: ${[...lanes].join(", ")})`,
    }));
};

const kindFields: Rule = ({ providers }) =>
  providers.flatMap(({ file, provider }) => {
    const wanted = KIND_FIELD[provider.kind];
    const findings: Finding[] = [];
    if (!provider[wanted]) findings.push({ severity: "error", file, path: [wanted], message: `is required for ${provider.kind} providers` });
    for (const field of new Set(Object.values(KIND_FIELD))) {
      if (field !== wanted && provider[field] !== undefined) {
        const kinds = Object.entries(KIND_FIELD).filter(([, f]) => f === field).map(([kind]) => kind).join(" and ");
        findings.push({ severity: "error", file, path: [field], atKey: true, message: `is for ${kinds} providers; ${provider.kind} providers use ${wanted}` });
      }
    }
    return findings;
  });

const uniqueIds: Rule = ({ configFile, config, providers, rulesFile, rules, incidents }) => {
  const findings: Finding[] = [];
  for (const [index, lane] of config.lanes.entries()) {
    if (config.lanes.findIndex((other) => other.id === lane.id) !== index) {
      findings.push({ severity: "error", file: configFile, path: ["lanes", index, "id"], message: `duplicate lane id "${lane.id}"` });
    }
  }
  for (const [index, route] of config.routes.entries()) {
    if (config.routes.findIndex((other) => other.id === route.id) !== index) {
      findings.push({ severity: "error", file: configFile, path: ["routes", index, "id"], message: `duplicate route id "${route.id}"` });
    }
  }
  for (const [index, policy] of config.escalationPolicies.entries()) {
    if (config.escalationPolicies.findIndex((other) => other.id === policy.id) !== index) {
      findings.push({ severity: "error", file: configFile, path: ["escalationPolicies", index, "id"], message: `duplicate escalation policy id "${policy.id}"` });
    }
  }
  const firstCheck = new Map<string, string>();
  for (const { file, provider } of providers) {
    for (const [index, check] of provider.checks.entries()) {
      const other = firstCheck.get(check.id);
      if (other) {
        findings.push({ severity: "error", file, path: ["checks", index, "id"], message: `duplicate check id "${check.id}" (also in ${other})` });
      } else firstCheck.set(check.id, file);
    }
  }
  for (const [index, rule] of rules.entries()) {
    if (rules.findIndex((other) => other.id === rule.id) !== index) {
      findings.push({ severity: "error", file: rulesFile, path: ["rules", index, "id"], message: `duplicate rule id "${rule.id}"` });
    }
  }
  for (const incident of duplicates(incidents, (i) => i.frontmatter.id)) {
    findings.push({ severity: "error", file: incident.file, path: ["id"], message: `duplicate incident id "${incident.frontmatter.id}"` });
  }
  return findings;
};

const knownRoutes: Rule = ({ configFile, config, rulesFile, rules }) => {
  const routes = new Set(config.routes.map((route) => route.id));
  const findings: Finding[] = [];
  const check = (file: string, path: PathSegment[], id: string) => {
    if (!routes.has(id)) {
      findings.push({ severity: "error", file, path, message: `unknown route "${id}"${routes.size ? ` (routes: ${[...routes].join(", ")})` : " (no routes are defined)"}` });
    }
  };
  for (const [severity, ids] of Object.entries(config.severityRoutes)) {
    ids.forEach((id, index) => check(configFile, ["severityRoutes", severity, index], id));
  }
  config.escalationPolicies.forEach((policy, p) => {
    policy.steps.forEach((step, s) => step.notify.forEach((id, n) => check(configFile, ["escalationPolicies", p, "steps", s, "notify", n], id)));
    policy.unresolved?.notify.forEach((id, n) => check(configFile, ["escalationPolicies", p, "unresolved", "notify", n], id));
  });
  rules.forEach((rule, r) => rule.routes?.forEach((id, n) => check(rulesFile, ["rules", r, "routes", n], id)));
  if (config.fallbackRoute) check(configFile, ["fallbackRoute"], config.fallbackRoute);
  return findings;
};

const knownPolicies: Rule = ({ configFile, config, providers, rulesFile, rules }) => {
  const policies = new Set(config.escalationPolicies.map((policy) => policy.id));
  const findings: Finding[] = [];
  const check = (file: string, path: PathSegment[], id: string | undefined) => {
    if (id !== undefined && !policies.has(id)) {
      findings.push({ severity: "error", file, path, message: `unknown escalation policy "${id}"` });
    }
  };
  check(configFile, ["defaultEscalationPolicy"], config.defaultEscalationPolicy);
  providers.forEach(({ file, provider }) => check(file, ["escalationPolicy"], provider.escalationPolicy));
  rules.forEach((rule, r) => check(rulesFile, ["rules", r, "escalationPolicy"], rule.escalationPolicy));
  return findings;
};

const unusedRoutes: Rule = ({ configFile, config, rules }) => {
  const used = new Set<string>([
    ...Object.values(config.severityRoutes).flat(),
    ...config.escalationPolicies.flatMap((policy) => [...policy.steps.flatMap((step) => step.notify), ...(policy.unresolved?.notify ?? [])]),
    ...rules.flatMap((rule) => rule.routes ?? []),
    ...(config.fallbackRoute ? [config.fallbackRoute] : []),
  ]);
  return config.routes.flatMap((route, index) =>
    used.has(route.id)
      ? []
      : [{ severity: "warning" as const, file: configFile, path: ["routes", index, "id"], message: `route "${route.id}" is not used by any severity, policy, rule or as the fallback route` }],
  );
};

const ruleTargets: Rule = ({ providers, rulesFile, rules }) => {
  const providerIds = new Set(providers.map(({ provider }) => provider.id));
  const checkIds = new Set(providers.flatMap(({ provider }) => provider.checks.map((check) => check.id)));
  const findings: Finding[] = [];
  rules.forEach((rule, r) => {
    if (rule.checks.length === 0 && rule.providers.length === 0) {
      findings.push({ severity: "error", file: rulesFile, path: ["rules", r], message: "names no checks and no providers to watch" });
    }
    rule.checks.forEach((id, i) => {
      if (!checkIds.has(id)) findings.push({ severity: "error", file: rulesFile, path: ["rules", r, "checks", i], message: `unknown check "${id}"`, refersTo: "check" });
    });
    rule.providers.forEach((id, i) => {
      if (!providerIds.has(id)) findings.push({ severity: "error", file: rulesFile, path: ["rules", r, "providers", i], message: `unknown provider "${id}"`, refersTo: "provider" });
    });
  });
  return findings;
};

const incidentFiles: Rule = ({ providers, incidents }) => {
  const providerIds = new Set(providers.map(({ provider }) => provider.id));
  const findings: Finding[] = [];
  for (const { file, frontmatter: incident } of incidents) {
    const error = (path: PathSegment[], message: string, atKey = false, refersTo?: Finding["refersTo"]) =>
      findings.push({ severity: "error", file, path, message, atKey, refersTo });
    if (stem(file, ".md") !== incident.id) error(["id"], `must equal the file name: rename the file to ${incident.id}.md or the id to "${stem(file, ".md")}"`);
    incident.providers.forEach((id, i) => {
      if (!providerIds.has(id)) error(["providers", i], `unknown provider "${id}"`, false, "provider");
    });
    for (const id of Object.keys(incident.components)) {
      if (!incident.providers.includes(id)) error(["components", id], `"${id}" is not one of this ${incident.kind}'s providers`, true);
    }
    const maintenance = incident.kind === "maintenance";
    const statusFits = MAINTENANCE_STATUSES.has(incident.status) === maintenance;
    if (!statusFits) {
      error(["status"], maintenance ? "maintenance status must be scheduled | in_progress | verifying | completed" : "incident status must be investigating | identified | monitoring | resolved");
    }
    incident.updates.forEach((update, i) => {
      if (MAINTENANCE_STATUSES.has(update.status) !== maintenance) error(["updates", i, "status"], `"${update.status}" is not a ${incident.kind} status`);
    });
    if (maintenance) {
      if (!incident.recurrence && !(incident.scheduledFor && incident.scheduledUntil)) error(["scheduledFor"], "maintenance needs scheduledFor and scheduledUntil, or a recurrence");
      if (incident.scheduledFor && incident.scheduledUntil && incident.scheduledUntil <= incident.scheduledFor) error(["scheduledUntil"], "must be after scheduledFor");
    } else {
      if (!incident.severity) error(["severity"], "is required for incidents (SEV-1 … SEV-4)");
      if (incident.status === "resolved" && !incident.resolved) error(["resolved"], "is required once the status is resolved");
      if (incident.resolved && incident.status !== "resolved") error(["status"], "must be resolved when `resolved` is set");
      if (incident.closed) {
        // Located at `closed`: the missing field usually has no line of its own.
        for (const gap of closeGateGaps(incident)) error(["closed"], `the close gate is not met: ${formatGap(gap)}`);
      }
      // Two chains: how it was noticed, and how it ended. An outage may end before anyone acknowledges it
      // (a late acknowledgement of one that healed itself), so acknowledged is not ordered against the end.
      const chains = [
        ["started", "detected", "acknowledged"],
        ["started", "detected", "mitigated", "resolved", "closed"],
      ] as const;
      const reported = new Set<string>();
      for (const order of chains) {
        for (let i = 1; i < order.length; i++) {
          const key = order[i]!;
          const later = incident[key];
          const earlier = order.slice(0, i).map((name) => ({ key: name, at: incident[name] })).filter((entry) => entry.at && later && Date.parse(entry.at) > Date.parse(later));
          if (later && earlier.length > 0 && !reported.has(key)) {
            reported.add(key);
            error([key], `is before ${earlier.map((entry) => entry.key).join(" and ")}`);
          }
        }
      }
    }
  }
  return findings;
};

const conditionSyntax: Rule = ({ providers, placeholders }) =>
  providers.flatMap(({ file, provider }) =>
    provider.checks.flatMap((check, index) =>
      (["conditions", "degradedConditions"] as const).flatMap((field) => {
        const texts = (check as Record<string, unknown>)[field];
        if (!Array.isArray(texts)) return [];
        return texts.flatMap((text: string, position): Finding[] => {
          const parsed = parseCondition(text, placeholders?.[check.type]);
          return parsed.ok ? [] : [{ severity: "error", file, path: ["checks", index, field, position], message: `"${text}" ${parsed.error}` }];
        });
      }),
    ),
  );

/** A timeout longer than the cadence lets one slow attempt run into the check's next run. */
const timeoutWithinCadence: Rule = ({ providers }) =>
  providers.flatMap(({ file, provider }) =>
    provider.checks.flatMap((check, index): Finding[] =>
      check.timeout > check.cadence
        ? [{ severity: "warning", file, path: ["checks", index, "timeout"], message: `${formatDuration(check.timeout)} is longer than the check's cadence of ${formatDuration(check.cadence)}: a slow attempt would still run when the next one is due; keep the timeout below the cadence` }]
        : [],
    ),
  );
/** Public markdown the page cannot render safely is shown as plain text; the operator should know. */
const publicMarkdown: Rule = ({ providers, incidents }) => {
  const publicIds = new Set(providers.filter(({ provider }) => provider.public !== false).map(({ provider }) => provider.id));
  return incidents.flatMap(({ file, frontmatter }): Finding[] => {
    if (!frontmatter.providers.some((id) => publicIds.has(id))) return [];
    const texts: [PathSegment[], string][] = [
      ...frontmatter.updates.map((update, index): [PathSegment[], string] => [["updates", index, "message"], update.message]),
      ...(frontmatter.summary ? [[["summary"], frontmatter.summary] as [PathSegment[], string]] : []),
    ];
    return texts.flatMap(([path, text]): Finding[] => {
      const reason = markdownLimitExceeded(text);
      return reason ? [{ severity: "warning", file, path, message: `${reason}: the public page shows it as plain text, not markdown` }] : [];
    });
  });
};

/** A maintenance is announced by its first public update (`incident new` writes one); until then it is not public. */
const unannouncedMaintenance: Rule = ({ providers, incidents }) => {
  const publicIds = new Set(providers.filter(({ provider }) => provider.public !== false).map(({ provider }) => provider.id));
  return incidents
    .filter(({ frontmatter }) => frontmatter.kind === "maintenance" && frontmatter.updates.length === 0 && frontmatter.providers.some((id) => publicIds.has(id)))
    .map(({ file }) => ({
      severity: "warning",
      file,
      path: ["updates"],
      message: "is empty: a maintenance is public from its first update (its announcement); add one with npm run incident -- update",
    }));
};

/** Every cross-file rule; each is a small named function that reports all it finds. */
export const CROSS_FILE_RULES: Rule[] = [
  providerIdMatchesFile,
  knownLanes,
  kindFields,
  uniqueIds,
  knownRoutes,
  knownPolicies,
  unusedRoutes,
  ruleTargets,
  incidentFiles,
  conditionSyntax,
  timeoutWithinCadence,
  publicMarkdown,
  unannouncedMaintenance,
];

export function crossCheck(input: CrossInput): Finding[] {
  return CROSS_FILE_RULES.flatMap((rule) => rule(input));
}
