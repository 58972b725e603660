-- The application role's rights, after every `manage.py migrate` (docs/deploy.md). Safe to
-- run again. Run as the owner role or a superuser:
--
--   psql -v ON_ERROR_STOP=1 -v app=oversight_app -d oversight -f deploy/postgres/grants.sql
--
-- The default privileges of roles.sql already open each new table to the application role;
-- this catches tables made before them (a restored backup) and closes the audit log.

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
-- The audit log is append-only: the application adds events and reads them, never changes
-- or removes one. Its triggers refuse UPDATE, DELETE and TRUNCATE from anyone; without the
-- rights the application role is refused before they are reached.
REVOKE UPDATE, DELETE, TRUNCATE ON core_auditevent FROM :"app";
