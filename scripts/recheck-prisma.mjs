// `node scripts/recheck-prisma.mjs [version]`: can this Prisma major migrate on a machine that reaches only the npm
// registry? Installs that version of prisma and @prisma/client (default: the registry's latest) into a temporary
// folder, and runs `generate`, `db push` and `migrate deploy` on a one-model SQLite schema there. It answers
// "yes" only when all three pass; a download from anywhere else fails on such a machine, and the output says
// which command wanted one. docs/decisions/0014-prisma-stays-on-6.md is the decision it re-checks;
// run it on such a machine (as this project's are): where every host answers, any version passes.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const version = process.argv[2] ?? "latest";
const dir = mkdtempSync(join(tmpdir(), "tessera-prisma-recheck-"));

const sh = (command, args) => execFileSync(command, args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 });

/** Runs one Prisma command; its last lines of output when it fails, null when it passes. */
function attempt(args) {
  try {
    sh("npx", ["--no-install", "prisma", ...args]);
    return null;
  } catch (error) {
    return `${error.stdout ?? ""}${error.stderr ?? ""}`.trim().split("\n").slice(-3).join("\n");
  }
}

try {
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "prisma-recheck", private: true, type: "module" }));
  console.log(`Installing prisma@${version} and @prisma/client@${version} into ${dir}...`);
  sh("npm", ["install", "--no-audit", "--no-fund", `prisma@${version}`, `@prisma/client@${version}`]);
  const installed = JSON.parse(sh("node", ["-p", "JSON.stringify(require('prisma/package.json').version)"]));
  mkdirSync(join(dir, "prisma"));
  writeFileSync(
    join(dir, "prisma", "schema.prisma"),
    'generator client {\n  provider = "prisma-client"\n  output   = "../generated"\n}\n' +
      'datasource db {\n  provider = "sqlite"\n}\n' +
      "model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n",
  );
  writeFileSync(
    join(dir, "prisma.config.ts"),
    'import { defineConfig } from "prisma/config";\n' +
      'export default defineConfig({ schema: "prisma/schema.prisma", migrations: { path: "prisma/migrations" }, datasource: { url: "file:./recheck.db" } });\n',
  );
  let failures = 0;
  for (const args of [["generate"], ["db", "push"], ["migrate", "deploy"]]) {
    const failure = attempt(args);
    console.log(`prisma ${args.join(" ")}: ${failure === null ? "passes" : `fails\n  ${failure.replaceAll("\n", "\n  ")}`}`);
    if (failure !== null) failures++;
  }
  console.log(
    failures === 0
      ? `Prisma ${installed} migrates with the npm registry alone: the decision can be revisited.`
      : `Prisma ${installed} cannot migrate with the npm registry alone: stay on 6.19.`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
