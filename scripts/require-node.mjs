// Plain JavaScript on purpose: this file must run on any Node.js to tell people on an old one what to do.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Signalroom needs Node.js 22.12 or newer and this is Node.js ${process.versions.node}: run \`nvm install\` in this folder (it reads .nvmrc) or install Node.js 22 LTS from nodejs.org, then run the command again.`,
  );
  process.exit(1);
}
