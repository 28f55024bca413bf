// `npm start`: applies pending migrations, then starts the production server. The server itself refuses to
// start without a valid SESSION_SECRET (instrumentation.ts).
import { bin, run } from "./lib.mjs";
import { prepareDatabase } from "./prepare-db.mjs";

await prepareDatabase();
await run(bin("next"), ["start", ...process.argv.slice(2)]).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
