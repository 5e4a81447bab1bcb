//! `symdiff check` on an indexed network: each param element's index-form gradient against
//! central finite differences of the loss, at the given values (anything not given drawn from
//! [-1, 1), seeded) and at seeded random points.

use super::values;
use crate::cli::check::{CheckArgs, ATOL, RTOL, STEP};
use crate::cli::{json, number, Failure, Format, PointArgs};
use serde_json::json;
use symdiff::core::indexed::{
    element_name, positions, ArrayValues, IndexedAnalysis, IndexedEvaluation,
};
use symdiff::core::{indexed_undefined_reason, Symbol};

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

/// The rows checked at one point: what kind of point, the loss there, each element's check, and
/// why a value there is not a number.
type PointReport = (&'static str, f64, Vec<Row>, Option<String>);

/// Runs `check` on an indexed network.
pub fn run(analysis: IndexedAnalysis, args: &CheckArgs) -> Result<String, Failure> {
    super::grad::check_of(&analysis, &args.selection)?;
    let params = super::grad::wrt(&analysis, &args.selection)?;
    let mut rng = SplitMix(args.seed);
    let points = points(&analysis, args, &mut rng)?;
    let report: Vec<PointReport> = points
        .iter()
        .map(|(kind, values)| {
            let evaluation = analysis.evaluate(values);
            let rows = params
                .iter()
                .flat_map(|&param| check_param(&analysis, values, &evaluation, param, &mut rng))
                .collect();
            let undefined = indexed_undefined_reason(&analysis, &evaluation, false);
            (*kind, evaluation.loss, rows, undefined)
        })
        .collect();
    let failed: usize = report
        .iter()
        .map(|(_, _, rows, _)| rows.iter().filter(|r| !r.passes()).count())
        .sum();
    let out = match args.format {
        Format::Json => json::pretty(&to_json(&analysis, &report, failed)),
        Format::Text => text(&analysis, &report, failed),
    };
    if failed > 0 {
        return Err(Failure(out));
    }
    Ok(out)
}

/// The points to check at: the given values (anything not given drawn at random), then
/// `--random` points of random values.
fn points(
    analysis: &IndexedAnalysis,
    args: &CheckArgs,
    rng: &mut SplitMix,
) -> Result<Vec<(&'static str, ArrayValues)>, Failure> {
    let point = PointArgs {
        at: args.at.clone(),
        data: None,
        params: args.params.clone(),
        seed: Some(args.seed),
    };
    let given = values::read(analysis, &point)?;
    let model = &analysis.model;
    let mut points = Vec::new();
    let mut first = given.shared.clone();
    for array in model.arrays() {
        if first.get(array.symbol).is_none() {
            first.set(array.symbol, random(rng, &array.shape));
        }
    }
    points.push(("given values, the rest random", first));
    for _ in 0..args.random {
        let mut p = ArrayValues::new();
        for array in model.arrays() {
            p.set(array.symbol, random(rng, &array.shape));
        }
        points.push(("random", p));
    }
    Ok(points)
}

/// One param's elements (a seeded sample past [`MAX_ELEMENTS`]) against central differences.
fn check_param(
    analysis: &IndexedAnalysis,
    values: &ArrayValues,
    evaluation: &IndexedEvaluation,
    param: Symbol,
    rng: &mut SplitMix,
) -> Vec<Row> {
    let model = &analysis.model;
    let all = positions(&model.shape(param));
    let g = evaluation
        .gradient
        .get(param)
        .expect("every param has a gradient");
    sample(rng, all.len())
        .into_iter()
        .map(|k| {
            let shifted = |delta: f64| {
                let mut v = values.clone();
                let mut a = v.get(param).expect("every array has values").to_vec();
                a[k] += delta;
                v.set(param, a);
                analysis.evaluate(&v).loss
            };
            let x = values.get(param).expect("every array has values")[k];
            let h = STEP * x.abs().max(1.0);
            Row {
                name: element_name(model.dag.name(param), &all[k]),
                symbolic: g[k],
                numeric: (shifted(h) - shifted(-h)) / (2.0 * h),
            }
        })
        .collect()
}

/// The report as one JSON object.
fn to_json(analysis: &IndexedAnalysis, report: &[PointReport], failed: usize) -> serde_json::Value {
    let checked: usize = report.iter().map(|(_, _, rows, _)| rows.len()).sum();
    json!({
        "of": analysis.model.dag.name(analysis.derivation.of),
        "step": STEP,
        "atol": ATOL,
        "rtol": RTOL,
        "points": report.iter().map(|(kind, loss, rows, undefined)| json!({
            "kind": kind,
            "value": json::value(Some(*loss)),
            "note": undefined,
            "elements": rows.iter().map(|r| json!({
                "wrt": r.name,
                "symbolic": number::json(r.symbolic),
                "numeric": number::json(r.numeric),
                "ok": r.passes(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "checked": checked,
        "failed": failed,
    })
}

/// The report as text: per point the loss, any failed element, the largest difference.
fn text(analysis: &IndexedAnalysis, report: &[PointReport], failed: usize) -> String {
    let of = analysis.model.dag.name(analysis.derivation.of);
    let checked: usize = report.iter().map(|(_, _, rows, _)| rows.len()).sum();
    let mut out = format!(
        "check ∂{of} (index form, loop evaluator): central differences in f64, step {STEP}·max(1, |x|); \
         a check passes when |symbolic - numeric| <= {ATOL} + {RTOL}·|numeric|; at most {MAX_ELEMENTS} elements per param and point\n"
    );
    for (n, (kind, loss, rows, undefined)) in report.iter().enumerate() {
        out.push_str(&format!(
            "\npoint {} ({kind})\n  {of} = {}\n",
            n + 1,
            number::text(*loss)
        ));
        if let Some(reason) = undefined {
            out.push_str(&format!("  note: {reason}\n"));
        }
        for r in rows.iter().filter(|r| !r.passes()) {
            out.push_str(&format!(
                "  ∂{of}/∂{}: symbolic {} numeric {}  FAILED\n",
                r.name,
                number::text(r.symbolic),
                number::text(r.numeric)
            ));
        }
        let difference = |r: &Row| (r.symbolic - r.numeric).abs();
        if let Some(w) = rows
            .iter()
            .max_by(|a, b| difference(a).total_cmp(&difference(b)))
        {
            out.push_str(&format!(
                "  {} elements, largest difference {:.1e} (∂{of}/∂{})\n",
                rows.len(),
                difference(w),
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
