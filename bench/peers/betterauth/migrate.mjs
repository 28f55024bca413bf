// Creates better-auth's tables in PEER_DATABASE_FILE (its own migration API), before the server starts.
import { getMigrations } from "better-auth/db/migration";
import { auth } from "./auth.js";

const { runMigrations } = await getMigrations(auth.options);
await runMigrations();
