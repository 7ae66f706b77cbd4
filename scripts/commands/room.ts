import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { roomArchive } from "../core/topology.ts";
import { eventVisibility } from "../gitops/actions.ts";
import { identitiesIn, openRoom, packRoom } from "../store/room-archive.ts";
import { readTextIfExists } from "../store/files.ts";
import { UserError, type Command } from "./command.ts";
import { validWorkspace } from "./valid-workspace.ts";

export const room: Command = {
  name: "room",
  summary: "Pack the built operations room for its artifact (encrypted as the topology says), or open a downloaded archive.",
  usage: [
    "pack DIR --out DIR | open FILE --identity FILE [--out FILE]",
    "",
    "  pack DIR       archive the built room (e.g. dist/internal) into --out: internal.tar.gz, or internal.tar.gz.age",
    "                 encrypted to deploy.room.recipients; nothing from a public repository without recipients",
    "  open FILE      decrypt internal.tar.gz.age with your age identity (the file age-keygen wrote) into --out",
    "                 (default: the same name without .age); then `tar -xzf internal.tar.gz`",
  ].join("\n"),
  options: { out: { type: "string" }, identity: { type: "string" } },
  async run({ root, values, positionals, terminal, env }) {
    const [verb, path, ...extra] = positionals;
    if ((verb !== "pack" && verb !== "open") || !path || extra.length > 0) throw new UserError("Say what to do: npm run room -- pack DIR --out DIR, or npm run room -- open FILE --identity FILE.");
    if (verb === "open") {
      if (typeof values.identity !== "string") throw new UserError("Name your age identity: --identity FILE (the key file age-keygen wrote).");
      const identities = identitiesIn((await readTextIfExists(resolve(values.identity))) ?? "");
      if (identities.length === 0) throw new UserError(`${values.identity} holds no age identity (a line starting with AGE-SECRET-KEY-).`);
      if (!existsSync(resolve(path))) throw new UserError(`The archive ${path} does not exist.`);
      const out = typeof values.out === "string" ? values.out : path.replace(/\.age$/, "");
      if (resolve(out) === resolve(path)) throw new UserError("--out must differ from the encrypted archive.");
      let plain: Uint8Array;
      try {
        plain = await openRoom(resolve(path), identities);
      } catch (error) {
        throw new UserError(`Could not decrypt ${path}: ${(error as Error).message} (is it encrypted to your key, and complete?).`);
      }
      await writeFile(resolve(out), plain);
      terminal.out(`✓ Decrypted ${path} → ${out}; unpack it with: tar -xzf ${out}`);
      return 0;
    }

    if (typeof values.out !== "string") throw new UserError("Say where the archive goes: --out DIR.");
    const dir = resolve(path);
    if (!existsSync(dir)) throw new UserError(`${path} does not exist: build the room first (npm run build).`);
    const workspace = await validWorkspace(root, terminal, "the room was not packed");
    const decision = roomArchive(workspace.config.deploy, await eventVisibility(env));
    if (decision.mode === "withheld") {
      terminal.err(terminal.paint.yellow(`warning: ${decision.reason}.`));
      terminal.annotate({ severity: "warning", file: "checks/signalroom.yaml", path: ["deploy", "room", "recipients"], message: `${decision.reason}.` });
      return 0;
    }
    const file = await packRoom(dir, resolve(values.out), decision.mode === "encrypted" ? workspace.config.deploy.room.recipients : []);
    terminal.out(`✓ Packed the operations room into ${file}: ${decision.reason}.`);
    return 0;
  },
};
