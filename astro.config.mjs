// Two sites from one source: SIGNALROOM_SITE picks the routes (public or internal) and the output folder.
// The build command (scripts/commands/build.ts) sets these; see README "Architecture".
import { defineConfig } from "astro/config";
import { internalRoutes } from "./site/internal/routes.ts";
import { publicRoutes } from "./site/public/routes.ts";

const target = process.env.SIGNALROOM_SITE === "internal" ? "internal" : "public";
const routes = target === "internal" ? internalRoutes : publicRoutes;

export default defineConfig({
  srcDir: "./site",
  outDir: process.env.SIGNALROOM_OUT ?? `./dist/${target}`,
  site: process.env.SIGNALROOM_URL || undefined,
  base: process.env.SIGNALROOM_BASE || "/",
  trailingSlash: "ignore",
  build: { format: "directory" },
  devToolbar: { enabled: false },
  integrations: [
    {
      name: "signalroom-routes",
      hooks: {
        "astro:config:setup": ({ injectRoute }) => {
          for (const route of routes) injectRoute(route);
        },
      },
    },
  ],
});
