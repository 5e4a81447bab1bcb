//! A model: named vertices with their right-hand sides, as the user wrote them.
//!
//! A model is one `network { ... }` block or one file of free-standing definitions. Every vertex
//! keeps the user's name and role (input, target, param, intermediate, output, loss). Building a
//! model checks what core can check without source positions (redefinitions, undefined names in
//! a network, cycles); the grammar checks the same things first, with spans, so a user sees those
//! errors with a caret and these only guard direct library use.

use crate::dag::{Dag, NodeId, Symbol};
use crate::hash::FxBuildHasher;
use indexmap::IndexMap;
use std::fmt;

/// What a named vertex is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    /// A network input (`input x_t`), or a name that free-standing definitions use but never define.
    Input,
    /// A training target (`target y_t`).
    Target,
    /// A trainable parameter (`param w1 = 1`).
    Param,
    /// A defined intermediate vertex (`h = sigmoid(s1)`).
    Intermediate,
    /// The network output (`output y = s2`).
    Output,
    /// The loss (`loss E = ...`), what is differentiated by default.
    Loss,
}

impl Role {
    /// Whether a vertex of this role has a right-hand side.
    pub fn is_defined(self) -> bool {
        matches!(self, Role::Intermediate | Role::Output | Role::Loss)
    }
}

/// One named vertex.
#[derive(Clone, Debug)]
pub struct Vertex {
    /// The vertex's name.
    pub symbol: Symbol,
    /// What the vertex is.
    pub role: Role,
    /// The right-hand side, for defined vertices.
    pub definition: Option<NodeId>,
    /// The initial value of a param, when the file gives one.
    pub init: Option<f64>,
}

/// An error found while building a model.
#[derive(Clone, PartialEq, Debug)]
pub enum ModelError {
    /// A name declared or defined twice.
    Redefined(String),
    /// A name a network uses but neither declares nor defines.
    Undefined {
        /// The unknown name.
        name: String,
        /// The vertex whose definition uses it.
        used_in: String,
    },
    /// Definitions that depend on each other in a circle, in dependency order.
    Cycle(Vec<String>),
    /// `output NAME` names nothing defined, or a vertex that cannot be the output.
    UnknownOutput(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::Redefined(name) => write!(f, "`{name}` is defined more than once"),
            ModelError::Undefined { name, used_in } => {
                write!(
                    f,
                    "`{name}` is used in `{used_in}` but never declared or defined"
                )
            }
            ModelError::Cycle(names) => {
                write!(f, "definitions form a cycle: {}", names.join(" -> "))
            }
            ModelError::UnknownOutput(name) => {
                write!(
                    f,
                    "output `{name}` does not name a defined intermediate vertex"
                )
            }
        }
    }
}

impl std::error::Error for ModelError {}

/// A checked model: its DAG, its vertices, and their topological order.
#[derive(Clone, Debug)]
pub struct Model {
    name: Option<String>,
    /// The DAG holding every expression of the model (and, later, its derivatives).
    pub dag: Dag,
    vertices: IndexMap<Symbol, Vertex, FxBuildHasher>,
    order: Vec<Symbol>,
}

impl Model {
    /// The network's name; `None` for free-standing definitions.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether this is a `network` (as opposed to free-standing definitions).
    pub fn is_network(&self) -> bool {
        self.name.is_some()
    }

    /// Every vertex, in the order the source declares or first mentions it.
    pub fn vertices(&self) -> impl Iterator<Item = &Vertex> {
        self.vertices.values()
    }

    /// The vertex of a symbol.
    pub fn vertex(&self, symbol: Symbol) -> Option<&Vertex> {
        self.vertices.get(&symbol)
    }

    /// The vertex with a name.
    pub fn vertex_named(&self, name: &str) -> Option<&Vertex> {
        self.vertex(self.dag.find_symbol(name)?)
    }

    /// A symbol's name.
    pub fn name_of(&self, symbol: Symbol) -> &str {
        self.dag.name(symbol)
    }

    /// The vertices of one role, in source order.
    pub fn with_role(&self, role: Role) -> Vec<Symbol> {
        self.vertices()
            .filter(|v| v.role == role)
            .map(|v| v.symbol)
            .collect()
    }

    /// The defined vertices in evaluation order (every vertex after what it uses), with their
    /// right-hand sides.
    pub fn definitions(&self) -> Vec<(Symbol, NodeId)> {
        self.order
            .iter()
            .map(|&s| {
                (
                    s,
                    self.vertices[&s]
                        .definition
                        .expect("ordered vertex is defined"),
                )
            })
            .collect()
    }

    /// The vertices that are not defined (inputs, targets, params), in source order.
    pub fn leaves(&self) -> Vec<Symbol> {
        self.vertices()
            .filter(|v| !v.role.is_defined())
            .map(|v| v.symbol)
            .collect()
    }

    /// What `--of` means when it is not given: the loss, or else the one defined vertex that no
    /// other definition uses. `None` when several are unused and none is the loss.
    pub fn default_of(&self) -> Option<Symbol> {
        if let Some(loss) = self.with_role(Role::Loss).first() {
            return Some(*loss);
        }
        let used: std::collections::HashSet<Symbol> = self
            .definitions()
            .iter()
            .flat_map(|&(_, rhs)| self.dag.symbols_in(rhs))
            .collect();
        let unused: Vec<Symbol> = self
            .order
            .iter()
            .copied()
            .filter(|s| !used.contains(s))
            .collect();
        match unused.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// What `--wrt` means when it is not given: the params, or for free-standing definitions
    /// (and networks without params) the inputs.
    pub fn default_wrt(&self) -> Vec<Symbol> {
        let params = self.with_role(Role::Param);
        if params.is_empty() {
            self.with_role(Role::Input)
        } else {
            params
        }
    }
}

/// Builds a [`Model`] from declarations and definitions in source order.
///
/// ```
/// use symdiff_core::{ModelBuilder, Role, Func};
/// let mut b = ModelBuilder::network("tiny");
/// b.declare("x", Role::Input, None).unwrap();
/// b.declare("w", Role::Param, Some(1.0)).unwrap();
/// let (x, w) = (b.dag.node_named("x"), b.dag.node_named("w"));
/// let s = b.dag.mul(vec![x, w]);
/// let h = b.dag.call(Func::Sigmoid, vec![s]);
/// b.define("h", Role::Output, h).unwrap();
/// let model = b.finish().unwrap();
/// assert_eq!(model.definitions().len(), 1);
/// ```
#[derive(Debug)]
pub struct ModelBuilder {
    name: Option<String>,
    /// The DAG to build right-hand sides in.
    pub dag: Dag,
    vertices: IndexMap<Symbol, Vertex, FxBuildHasher>,
    pending_output: Option<String>,
}

impl ModelBuilder {
    /// A builder for `network NAME { ... }`: every name used must be declared or defined.
    pub fn network(name: &str) -> ModelBuilder {
        ModelBuilder {
            name: Some(name.to_string()),
            ..ModelBuilder::free()
        }
    }

    /// A builder for free-standing definitions: a name used but never defined is an input.
    pub fn free() -> ModelBuilder {
        ModelBuilder {
            name: None,
            dag: Dag::new(),
            vertices: IndexMap::default(),
            pending_output: None,
        }
    }

    /// Makes room for `vertices` more vertices and `nodes` more DAG nodes, so that a large
    /// model is not copied each time it outgrows its tables (an estimate is enough: these only
    /// size the tables).
    ///
    /// ```
    /// use symdiff_core::{ModelBuilder, Role};
    /// let mut b = ModelBuilder::network("wide");
    /// b.reserve(1_000, 3_000);
    /// b.declare("w", Role::Param, None).unwrap();
    /// assert_eq!(b.dag.len(), 0); // room, not nodes
    /// ```
    pub fn reserve(&mut self, vertices: usize, nodes: usize) {
        self.vertices.reserve(vertices);
        self.dag.reserve(nodes, vertices);
    }

    /// Declares an input, target or param.
    pub fn declare(&mut self, name: &str, role: Role, init: Option<f64>) -> Result<(), ModelError> {
        debug_assert!(!role.is_defined());
        self.insert(name, role, None, init)
    }

    /// Defines a vertex (`Intermediate`, `Output` or `Loss`) by its right-hand side.
    pub fn define(&mut self, name: &str, role: Role, rhs: NodeId) -> Result<(), ModelError> {
        debug_assert!(role.is_defined());
        self.insert(name, role, Some(rhs), None)
    }

    /// Marks an already defined or declared vertex as the output (`output y` with no `=`).
    pub fn mark_output(&mut self, name: &str) {
        self.pending_output = Some(name.to_string());
    }

    fn insert(
        &mut self,
        name: &str,
        role: Role,
        definition: Option<NodeId>,
        init: Option<f64>,
    ) -> Result<(), ModelError> {
        let symbol = self.dag.symbol_of(name);
        if self.vertices.contains_key(&symbol) {
            return Err(ModelError::Redefined(name.to_string()));
        }
        self.vertices.insert(
            symbol,
            Vertex {
                symbol,
                role,
                definition,
                init,
            },
        );
        Ok(())
    }

    /// Checks the model and orders its definitions.
    pub fn finish(mut self) -> Result<Model, ModelError> {
        if let Some(name) = self.pending_output.take() {
            let symbol = self.dag.find_symbol(&name);
            match symbol.and_then(|s| self.vertices.get_mut(&s)) {
                Some(v) if v.role == Role::Intermediate => v.role = Role::Output,
                Some(v) if v.role == Role::Output => {}
                // An input, target, param or the loss cannot be marked as the output.
                Some(_) | None => return Err(ModelError::UnknownOutput(name)),
            }
        }
        let defined: Vec<(Symbol, NodeId)> = self
            .vertices
            .values()
            .filter_map(|v| Some((v.symbol, v.definition?)))
            .collect();
        for &(owner, rhs) in &defined {
            for used in self.dag.symbols_in(rhs) {
                if self.vertices.contains_key(&used) {
                    continue;
                }
                if self.name.is_some() {
                    return Err(ModelError::Undefined {
                        name: self.dag.name(used).to_string(),
                        used_in: self.dag.name(owner).to_string(),
                    });
                }
                self.vertices.insert(
                    used,
                    Vertex {
                        symbol: used,
                        role: Role::Input,
                        definition: None,
                        init: None,
                    },
                );
            }
        }
        let order = topological_order(&self.dag, &defined)?;
        Ok(Model {
            name: self.name,
            dag: self.dag,
            vertices: self.vertices,
            order,
        })
    }
}

/// Orders definitions so that each comes after the definitions it uses; ties keep source order.
/// Iterative (Kahn), so 100,000 chained definitions are fine.
fn topological_order(dag: &Dag, defined: &[(Symbol, NodeId)]) -> Result<Vec<Symbol>, ModelError> {
    let position: std::collections::HashMap<Symbol, usize> = defined
        .iter()
        .enumerate()
        .map(|(i, &(s, _))| (s, i))
        .collect();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); defined.len()];
    let mut pending: Vec<usize> = vec![0; defined.len()];
    for (i, &(_, rhs)) in defined.iter().enumerate() {
        for used in dag.symbols_in(rhs) {
            if let Some(&j) = position.get(&used) {
                users[j].push(i);
                pending[i] += 1;
            }
        }
    }
    let mut ready: std::collections::BTreeSet<usize> =
        (0..defined.len()).filter(|&i| pending[i] == 0).collect();
    let mut order = Vec::with_capacity(defined.len());
    while let Some(i) = ready.pop_first() {
        order.push(defined[i].0);
        for &u in &users[i] {
            pending[u] -= 1;
            if pending[u] == 0 {
                ready.insert(u);
            }
        }
    }
    if order.len() == defined.len() {
        return Ok(order);
    }
    Err(ModelError::Cycle(find_cycle(
        dag, defined, &position, &pending,
    )))
}

/// One cycle among the definitions Kahn's algorithm could not order, as names.
fn find_cycle(
    dag: &Dag,
    defined: &[(Symbol, NodeId)],
    position: &std::collections::HashMap<Symbol, usize>,
    pending: &[usize],
) -> Vec<String> {
    let stuck = |i: usize| pending[i] > 0;
    let start = (0..defined.len())
        .find(|&i| stuck(i))
        .expect("a stuck definition");
    // Every stuck definition uses at least one stuck definition: walk until a repeat.
    let mut walk = vec![start];
    let mut seen_at = std::collections::HashMap::from([(start, 0usize)]);
    loop {
        let current = *walk.last().expect("non-empty walk");
        let next = dag
            .symbols_in(defined[current].1)
            .into_iter()
            .filter_map(|s| position.get(&s).copied())
            .find(|&j| stuck(j))
            .expect("a stuck definition uses a stuck definition");
        if let Some(&k) = seen_at.get(&next) {
            let mut cycle: Vec<String> = walk[k..]
                .iter()
                .map(|&i| dag.name(defined[i].0).to_string())
                .collect();
            cycle.push(dag.name(defined[next].0).to_string());
            return cycle;
        }
        seen_at.insert(next, walk.len());
        walk.push(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_definitions_in_any_order_make_unknown_names_inputs() {
        let mut b = ModelBuilder::free();
        let x = b.dag.node_named("x");
        let y = b.dag.powi(x, -1);
        b.define("y", Role::Intermediate, y).unwrap();
        let v = b.dag.node_named("v");
        let x_rhs = b.dag.powi(v, 2);
        b.define("x", Role::Intermediate, x_rhs).unwrap();
        let model = b.finish().unwrap();
        let names: Vec<&str> = model
            .definitions()
            .iter()
            .map(|&(s, _)| model.name_of(s))
            .collect();
        assert_eq!(names, ["x", "y"]);
        assert_eq!(
            model.with_role(Role::Input),
            vec![model.dag.find_symbol("v").unwrap()]
        );
        assert_eq!(model.default_of(), model.dag.find_symbol("y"));
    }

    #[test]
    fn cycles_and_redefinitions_are_errors() {
        let mut b = ModelBuilder::free();
        let (a, c) = (b.dag.node_named("a"), b.dag.node_named("c"));
        b.define("c", Role::Intermediate, a).unwrap();
        let b_node = b.dag.node_named("b");
        b.define("a", Role::Intermediate, b_node).unwrap();
        b.define("b", Role::Intermediate, c).unwrap();
        assert_eq!(
            b.define("b", Role::Intermediate, c),
            Err(ModelError::Redefined("b".into()))
        );
        assert_eq!(
            b.finish().unwrap_err(),
            ModelError::Cycle(vec!["c".into(), "a".into(), "b".into(), "c".into()])
        );
    }
}
