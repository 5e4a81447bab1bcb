#!/usr/bin/env bash
# Compile time of generated code: for dense sigmoid networks of about 100, 1,000 and 10,000
# weights, times the expansion (`symdiff codegen`, the emitter `network!` calls, plus
# prettyplease formatting) and rustc in release (-C opt-level=3) of the generated module as a
# throwaway library crate that depends on nothing; then the real thing: a crate whose lib.rs is
# `symdiff::network!(file = "...")`, built by `cargo build --release` after its dependencies are
# built (so the time is the macro's expansion inside rustc plus the compilation of what it
# expands to). Cargo builds proc macros with the release profile's `build-override`, whose
# default is opt-level 0: the last column sets `opt-level = 3` there, to see what the macro's own
# speed costs (nothing measurable so far). Prints one Markdown table row per network.
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

# The crate that expands `network!` in rustc, with its dependencies built once up front.
crate="$PWD/$out/macro_crate"
mkdir -p "$crate/src"
cat > "$crate/Cargo.toml" <<TOML
[package]
name = "compile-time-probe"
version = "0.1.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
symdiff = { path = "$PWD", default-features = false }
TOML
echo 'symdiff::network!(file = "../../dense_4x6.sd");' > "$crate/src/lib.rs"
dense 4 6 > "$out/dense_4x6.sd"
build_probe() { # $1: build-override opt-level
    CARGO_PROFILE_RELEASE_BUILD_OVERRIDE_OPT_LEVEL="$1" \
        cargo build --release --quiet --manifest-path "$crate/Cargo.toml" --target-dir "$crate/target-o$1"
}
build_probe 0
build_probe 3

echo "| network | weights | expansion (codegen) | rustc -C opt-level=3 | total | generated lines | largest fn (lines) | network! in cargo build --release | same, macro at opt-level 3 |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
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
    echo "symdiff::network!(file = \"../../dense_${size}.sd\");" > "$crate/src/lib.rs"
    t3=$(now)
    build_probe 0
    t4=$(now)
    build_probe 3
    t5=$(now)
    printf '| dense %s | %d | %.2f s | %.2f s | %.2f s | %d | %d | %.2f s | %.2f s |\n' \
        "$size" "$weights" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$(echo "$t2 - $t0" | bc)" \
        "$lines" "$largest" "$(echo "$t4 - $t3" | bc)" "$(echo "$t5 - $t4" | bc)"
done
