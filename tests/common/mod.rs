//! Helpers shared by the integration tests: loading the lecture examples, a seeded random
//! generator, dense-network sources, and the gradient check.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Output;
use symdiff::core::{Analysis, Point, Role};

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `symdiff` binary from the workspace root without colour.
pub fn symdiff(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the symdiff binary runs")
}

/// A run's standard output.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A run's standard error.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes a file of the calling test binary's own (`what` names it) in the temporary
/// directory, and returns its path.
pub fn write_temp(what: &str, name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("symdiff-{what}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs the `symdiff` binary from the workspace root without colour; returns stdout, panicking
/// with stderr when it fails.
pub fn symdiff_ok(args: &[&str]) -> String {
    let out = symdiff(args);
    assert!(
        out.status.success(),
        "symdiff {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The source text of a lecture example.
pub fn lecture_source(name: &str) -> String {
    let path = root().join("examples/lecture").join(format!("{name}.sd"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every lecture example, by file stem, sorted.
pub fn lecture_examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples/lecture"))
        .expect("examples/lecture exists")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "sd").then(|| p.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    names.sort();
    names
}

/// Parses source text and analyses its first model with the default `of` and `wrt`.
pub fn analyse(origin: &str, text: &str, max_paths: u128) -> Analysis {
    let parsed = symdiff::grammar::parse(origin, text)
        .unwrap_or_else(|d| panic!("{}", d.render(origin, text)));
    let model = parsed.models.into_iter().next().expect("one model");
    Analysis::new(model, None, None, max_paths).expect("default of and wrt")
}

/// A small seeded generator (xorshift64*), so every run checks the same points.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// A random expression over `names`, using every operation of the language over time; each
/// template is finite and smooth away from the kinks of relu and abs.
pub fn random_expr(rng: &mut Rng, names: &[String], depth: usize) -> String {
    let pick = |rng: &mut Rng, n: usize| (rng.next_u64() % n as u64) as usize;
    if depth == 0 || pick(rng, 4) == 0 {
        return match pick(rng, 6) {
            0 => format!("{:.2}", rng.uniform(-2.0, 2.0)),
            _ => names[pick(rng, names.len())].clone(),
        };
    }
    const UNARY: [&str; 15] = [
        "exp(-({})^2)",
        "log(1 + ({})^2)",
        "sqrt(1 + ({})^2)",
        "sin({})",
        "cos({})",
        "tan(sigmoid({}))",
        "tanh({})",
        "sigmoid({})",
        "relu({})",
        "softplus({})",
        "abs({})",
        "({})^3",
        "e^(sin({}))",
        "pi*({})",
        "-({})",
    ];
    const BINARY: [&str; 4] = [
        "({}) + ({})",
        "({}) - ({})",
        "({}) * ({})",
        "({}) / (1 + ({})^2)",
    ];
    if pick(rng, 2) == 0 {
        let t = UNARY[pick(rng, UNARY.len())];
        t.replacen("{}", &random_expr(rng, names, depth - 1), 1)
    } else {
        let t = BINARY[pick(rng, BINARY.len())];
        let a = random_expr(rng, names, depth - 1);
        let b = random_expr(rng, names, depth - 1);
        t.replacen("{}", &a, 1).replacen("{}", &b, 1)
    }
}

/// A point assigning every input, target and param a value drawn from `[lo, hi)`.
pub fn random_point(analysis: &Analysis, rng: &mut Rng, lo: f64, hi: f64) -> Point {
    let mut p = analysis.default_point();
    for s in analysis.model.leaves() {
        p.set(s, rng.uniform(lo, hi));
    }
    p
}

/// gradcheck's tolerances: step 1e-6, |symbolic - numeric| <= 1e-5 + 1e-3·|numeric|.
pub const FD_STEP: f64 = 1e-6;
pub const FD_ATOL: f64 = 1e-5;
pub const FD_RTOL: f64 = 1e-3;

/// Central finite differences of the analysed value with respect to each variable.
pub fn finite_differences(analysis: &Analysis, point: &Point) -> Vec<f64> {
    finite_differences_with_step(analysis, point, FD_STEP)
}

fn finite_differences_with_step(analysis: &Analysis, point: &Point, step: f64) -> Vec<f64> {
    analysis
        .wrt()
        .iter()
        .map(|&w| {
            let (mut plus, mut minus) = (point.clone(), point.clone());
            plus.set(w, point.get(w) + step);
            minus.set(w, point.get(w) - step);
            (analysis.evaluate(&plus).value - analysis.evaluate(&minus).value) / (2.0 * step)
        })
        .collect()
}

/// Whether finite differences can judge a gradient at this point: the estimates with steps
/// 1e-6 and 1e-7 agree within the gradcheck tolerances. They do not where the function turns
/// sharply within a step (an inner derivative in the thousands carrying `tan` across a pole),
/// and there no symbolic answer could be checked numerically.
pub fn finite_differences_are_stable(analysis: &Analysis, point: &Point) -> bool {
    let coarse = finite_differences_with_step(analysis, point, FD_STEP);
    let fine = finite_differences_with_step(analysis, point, FD_STEP / 10.0);
    coarse
        .iter()
        .zip(&fine)
        .all(|(c, f)| (c - f).abs() <= FD_ATOL + FD_RTOL * f.abs())
}

/// Asserts the factored gradient agrees with finite differences at `point`.
pub fn assert_gradcheck(analysis: &Analysis, point: &Point, what: &str) {
    let symbolic = analysis.evaluate(point).gradient;
    let numeric = finite_differences(analysis, point);
    for (i, w) in analysis.wrt().iter().enumerate() {
        let (s, n) = (symbolic[i], numeric[i]);
        if (s - n).abs() > FD_ATOL + FD_RTOL * n.abs() {
            let at: Vec<String> = analysis
                .model
                .leaves()
                .iter()
                .map(|&l| format!("{}={:?}", analysis.model.name_of(l), point.get(l)))
                .collect();
            panic!(
                "{what}: d/d{} symbolic {s} vs numeric {n} at {}",
                analysis.model.name_of(*w),
                at.join(",")
            );
        }
    }
}

/// `network dense` of the given width and depth: `width` inputs, `depth` sigmoid layers of
/// `width` units each fully connected to the previous layer, one linear output, squared loss.
/// A first-layer weight has `width^(depth-1)` paths to the loss.
pub fn dense_network(width: usize, depth: usize) -> String {
    let mut src = String::from("network dense {\n");
    let inputs: Vec<String> = (1..=width).map(|i| format!("x{i}")).collect();
    src += &format!("    input {}\n    target t\n", inputs.join(", "));
    let mut previous = inputs;
    for layer in 1..=depth {
        let mut current = Vec::new();
        for j in 1..=width {
            let terms: Vec<String> = previous
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let w = format!("w{layer}_{j}_{}", i + 1);
                    src += &format!("    param {w}\n");
                    format!("{w}*{p}")
                })
                .collect();
            src += &format!("    s{layer}_{j} = {}\n", terms.join(" + "));
            src += &format!("    h{layer}_{j} = sigmoid(s{layer}_{j})\n");
            current.push(format!("h{layer}_{j}"));
        }
        previous = current;
    }
    let out: Vec<String> = previous
        .iter()
        .enumerate()
        .map(|(i, h)| {
            src += &format!("    param v{}\n", i + 1);
            format!("v{}*{h}", i + 1)
        })
        .collect();
    src += &format!("    output y = {}\n", out.join(" + "));
    src += "    loss E = 1/2*(t - y)^2\n}\n";
    src
}

/// Whether a vertex is a param.
pub fn is_param(analysis: &Analysis, name: &str) -> bool {
    analysis
        .model
        .vertex_named(name)
        .is_some_and(|v| v.role == Role::Param)
}
