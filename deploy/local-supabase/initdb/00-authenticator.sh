#!/bin/sh
# First start of the bundled database only (docker-entrypoint-initdb.d): the login role PostgREST
# connects as, with the deployment's password. Persistence's migration 0001 finds it and grants it
# the API roles; it never sets passwords.
set -eu
: "${AUTHENTICATOR_PASSWORD:?AUTHENTICATOR_PASSWORD must be set}"
psql -v ON_ERROR_STOP=1 -v pw="$AUTHENTICATOR_PASSWORD" -U postgres -d "${POSTGRES_DB:-postgres}" <<'SQL'
CREATE ROLE authenticator LOGIN NOINHERIT PASSWORD :'pw';
SQL
