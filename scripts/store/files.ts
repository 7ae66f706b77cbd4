import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * Writes a file so readers see the old content or the new, never half: write a temporary file beside it,
 * flush it to disk, then rename it over the target.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temporary, "w");
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The file's text, or undefined when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  return (await readBytesIfExists(path))?.toString("utf8");
}

/** The file's bytes, or undefined when it does not exist. */
export async function readBytesIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export const FILE_FOR_FOLDER = "is a file where a folder should be: move it away";

/**
 * One sentence for what the file system did wrong at a path (a folder where a file should be, a link that
 * loops, no permission), or undefined for errors that are not about the path (those are real failures).
 */
export function pathProblem(error: unknown, expected: "file" | "folder"): string | undefined {
  switch ((error as NodeJS.ErrnoException).code) {
    case "EISDIR":
      return "is a folder where a file should be: move it away or replace it with the file";
    case "ENOTDIR":
      return expected === "folder" ? FILE_FOR_FOLDER : "cannot be read: a file stands where a folder of its path should be";
    case "ELOOP":
      return "is a symbolic link that loops back to itself: replace it with the real file or folder";
    case "EACCES":
    case "EPERM":
      return "cannot be read: permission denied";
    default:
      return undefined;
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A text file of the workspace: its text, undefined when it does not exist, or one sentence saying why it
 * cannot be read as text (a folder in its place, a looping link, binary content), so no caller prints a
 * stack trace or dumps bytes to a terminal.
 */
export async function readWorkspaceText(root: string, file: string): Promise<{ text: string } | { problem: string } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return { problem: await blockedPath(root, file) };
    const problem = pathProblem(error, "file");
    if (problem) return { problem };
    throw error;
  }
  if (bytes.includes(0)) return { problem: "is a binary file, not text: restore it from git history or replace it with text" };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return { problem: "is not UTF-8 text (a binary file?): restore it from git history or save it as UTF-8" };
  }
}

/** Names the file that stands where a folder of `file`'s path should be. */
async function blockedPath(root: string, file: string): Promise<string> {
  const parts = file.split("/");
  for (let depth = 1; depth < parts.length; depth++) {
    const folder = parts.slice(0, depth).join("/");
    const stat = await lstat(join(root, folder)).catch(() => undefined);
    if (stat && !stat.isDirectory()) return `cannot be read: ${folder} is a file where a folder should be`;
  }
  return "cannot be read: a file stands where a folder of its path should be";
}
