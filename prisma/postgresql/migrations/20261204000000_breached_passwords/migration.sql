-- AlterTable
ALTER TABLE "users" ADD COLUMN     "passwordBreachedAt" TIMESTAMP(3);
