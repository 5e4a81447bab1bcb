//! `symdiff check`: the symbolic gradient (factored form, as generated code computes it) against
//! central finite differences in `f64`, per variable, at the given point and at a few seeded
//! random points — PyTorch's gradcheck for a user's own file.
//!
//! A check passes when `|symbolic - numeric| <= ATOL + RTOL·|numeric|`, with the numeric value
//! `(f(x + STEP) - f(x - STEP)) / (2·STEP)`. The points:
//!
//! - **given**: params at their initial values from the file, then `--at`; any input, target or
//!   param still without a value is drawn uniformly from `[-1, 1)` by a generator seeded with
//!   `--seed` (so a run is reproducible), redrawn like a random point below, and the point is
//!   then labelled **partly random**, not given;
//! - **random** (`--random N`, default 4): every name that `--at` does not assign is drawn from
//!   `[-1, 1)`, redrawn (up to 100 times) until the value and both gradients are finite, so a
//!   domain error (`log` of a negative number) is not reported as a wrong derivative. When
//!   `--at` assigns every name there are no random points.
//!
//! At the given point a value that is not finite is a failure: nothing can be checked there.
//! The report goes to stdout in full either way; when any check fails, a one-line summary goes
//! to stderr and the exit status is 1.

use super::{assign, json, load, number, Assignment, Failure, Format, Selection};
use clap::Args;
use serde_json::{json, Map, Value};
use std::fmt::Write;
use std::path::PathBuf;
use symdiff::core::{partial_symbol, Analysis, Notation, Point, Symbol};

/// The finite-difference step (absolute, as gradcheck's `eps`).
pub const STEP: f64 = 1e-6;
/// The absolute tolerance.
pub const ATOL: f64 = 1e-5;
/// The relative tolerance (relative to the numeric value).
pub const RTOL: f64 = 1e-3;

/// How many times a random point is redrawn before giving up on finding a finite one.
const TRIES: usize = 100;

/// Arguments of `symdiff check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The `.sd` file.
    pub file: PathBuf,
    #[command(flatten)]
    pub selection: Selection,
    /// Values as `name=value,name=value`; params default to their initial values in the file,
    /// anything else unassigned is drawn from [-1, 1) (seeded).
    #[arg(long, value_name = "ASSIGN", value_parser = assign::parse_assignment)]
    pub at: Option<Assignment>,
    /// Param values of a network with indexed layers, as JSON (the shape of `--params` of
    /// `grad`).
    #[arg(long, value_name = "FILE.json")]
    pub params: Option<PathBuf>,
    /// How many seeded random points to check besides the given one.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub random: usize,
    /// The seed of the random values (and of the file's random initializers).
    #[arg(long, value_name = "SEED", default_value_t = 1)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// One variable checked at one point.
struct Row {
    wrt: Symbol,
    symbolic: f64,
    numeric: f64,
}

impl Row {
    fn abs_error(&self) -> f64 {
        (self.symbolic - self.numeric).abs()
    }

    /// `|symbolic - numeric| / |numeric|`; 0 when both are 0, infinite when only the numeric is.
    fn rel_error(&self) -> f64 {
        let e = self.abs_error();
        if e == 0.0 {
            0.0
        } else {
            e / self.numeric.abs()
        }
    }

    fn pass(&self) -> bool {
        self.symbolic.is_finite()
            && self.numeric.is_finite()
            && self.abs_error() <= ATOL + RTOL * self.numeric.abs()
    }

    fn to_json(&self) -> Value {
        json!({
            "symbolic": number::json(self.symbolic),
            "numeric": number::json(self.numeric),
            "abs_error": number::json(self.abs_error()),
            "rel_error": number::json(self.rel_error()),
            "pass": self.pass(),
        })
    }
}

/// One point and its rows.
struct Checked {
    kind: &'static str,
    point: Point,
    value: f64,
    rows: Vec<Row>,
}

impl Checked {
    fn pass(&self) -> bool {
        self.value.is_finite() && self.rows.iter().all(Row::pass)
    }

    /// How many checks failed: every row when the value itself is not finite (at least one).
    fn failures(&self) -> usize {
        if self.value.is_finite() {
            self.rows.iter().filter(|r| !r.pass()).count()
        } else {
            self.rows.len().max(1)
        }
    }

    /// Whether the value and both gradients are finite: a point where the check means something.
    fn finite(&self) -> bool {
        self.value.is_finite()
            && self
                .rows
                .iter()
                .all(|r| r.symbolic.is_finite() && r.numeric.is_finite())
    }
}

/// Runs `check`: prints the report; an error (exit 1) when any check fails.
pub fn run(args: &CheckArgs) -> Result<String, Failure> {
    let selection = super::explain::distinct_wrt(&args.selection);
    let model = match load::network(&args.file, &selection)? {
        load::Network::Scalar(model) => model,
        load::Network::Indexed(model) => {
            let analysis = symdiff::core::indexed::IndexedAnalysis::new(model);
            return super::indexed::check::run(analysis, args);
        }
    };
    if args.params.is_some() {
        return Err(Failure(
            "error: --params gives the values of a network with indexed layers; for scalar params use --at".into(),
        ));
    }
    let analysis = load::analysis(model, &selection, 0)?;
    only_leaves_vary(&analysis)?;
    let checked = Sampler::new(&analysis, args)?.points(args.random);
    let report = match args.format {
        Format::Text => text(&analysis, &checked),
        Format::Json => json::pretty(&to_json(&analysis, &checked)),
    };
    let total: usize = checked.iter().map(|c| c.rows.len().max(1)).sum();
    let failed: usize = checked.iter().map(Checked::failures).sum();
    if checked.iter().all(|c| c.value.is_nan()) {
        print!("{report}");
        let tried = match checked[0].kind {
            "partly random" => {
                format!("{TRIES} points with the names not given drawn from [-1, 1)")
            }
            _ => "the given point".to_string(),
        };
        Err(Failure(format!(
            "error: no point where the function is defined was found (tried {tried})"
        )))
    } else if failed == 0 {
        Ok(report)
    } else {
        print!("{report}");
        Err(Failure(format!(
            "error: {failed} of {total} gradient checks exceed the tolerance \
             |symbolic - numeric| <= {ATOL:e} + {RTOL:e}·|numeric|"
        )))
    }
}

/// An error when a variable is computed by a formula: only inputs, targets and params can be
/// perturbed.
fn only_leaves_vary(analysis: &Analysis) -> Result<(), Failure> {
    let model = &analysis.model;
    let computed = analysis
        .wrt()
        .iter()
        .copied()
        .find(|&w| model.vertex(w).is_some_and(|v| v.role.is_defined()));
    match computed {
        Some(computed) => Err(Failure(format!(
            "error: check perturbs inputs, targets and params; `{}` is computed by a formula",
            model.name_of(computed)
        ))),
        None => Ok(()),
    }
}

/// Draws the points to check at: the given one, then the random ones.
struct Sampler<'a> {
    analysis: &'a Analysis,
    rng: Rng,
    /// The params' initial values from the file, then `--at`.
    fixed: Point,
    /// The names `--at` assigns.
    given: Vec<Symbol>,
}

impl<'a> Sampler<'a> {
    fn new(analysis: &'a Analysis, args: &CheckArgs) -> Result<Sampler<'a>, Failure> {
        let mut fixed = analysis.default_point();
        let mut given = Vec::new();
        if let Some(at) = &args.at {
            for (name, value) in &at.0 {
                analysis.assign(&mut fixed, name, *value)?;
                given.push(analysis.model.dag.find_symbol(name).expect("assigned"));
            }
        }
        Ok(Sampler {
            analysis,
            rng: Rng::new(args.seed),
            fixed,
            given,
        })
    }

    /// The given point, then up to `random` random points where the check means something.
    fn points(mut self, random: usize) -> Vec<Checked> {
        let missing = self.analysis.unassigned(&self.fixed);
        let first = match missing.is_empty() {
            true => check_at(self.analysis, "given", self.fixed.clone()),
            false => self.draw("partly random", &missing),
        };
        let mut checked = vec![first];
        let free: Vec<Symbol> = self
            .analysis
            .model
            .leaves()
            .into_iter()
            .filter(|s| !self.given.contains(s))
            .collect();
        // With every name given, a random point would repeat the given one.
        let random = if free.is_empty() { 0 } else { random };
        for _ in 0..random {
            let c = self.draw("random", &free);
            if c.finite() {
                checked.push(c);
            }
        }
        checked
    }

    /// The check at the fixed point with `names` drawn from `[-1, 1)`, redrawn until it is
    /// finite, at most [`TRIES`] times (the last draw when none is).
    fn draw(&mut self, kind: &'static str, names: &[Symbol]) -> Checked {
        let mut tries = 1;
        loop {
            let mut p = self.fixed.clone();
            for &s in names {
                p.set(s, self.rng.uniform(-1.0, 1.0));
            }
            let c = check_at(self.analysis, kind, p);
            if c.finite() || tries == TRIES {
                return c;
            }
            tries += 1;
        }
    }
}

/// The factored gradient and central differences at one point.
fn check_at(analysis: &Analysis, kind: &'static str, point: Point) -> Checked {
    let e = analysis.evaluate(&point);
    let rows = analysis
        .wrt()
        .iter()
        .zip(&e.gradient)
        .map(|(&w, &symbolic)| {
            let (mut plus, mut minus) = (point.clone(), point.clone());
            plus.set(w, point.get(w) + STEP);
            minus.set(w, point.get(w) - STEP);
            let numeric =
                (analysis.evaluate(&plus).value - analysis.evaluate(&minus).value) / (2.0 * STEP);
            Row {
                wrt: w,
                symbolic,
                numeric,
            }
        })
        .collect();
    Checked {
        kind,
        point,
        value: e.value,
        rows,
    }
}

fn tolerance_line() -> String {
    format!(
        "central differences in f64, step {STEP:e}; a check passes when \
         |symbolic - numeric| <= {ATOL:e} + {RTOL:e}·|numeric|"
    )
}

/// The report in words: per point, the value and a table of the checks.
fn text(analysis: &Analysis, checked: &[Checked]) -> String {
    let model = &analysis.model;
    let of = model.name_of(analysis.of());
    let mut out = String::new();
    let _ = writeln!(out, "check ∂{of}: {}", tolerance_line());
    let symbols: Vec<String> = analysis
        .wrt()
        .iter()
        .map(|&w| partial_symbol(of, model.name_of(w), Notation::Unicode))
        .collect();
    let mut passed = 0;
    let mut total = 0;
    for (k, c) in checked.iter().enumerate() {
        let at = number::leaf_values(model, &c.point);
        let _ = writeln!(out, "\npoint {} ({}): {at}", k + 1, c.kind);
        let _ = writeln!(out, "  {of} = {}", number::text(c.value));
        // Why the value or a derivative has no number here, if one has none (evaluated again
        // only then).
        let undefined = c.value.is_nan() || c.rows.iter().any(|r| r.symbolic.is_nan());
        let reasons = match undefined {
            true => super::grad::reasons(analysis, &analysis.evaluate(&c.point)),
            false => Vec::new(),
        };
        if !c.value.is_finite() {
            let _ = writeln!(
                out,
                "  FAIL: {of} is not finite here; nothing can be checked"
            );
            for reason in &reasons {
                let _ = writeln!(out, "  {reason}");
            }
            total += c.rows.len().max(1);
            continue;
        }
        let (p, t) = rows_text(&mut out, &c.rows, &symbols);
        for reason in &reasons {
            let _ = writeln!(out, "  note: {reason}");
        }
        passed += p;
        total += t;
    }
    let _ = writeln!(
        out,
        "\n{passed} of {total} check{} passed at {} point{}",
        if total == 1 { "" } else { "s" },
        checked.len(),
        if checked.len() == 1 { "" } else { "s" }
    );
    out
}

/// The table of one point's checks, a row per variable named by its partial symbol; returns
/// how many passed, of how many.
fn rows_text(out: &mut String, rows: &[Row], symbols: &[String]) -> (usize, usize) {
    let width = symbols.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    let _ = writeln!(
        out,
        "  {:<width$}  {:>24}  {:>24}  {:>9}  {:>9}",
        "", "symbolic", "numeric", "abs err", "rel err"
    );
    let (mut passed, mut total) = (0, 0);
    for (row, symbol) in rows.iter().zip(symbols) {
        total += 1;
        let verdict = if row.pass() {
            passed += 1;
            "ok"
        } else {
            "FAIL"
        };
        let _ = writeln!(
            out,
            "  {symbol:<width$}  {:>24}  {:>24}  {:>9.1e}  {:>9.1e}  {verdict}",
            number::text(row.symbolic),
            number::text(row.numeric),
            row.abs_error(),
            row.rel_error(),
        );
    }
    (passed, total)
}

/// The report as data: per point, the values and the checks.
fn to_json(analysis: &Analysis, checked: &[Checked]) -> Value {
    let model = &analysis.model;
    let points: Vec<Value> = checked
        .iter()
        .map(|c| {
            let mut rows = Map::new();
            for r in &c.rows {
                rows.insert(model.name_of(r.wrt).to_string(), r.to_json());
            }
            json!({
                "kind": c.kind,
                "at": json::leaves(model, Some(&c.point)),
                "value": number::json(c.value),
                "gradient": rows,
                "pass": c.pass(),
            })
        })
        .collect();
    json!({
        "of": model.name_of(analysis.of()),
        "wrt": analysis.wrt().iter().map(|&w| model.name_of(w)).collect::<Vec<_>>(),
        "tolerance": {"step": STEP, "atol": ATOL, "rtol": RTOL},
        "points": points,
        "pass": checked.iter().all(Checked::pass),
    })
}

/// A small seeded generator (xorshift64*): the same file and seed always check the same points.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).max(1))
    }

    /// Uniform in `[lo, hi)`.
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
        lo + (hi - lo) * (bits as f64 / (1u64 << 53) as f64)
    }
}
