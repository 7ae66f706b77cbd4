import { describe, expect, test } from "vitest";
import { renderTemplate } from "../../scripts/core/communication.ts";
import { incidentFrontmatter } from "../../scripts/core/schema/incident.ts";

const now = new Date("2026-11-16T11:40:00Z");
const incident = (status: string, impact = "critical") =>
  incidentFrontmatter.parse({
    id: "inc",
    title: "Payments delayed",
    severity: "SEV-2",
    status,
    impact,
    providers: ["payment-webhooks"],
    started: "2026-11-16T10:45:00Z",
    ...(status === "resolved" && { resolved: "2026-11-16T11:37:00Z" }),
  });
const context = { components: ["Payments", "Login"], now };

describe("communication templates (playbook §6.3.3), owner-safe", () => {
  test("initial: what is affected and when the next update comes", () => {
    expect(renderTemplate("initial", incident("investigating", "major"), context)).toBe(
      "We are investigating problems with Payments and Login. Many requests to Payments and Login are failing. We will post another update within 30 minutes.",
    );
  });

  test("progress: the impact while it lasts, not once a fix is in place", () => {
    expect(renderTemplate("progress", incident("identified"), context)).toBe(
      "We have identified the cause and are working on a fix. Payments and Login are unavailable. We will post another update within 30 minutes.",
    );
    expect(renderTemplate("progress", incident("monitoring"), context)).toBe("A fix is in place and we are monitoring the results. We will post another update within 30 minutes.");
  });

  test("resolution: the window in UTC and that nothing is required", () => {
    expect(renderTemplate("resolution", incident("resolved"), context)).toBe(
      "Between 10:45 UTC and 11:37 UTC, Payments and Login were unavailable or failing for many requests. The problem is resolved and service is operating normally. No action is required from you.",
    );
  });

  test("one component takes the singular", () => {
    expect(renderTemplate("progress", incident("identified"), { components: ["Payments"], now })).toBe(
      "We have identified the cause and are working on a fix. Payments is unavailable. We will post another update within 30 minutes.",
    );
  });

  test("without a public component the text names none", () => {
    expect(renderTemplate("initial", incident("investigating", "minor"), { components: [], now })).toBe(
      "We are investigating problems with one of our services. Some requests to one of our services may be slower or fail. We will post another update within 30 minutes.",
    );
  });
});
