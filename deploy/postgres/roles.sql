-- Oversight's database and its two roles (docs/deploy.md, "PostgreSQL"). Run once, as a
-- PostgreSQL superuser, with psql's variables naming them:
--
--   psql -v ON_ERROR_STOP=1 -v db=oversight -v owner=oversight_owner -v app=oversight_app \
--        -v owner_password="..." -v app_password="..." -f deploy/postgres/roles.sql
--
-- The owner role owns the database, its schema and every table: it runs the migrations and
-- nothing else. The application role, which the web and worker processes use, may read and
-- write rows but owns nothing, so it cannot drop or disable the audit log's triggers
-- (core migrations 0003 and 0005), alter a table, or truncate one.

CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE DATABASE :"db" OWNER :"owner" ENCODING 'UTF8' TEMPLATE template0;

\connect :"db"
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"owner", :"app";
-- PostgreSQL 15 and later already keep CREATE in the public schema from everyone else; older
-- ones need saying so.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"owner";
GRANT USAGE ON SCHEMA public TO :"app";
-- Every table and sequence the owner creates from now on (each migration) is open to the
-- application role for rows only.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
