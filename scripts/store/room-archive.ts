/**
 * The operations room as one archive for the `operations-room` artifact: a gzipped tar of the built room,
 * encrypted with age (authenticated encryption: X25519 to each recipient, ChaCha20-Poly1305 for the
 * payload, via the maintained age-encryption library) when the topology asks for it. Readers decrypt with
 * the age CLI (`age --decrypt -i key.txt`) or `npm run room -- open`.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Decrypter, Encrypter } from "age-encryption";

function tarOf(dir: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("tar", ["-czf", "-", "-C", dirname(dir), basename(dir)], { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`tar failed (${code}): ${stderr.trim()}`))));
  });
}

/** Writes `internal.tar.gz`, or `internal.tar.gz.age` for the recipients, into `out`; returns its path. */
export async function packRoom(dir: string, out: string, recipients: readonly string[]): Promise<string> {
  const archive = await tarOf(dir);
  await mkdir(out, { recursive: true });
  if (recipients.length === 0) {
    const file = join(out, "internal.tar.gz");
    await writeFile(file, archive);
    return file;
  }
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const file = join(out, "internal.tar.gz.age");
  await writeFile(file, await encrypter.encrypt(archive));
  return file;
}

/** The `AGE-SECRET-KEY-1…` lines of an identity file, as age-keygen writes it (comments skipped). */
export function identitiesIn(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("AGE-SECRET-KEY-"));
}

/** Decrypts an archive with the identities; throws when none of them fits or the file was tampered with. */
export async function openRoom(file: string, identities: readonly string[]): Promise<Uint8Array> {
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  return decrypter.decrypt(await readFile(file));
}
