// validate: JUnit XML for CI: one test case per check; a failing check carries its own findings and their suggestions.
import type { ValidationReport } from "../config/validation-report.js";
import { escapeXml } from "./markup.js";


export function renderJunitReport(report: ValidationReport): string {
  const failed = report.checks.filter((c) => !c.passed).length;
  const cases = report.checks.map((c) => {
    const open = `    <testcase classname="recomp.validate.${escapeXml(report.name)}" name="${escapeXml(c.name)}">`;
    if (c.passed) return `${open}</testcase>`;
    const own = report.failures.filter((f) => f.check === c.name);
    const details = own.map((f) => `[${f.category}] ${f.message}\n  ${f.suggestion}`).join("\n");
    const message = `${c.name}: ${String(c.value)} (limit ${String(c.limit)})${own[0] === undefined ? "" : `: ${own[0].message}`}`;
    return `${open}\n      <failure message="${escapeXml(message)}">${escapeXml(details)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${report.checks.length}" failures="${failed}">`,
    `  <testsuite name="recomp validate ${escapeXml(report.name)}" tests="${report.checks.length}" failures="${failed}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
