/** Routes of the public site; each entry point may import only ./data.ts (the public view). */
export const publicRoutes = [{ pattern: "/", entrypoint: "./site/public/pages/index.astro" }];
