import { instant } from "../core/schema/common.ts";
import { allChecks } from "../core/model.ts";
import { publishCycle, PublishError } from "../gitops/publish.ts";
import { heartbeatPath, recordHeartbeat, type Heartbeat } from "../store/heartbeats.ts";
import { guardCommit } from "../commit-guard.ts";
import type { Terminal } from "../terminal.ts";
import { UserError, type Command } from "./command.ts";
import { validWorkspace } from "./valid-workspace.ts";

/** Beats this far ahead of the clock are refused: a wrong --at would hide an outage. */
const FUTURE_TOLERANCE_MS = 60_000;

function recorded(terminal: Terminal, id: string, when: Date, beat: Heartbeat): string {
  if (beat.at === when.toISOString()) return `${terminal.paint.green("✓")} heartbeat of ${id} recorded at ${beat.at} (${heartbeatPath(id)})`;
  return `${terminal.paint.yellow("•")} ${id} already has a later heartbeat (${beat.at}); kept it`;
}

export const heartbeat: Command = {
  name: "heartbeat",
  summary: "Record a heartbeat for a heartbeat check (from a cron job, a worker or the heartbeat workflow).",
  usage: "CHECK_ID [--at ISO-TIME] [--push]\n\n  --push   publish the beat to the remote like a probe run (it waits on the pending ref with plain results)",
  options: { at: { type: "string" }, push: { type: "boolean" } },
  async run({ root, values, positionals, terminal, env, clock }) {
    const [id, ...extra] = positionals;
    if (!id || extra.length > 0) throw new UserError("Name exactly one heartbeat check: npm run heartbeat -- CHECK_ID [--at ISO-TIME].");
    const at = typeof values.at === "string" ? values.at : undefined;
    if (at !== undefined && !instant.safeParse(at).success) throw new UserError(`--at must be a date and time with a time zone, such as 2026-11-16T10:45:00Z, not "${at}".`);
    const when = at === undefined ? clock.now() : new Date(at);
    if (when.getTime() > clock.now().getTime() + FUTURE_TOLERANCE_MS) throw new UserError(`--at ${at} is in the future; a heartbeat records something that already happened.`);

    const workspace = await validWorkspace(root, terminal, "no heartbeat was recorded");
    const check = allChecks(workspace).find((candidate) => candidate.id === id);
    const heartbeatIds = allChecks(workspace).filter((candidate) => candidate.type === "heartbeat").map((candidate) => candidate.id);
    const known = heartbeatIds.length > 0 ? ` Heartbeat checks: ${heartbeatIds.join(", ")}.` : " This workspace has no heartbeat checks.";
    if (!check) throw new UserError(`There is no check "${id}".${known}`);
    if (check.type !== "heartbeat") throw new UserError(`"${id}" is not a heartbeat check (its type is ${check.type}).${known}`);

    let beat: Heartbeat | undefined;
    const record = async (tree: string) => (beat = await recordHeartbeat(tree, id, when));
    if (values.push) {
      await guardCommit(terminal, workspace.config.deploy, env);
      // A beat is a plain result: it waits on the pending ref and every probe run applies it first.
      const outcome = await publishCycle({
        root,
        run: `heartbeat-${id}`,
        now: () => clock.now(),
        sampleBatch: workspace.config.commit.sampleBatch,
        apply: async (tree) => {
          await record(tree);
          return { paths: [heartbeatPath(id)], urgent: false };
        },
      }).catch((error: unknown) => {
        // Pushing failed for good: the beat is kept for the next run, and this one says where.
        throw error instanceof PublishError ? new UserError(error.message) : error;
      });
      terminal.out(recorded(terminal, id, when, beat!));
      terminal.out(`  ${outcome.mode === "committed" ? `committed ${outcome.commit?.slice(0, 7)} and pushed` : outcome.mode === "pending" ? "published on the pending ref" : "nothing new to publish"}`);
      return 0;
    }
    terminal.out(recorded(terminal, id, when, await record(root)));
    return 0;
  },
};
