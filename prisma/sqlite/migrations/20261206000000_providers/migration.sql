-- CreateTable
CREATE TABLE "provider_accounts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "email" TEXT,
    "mailboxProven" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "provider_accounts_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "provider_transactions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "provider" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_users" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT,
    "role" TEXT NOT NULL DEFAULT 'user',
    "emailVerifiedAt" DATETIME,
    "passwordBreachedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_users" ("createdAt", "email", "emailVerifiedAt", "id", "passwordBreachedAt", "passwordHash", "role", "updatedAt") SELECT "createdAt", "email", "emailVerifiedAt", "id", "passwordBreachedAt", "passwordHash", "role", "updatedAt" FROM "users";
DROP TABLE "users";
ALTER TABLE "new_users" RENAME TO "users";
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
CREATE TABLE "new_pending_sign_ins" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "returnTo" TEXT NOT NULL,
    "method" TEXT NOT NULL DEFAULT 'password',
    "userAgent" TEXT,
    "ipPrefix" TEXT,
    CONSTRAINT "pending_sign_ins_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_pending_sign_ins" ("createdAt", "expiresAt", "failures", "ipPrefix", "returnTo", "tokenHash", "userAgent", "userId") SELECT "createdAt", "expiresAt", "failures", "ipPrefix", "returnTo", "tokenHash", "userAgent", "userId" FROM "pending_sign_ins";
DROP TABLE "pending_sign_ins";
ALTER TABLE "new_pending_sign_ins" RENAME TO "pending_sign_ins";
CREATE INDEX "pending_sign_ins_userId_idx" ON "pending_sign_ins"("userId");
CREATE INDEX "pending_sign_ins_expiresAt_idx" ON "pending_sign_ins"("expiresAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "provider_accounts_issuer_subject_key" ON "provider_accounts"("issuer", "subject");

-- CreateIndex
CREATE UNIQUE INDEX "provider_accounts_userId_provider_key" ON "provider_accounts"("userId", "provider");

-- CreateIndex
CREATE INDEX "provider_transactions_expiresAt_idx" ON "provider_transactions"("expiresAt");

