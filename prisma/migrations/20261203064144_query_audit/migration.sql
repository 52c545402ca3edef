-- CreateEnum
CREATE TYPE "QueryAuditState" AS ENUM ('SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "QueryAudit" (
    "id" TEXT NOT NULL,
    "queryId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "principal" TEXT,
    "source" TEXT,
    "project" TEXT,
    "epoch" INTEGER,
    "state" "QueryAuditState" NOT NULL,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "query" TEXT NOT NULL,
    "queryTruncated" BOOLEAN NOT NULL DEFAULT false,
    "views" JSONB NOT NULL,
    "denials" JSONB NOT NULL,
    "viewNames" TEXT[],
    "dataSourceIds" TEXT[],
    "policyIds" TEXT[],
    "policyNames" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QueryAudit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "QueryAudit_queryId_key" ON "QueryAudit"("queryId");

-- CreateIndex
CREATE INDEX "QueryAudit_createdAt_idx" ON "QueryAudit"("createdAt");

-- CreateIndex
CREATE INDEX "QueryAudit_username_createdAt_idx" ON "QueryAudit"("username", "createdAt");

-- CreateIndex
CREATE INDEX "QueryAudit_dataSourceIds_idx" ON "QueryAudit" USING GIN ("dataSourceIds");

-- CreateIndex
CREATE INDEX "QueryAudit_policyIds_idx" ON "QueryAudit" USING GIN ("policyIds");
