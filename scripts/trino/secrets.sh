#!/usr/bin/env bash
# Makes this instance's secrets if missing (see env.sh: steward_ensure_secrets) and prints, for `eval`, what a
# client of it needs: the https URL, the certificate to trust and the service user's password.
#
#   eval "$(TRINO_PORT=8091 bash scripts/trino/secrets.sh)"
#   -> STEWARD_TRINO_URL, STEWARD_TRINO_PASSWORD, NODE_EXTRA_CA_CERTS (Node trusts the self-signed certificate)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$HERE/env.sh"
steward_ensure_secrets
printf 'export STEWARD_TRINO_URL=%q STEWARD_TRINO_PASSWORD=%q NODE_EXTRA_CA_CERTS=%q\n' \
  "$TRINO_URL" "$(cat "$TRINO_SERVICE_PASSWORD_FILE")" "$TRINO_CA_CERT"
