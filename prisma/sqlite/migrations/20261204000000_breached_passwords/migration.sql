-- AlterTable
ALTER TABLE "users" ADD COLUMN "passwordBreachedAt" DATETIME;
