/**
 * `npm run room`: the operations room archive for its artifact. Encrypted with age to the configured
 * recipients (authenticated encryption: a tampered archive does not open), decrypted by the age CLI its
 * readers use as the documentation says, and by `npm run room -- open`; from a public repository never
 * packed readable.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { generateIdentity, identityToRecipient } from "age-encryption";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { exampleWorkspace, tempDir } from "../helpers/workspace.ts";

const exec = promisify(execFile);

/** A workspace whose deploy section is `deploy`, and a built room with one page. */
async function workspace(deploy: string): Promise<{ root: string; room: string }> {
  const root = await exampleWorkspace();
  const file = join(root, "checks/signalroom.yaml");
  await writeFile(file, (await readFile(file, "utf8")).replace(/^deploy:\n(  .*\n)+/m, `deploy:\n${deploy}`));
  const room = join(root, "dist/internal");
  await mkdir(room, { recursive: true });
  await writeFile(join(room, "index.html"), "<h1>Operations room: Canary owner</h1>");
  return { root, room };
}

async function event(isPrivate: boolean): Promise<string> {
  const file = join(await tempDir(), "event.json");
  await writeFile(file, JSON.stringify({ repository: { full_name: "acme/status", private: isPrivate, visibility: isPrivate ? "private" : "public" } }));
  return file;
}

describe("npm run room", () => {
  test("encrypted to the recipients: the age CLI and `room open` decrypt it with a member's key; a tampered or foreign archive does not open", async () => {
    const identity = await generateIdentity();
    const other = await generateIdentity();
    const { root, room } = await workspace(`  room:\n    recipients: [${await identityToRecipient(identity)}, ${await identityToRecipient(other)}]\n`);
    const out = join(root, "artifact");
    const packed = await runCli(["room", "pack", room, "--out", out, "--root", root], { GITHUB_EVENT_PATH: await event(true) });
    expect(packed.stdout).toMatch(/^✓ Packed the operations room into .*internal\.tar\.gz\.age: encrypted to 2 age recipients \(deploy\.room\.recipients\)\.$/m);
    const archive = join(out, "internal.tar.gz.age");
    expect((await readFile(archive)).subarray(0, 21).toString()).toBe("age-encryption.org/v1");
    // What the documentation tells a member to run.
    const key = join(root, "key.txt");
    await writeFile(key, `# created: by age-keygen\n# public key: ${await identityToRecipient(identity)}\n${identity}\n`);
    await exec("sh", ["-c", `age --decrypt -i "${key}" -o internal.tar.gz internal.tar.gz.age && tar -xzf internal.tar.gz`], { cwd: out });
    expect(await readFile(join(out, "internal/index.html"), "utf8")).toContain("Operations room");
    const opened = await runCli(["room", "open", archive, "--identity", key, "--out", join(root, "opened.tar.gz"), "--root", root]);
    expect(opened.stdout).toMatch(/^✓ Decrypted .* → .*opened\.tar\.gz; unpack it with: tar -xzf /);
    expect((await exec("tar", ["-tzf", join(root, "opened.tar.gz")])).stdout).toContain("internal/index.html");

    const bytes = await readFile(archive);
    bytes[bytes.length - 20]! ^= 0x01;
    await writeFile(join(root, "tampered.age"), bytes);
    const tampered = await runCli(["room", "open", join(root, "tampered.age"), "--identity", key, "--root", root]);
    expect([tampered.code, tampered.stderr]).toEqual([1, expect.stringMatching(/^Could not decrypt .*tampered\.age: /)]);
    const stranger = join(root, "stranger.txt");
    await writeFile(stranger, `${await generateIdentity()}\n`);
    expect((await runCli(["room", "open", archive, "--identity", stranger, "--root", root])).code).toBe(1);
  });

  test("a private repository without recipients uploads the plain archive (its artifacts are members-only)", async () => {
    const { root, room } = await workspace("  repository: private\n");
    const out = join(root, "artifact");
    const packed = await runCli(["room", "pack", room, "--out", out, "--root", root], { GITHUB_EVENT_PATH: await event(true) });
    expect(packed.stdout).toMatch(/internal\.tar\.gz: a private repository's artifacts are visible to its members only\.$/m);
    expect((await exec("tar", ["-tzf", join(out, "internal.tar.gz")])).stdout.split("\n")).toEqual(["internal/", "internal/index.html", ""]);
  });

  test("from a public repository without recipients nothing is packed, with a warning annotation, whatever the configuration says", async () => {
    for (const [deploy, isPrivate] of [["  repository: public\n", false], ["  repository: private\n", false]] as const) {
      const { root, room } = await workspace(deploy);
      const out = join(root, "artifact");
      const packed = await runCli(["room", "pack", room, "--out", out, "--root", root], { GITHUB_ACTIONS: "true", GITHUB_EVENT_PATH: await event(isPrivate) });
      expect(packed.code).toBe(0);
      expect(packed.stderr).toMatch(/^warning: the repository is public and deploy\.room\.recipients is empty/);
      expect(packed.stdout).toMatch(/^::warning file=checks\/signalroom\.yaml::deploy\.room\.recipients: the repository is public/m);
      expect(existsSync(out)).toBe(false);
    }
  });
});
