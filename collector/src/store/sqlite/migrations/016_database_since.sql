-- Since when this database exists (issue 21), so the scheduler never catches up on slots from before it: a fresh
-- install started on a Tuesday does not send Monday's overview. One row, written by the first scheduler start
-- (store.databaseInfo.since): the oldest client, agent, user or job run if there are any (an upgraded database),
-- else that start's time.
CREATE TABLE database_info (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  created_at  INTEGER NOT NULL
);
