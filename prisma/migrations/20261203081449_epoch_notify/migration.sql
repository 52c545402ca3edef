-- Every change of the epoch is announced on the channel steward_epoch (payload: the new value), at commit:
-- console processes LISTEN and answer the view API from the epoch they heard instead of reading it per request
-- (lib/server/view-snapshot.ts). A trigger rather than the application's own NOTIFY, so that every writer of the
-- row (a script, a test, an operator's UPDATE) is heard too.
CREATE FUNCTION "steward_epoch_notify"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('steward_epoch', NEW."value"::text);
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Epoch_notify" AFTER INSERT OR UPDATE ON "Epoch" FOR EACH ROW EXECUTE FUNCTION "steward_epoch_notify"();
