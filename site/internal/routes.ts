/** Routes of the internal operations room (built into dist/internal, never deployed publicly). */
export const internalRoutes = [{ pattern: "/", entrypoint: "./site/internal/pages/index.astro" }];
