import { appendFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";

/** Step outputs for later steps of a GitHub Actions job (`steps.<id>.outputs.<name>`); a no-op elsewhere. */
export async function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): Promise<void> {
  if (!env.GITHUB_OUTPUT) return;
  const lines = Object.entries(outputs).map(([name, value]) => {
    const fence = `EOF_${randomBytes(8).toString("hex")}`;
    return `${name}<<${fence}\n${value}\n${fence}\n`;
  });
  await appendFile(env.GITHUB_OUTPUT, lines.join(""));
}
