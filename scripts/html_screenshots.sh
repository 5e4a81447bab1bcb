#!/usr/bin/env bash
# The screenshots of `symdiff explain --format html` kept in docs/html/ (and shown in the
# README): each lecture example's page in headless Chromium at 1400x1000, with a derivative
# chosen through the page's address (#w1/2: ∂E/∂w1, its second path). Look at each before
# committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --bin symdiff
bin=target/debug/symdiff
out=docs/html
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shot() { # name fragment args...
  local name=$1 fragment=$2
  shift 2
  "$bin" explain "$@" --format html -o "$tmp/$name.html" >/dev/null
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile" \
    --window-size=1400,1000 --screenshot="$out/$name.png" "file://$tmp/$name.html#$fragment" 2>/dev/null
}
shot two_weights "w1/1/step=2"
shot five_weights "w1/2" examples/lecture/five_weights.sd --at x_t=1,y_t=1 --steps 2
shot composite3 "w/1" examples/lecture/composite3.sd --at w=0
shot three_three_four "w" examples/lecture/indexed/three_three_four.sd --at 'x=[1,1,1],t=[0,1,0,1]'
ls -la "$out"
