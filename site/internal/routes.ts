/** Routes of the internal operations room (built into dist/internal, never deployed publicly). */
const page = (name: string) => `./site/internal/pages/${name}.astro`;

export const internalRoutes = [
  { pattern: "/", entrypoint: page("index") },
  { pattern: "/providers/[id]", entrypoint: page("provider") },
  { pattern: "/dashboard", entrypoint: page("dashboard") },
  { pattern: "/alerts", entrypoint: page("alerts") },
  { pattern: "/incidents", entrypoint: page("incidents") },
  { pattern: "/incidents/[id]", entrypoint: page("incident") },
  { pattern: "/log/[...filter]", entrypoint: page("log") },
];
