-- CreateTable
CREATE TABLE "throttles" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "windowStartedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "throttles_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "throttles_windowStartedAt_idx" ON "throttles"("windowStartedAt");

