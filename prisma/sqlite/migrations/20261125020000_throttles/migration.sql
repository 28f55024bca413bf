-- CreateTable
CREATE TABLE "throttles" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "windowStartedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "throttles_windowStartedAt_idx" ON "throttles"("windowStartedAt");

