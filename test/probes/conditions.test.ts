import { describe, expect, test } from "vitest";
import { evaluateConditions, formatCondition, parseCondition, parseConditions, type ConditionContext } from "../../scripts/core/conditions.ts";
import { runCli } from "../helpers/cli.ts";
import { edit, exampleWorkspace } from "../helpers/workspace.ts";

function check(text: string, context: ConditionContext) {
  return evaluateConditions(parseConditions([text]), context)[0]!;
}

const body = JSON.stringify({ status: "ok", data: [{ id: 7, tags: ["a", "b"] }], queue: { depth: "42" }, flag: true, empty: null });

describe("condition language: evaluation", () => {
  test.each([
    ["[STATUS] == 200", { status: 200 }, true, "200"],
    ["[STATUS] != 200", { status: 503 }, true, "503"],
    ["[STATUS] < 300", { status: 503 }, false, "503"],
    ["[STATUS] >= 500", { status: 503 }, true, "503"],
    ["[STATUS] == any(200, 204)", { status: 204 }, true, "204"],
    ["[STATUS] == any(200, 204)", { status: 500 }, false, "500"],
    ["[STATUS] != any(500, 502)", { status: 200 }, true, "200"],
    ["[RESPONSE_TIME] < 300", { responseTimeMs: 120.4 }, true, "120"],
    ["[RESPONSE_TIME] <= 1s", { responseTimeMs: 1000 }, true, "1000"],
    ["[RESPONSE_TIME] < 500ms", { responseTimeMs: 812 }, false, "812"],
    ["[BODY].status == ok", { body }, true, "ok"],
    ["[BODY].data[0].id == 7", { body }, true, "7"],
    ["[BODY].data[0].tags[1] == b", { body }, true, "b"],
    ["[BODY].queue.depth > 40", { body }, true, "42"],
    ["[BODY].flag == true", { body }, true, "true"],
    ["[BODY].empty == null", { body }, true, "null"],
    ["[BODY].missing == ok", { body }, false, "nothing"],
    ["len([BODY].data) == 1", { body }, true, "1"],
    ["len([BODY].data[0].tags) >= 2", { body }, true, "2"],
    ["len([BODY]) == 5", { body }, true, "5"],
    ["len([BODY]) == 2", { body: "[1,2]" }, true, "2"],
    ["len([BODY]) == 5", { body: "hello" }, true, "5"],
    ["has([BODY].queue.depth) == true", { body }, true, "true"],
    ["has([BODY].nope) == false", { body }, true, "false"],
    ["[BODY].status == pat(o*)", { body }, true, "ok"],
    ["[BODY].status != pat(err*)", { body }, true, "ok"],
    ["[BODY] == pat(*\"status\":\"ok\"*)", { body }, true, body],
    ["[BODY] == \"hello world\"", { body: "hello world" }, true, "hello world"],
    ["[HEADER].content-type == pat(application/json*)", { headers: { "content-type": "application/json; charset=utf-8" } }, true, "application/json; charset=utf-8"],
    ["[HEADER].X-Cache == HIT", { headers: { "x-cache": "HIT" } }, true, "HIT"],
    ["[HEADER].x-missing == yes", { headers: {} }, false, "nothing"],
    ["[CERT_DAYS] > 14", { certDays: 3.5 }, false, "3.5"],
    ["[CERT_DAYS] > 48h", { certDays: 3 }, true, "3"],
    ["[METRIC].queue_depth < 100", { metrics: { queue_depth: 12 } }, true, "12"],
    ["[METRIC].failed == 0", { metrics: { failed: 3 } }, false, "3"],
    ["[CONNECTED] == true", { connected: false }, false, "false"],
    ["[DNS_RCODE] == NXDOMAIN", { dnsRcode: "NXDOMAIN" }, true, "NXDOMAIN"],
    ["[STATUS] == 200", {}, false, "nothing"],
    ["[BODY].status == [BODY].status", { body }, true, "ok"],
  ] as [string, ConditionContext, boolean, string][])("%s", (text, context, ok, actual) => {
    expect(check(text, context)).toEqual({ text, ok, actual });
  });

  test("ordering operators on text that is not a number fail instead of comparing strings", () => {
    expect(check("[BODY].status > 3", { body })).toEqual({ text: "[BODY].status > 3", ok: false, actual: "ok" });
  });

  test("long values are shortened in the outcome", () => {
    const result = check("[BODY] == short", { body: "x".repeat(500) });
    expect(result.actual).toHaveLength(120);
    expect(result.actual!.endsWith("…")).toBe(true);
  });

  test("outcomes read the way samples and alerts show them", () => {
    expect(formatCondition({ text: "[STATUS] == 200", ok: false, actual: "503" })).toBe("[STATUS] == 200 ✗ got 503");
    expect(formatCondition({ text: "[STATUS] == 200", ok: true, actual: "200" })).toBe("[STATUS] == 200 ✓");
  });
});

describe("condition language: mistakes are named", () => {
  test.each([
    ["[STATUS] 200", "needs an operator (== != <= >= < >) with a space on each side, as in [STATUS] == 200"],
    ["[STATUS]==200", "needs an operator (== != <= >= < >) with a space on each side, as in [STATUS] == 200"],
    ["[STAUS] == 200", 'unknown placeholder "[STAUS]" (did you mean "[STATUS]"?) (placeholders: [STATUS] [RESPONSE_TIME] [BODY] [HEADER] [CERT_DAYS] [METRIC] [CONNECTED] [DNS_RCODE])'],
    ["200 == [STATUS]", 'the left side must be a placeholder such as [STATUS], [BODY].path or len([BODY]), not "200"'],
    ["[STATUS] ==  ", "needs an operator (== != <= >= < >) with a space on each side, as in [STATUS] == 200"],
    ["[STATUS] < pat(2*)", "pat() works only with == and !="],
    ["pat(2*) == [STATUS]", "pat() belongs on the right of == or !="],
    ["[STATUS] > ok", '> compares numbers, but "ok" is not a number'],
    ["len([STATUS]) > 1", "len() works on [BODY] and [HEADER], not [STATUS]"],
    ["has([BODY].a) == maybe", 'has() is true or false: compare it with == true or == false, not "maybe"'],
    ["has([BODY].a) > 1", "has() is true or false: use == or !="],
    ["[HEADER] == x", "[HEADER] needs a name, as in [HEADER].content-type"],
    ["[METRIC] > 1", "[METRIC] needs a name, as in [METRIC].queue_depth"],
    ["[STATUS].code == 200", '[STATUS] takes no path, but ".code" follows it'],
    ["[BODY].a..b == 1", 'cannot read the path ".a..b": use .name for a field and [0] for a list item, as in [BODY].data[0].id'],
    ["[STATUS] == any(200, )", "any() needs values separated by commas, as in any(200, 204)"],
    ["[STATUS] == one(200)", 'unknown function "one()" (functions: len, has, pat, any)'],
    ["", "is empty: write a rule such as [STATUS] == 200"],
  ])("%j", (text, error) => {
    expect(parseCondition(text)).toEqual({ ok: false, error });
  });

  test("a placeholder the check type does not provide is refused", () => {
    expect(parseCondition("[DNS_RCODE] == NOERROR", ["STATUS", "BODY"])).toEqual({
      ok: false,
      error: "[DNS_RCODE] is not available for this check type (placeholders: [STATUS] [BODY])",
    });
  });
});

describe("npm run validate: conditions", () => {
  test("a malformed condition is reported at its file, line and column, with the rule and what is wrong", async () => {
    const root = await exampleWorkspace();
    await edit(root, "checks/providers/health-endpoint.yaml", '"[BODY].status == ok"', '"[BODY].status = ok"');
    await edit(root, "checks/providers/booking.changed.yaml", '"[METRIC].failed < 3"', '"[METRC].failed < 3"');
    await edit(root, "checks/providers/better-auth.yaml", '"[BODY].ok == true"', '"[DNS_RCODE] == NOERROR"');
    const result = await runCli(["validate", "--root", root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "checks/providers/better-auth.yaml:24:9 checks[0].conditions[0]: "[DNS_RCODE] == NOERROR" [DNS_RCODE] is not available for this check type (placeholders: [STATUS] [RESPONSE_TIME] [BODY] [HEADER] [CERT_DAYS] [CONNECTED])
      checks/providers/booking.changed.yaml:30:9 checks[0].degradedConditions[0]: "[METRC].failed < 3" unknown placeholder "[METRC]" (did you mean "[METRIC]"?) (placeholders: [STATUS] [RESPONSE_TIME] [BODY] [HEADER] [CERT_DAYS] [CONNECTED] [METRIC])
      checks/providers/health-endpoint.yaml:24:9 checks[0].conditions[0]: "[BODY].status = ok" needs an operator (== != <= >= < >) with a space on each side, as in [STATUS] == 200
      ✗ 3 errors; nothing was written.
      "
    `);
  });
});
