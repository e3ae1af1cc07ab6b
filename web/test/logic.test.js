// The client's own logic, without a browser (Vitest, run by `python3 dev test`). The rules shared with the
// server (totals, capitals) are also checked against the server's by tests/unit/test_totals_twin.py.
import { describe, expect, it } from "vitest";
import { conditionalFields, notApplying, without } from "../src/forms/conditional.js";
import { fieldName, nameOf } from "../src/forms/fieldNames.js";
import { normalized } from "../src/forms/normalize.js";
import { compute, minutes } from "../src/forms/totals.js";
import { periodsOffered } from "../src/desk/payRunPeriods.js";
import { markSent, statusText, takeSent } from "../src/status.js";

const t = {
  statuses: { at_payroll: "Hos Lönecentrum", submitted: "Inskickad" },
  approvedStatuses: { at_payroll: "Beviljad – hos Lönecentrum" },
};

describe("running totals", () => {
  const spec = { rows: "rows", by: "activity", start: "from", end: "to", hours: "hours", into: "totals" };
  it("sums per activity, past midnight, and by given hours", () => {
    const rows = [
      { activity: "A", from: "22:00", to: "01:30" },
      { activity: "B", hours: 2 },
      { activity: "A", from: "08:00" },
    ];
    expect(compute(spec, { rows })).toEqual({ A: 3.5, B: 2 });
  });
  it("makes one sum without groups", () => {
    const shifts = { rows: "rows", start: "from", end: "to", into: "totals" };
    expect(compute(shifts, { rows: [{ from: "16:00", to: "19:30" }, { from: "22:00", to: "02:00" }] })).toEqual({ "": 7.5 });
  });
  it("reads only well-formed times", () => {
    expect([minutes("07:05"), minutes("24:00"), minutes("7:05"), minutes(705)]).toEqual([425, null, null, null]);
  });
});

describe("answers as the form keeps them", () => {
  it("writes a declared code in capitals and nothing else", () => {
    const schema = { properties: { code: { type: "string", "x-case": "upper" }, note: { type: "string" } } };
    expect(normalized(schema, { code: "proj1", note: "lunch" })).toEqual({ code: "PROJ1", note: "lunch" });
  });
});

describe("errors name their field as the form labels it", () => {
  const schema = { properties: { rows: { title: "Rader", items: { properties: { date: { title: "Datum" } } } } } };
  it("numbers rows from one", () => {
    expect(nameOf(fieldName(schema, ["rows", "2", "date"]), "Rad")).toBe("Rad 3, Datum");
    expect(nameOf(fieldName(schema, ["rows", "0"]), "Rad")).toBe("Rad 1");
  });
});

describe("statuses and the receipt", () => {
  it("says the outcome first once approved", () => {
    expect(statusText({ status: "at_payroll", approved: true }, t)).toBe("Beviljad – hos Lönecentrum");
    expect(statusText({ status: "at_payroll", approved: false }, t)).toBe("Hos Lönecentrum");
  });
  it("opens a case as the receipt once, just after sending", () => {
    markSent("01ABC");
    expect(takeSent("01XYZ")).toBe(false);
    expect(takeSent("01ABC")).toBe(true);
    expect(takeSent("01ABC")).toBe(false);
  });
});

describe("fields that apply only under a condition", () => {
  const schema = {
    properties: { leaveType: { type: "string" }, childBirthDate: { type: "string" }, reason: { type: "string" } },
    allOf: [
      {
        if: { properties: { leaveType: { const: "foraldraledighet" } }, required: ["leaveType"] },
        then: { required: ["childBirthDate"] },
        else: { not: { required: ["childBirthDate"] } },
      },
      { if: { properties: { leaveType: { const: "annan" } } }, then: { required: ["reason"] } },
    ],
  };
  const holds = (condition, data) => data.leaveType === condition.properties.leaveType.const;
  it("are those a rule requires and otherwise forbids", () => {
    expect(conditionalFields(schema)).toEqual([{ names: ["childBirthDate"], when: schema.allOf[0].if }]);
  });
  it("show only while their condition holds, and lose what was typed when it stops", () => {
    expect(notApplying(schema, { leaveType: "semester" }, holds)).toEqual(["childBirthDate"]);
    expect(notApplying(schema, { leaveType: "foraldraledighet" }, holds)).toEqual([]);
    expect(without({ leaveType: "semester", childBirthDate: "2026-01-01" }, ["childBirthDate"])).toEqual({ leaveType: "semester" });
  });
});

describe("the pay periods a file may be made for", () => {
  const now = ["2026-12", "2027-01"];
  it("offers this month, the next and any still waiting, this month first", () => {
    expect(periodsOffered(["2026-11"], null, now)).toEqual({ offered: ["2026-11", "2026-12", "2027-01"], chosen: "2026-12" });
  });
  it("offers none before the newest file made: what they hold goes into the next", () => {
    expect(periodsOffered(["2026-10"], "2026-12", now)).toEqual({ offered: ["2026-12", "2027-01"], chosen: "2026-12" });
    expect(periodsOffered([], "2027-01", now)).toEqual({ offered: ["2027-01"], chosen: "2027-01" });
  });
});
