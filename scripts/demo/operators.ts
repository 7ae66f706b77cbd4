/**
 * The demo's on-call team: they acknowledge automatic incidents a few minutes after they open, post an
 * owner-safe "identified" update, and a day after recovery do the close paperwork (evidence, prevention,
 * explanation, a post-mortem for SEV-1 and SEV-2) with the real edit functions, which refuse to close an
 * incident the gate would not let through. The newest resolved incident is left open on purpose, so the
 * operations room shows the close-gate checklist with something still to do.
 */
import { acknowledge, addUpdate, closeIncident } from "../core/incident-edit.ts";
import type { AlertRule, Incident, IncidentFrontmatter } from "../core/model.ts";
import { noise } from "./behaviour.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
const ON_CALL = ["Dana Okafor", "Luis Romero", "Mei Tanaka", "Sam Keller"];

/** What the team knows about each kind of outage, written once the cause was found. */
interface Account {
  identified: string;
  summary: string;
  rootCause: string;
  prevention: string;
  owner: string;
  evidence: string;
}

const ACCOUNTS: Record<string, Account> = {
  "database-unreachable": {
    identified: "We found the cause: the database stopped accepting new connections. We are restoring capacity now.",
    summary: "For a few minutes the app could not reach its database, so pages and bookings failed to load. Capacity was restored and no data was lost.",
    rootCause: "A schema migration held connections open and exhausted the connection pool.",
    prevention: "Alert on connection-pool utilisation above 80 % and dry-run migrations before deploys",
    owner: "Platform",
    evidence: "Connection errors 'too many connections for role' in every probe during the outage",
  },
  "stripe-webhook-down": {
    identified: "Payments are being taken but not confirmed: our payment endpoint is failing after an update. We are rolling it back.",
    summary: "Card payments were accepted but bookings were not confirmed for about half an hour after an update broke our payment endpoint. The update was rolled back and every payment was confirmed afterwards.",
    rootCause: "A deploy shipped a routing change that returned 502 for the Stripe webhook endpoint.",
    prevention: "Add a post-deploy smoke test of /webhooks/stripe to the deploy pipeline",
    owner: "Operations",
    evidence: "Stripe webhook probes returned 502 from the first failing sample until the rollback",
  },
  "order-scenario-down": {
    identified: "Order confirmations are delayed: the automation that processes them was switched off. We are switching it back on.",
    summary: "Order confirmations were delayed for about twenty minutes while the automation that sends them was switched off by mistake. All orders were processed once it was back on.",
    rootCause: "The order scenario was disabled during a plan change in the automation tool.",
    prevention: "Require a second person to approve scenario plan changes",
    owner: "Operations",
    evidence: "Order scenario probes answered 500 with the scenario disabled",
  },
  "booking-queue-backup": {
    identified: "Booking changes are reaching waitlists late: a background worker stopped. We are restarting it and replaying the queue.",
    summary: "Waitlists and member timelines were updated late for about 45 minutes while a background worker was stuck. The queue was replayed and every change arrived.",
    rootCause: "The waitlist worker stalled on a malformed message and stopped taking new deliveries.",
    prevention: "Move malformed messages to a dead-letter queue instead of retrying them forever",
    owner: "Operations",
    evidence: "Queue depth above 150 and oldest delivery older than 25 minutes",
  },
  "ai-log-heartbeat-silent": {
    identified: "The decision logger stopped checking in after a configuration change; we are restarting it.",
    summary: "Automated decisions were not logged for about 25 minutes. No decision was lost; the log was backfilled.",
    rootCause: "The logger was paused by a configuration change and not resumed.",
    prevention: "Alert when the logger's configuration is changed without a resume",
    owner: "Operations",
    evidence: "No heartbeat for 25 minutes",
  },
  "ai-decision-delivery-failing": {
    identified: "Deliveries of AI decision events to the audit log are failing; automation that depends on them is paused.",
    summary: "AI decision events are not reaching the audit log.",
    rootCause: "Under investigation.",
    prevention: "Define retry and dead-letter behaviour for ai.decision.logged",
    owner: "AI review",
    evidence: "Most deliveries failed in the last day",
  },
};

export interface OperatorDesk {
  /** What the team did by `at`: the incidents after their edits, and the files they touched. */
  act(incidents: readonly Incident[], at: Date): { incidents: Incident[]; edited: string[] };
}

const ruleOf = (fm: IncidentFrontmatter) => fm.automated?.rule;

export function operatorDesk(now: Date, publicNames: ReadonlyMap<string, string>, rules: readonly AlertRule[]): OperatorDesk {
  const firstCheck = new Map(rules.map((rule) => [rule.id, rule.checks[0]]));
  return {
    act(incidents, at) {
      const edited: string[] = [];
      const next = incidents.map((incident) => {
        const fm = incident.frontmatter;
        const account = ruleOf(fm) ? ACCOUNTS[ruleOf(fm)!] : undefined;
        if (!account || fm.kind !== "incident" || fm.closed) return incident;
        const components = fm.providers.flatMap((provider) => publicNames.get(provider) ?? []);
        const opened = Date.parse(fm.detected ?? fm.started ?? fm.updates[0]?.at ?? at.toISOString());
        const ackAfter = (3 + Math.floor(noise(fm.id) * 9)) * MINUTE;
        let frontmatter = fm;
        if (!fm.acknowledged && !fm.mitigated && at.getTime() >= opened + ackAfter) {
          const who = ON_CALL[Math.floor(noise(`${fm.id}:who`) * ON_CALL.length)]!;
          frontmatter = addUpdate(acknowledge(fm, who, at), { status: "identified", message: account.identified }, components, at);
        }
        const resolvedAt = fm.resolved ? Date.parse(fm.resolved) : undefined;
        const paperworkDue = resolvedAt !== undefined && at.getTime() >= resolvedAt + DAY && now.getTime() - resolvedAt > 7 * DAY;
        if (paperworkDue && !fm.automated?.blip) frontmatter = closeWithPaperwork(frontmatter, account, firstCheck.get(ruleOf(fm)!), at);
        if (frontmatter === fm) return incident;
        edited.push(incident.file);
        return { ...incident, frontmatter };
      });
      return { incidents: next, edited };
    },
  };
}

/** What went well and what did not, from the incident's own timestamps. */
function reviewOf(fm: IncidentFrontmatter): { wentWell: string[]; needsImprovement: string[] } {
  const minutes = (from?: string, to?: string) => (from && to ? Math.round((Date.parse(to) - Date.parse(from)) / MINUTE) : undefined);
  const detection = minutes(fm.started, fm.detected);
  const acknowledgement = minutes(fm.detected, fm.acknowledged);
  const wentWell = [detection !== undefined && `Monitoring detected it ${detection} minutes after it started`, acknowledgement !== undefined && `The on-call engineer acknowledged ${acknowledgement} minutes after detection`];
  const needsImprovement = ["The change that caused it was not caught before release", acknowledgement === undefined && "Nobody acknowledged the page before the service recovered"];
  return { wentWell: wentWell.filter((line) => line !== false), needsImprovement: needsImprovement.filter((line) => line !== false) };
}

function closeWithPaperwork(fm: IncidentFrontmatter, account: Account, check: string | undefined, at: Date): IncidentFrontmatter {
  const due = new Date(at.getTime() + 14 * DAY).toISOString().slice(0, 10);
  const task = { task: account.prevention, owner: account.owner, due, done: false };
  const major = fm.severity === "SEV-1" || fm.severity === "SEV-2";
  const paperwork: IncidentFrontmatter = {
    ...fm,
    summary: fm.summary ?? account.summary,
    evidence: [...fm.evidence, { note: account.evidence, check, at: fm.started }].map((item) =>
      Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)),
    ) as IncidentFrontmatter["evidence"],
    prevention: fm.prevention.length ? fm.prevention : [task],
    ...(major && {
      postmortem: fm.postmortem ?? {
        date: at.toISOString().slice(0, 10),
        summary: account.summary,
        rootCause: account.rootCause,
        ...reviewOf(fm),
        actionItems: [task],
        lessons: ["Probe what customers depend on, not only that the server is up"],
      },
    }),
  };
  return closeIncident(paperwork, at);
}
