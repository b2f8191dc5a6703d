#!/bin/sh
# apply-each.sh CLIENT...: the scheduled apply per client workspace, after
# terraform init; exits 1 if any failed. TF_LOG is unset: debug lines hold tokens.
set -u
umask 077
unset TF_LOG TF_LOG_PROVIDER TF_LOG_CORE TF_LOG_PATH
[ "$#" -gt 0 ] || { echo "usage: apply-each.sh CLIENT..." >&2; exit 2; }
logs="${LOG_DIR:-./apply-logs}"
mkdir -p "$logs"
failed=0
for c in "$@"; do
  case "$c" in *[!a-z0-9_-]* | -* | "")
    printf 'FAILED   %s: not a workspace name\n' "$c"; failed=1; continue ;;
  esac
  log="$logs/$c.log"
  if ! terraform workspace select "$c" >"$log" 2>&1; then
    printf 'FAILED   %s: no workspace\n' "$c"; failed=1
  elif ! state="$(terraform state list 2>>"$log")" && ! grep -q 'No state file was found' "$log"; then
    printf 'FAILED   %s: state not readable (%s)\n' "$c" "$log"; failed=1
  elif ! printf '%s\n' "$state" | grep -qx 'pinterest_oauth_token.etl'; then
    printf 'WAITING  %s: no token set yet (its first consent)\n' "$c"
  elif terraform apply -input=false -auto-approve -no-color >>"$log" 2>&1; then
    printf 'OK       %s\n' "$c"
  else
    printf 'FAILED   %s: %s (%s)\n' "$c" "$(grep -m1 'Error: ' "$log" | sed 's/.*Error: //')" "$log"
    failed=1
  fi
done
terraform workspace select default >/dev/null 2>&1
exit "$failed"
