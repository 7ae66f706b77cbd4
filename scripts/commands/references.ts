import { join } from "node:path";
import { writeFileAtomic } from "../store/files.ts";
import { generatedReferences } from "../references.ts";
import type { Command } from "./command.ts";

export const references: Command = {
  name: "references",
  summary: "Regenerate the JSON Schemas and docs/configuration.md from the zod schemas.",
  usage: "",
  options: {},
  async run({ repo, terminal }) {
    for (const [file, content] of generatedReferences()) {
      await writeFileAtomic(join(repo, file), content);
      terminal.out(`wrote ${file}`);
    }
    return 0;
  },
};
