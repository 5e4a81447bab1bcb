//! An analysis: one model, one derivation (`∂of/∂wrt`), and the compiled programs that evaluate
//! it — the unit the CLI, the tests and the explainer work with.
//!
//! Names arrive as strings (the CLI's `--of`, `--wrt`, `--at`); this is where they are resolved,
//! with an error that says which name is unknown and how it was used ([`NameUse`]), so that a
//! front end can say it in its own words.

use crate::dag::{NodeId, Symbol};
use crate::diff::{derive, Derivation};
use crate::eval::Program;
use crate::hash::FxHashMap;
use crate::model::{Model, Role};
use std::fmt;
use std::sync::OnceLock;

/// What a name given to an analysis was meant to be.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NameUse {
    /// The vertex differentiated (the CLI's `--of`).
    Of,
    /// A variable differentiated with respect to (the CLI's `--wrt`).
    Wrt,
    /// An input, target or param given a value (the CLI's `--at`).
    At,
}

impl NameUse {
    /// The use in a word of the library's API: `of`, `wrt`, `at`.
    ///
    /// ```
    /// assert_eq!(symdiff_core::NameUse::Wrt.word(), "`wrt`");
    /// ```
    pub fn word(self) -> &'static str {
        match self {
            NameUse::Of => "`of`",
            NameUse::Wrt => "`wrt`",
            NameUse::At => "the point",
        }
    }
}

/// A name the analysis could not resolve.
#[derive(Clone, PartialEq, Debug)]
pub enum NameError {
    /// A name the model does not define.
    Unknown {
        /// How the name was used.
        used_as: NameUse,
        /// The unknown name.
        name: String,
        /// The names that would have been accepted.
        known: Vec<String>,
    },
    /// No vertex to differentiate was named, and the model has no loss and several unused
    /// definitions (the candidates).
    NoDefaultOf(Vec<String>),
    /// A value was given to a defined vertex, which is computed, not given.
    Computed(String),
}

impl NameError {
    /// The message, with `said` naming where each use was given: [`NameUse::word`] in the
    /// library's own words, the CLI's flags (`--of`, `--wrt`, `--at`) there.
    ///
    /// ```
    /// use symdiff_core::{NameError, NameUse};
    /// let e = NameError::Computed("h".to_string());
    /// let flag = |u| if u == NameUse::At { "--at" } else { "--of" };
    /// assert!(e.message(flag).starts_with("--at assigns `h`"));
    /// ```
    pub fn message(&self, said: impl Fn(NameUse) -> &'static str) -> String {
        match self {
            NameError::Unknown {
                used_as,
                name,
                known,
            } => format!(
                "{} names `{name}`, which the model does not define (it has: {})",
                said(*used_as),
                known.join(", ")
            ),
            NameError::NoDefaultOf(candidates) => format!(
                "no loss to differentiate: pass {} with one of {}",
                said(NameUse::Of),
                candidates.join(", ")
            ),
            NameError::Computed(name) => format!(
                "{} assigns `{name}`, which is defined by a formula; assign inputs, targets and params",
                said(NameUse::At)
            ),
        }
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(NameUse::word))
    }
}

impl std::error::Error for NameError {}

/// Values of every symbol of a model (inputs, params, computed vertices and adjoints), `NaN`
/// where unknown.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    values: Vec<f64>,
}

impl Point {
    /// A symbol's value (`NaN` when unknown).
    pub fn get(&self, symbol: Symbol) -> f64 {
        self.values.get(symbol.index()).copied().unwrap_or(f64::NAN)
    }

    /// Every value, indexed by symbol (for [`crate::evaluate`]).
    pub fn as_slice(&self) -> &[f64] {
        &self.values
    }

    /// Sets a symbol's value.
    pub fn set(&mut self, symbol: Symbol, value: f64) {
        if self.values.len() <= symbol.index() {
            self.values.resize(symbol.index() + 1, f64::NAN);
        }
        self.values[symbol.index()] = value;
    }
}

/// The result of evaluating an analysis at a point (or summed over several).
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Every symbol's value at the point (for a sum over rows: the last row's).
    pub point: Point,
    /// The value of the differentiated vertex (summed over rows).
    pub value: f64,
    /// `∂of/∂w` for each `w` of the analysis, in order (summed over rows).
    pub gradient: Vec<f64>,
}

/// A model with one derivation and its compiled evaluator.
///
/// ```
/// use symdiff_core::{Analysis, ModelBuilder, Role, Func};
/// let mut b = ModelBuilder::free();
/// let w = b.dag.node_named("w");
/// let rhs = b.dag.call(Func::Exp, vec![w]);
/// b.define("v", Role::Intermediate, rhs).unwrap();
/// let analysis = Analysis::new(b.finish().unwrap(), None, None, 16).unwrap();
/// let mut point = analysis.default_point();
/// analysis.assign(&mut point, "w", 0.0).unwrap();
/// let e = analysis.evaluate(&point);
/// assert_eq!((e.value, e.gradient[0]), (1.0, 1.0));
/// ```
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The model (its DAG now also holds the derivatives).
    pub model: Model,
    /// The derivation in path and factored form.
    pub derivation: Derivation,
    evaluated: Vec<(Symbol, NodeId)>,
    /// The adjoints' formulas as they are evaluated (and emitted as code), by adjoint symbol.
    evaluated_adjoints: FxHashMap<Symbol, NodeId>,
    /// Compiled at the first evaluation, from `model` and `derivation` as they are then (code
    /// generation never needs it).
    program: OnceLock<Program>,
    /// Where each gradient entry is read after a run, in the order of the variables.
    gradient_sources: Vec<GradientSource>,
}

/// Where one gradient entry comes from after a run.
#[derive(Clone, Copy, Debug)]
enum GradientSource {
    /// The variable is the differentiated vertex: `1`.
    Of,
    /// The value of the variable's adjoint symbol.
    Adjoint(Symbol),
    /// No path leads to the variable: `0`.
    None,
}

impl Analysis {
    /// Differentiates `of` (default: [`Model::default_of`]) with respect to `wrt` (default:
    /// [`Model::default_wrt`]), enumerating at most `max_paths` paths per variable.
    pub fn new(
        model: Model,
        of: Option<&str>,
        wrt: Option<&[String]>,
        max_paths: u128,
    ) -> Result<Analysis, NameError> {
        let of = match of {
            Some(name) => resolve(&model, NameUse::Of, name)?,
            None => model.default_of().ok_or_else(|| {
                let defined = model.definitions();
                NameError::NoDefaultOf(
                    defined
                        .iter()
                        .map(|&(s, _)| model.name_of(s).to_string())
                        .collect(),
                )
            })?,
        };
        let wrt: Vec<Symbol> = match wrt {
            Some(names) => names
                .iter()
                .map(|n| resolve(&model, NameUse::Wrt, n))
                .collect::<Result<_, _>>()?,
            None => model.default_wrt(),
        };
        Ok(Analysis::of_symbols(model, of, &wrt, max_paths))
    }

    /// [`Analysis::new`] for symbols the model has: `of` differentiated with respect to `wrt`.
    pub(crate) fn of_symbols(
        mut model: Model,
        of: Symbol,
        wrt: &[Symbol],
        max_paths: u128,
    ) -> Analysis {
        let derivation = derive(&mut model, of, wrt, max_paths);
        let evaluated = crate::stabilize::stable_definitions(&mut model);
        let adjoints: Vec<(Symbol, NodeId)> = derivation
            .adjoints
            .entries
            .iter()
            .map(|a| (a.symbol, a.formula))
            .collect();
        let stable = crate::stabilize::stable_adjoints(&mut model, &adjoints);
        let evaluated_adjoints = derivation
            .adjoints
            .entries
            .iter()
            .map(|a| a.symbol)
            .zip(stable)
            .collect();
        let gradient_sources = derivation
            .gradients
            .iter()
            .map(|g| {
                if g.wrt == derivation.of {
                    GradientSource::Of
                } else {
                    derivation
                        .adjoints
                        .get(g.wrt)
                        .map_or(GradientSource::None, |a| GradientSource::Adjoint(a.symbol))
                }
            })
            .collect();
        Analysis {
            model,
            derivation,
            evaluated,
            evaluated_adjoints,
            program: OnceLock::new(),
            gradient_sources,
        }
    }

    /// The definitions as they are evaluated (and emitted as code): the model's own, in
    /// evaluation order, with cross-entropy through a sigmoid computed from the logit
    /// ([`crate::stable_definitions`]).
    pub fn evaluated_definitions(&self) -> &[(Symbol, NodeId)] {
        &self.evaluated
    }

    /// An adjoint's formula as it is evaluated (and emitted as code): the derivation's, with
    /// the stable forms of [`crate::stable_formulas`] (`1 - h` of a sigmoid `h` as
    /// `sigmoid(-s)`, which keeps its tail).
    pub fn evaluated_adjoint(&self, adjoint: &crate::diff::Adjoint) -> NodeId {
        self.evaluated_adjoints
            .get(&adjoint.symbol)
            .copied()
            .unwrap_or(adjoint.formula)
    }

    /// The sizes, in distinct DAG nodes, of what computes the forward pass and of what computes
    /// the forward pass and the whole gradient (the live adjoints): the measure of expression
    /// swell, which the factored form keeps near 2x (Baur–Strassen's bound is 3x).
    pub fn dag_sizes(&self) -> (usize, usize) {
        let dag = &self.model.dag;
        let forward: Vec<NodeId> = self.evaluated.iter().map(|&(_, rhs)| rhs).collect();
        let mut all = forward.clone();
        let live = self.derivation.adjoints.live(&self.wrt(), dag);
        all.extend(live.iter().map(|adjoint| adjoint.formula));
        (dag.reachable(&forward).len(), dag.reachable(&all).len())
    }

    /// The evaluated definitions, then the adjoints, compiled (once).
    fn program(&self) -> &Program {
        self.program.get_or_init(|| {
            let mut assignments = self.evaluated.clone();
            let adjoints = self.derivation.adjoints.entries.iter();
            assignments.extend(adjoints.map(|a| (a.symbol, self.evaluated_adjoint(a))));
            Program::compile(&self.model.dag, &assignments)
        })
    }

    /// The differentiated vertex.
    pub fn of(&self) -> Symbol {
        self.derivation.of
    }

    /// The variables, in order.
    pub fn wrt(&self) -> Vec<Symbol> {
        self.derivation.gradients.iter().map(|g| g.wrt).collect()
    }

    /// A point with every param at its initial value from the file, everything else unknown.
    pub fn default_point(&self) -> Point {
        let mut point = Point {
            values: vec![f64::NAN; self.program().symbols_needed()],
        };
        for v in self.model.vertices() {
            if let Some(init) = v.init {
                point.set(v.symbol, init);
            }
        }
        point
    }

    /// Assigns an input, target or param by name.
    pub fn assign(&self, point: &mut Point, name: &str, value: f64) -> Result<(), NameError> {
        let symbol = resolve(&self.model, NameUse::At, name)?;
        if self
            .model
            .vertex(symbol)
            .is_some_and(|v| v.role.is_defined())
        {
            return Err(NameError::Computed(name.to_string()));
        }
        point.set(symbol, value);
        Ok(())
    }

    /// The inputs, targets and params the differentiated vertex depends on (and so every value
    /// and derivative the analysis reports), in the model's order of leaves.
    ///
    /// ```
    /// use symdiff_core::{Analysis, ModelBuilder, Role};
    /// let model = || {
    ///     let mut b = ModelBuilder::free();
    ///     b.declare("x", Role::Input, None).unwrap();
    ///     let x = b.dag.node_named("x");
    ///     let two = b.dag.integer(2);
    ///     let y = b.dag.mul(vec![two, x]);
    ///     b.define("y", Role::Intermediate, y).unwrap();
    ///     let three = b.dag.integer(3);
    ///     b.define("c", Role::Intermediate, three).unwrap();
    ///     b.finish().unwrap()
    /// };
    /// let of_y = Analysis::new(model(), Some("y"), None, 16).unwrap();
    /// assert_eq!(of_y.needed_leaves().len(), 1);
    /// let of_c = Analysis::new(model(), Some("c"), None, 16).unwrap();
    /// assert!(of_c.needed_leaves().is_empty());
    /// ```
    pub fn needed_leaves(&self) -> Vec<Symbol> {
        let model = &self.model;
        let mut needed = std::collections::HashSet::from([self.of()]);
        for (s, rhs) in model.definitions().into_iter().rev() {
            if needed.contains(&s) {
                needed.extend(model.dag.symbols_in(rhs));
            }
        }
        model
            .leaves()
            .into_iter()
            .filter(|s| needed.contains(s))
            .collect()
    }

    /// The inputs, targets and params a point leaves unknown.
    pub fn unassigned(&self, point: &Point) -> Vec<Symbol> {
        self.model
            .leaves()
            .into_iter()
            .filter(|&s| point.get(s).is_nan())
            .collect()
    }

    /// Evaluates every vertex, the differentiated vertex and its gradient at a point. Where
    /// the differentiated vertex has no value (NaN), every gradient entry is NaN too.
    pub fn evaluate(&self, point: &Point) -> Evaluation {
        let mut out = Evaluation {
            point: Point { values: Vec::new() },
            value: f64::NAN,
            gradient: Vec::new(),
        };
        self.evaluate_into(point, &mut out, &mut Vec::new());
        out
    }

    /// [`Analysis::evaluate`] into `out`, reusing its buffers and `scratch` (the evaluator's
    /// registers): once they have grown to size, a call allocates nothing. `out` ends up equal
    /// to what [`Analysis::evaluate`] returns, whatever it held before.
    pub fn evaluate_into(&self, point: &Point, out: &mut Evaluation, scratch: &mut Vec<f64>) {
        let values = &mut out.point.values;
        values.clear();
        values.extend_from_slice(&point.values);
        values.resize(self.program().symbols_needed(), f64::NAN);
        self.program().run(values, scratch);
        let point = &out.point;
        out.gradient.clear();
        out.gradient
            .extend(self.gradient_sources.iter().map(|source| match *source {
                GradientSource::Of => 1.0,
                GradientSource::Adjoint(symbol) => point.get(symbol),
                GradientSource::None => 0.0,
            }));
        out.value = point.get(self.of());
        // Where the function has no value it has no derivative either (see
        // [`crate::undefined_gradient_reason`]), whatever number the derivative's formula gives
        // (`1/x` for `log(x)` at x = -1).
        if out.value.is_nan() {
            out.gradient.fill(f64::NAN);
        }
    }

    /// Evaluates at each point and sums the value and the gradient (the lecture's "sum of the
    /// per-example derivatives"). `None` for no points.
    pub fn evaluate_sum(&self, points: &[Point]) -> Option<Evaluation> {
        let (first, rest) = points.split_first()?;
        let mut scratch = Vec::new();
        let mut total = self.evaluate(first);
        let mut row = total.clone();
        for p in rest {
            self.evaluate_into(p, &mut row, &mut scratch);
            total.value += row.value;
            for (a, b) in total.gradient.iter_mut().zip(&row.gradient) {
                *a += b;
            }
            std::mem::swap(&mut total.point, &mut row.point);
        }
        Some(total)
    }

    /// One gradient-descent step `w ← w - η·∂of/∂w` on every param among the variables, for the
    /// sum over `points` (which all share the params being updated). Returns the evaluation
    /// before the step.
    pub fn sgd_step(&self, points: &mut [Point], eta: f64) -> Option<Evaluation> {
        let e = self.evaluate_sum(points)?;
        for (g, d) in self.derivation.gradients.iter().zip(&e.gradient) {
            if self
                .model
                .vertex(g.wrt)
                .is_some_and(|v| v.role == Role::Param)
            {
                for p in points.iter_mut() {
                    let w = p.get(g.wrt);
                    p.set(g.wrt, w - eta * d);
                }
            }
        }
        Some(e)
    }
}

fn resolve(model: &Model, used_as: NameUse, name: &str) -> Result<Symbol, NameError> {
    model
        .dag
        .find_symbol(name)
        .filter(|&s| model.vertex(s).is_some())
        .ok_or_else(|| NameError::Unknown {
            used_as,
            name: name.to_string(),
            known: model
                .vertices()
                .map(|v| model.name_of(v.symbol).to_string())
                .collect(),
        })
}
