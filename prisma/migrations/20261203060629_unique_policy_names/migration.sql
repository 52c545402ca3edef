-- CreateIndex
CREATE UNIQUE INDEX "DataPolicy_name_key" ON "DataPolicy"("name");
