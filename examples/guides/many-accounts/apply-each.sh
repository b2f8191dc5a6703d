#!/bin/sh
# apply-each.sh CLIENT...: the scheduled apply per client workspace (TF=tofu
# for OpenTofu); HEALTH=1 plans -refresh-only instead. Exits 1 on trouble,
# 3 if a client only waits for consent. TF_LOG is unset: it logs tokens.
set -u
umask 077
unset TF_LOG TF_LOG_PROVIDER TF_LOG_CORE TF_LOG_PATH TF_LOG_SDK_PROTO_DATA_DIR TF_WORKSPACE \
  TF_VAR_authorization_code TF_VAR_consent_version
tf="${TF:-terraform}"
[ "$#" -gt 0 ] && [ "${HEALTH:-1}" = 1 ] || { echo "usage: [HEALTH=1] apply-each.sh CLIENT..." >&2; exit 2; }
logs="${LOG_DIR:-./apply-logs}"
mkdir -p "$logs"
failed=0 waiting=0
for c in "$@"; do
  case "$c" in *[!a-z0-9_-]* | -* | "")
    printf 'FAILED   %s: name outside [a-z0-9_-]\n' "$(printf '%s' "$c" | tr -c 'a-z0-9_-' '?')"; failed=1; continue ;;
  esac
  log="$logs/$c.log"
  if ! "$tf" workspace select "$c" >"$log" 2>&1; then
    printf 'FAILED   %s: no workspace, or no backend (%s)\n' "$c" "$log"; failed=1
  elif ! state="$("$tf" state list 2>"$log.err")" && ! grep -qF 'No state file was found' "$log.err"; then
    cat "$log.err" >>"$log"
    printf 'FAILED   %s: state not readable (%s)\n' "$c" "$log"; failed=1
  elif ! printf '%s\n' "$state" | grep -qx 'pinterest_oauth_token.etl'; then
    printf 'WAITING  %s: no token set (its first consent, or a lost state)\n' "$c"; waiting=1
  elif [ "${HEALTH:-}" = 1 ]; then
    "$tf" plan -refresh-only -lock=false -input=false -no-color >"$log.plan" 2>&1; status=$?
    cat "$log.plan" >>"$log"
    error="$(grep -m1 'Error: ' "$log.plan" | sed 's/.*Error: //')"
    warning="$(grep -m1 'Warning: ' "$log.plan" | sed 's/.*Warning: //')"
    if [ "$status" != 0 ]; then
      printf 'FAILED   %s: %s (%s)\n' "$c" "${error:-see the log}" "$log"; failed=1
    elif [ -n "$warning" ]; then
      printf 'WARNING  %s: %s (%s)\n' "$c" "$warning" "$log"; failed=1
    else
      printf 'OK       %s\n' "$c"
    fi
  elif "$tf" apply -input=false -auto-approve -no-color >>"$log" 2>&1; then
    printf 'OK       %s\n' "$c"
  else
    title="$(grep -m1 'Error: ' "$log" | sed 's/.*Error: //')"
    printf 'FAILED   %s: %s (%s)\n' "$c" "${title:-see the log}" "$log"; failed=1
  fi
  rm -f "$log.err" "$log.plan"
done
"$tf" workspace select default >/dev/null 2>&1
[ "$failed" = 0 ] || exit 1
[ "$waiting" = 0 ] || exit 3
