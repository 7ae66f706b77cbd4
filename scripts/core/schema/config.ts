import { z } from "zod";
import { cadence, dailyWindow, duration, envText, httpLink, id, secretText, timerDuration, timeZone } from "./common.ts";
import { deploy } from "./deploy.ts";
import { severity } from "./enums.ts";

export const lane = z.strictObject({
  id: id.describe("Lane id, used by providers' `lane`."),
  name: z.string().min(1).optional().describe("Display name; defaults to the id."),
  description: z.string().optional().describe("What belongs in this lane."),
  emptyAction: z
    .string()
    .default("No provider in this lane yet")
    .describe("Action shown on the lane card while no provider is in the lane."),
});

export const quietHours = dailyWindow.extend({
  action: z
    .enum(["delay", "downgrade"])
    .default("delay")
    .describe("`delay` holds notifications until the quiet hours end; `downgrade` sends them one severity lower."),
  except: z
    .array(severity)
    .default(["critical"])
    .describe("Severities that always go through at once, even in quiet hours."),
});

/** Fields every notification route has, whatever its channel. */
export const routeBase = z.strictObject({
  id: id.describe("Route id, used by `severityRoutes`, escalation policies and alert rules."),
  description: z.string().optional().describe("Who is behind this route."),
  quietHours: quietHours.optional().describe("Hours in which non-critical notifications are delayed or downgraded."),
});

export const escalationStep = z.strictObject({
  after: duration.describe("Time since the alert fired, without acknowledgement, before this step notifies."),
  notify: z.array(id).min(1).describe("Routes notified at this step."),
});

export const escalationPolicy = z.strictObject({
  id: id.describe("Policy id, used by alert rules and providers."),
  steps: z.array(escalationStep).min(1).describe("Steps in order of `after`; each fires once until the alert is acknowledged."),
  unresolved: z
    .strictObject({
      after: duration.describe("Time since the alert fired, acknowledged or not, before it is raised."),
      severity: severity.default("critical").describe("Severity the alert is raised to."),
      notify: z.array(id).min(1).describe("Routes paged when it is raised."),
    })
    .optional()
    .describe("Raise an alert that is still not resolved after a while (playbook: after 60 minutes, page all)."),
});

const severityRoutes = z
  .strictObject({
    critical: z.array(id).default([]).describe("Routes for critical alerts: page the on-call person."),
    high: z.array(id).default([]).describe("Routes for high alerts: the team channel and email."),
    warning: z.array(id).default([]).describe("Routes for warnings: the team channel."),
    info: z.array(id).default([]).describe("Routes for information: email digest or log only."),
  })
  .describe("Default routes per alert severity; a rule can name its own routes instead.");

export function makeConfigSchema<R extends z.ZodType>(route: R) {
  return z.strictObject({
    page: z
      .strictObject({
        title: z.string().min(1).describe("Name of the status page."),
        description: z.string().default("").describe("One sentence under the title."),
        url: httpLink
          .optional()
          .describe(
            "Public address of the status page (http or https). Feeds, the Statuspage API, the sitemap and social cards need absolute addresses: without it they are left out, with a warning.",
          ),
        basePath: z
          .string()
          .regex(/^\/([^/].*[^/]|[^/])?$/, "must start with / and not end with / (e.g. / or /status)")
          .default("/")
          .describe("Path the site is served under, e.g. `/repo` on user.github.io/repo."),
        timezone: timeZone.default("UTC").describe("Time zone of the internal room; the public page always shows UTC."),
        logo: z
          .string()
          .regex(/^[^/\\].*\.(svg|png|jpe?g|webp)$/i, "must be a path relative to the workspace, ending in .svg, .png, .jpg or .webp")
          .optional()
          .describe("Logo shown before the page title: an SVG, PNG, JPEG or WebP file in the workspace, e.g. `checks/logo.svg` (at most 256 KB)."),
        accent: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour such as #0b5cad")
          .optional()
          .describe("Accent colour of the public page (a bar above the header and the favicon), e.g. `#0b5cad`; status colours are not affected."),
        stale: z
          .number()
          .min(1)
          .default(3)
          .describe("Data counts as stale when no probe run has landed for this many cadences."),
      })
      .describe("The page people read."),
    lanes: z.array(lane).min(1).describe("Lanes group providers in the operations room."),
    defaults: z
      .strictObject({
        cadence: cadence.prefault("5m").describe("How often a check runs, 1s to 7d."),
        timeout: timerDuration.prefault("10s").describe("How long one attempt may take, 10ms to 24d."),
        retries: z.number().int().min(0).max(5).default(1).describe("Extra attempts inside a run before a failure counts."),
        failureThreshold: z.number().int().min(1).default(2).describe("Consecutive failing runs before a check is confirmed down."),
        recoveryThreshold: z.number().int().min(1).default(2).describe("Consecutive passing runs before a down check is confirmed up."),
      })
      .prefault({})
      .describe("Check settings used when a check does not set its own."),
    probe: z
      .strictObject({
        concurrency: z.number().int().min(1).max(256).default(16).describe("Checks probed at the same time."),
        budget: timerDuration.prefault("4m").describe("Longest a whole run may take; checks still running then are recorded as timed out."),
        every: timerDuration.prefault("30s").describe("Pause between runs in continuous mode."),
        for: duration.prefault("5m").describe("How long one continuous job keeps probing."),
      })
      .prefault({})
      .describe("How probe runs behave."),
    signals: z
      .strictObject({
        window: duration.prefault("24h").describe("Samples this recent count towards a provider's signal."),
        operational: z.number().min(0).max(100).default(75).describe("A signal at or above this is operational."),
        blocked: z.number().min(0).max(100).default(30).describe("A signal below this blocks automation."),
      })
      .prefault({})
      .describe("How provider signals are scored and classified (docs/signals.md)."),
    retention: z
      .strictObject({
        samples: duration.prefault("30d").describe("Raw samples older than this are pruned (rollups stay)."),
        hourly: duration.prefault("35d").describe("Hourly rollups older than this are pruned."),
        daily: duration
          .prefault("400d")
          .refine((ms) => ms >= 400 * 86_400_000, "must be at least 400d")
          .describe("Daily rollups older than this are pruned; at least 400 days."),
        runLog: duration.prefault("7d").describe("Run-log entries older than this are pruned."),
      })
      .prefault({})
      .describe("How long each kind of data is kept."),
    commit: z
      .strictObject({
        sampleBatch: duration
          .prefault("60m")
          .describe("Plain samples are committed at most this often; state changes and incidents are committed at once."),
      })
      .prefault({})
      .describe("How probe runs commit to git."),
    incidents: z
      .strictObject({
        recoveryWindow: duration
          .prefault("15m")
          .describe("An automatic incident stays in monitoring this long after its alerts clear before it is resolved."),
        blip: duration
          .prefault("15m")
          .describe("An automatic incident resolved within this time of its start, never acknowledged, is marked as a blip."),
        mirror: z
          .strictObject({
            enabled: z
              .boolean()
              .default(false)
              .describe("Mirror every incident to a GitHub issue: one issue per incident, a comment per public update, closed on resolve, reopened on relapse; `/ack` and `/update <text>` on those issues, by people who may push to the repository, are written back (docs/github.md)."),
            repository: envText.default("${env:GITHUB_REPOSITORY}").describe("`owner/name` of the repository that gets the issues."),
            token: secretText.default("${env:GITHUB_TOKEN}").describe("Token allowed to write issues (the workflow's GITHUB_TOKEN with `issues: write`)."),
            labels: z.array(z.string().min(1)).min(1).default(["incident"]).describe("Labels put on the issues; the mirror looks for its issues among these."),
            apiUrl: httpLink.optional().describe("REST API address; default the runner's GITHUB_API_URL (GitHub Enterprise Server sets its own), else https://api.github.com."),
          })
          .prefault({})
          .describe("The optional GitHub issue mirror of incidents; off by default."),
      })
      .prefault({})
      .describe("How probe runs open, update and resolve incidents (docs/incidents.md)."),
    deploy,
    routes: z.array(route).default([]).describe("Notification routes: where alerts are sent."),
    severityRoutes: severityRoutes.prefault({}),
    escalationPolicies: z.array(escalationPolicy).default([]).describe("Escalation policies: who is paged next while nobody acknowledges."),
    defaultEscalationPolicy: id.optional().describe("Policy used by alert rules that do not name one."),
    fallbackRoute: z
      .union([id, z.literal(false)])
      .optional()
      .describe(
        "Route that announces dead letters (notifications a channel refused for good, or could not take for three days), once each. Default: the first route of `severityRoutes` warning, then high, critical and info, other than the route that failed. `false`: no announcement (dead letters still show in the room, `alert status` and the run log).",
      ),
  });
}
