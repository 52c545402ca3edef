-- CreateTable
CREATE TABLE "ProjectDataSource" (
    "projectId" TEXT NOT NULL,
    "dataSourceId" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectDataSource_pkey" PRIMARY KEY ("projectId","dataSourceId")
);

-- CreateIndex
CREATE INDEX "ProjectDataSource_dataSourceId_idx" ON "ProjectDataSource"("dataSourceId");

-- AddForeignKey
ALTER TABLE "ProjectDataSource" ADD CONSTRAINT "ProjectDataSource_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDataSource" ADD CONSTRAINT "ProjectDataSource_dataSourceId_fkey" FOREIGN KEY ("dataSourceId") REFERENCES "DataSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;
