#!/usr/bin/env bash
# Install Debian's Chromium and a CJK TrueType font for the browser tests (tests/e2e/), run as root.
# Idempotent: an installed chromium or font is kept. Another apt may hold the lock: wait and retry.
set -euo pipefail

log() { echo "chromium.sh: $*" >&2; }

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "WenQuanYi Zen Hei" || need+=(fonts-wqy-zenhei)

if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  ok=0
  for i in $(seq 1 20); do
    if apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >&2; then
      ok=1; break
    fi
    log "apt busy or failed, retrying in 15 s ($i)"; sleep 15
  done
  [ "$ok" = 1 ] || { log "could not install ${need[*]}"; exit 1; }
  fc-cache -f >/dev/null 2>&1 || true
fi

[ -x /usr/bin/chromium ] || { log "/usr/bin/chromium missing after install"; exit 1; }
/usr/bin/chromium --version >&2 || true
log "ok"
