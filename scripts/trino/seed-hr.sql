-- Backing data for the Steward demo and tests: memory.hr.employees, 1500 rows, derived deterministically
-- from tpch.tiny.customer (custkey 1..1500). Run by start.sh as user `steward` at every Trino start
-- (the memory catalog lives in RAM); safe to re-run: it drops and recreates the table.
--
-- Derivations (all pure functions of the customer row, so every run yields identical data):
--   id          custkey
--   name        first name  (custkey-1) % 30  x  last name ((custkey-1) / 30) % 50  -> 1500 distinct names
--   email       first.last@example.com (lower case; distinct because names are)
--   ssn         9 digits of (custkey * 611953 + 100000000) mod 1e9 as 'ddd-dd-dddd' (distinct per row)
--   phone       customer.phone ('25-989-741-2988')
--   salary      decimal(12,2): 45000 + (acctbal + 1000) * 10  -> 45000.00 .. 154999.90
--   region      nationkey % 3: 0 -> 'EU' (535 rows), 1 -> 'US' (493), 2 -> 'APAC' (472)
--   department  mktsegment (~280-340 each): AUTOMOBILE->Engineering, BUILDING->Operations, FURNITURE->Sales,
--               HOUSEHOLD->Support, MACHINERY->Finance
--   hire_date   2010-01-04 + (custkey * 37) % 5475 days
--   updated_at  timestamp(3) 2025-01-01 00:00:00.000 + (custkey * 7919) % 31536000 s + custkey % 1000 ms
--   active      custkey % 10 <> 0 (90% true)
--   rating      double 1.00 .. 4.99 (400 distinct): round(1 + ((custkey * 31) % 400) / 100e0, 2)
--   level       integer 1 .. 7: 1 + custkey % 7

CREATE SCHEMA IF NOT EXISTS memory.hr;

DROP TABLE IF EXISTS memory.hr.employees;

CREATE TABLE memory.hr.employees AS
WITH c AS (
  SELECT
    custkey, phone, acctbal, nationkey, mktsegment,
    element_at(ARRAY[
      'Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Edsger',
      'Radia', 'Tim', 'Hedy', 'John', 'Katherine', 'Donald', 'Sophie', 'Niklaus', 'Joan', 'Bjarne',
      'Anita', 'Guido', 'Shafi', 'James', 'Lynn', 'Leslie', 'Mary', 'Whitfield', 'Jean', 'Robin'
    ], CAST((custkey - 1) % 30 AS integer) + 1) AS first_name,
    element_at(ARRAY[
      'Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Dijkstra',
      'Perlman', 'Berners', 'Lamarr', 'McCarthy', 'Johnson', 'Knuth', 'Wilson', 'Wirth', 'Clarke', 'Stroustrup',
      'Borg', 'Rossum', 'Goldwasser', 'Gosling', 'Conway', 'Lamport', 'Keller', 'Diffie', 'Bartik', 'Milner',
      'Kay', 'Cerf', 'Kahn', 'Backus', 'Hoare', 'Codd', 'Gray', 'Stonebraker', 'Bachman', 'Chen',
      'Sutherland', 'Engelbart', 'Hellman', 'Rivest', 'Shamir', 'Adleman', 'Karp', 'Cook', 'Tarjan', 'Hennessy'
    ], CAST(((custkey - 1) / 30) % 50 AS integer) + 1) AS last_name,
    format('%09d', (custkey * 611953 + 100000000) % 1000000000) AS ssn_digits
  FROM tpch.tiny.customer
)
SELECT
  CAST(custkey AS bigint) AS id,
  CAST(first_name || ' ' || last_name AS varchar) AS name,
  CAST(lower(first_name || '.' || last_name) || '@example.com' AS varchar) AS email,
  CAST(substr(ssn_digits, 1, 3) || '-' || substr(ssn_digits, 4, 2) || '-' || substr(ssn_digits, 6, 4) AS varchar) AS ssn,
  CAST(phone AS varchar) AS phone,
  CAST(45000 + (acctbal + 1000) * 10 AS decimal(12, 2)) AS salary,
  CAST(CASE nationkey % 3 WHEN 0 THEN 'EU' WHEN 1 THEN 'US' ELSE 'APAC' END AS varchar) AS region,
  CAST(CASE mktsegment
    WHEN 'AUTOMOBILE' THEN 'Engineering'
    WHEN 'BUILDING' THEN 'Operations'
    WHEN 'FURNITURE' THEN 'Sales'
    WHEN 'HOUSEHOLD' THEN 'Support'
    ELSE 'Finance'
  END AS varchar) AS department,
  date_add('day', (custkey * 37) % 5475, DATE '2010-01-04') AS hire_date,
  date_add('millisecond', custkey % 1000,
    date_add('second', (custkey * 7919) % 31536000, CAST(TIMESTAMP '2025-01-01 00:00:00.000' AS timestamp(3)))) AS updated_at,
  custkey % 10 <> 0 AS active,
  round(1 + ((custkey * 31) % 400) / 100e0, 2) AS rating,
  CAST(1 + custkey % 7 AS integer) AS level
FROM c
ORDER BY custkey;
