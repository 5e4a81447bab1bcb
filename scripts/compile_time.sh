#!/bin/sh
# What an indexed network adds to `cargo build --release` of a user crate, beyond its
# dependencies: builds a crate that depends on symdiff (default-features = false) once without
# a network (the dependencies), then times the crate alone with each network through
# `network!` (the 784-128-10 MNIST MLP in f32, the 256-64-1 sigmoid network).
#
#     scripts/compile_time.sh        # prints one line per network
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
probe="$root/target/compile_probe"
mkdir -p "$probe/src"
cat > "$probe/Cargo.toml" <<TOML
[package]
name = "compile-probe"
version = "0.0.0"
edition = "2021"
publish = false
[workspace]
[dependencies]
symdiff = { path = "$root", default-features = false }
TOML
echo 'fn main() { println!("{}", symdiff::runtime::init::uniform(0, "w", 1, 0.0, 1.0)[0]); }' > "$probe/src/main.rs"
cargo build --release --quiet --manifest-path "$probe/Cargo.toml"
for net in examples/lecture/indexed/mnist_mlp.sd tests/nets/indexed/dense_256_64_1.sd; do
    name=$(basename "$net" .sd)
    cat > "$probe/src/main.rs" <<RUST
symdiff::network!(file = "$root/$net", float = f32);
fn main() {
    let p = $name::Params::init(0);
    println!("{}", symdiff::runtime::ParamVector::flat_vec(&p).len());
}
RUST
    start=$(date +%s.%N)
    cargo build --release --quiet --manifest-path "$probe/Cargo.toml"
    end=$(date +%s.%N)
    params=$("$probe/target/release/compile-probe")
    echo "$name ($params params): the crate with its network built in $(echo "$end - $start" | bc) s"
done
