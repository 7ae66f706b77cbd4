// Entry for the npm scripts: checks the Node.js version before loading TypeScript, which older Node.js cannot run.
import "./require-node.mjs";

await import("./cli.ts");
