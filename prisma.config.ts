// The Prisma CLI's configuration. DATABASE_URL picks the database, and with it the schema and migrations folder
// (prisma/sqlite or prisma/postgresql). Migrations run in the WebAssembly schema engine through a driver adapter,
// so no native engine is ever downloaded (docs/decisions/0002-prisma-without-engines.md).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { databaseProvider, databaseUrl, sqliteFilePath } from "./lib/db/url";

const url = databaseUrl();
const provider = databaseProvider(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", provider, "schema.prisma"),
  migrations: { path: path.join("prisma", provider, "migrations") },
  async adapter() {
    if (provider === "postgresql") {
      // adapter-pg 7.x, which the app's 6.19 client also runs on: 6.19's cannot read PostgreSQL's `name` type,
      // which migrations query (prisma/orm#27403; docs/decisions/0014-prisma-stays-on-6.md).
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: url });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({ url: sqliteFilePath(url) });
  },
});
