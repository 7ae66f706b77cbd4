import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { generatedReferences } from "../scripts/references.ts";
import { REPO } from "./helpers/workspace.ts";

describe("generated references", () => {
  test("the committed JSON Schemas and docs/configuration.md are up to date (run `npm run references`)", async () => {
    for (const [file, content] of generatedReferences()) {
      expect(await readFile(join(REPO, file), "utf8"), `${file} is stale: run npm run references`).toBe(content);
    }
  });

  test("every YAML file in checks/ names its JSON Schema for editor completion", async () => {
    const expectations: [string, string][] = [
      ["checks/signalroom.yaml", "../docs/schema/signalroom.schema.json"],
      ["checks/alert-rules.yaml", "../docs/schema/alert-rules.schema.json"],
      ...(await readdir(join(REPO, "checks/providers"))).map((name): [string, string] => [`checks/providers/${name}`, "../../docs/schema/provider.schema.json"]),
    ];
    for (const [file, schema] of expectations) {
      const firstLine = (await readFile(join(REPO, file), "utf8")).split("\n")[0];
      expect(firstLine, file).toBe(`# yaml-language-server: $schema=${schema}`);
    }
  });

  test("the JSON Schemas accept the example files and reject a misspelt field", async () => {
    const files = generatedReferences();
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validator = (name: string) => ajv.compile(JSON.parse(files.get(`docs/schema/${name}.schema.json`)!));
    const provider = validator("provider");
    const config = validator("signalroom");
    const rules = validator("alert-rules");
    const read = async (file: string) => parse(await readFile(join(REPO, file), "utf8"));

    expect(config(await read("checks/signalroom.yaml")), JSON.stringify(config.errors)).toBe(true);
    expect(rules(await read("checks/alert-rules.yaml")), JSON.stringify(rules.errors)).toBe(true);
    for (const name of await readdir(join(REPO, "checks/providers"))) {
      expect(provider(await read(`checks/providers/${name}`)), `${name}: ${JSON.stringify(provider.errors)}`).toBe(true);
    }
    const misspelt = { ...(await read("checks/providers/postgres-database.yaml")), protect: "typo" };
    expect(provider(misspelt)).toBe(false);
    expect(provider.errors?.some((error) => error.keyword === "additionalProperties")).toBe(true);
  });
});
