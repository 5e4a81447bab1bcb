//! `symdiff check` on an indexed network: each param element's index-form gradient against
//! central finite differences of the loss, at the given values (anything not given drawn from
//! [-1, 1), seeded) and at seeded random points.

use super::values;
use crate::cli::check::{CheckArgs, ATOL, RTOL, STEP};
use crate::cli::{json, number, Failure, Format, PointArgs};
use serde_json::json;
use symdiff::core::indexed::{element_name, positions, ArrayValues, IndexedAnalysis};

/// At most this many elements of one param are checked at one point (a seeded sample past it).
pub const MAX_ELEMENTS: usize = 100;

/// One element checked at one point.
struct Row {
    name: String,
    symbolic: f64,
    numeric: f64,
}

impl Row {
    fn passes(&self) -> bool {
        (self.symbolic - self.numeric).abs() <= ATOL + RTOL * self.numeric.abs()
    }
}

/// Runs `check` on an indexed network.
pub fn run(analysis: IndexedAnalysis, args: &CheckArgs) -> Result<String, Failure> {
    super::grad::check_of(&analysis, &args.selection)?;
    let params = super::grad::wrt(&analysis, &args.selection)?;
    let point = PointArgs {
        at: args.at.clone(),
        data: None,
        params: args.params.clone(),
        seed: Some(args.seed),
    };
    let given = values::read(&analysis, &point)?;
    let mut rng = SplitMix(args.seed);
    let model = &analysis.model;
    let mut points = Vec::new();
    let mut first = given.shared.clone();
    for array in model.arrays() {
        if first.get(array.symbol).is_none() {
            first.set(array.symbol, random(&mut rng, &array.shape));
        }
    }
    points.push(("given values, the rest random", first));
    for _ in 0..args.random {
        let mut p = ArrayValues::new();
        for array in model.arrays() {
            p.set(array.symbol, random(&mut rng, &array.shape));
        }
        points.push(("random", p));
    }
    let mut report = Vec::new();
    for (kind, values) in &points {
        let evaluation = analysis.evaluate(values);
        let mut rows = Vec::new();
        for &param in &params {
            let shape = model.shape(param);
            let all = positions(&shape);
            let chosen = sample(&mut rng, all.len());
            let g = evaluation
                .gradient
                .get(param)
                .expect("every param has a gradient");
            for k in chosen {
                let shifted = |delta: f64| {
                    let mut v = values.clone();
                    let mut a = v.get(param).expect("set above").to_vec();
                    a[k] += delta;
                    v.set(param, a);
                    analysis.evaluate(&v).loss
                };
                let x = values.get(param).expect("set above")[k];
                let h = STEP * x.abs().max(1.0);
                let numeric = (shifted(h) - shifted(-h)) / (2.0 * h);
                rows.push(Row {
                    name: element_name(model.dag.name(param), &all[k]),
                    symbolic: g[k],
                    numeric,
                });
            }
        }
        report.push((*kind, evaluation.loss, rows));
    }
    let failed: usize = report
        .iter()
        .map(|(_, _, rows)| rows.iter().filter(|r| !r.passes()).count())
        .sum();
    let checked: usize = report.iter().map(|(_, _, rows)| rows.len()).sum();
    let of = model.dag.name(analysis.derivation.of);
    let out = match args.format {
        Format::Json => json::pretty(&json!({
            "of": of,
            "step": STEP,
            "atol": ATOL,
            "rtol": RTOL,
            "points": report.iter().map(|(kind, loss, rows)| json!({
                "kind": kind,
                "value": json::value(Some(*loss)),
                "elements": rows.iter().map(|r| json!({
                    "wrt": r.name,
                    "symbolic": number::json(r.symbolic),
                    "numeric": number::json(r.numeric),
                    "ok": r.passes(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "checked": checked,
            "failed": failed,
        })),
        Format::Text => {
            let mut out = format!(
                "check ∂{of} (index form, loop evaluator): central differences in f64, step {STEP}·max(1, |x|); \
                 a check passes when |symbolic - numeric| <= {ATOL} + {RTOL}·|numeric|; at most {MAX_ELEMENTS} elements per param and point\n"
            );
            for (n, (kind, loss, rows)) in report.iter().enumerate() {
                out.push_str(&format!(
                    "\npoint {} ({kind})\n  {of} = {}\n",
                    n + 1,
                    number::text(*loss)
                ));
                let worst = rows.iter().max_by(|a, b| {
                    let e = |r: &Row| (r.symbolic - r.numeric).abs();
                    e(a).total_cmp(&e(b))
                });
                for r in rows.iter().filter(|r| !r.passes()) {
                    out.push_str(&format!(
                        "  ∂{of}/∂{}: symbolic {} numeric {}  FAILED\n",
                        r.name,
                        number::text(r.symbolic),
                        number::text(r.numeric)
                    ));
                }
                if let Some(w) = worst {
                    out.push_str(&format!(
                        "  {} elements, largest difference {:.1e} (∂{of}/∂{})\n",
                        rows.len(),
                        (w.symbolic - w.numeric).abs(),
                        w.name
                    ));
                }
            }
            out.push_str(&format!(
                "\n{}: {checked} element checks, {failed} failed\n",
                if failed == 0 { "ok" } else { "FAILED" }
            ));
            out
        }
    };
    if failed > 0 {
        return Err(Failure(out));
    }
    Ok(out)
}

/// Which of `n` elements to check: all, or a seeded sample of [`MAX_ELEMENTS`].
fn sample(rng: &mut SplitMix, n: usize) -> Vec<usize> {
    if n <= MAX_ELEMENTS {
        return (0..n).collect();
    }
    let mut chosen: Vec<usize> = Vec::with_capacity(MAX_ELEMENTS);
    while chosen.len() < MAX_ELEMENTS {
        let k = (rng.next() % n as u64) as usize;
        if !chosen.contains(&k) {
            chosen.push(k);
        }
    }
    chosen.sort_unstable();
    chosen
}

fn random(rng: &mut SplitMix, shape: &[usize]) -> Vec<f64> {
    let n: usize = shape.iter().product();
    (0..n).map(|_| rng.unit()).collect()
}

/// SplitMix64: the check's seeded values, drawn from [-1, 1).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}
