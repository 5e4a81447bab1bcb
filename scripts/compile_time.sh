#!/usr/bin/env bash
# Compile time of generated code: for dense sigmoid networks of about 100, 1,000 and 10,000
# weights, times the expansion (`symdiff codegen`, the emitter `network!` calls, plus
# prettyplease formatting) and rustc in release (-C opt-level=3) of the generated module as a
# throwaway library crate that depends on nothing. Prints one Markdown table row per network.
#
#   scripts/compile_time.sh            # all three sizes
#   scripts/compile_time.sh 4x6        # one size, WIDTHxDEPTH
#
# Work files go to target/compile_time/. Results are in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/compile_time
mkdir -p "$out"
cargo build --release --quiet --bin symdiff
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(4x6 10x10 20x25)

# `network dense` as tests/common/mod.rs writes it: WIDTH inputs, DEPTH sigmoid layers of WIDTH
# units fully connected to the previous layer, one linear output, squared loss.
dense() {
    awk -v W="$1" -v D="$2" 'BEGIN {
        print "network dense {"
        s = "    input x1"; for (i = 2; i <= W; i++) s = s ", x" i; print s; print "    target t"
        for (i = 1; i <= W; i++) prev[i] = "x" i
        for (l = 1; l <= D; l++) {
            for (j = 1; j <= W; j++) {
                rhs = ""
                for (i = 1; i <= W; i++) {
                    w = "w" l "_" j "_" i; print "    param " w
                    rhs = rhs (i > 1 ? " + " : "") w "*" prev[i]
                }
                print "    s" l "_" j " = " rhs
                print "    h" l "_" j " = sigmoid(s" l "_" j ")"
            }
            for (j = 1; j <= W; j++) prev[j] = "h" l "_" j
        }
        out = ""
        for (i = 1; i <= W; i++) { print "    param v" i; out = out (i > 1 ? " + " : "") "v" i "*" prev[i] }
        print "    output y = " out
        print "    loss E = 1/2*(t - y)^2"
        print "}"
    }'
}

now() { date +%s.%N; }

echo "| network | weights | expansion (codegen) | rustc -C opt-level=3 | total | generated lines | largest fn (lines) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for size in "${sizes[@]}"; do
    w=${size%x*}
    d=${size#*x}
    sd="$out/dense_${size}.sd"
    rs="$out/dense_${size}.rs"
    dense "$w" "$d" > "$sd"
    weights=$(grep -c '^    param' "$sd")
    t0=$(now)
    target/release/symdiff codegen "$sd" > "$rs"
    t1=$(now)
    rustc --edition 2021 --crate-type lib -C opt-level=3 --out-dir "$out" --crate-name "dense_${size}" "$rs"
    t2=$(now)
    lines=$(wc -l < "$rs")
    # The longest function: lines from a `fn` line to its closing brace at the same indent
    # (prettyplease output; doc comments and structs between functions not counted).
    largest=$(awk '
        match($0, /^ *((pub|#\[inline\(never\)\]) )?fn /) && !in_fn { in_fn = 1; n = 0; end = substr($0, 1, index($0, "fn") - 1); sub(/[^ ].*/, "", end); end = end "}" }
        in_fn { n++; if ($0 == end) { in_fn = 0; if (n > m) m = n } }
        END { print m }' "$rs")
    printf '| dense %s | %d | %.2f s | %.2f s | %.2f s | %d | %d |\n' \
        "$size" "$weights" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$(echo "$t2 - $t0" | bc)" \
        "$lines" "$largest"
done
