//! Differentiation: local partials on the edges, then the path form (for reading) and the
//! factored form (for computing), which always agree.

mod adjoint;
mod derivative;
mod local;
mod paths;
mod rules;
mod symbol;

pub use adjoint::{Adjoint, Adjoints};
pub use derivative::{derivative, derivatives};
pub use local::LocalPartials;
pub use paths::{path_sum, PathSum, DEFAULT_MAX_PATHS};
pub use rules::partial;
pub use symbol::{partial_symbol, Notation};

use crate::dag::{NodeId, Symbol};
use crate::depgraph::DepGraph;
use crate::model::Model;

/// The derivative of one vertex with respect to one variable.
#[derive(Clone, Debug)]
pub struct Gradient {
    /// The variable.
    pub wrt: Symbol,
    /// How many paths lead from the differentiated vertex to the variable.
    pub path_count: u128,
    /// The enumerated path sum, when the path count is within the cap.
    pub path_sum: Option<PathSum>,
    /// The variable's adjoint formula (in terms of other adjoints); `0` when no path leads to it.
    pub factored: NodeId,
}

impl Gradient {
    /// The formula to print: the simplified path sum when it was enumerated, else the factored
    /// formula (whose adjoints are listed in [`Derivation::adjoints`]).
    pub fn formula(&self) -> NodeId {
        self.path_sum.as_ref().map_or(self.factored, |p| p.formula)
    }
}

/// Every derivative of one vertex with respect to a list of variables, in both forms.
#[derive(Clone, Debug)]
pub struct Derivation {
    /// The differentiated vertex (`E`).
    pub of: Symbol,
    /// The dependency graph it was derived over.
    pub graph: DepGraph,
    /// The local partials used (shared by both forms).
    pub locals: LocalPartials,
    /// The factored form: one adjoint per vertex on a path.
    pub adjoints: Adjoints,
    /// One entry per variable, in the order asked.
    pub gradients: Vec<Gradient>,
}

/// Derives `∂of/∂w` for every `w` in `wrt`. Paths are enumerated for a variable only while
/// there are at most `max_paths` of them.
///
/// ```
/// use symdiff_core::{derive, ModelBuilder, Role, Func, Text};
/// let mut b = ModelBuilder::free();
/// let w = b.dag.node_named("w");
/// let v_rhs = b.dag.call(Func::Exp, vec![w]);
/// b.define("v", Role::Intermediate, v_rhs).unwrap();
/// let v = b.dag.node_named("v");
/// let y_rhs = b.dag.powi(v, 2);
/// b.define("y", Role::Intermediate, y_rhs).unwrap();
/// let mut model = b.finish().unwrap();
/// let (y, w) = (model.dag.find_symbol("y").unwrap(), model.dag.find_symbol("w").unwrap());
/// let d = derive(&mut model, y, &[w], 16);
/// assert_eq!(Text::new(&model.dag, d.gradients[0].formula()).to_string(), "2·v^2");
/// ```
pub fn derive(model: &mut Model, of: Symbol, wrt: &[Symbol], max_paths: u128) -> Derivation {
    // The local partials and adjoints about double the DAG, and each adjoint is a new name:
    // room for them up front rather than by doubling.
    let vertices = model.vertices().count();
    model.dag.reserve(model.dag.len(), vertices);
    let graph = DepGraph::new(model);
    let mut locals = LocalPartials::new(model);
    let adjoints = Adjoints::new(model, &graph, &mut locals, of, wrt);
    let mut gradients = Vec::with_capacity(wrt.len());
    let counts = graph.path_counts_from(of);
    for &w in wrt {
        let path_count = counts.get(&w).copied().unwrap_or(0);
        let path_sum = path_sum(model, &graph, &mut locals, (of, w), path_count, max_paths);
        let factored = match (w == of, adjoints.get(w)) {
            (true, _) => model.dag.integer(1),
            (false, Some(a)) => a.formula,
            (false, None) => model.dag.integer(0),
        };
        gradients.push(Gradient {
            wrt: w,
            path_count,
            path_sum,
            factored,
        });
    }
    Derivation {
        of,
        graph,
        locals,
        adjoints,
        gradients,
    }
}
