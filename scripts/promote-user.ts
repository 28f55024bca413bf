// `npm run user:promote -- you@example.com`: makes an existing user an admin. The first admin comes from here,
// never from a default password. Takes effect on that user's next request.
import { checkEmail } from "../lib/users/credentials";
import { createDatabaseClient } from "../lib/db/client.server";
import { databaseUrl } from "../lib/db/url";

async function main(argument: string | undefined): Promise<number> {
  const email = checkEmail(argument ?? "");
  if (!email.ok) {
    console.error("Usage: npm run user:promote -- you@example.com");
    return 2;
  }
  const db = createDatabaseClient(databaseUrl());
  try {
    const { count } = await db.user.updateMany({ where: { email: email.value }, data: { role: "admin" } });
    if (count === 0) {
      console.error(`No user has the email ${email.value}. Sign up first, then run this again.`);
      return 1;
    }
    console.log(`${email.value} is now an admin.`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

process.exitCode = await main(process.argv[2]);
