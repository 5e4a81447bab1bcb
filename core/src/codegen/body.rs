//! A function body as straight-line `let` bindings, with every common subexpression bound once.
//!
//! The DAG is hash-consed, so a subexpression used twice is one node with two parents. Counting
//! parent edges over all the statements of a body finds them: a node with two or more is bound
//! to a `let t0 = ...` just before its first use (or, when it is a statement's whole right-hand
//! side, to that statement's name), and later uses read the name. Nodes nested deeper than a
//! bound are bound too, so printing never recurses deeply. A product prefix that begins two or
//! more products (`d_g * t1` of `d_g * t1 * h1` and `d_g * t1 * h2`: a hidden unit's
//! pre-activation adjoint, which no definition names) is bound once too, as hand-written backprop
//! binds it.

use super::expr::ExprWriter;
use super::names::{Names, Var};
use super::sharing::{is_trivial, sharing, whole_product, Sharing};
use super::{Float, Helpers};
use crate::dag::{Dag, Node, NodeId};
use crate::hash::{FxHashMap, FxHashSet};
use crate::marks::with_marks;
use crate::op::Func;
use crate::rational::Rational;

/// One `let` of a body: the name it binds, its text, and the names its right-hand side reads.
#[derive(Clone, Debug)]
pub(super) struct Statement {
    /// What it binds.
    pub name: Var,
    /// `let h = sigmoid(s);`
    pub text: String,
    /// What the right-hand side reads, in order of appearance (with repeats).
    pub reads: Vec<Var>,
}

/// The `let`s of one body, and what a later body needs to take them over.
pub(super) struct Bindings {
    /// One [`Statement`] per `let`, the `t0` temporaries included.
    pub statements: Vec<Statement>,
    /// The statements they bind, as given.
    input: Vec<(Var, NodeId)>,
    sharing: Sharing,
    /// What is bound after the last statement.
    bound: Bound,
    /// How many temporaries were bound.
    temps: usize,
    /// Whether the body took over an earlier body's statements.
    took_over: bool,
    /// `u` -> `sigmoid(-u)` for the complements this body prints, where `sigmoid(u)` is bound
    /// with it by one `let (h, t) = sigmoid_pair(u);` (see [`complements`]).
    complements: FxHashMap<NodeId, NodeId>,
}

/// What writing a `let` needs: the DAG, the identifiers, the float type, and the helpers the
/// code calls.
pub(super) struct Lets<'a> {
    pub dag: &'a Dag,
    pub names: &'a mut Names,
    pub float: Float,
    pub helpers: &'a mut Helpers,
    /// The bound over which a body is split into parts (0: never).
    pub max_statements: usize,
}

/// `let NAME = EXPR;` for each statement in order, with shared subexpressions bound once.
///
/// The forward, loss and gradient bodies begin with the same definitions. When an `earlier`
/// body's statements begin these ones, it bound no temporary, and this body shares exactly
/// the same of their nodes and product prefixes, printing them again would give the same
/// `let`s: they are taken over, and printing starts after them.
pub(super) fn bindings(
    lets: &mut Lets,
    statements: &[(Var, NodeId)],
    earlier: &[&Bindings],
) -> Bindings {
    let sharing = sharing(lets.dag, statements);
    let complements = complements(lets, statements, &sharing);
    let mut body = Bindings {
        // A statement each, and a temporary per shared node at most.
        statements: Vec::with_capacity(statements.len() + sharing.nodes.len()),
        input: statements.to_vec(),
        sharing,
        bound: Bound::default(),
        temps: 0,
        took_over: false,
        complements,
    };
    let mut start = 0;
    // An earlier body binds `sigmoid(u)` alone; one with a complement binds the pair.
    let pairs = |e: &&&Bindings| {
        e.input.iter().any(|&(_, root)| match lets.dag.node(root) {
            Node::Call(Func::Sigmoid, args) => body.complements.contains_key(&args[0]),
            _ => false,
        })
    };
    if let Some(e) = earlier
        .iter()
        .filter(|e| !pairs(e))
        .find(|e| e.prints_the_same(lets.dag, statements, &body.sharing))
    {
        body.statements.extend_from_slice(&e.statements);
        body.bound = e.bound.clone();
        body.took_over = true;
        start = e.input.len();
    }
    for &(name, root) in &statements[start..] {
        body.bind_temps(lets, root);
        body.bind_statement(lets, name, root);
    }
    body
}

impl Bindings {
    /// Whether the body took over an earlier body's statements.
    pub fn took_over(&self) -> bool {
        self.took_over
    }

    /// Binds the temporaries a statement's `root` needs before it: shared nodes and product
    /// prefixes not bound yet.
    fn bind_temps(&mut self, lets: &mut Lets, root: NodeId) {
        for temp in temps_needed(lets.dag, root, &self.sharing, &self.bound) {
            // A node bound just before may have been that very product (`let t0 = a * b;`).
            if matches!(&temp, Temp::Prefix(factors) if self.bound.prefixes.contains_key(factors)) {
                continue;
            }
            let var = lets.names.temp(&format!("t{}", self.temps));
            self.temps += 1;
            let statement = match &temp {
                Temp::Node(t) => lets.statement(&self.bound, var, &[*t], |w| w.top(*t)),
                Temp::Prefix(factors) => {
                    lets.statement(&self.bound, var, factors, |w| w.factors(factors))
                }
            };
            self.statements.push(statement);
            match temp {
                Temp::Node(t) => self.bound.node(lets.dag, &self.sharing, t, var),
                Temp::Prefix(factors) => {
                    self.bound.prefixes.insert(factors, var);
                }
            }
        }
    }

    /// `let name = root;`, reading the name `root` is already bound to, if any; then binds it.
    fn bind_statement(&mut self, lets: &mut Lets, name: Var, root: NodeId) {
        let dag = lets.dag;
        if let Node::Call(Func::Sigmoid, args) = dag.node(root) {
            if let Some(&complement) = self.complements.get(&args[0]) {
                return self.bind_pair(lets, name, root, args[0], complement);
            }
        }
        let existing = self
            .bound
            .nodes
            .get(&root)
            .copied()
            .filter(|_| !is_trivial(dag, root));
        self.statements.push(
            lets.statement(&self.bound, name, &[root], |w| match existing {
                Some(existing) => w.var(existing),
                None => w.top(root),
            }),
        );
        if !self.bound.nodes.contains_key(&root) {
            if self.sharing.nodes.contains(&root) {
                self.bound.node(dag, &self.sharing, root, name);
            } else {
                self.bound.product(dag, &self.sharing, root, name);
            }
        }
    }

    /// `let (name, t) = sigmoid_pair(u);` for `root = sigmoid(u)`, binding `complement`
    /// (`sigmoid(-u)`) to the temporary `t`.
    fn bind_pair(
        &mut self,
        lets: &mut Lets,
        name: Var,
        root: NodeId,
        u: NodeId,
        complement: NodeId,
    ) {
        let dag = lets.dag;
        let temp = lets.names.temp(&format!("t{}", self.temps));
        self.temps += 1;
        let mut statement = lets.statement(&self.bound, name, &[root], |w| w.sigmoid_pair(u));
        let equals = statement.text.find(" = ").expect("a let has ` = `");
        statement.text = format!(
            "let ({}, {}){}",
            lets.names.var(name),
            lets.names.var(temp),
            &statement.text[equals..]
        );
        self.statements.push(statement);
        self.bound.node(dag, &self.sharing, root, name);
        self.bound.node(dag, &self.sharing, complement, temp);
    }

    /// Whether `statements`, under `sharing`, would print this body's statements as a prefix of
    /// theirs, the same `let`s with the same names: they begin with this body's statements,
    /// this body bound no temporary (whose name would differ), and every node this body
    /// printed is shared, and begins a shared prefix, in both or in neither (so the same
    /// nodes and products are bound, to the same names, at the same points).
    fn prints_the_same(&self, dag: &Dag, statements: &[(Var, NodeId)], sharing: &Sharing) -> bool {
        let same = |id: &NodeId| {
            sharing.nodes.contains(id) == self.sharing.nodes.contains(id)
                && sharing.prefix_of.get(id) == self.sharing.prefix_of.get(id)
        };
        let same_prefix = |&(_, root): &(Var, NodeId)| match whole_product(dag, root) {
            Some(key) => sharing.prefixes.contains(key) == self.sharing.prefixes.contains(key),
            None => true,
        };
        self.temps == 0
            && statements.starts_with(&self.input)
            && self.sharing.expanded.iter().all(same)
            && self.input.iter().all(same_prefix)
    }
}

/// What a body has bound so far: nodes, and products of factors (`d_g * t1` of
/// `d_g * t1 * h`), by the name bound.
#[derive(Clone, Default)]
struct Bound {
    nodes: FxHashMap<NodeId, Var>,
    prefixes: FxHashMap<Vec<NodeId>, Var>,
}

impl Bound {
    /// Binds a node; a node that is a shared product of factors binds that product too.
    fn node(&mut self, dag: &Dag, sharing: &Sharing, id: NodeId, var: Var) {
        self.product(dag, sharing, id, var);
        self.nodes.insert(id, var);
    }

    /// When `id` is a shared product of factors (nothing else), `var` names that product.
    fn product(&mut self, dag: &Dag, sharing: &Sharing, id: NodeId, var: Var) {
        if let Some(key) = whole_product(dag, id).filter(|k| sharing.prefixes.contains(*k)) {
            self.prefixes.entry(key.to_vec()).or_insert(var);
        }
    }
}

impl Lets<'_> {
    /// `let name = expr;`, the expression written by `write`, with the type written out when
    /// nothing else would fix it (a product of constants only).
    fn statement(
        &mut self,
        bound: &Bound,
        name: Var,
        factors: &[NodeId],
        write: impl FnOnce(&mut ExprWriter),
    ) -> Statement {
        let dag = self.dag;
        // A right-hand side reads about two names per operand of its top node, each some ten
        // bytes with its operator: room for that, so the buffers rarely grow while printing.
        let operands: usize = factors
            .iter()
            .map(|&f| dag.node(f).children().len().max(1))
            .sum();
        let mut text = String::with_capacity(32 + 24 * operands);
        text.push_str("let ");
        text.push_str(self.names.var(name));
        if factors.iter().all(|&f| is_constant(dag, f)) {
            text.push_str(": ");
            text.push_str(self.float.ty());
        }
        text.push_str(" = ");
        let mut reads = Vec::with_capacity(2 * operands);
        write(&mut ExprWriter {
            dag,
            float: self.float,
            symbols: self.names,
            bound: &bound.nodes,
            prefixes: &bound.prefixes,
            helpers: self.helpers,
            out: &mut text,
            reads: &mut reads,
        });
        text.push_str(";\n");
        Statement { name, text, reads }
    }
}

/// `u` -> `sigmoid(-u)` for each complement the statements print whose `sigmoid(u)` is a
/// statement's whole right-hand side (a sigmoid unit's value, bound by name), in a body short
/// enough not to be split into parts (a pair's second name is no statement's own, which parts
/// do not carry).
fn complements(
    lets: &Lets,
    statements: &[(Var, NodeId)],
    sharing: &Sharing,
) -> FxHashMap<NodeId, NodeId> {
    let dag = lets.dag;
    let mut out = FxHashMap::default();
    let most = statements.len() + sharing.nodes.len() + sharing.prefixes.len();
    if lets.max_statements != 0 && most > lets.max_statements {
        return out;
    }
    let units: FxHashSet<NodeId> = statements
        .iter()
        .filter_map(|&(_, root)| match dag.node(root) {
            Node::Call(Func::Sigmoid, args) => Some(args[0]),
            _ => None,
        })
        .collect();
    for &id in &sharing.expanded {
        if let Node::Call(Func::Sigmoid, args) = dag.node(id) {
            if let Node::Mul(f) = dag.node(args[0]) {
                let negated = f.len() == 2 && dag.as_number(f[0]) == Some(Rational::MINUS_ONE);
                if negated && units.contains(&f[1]) {
                    out.insert(f[1], id);
                }
            }
        }
    }
    out
}

/// Whether an expression reads no symbol (stops at the first one).
fn is_constant(dag: &Dag, root: NodeId) -> bool {
    let reads_symbol = |id: NodeId| matches!(dag.node(id), Node::Symbol(_));
    // Nearly every statement reads a symbol at the top: no walk for those.
    if reads_symbol(root) || dag.node(root).children().iter().any(|&c| reads_symbol(c)) {
        return false;
    }
    with_marks(|seen| {
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            match dag.node(id) {
                Node::Symbol(_) => return false,
                node => stack.extend(node.children().iter().filter(|&&c| seen.insert(c))),
            }
        }
        true
    })
}

/// A `let` bound before the statement that needs it.
enum Temp {
    /// A shared node.
    Node(NodeId),
    /// A shared product prefix, by its factors.
    Prefix(Vec<NodeId>),
}

/// The shared nodes and product prefixes inside `root` not yet bound, children first (a
/// prefix just before the first product that begins with it).
fn temps_needed(dag: &Dag, root: NodeId, sharing: &Sharing, bound: &Bound) -> Vec<Temp> {
    if bound.nodes.contains_key(&root) {
        return Vec::new();
    }
    let mut nodes = Vec::new();
    // (first user, prefix): a prefix sorts before its user, which sorts after its factors.
    let mut prefixes: Vec<(NodeId, Vec<NodeId>)> = Vec::new();
    with_marks(|seen| {
        let mut stack = seen.stack(&[root]);
        while let Some(id) = stack.pop() {
            if !seen.insert(id) || (id != root && bound.nodes.contains_key(&id)) {
                continue;
            }
            if id != root && sharing.nodes.contains(&id) {
                nodes.push(id);
            }
            if let Some(prefix) = sharing.prefix_of.get(&id) {
                if !bound.prefixes.contains_key(prefix) {
                    prefixes.push((id, prefix.clone()));
                }
            }
            stack.extend(
                dag.node(id)
                    .children()
                    .iter()
                    .filter(|&&c| !is_trivial(dag, c)),
            );
        }
        seen.done_with(stack);
    });
    nodes.sort_unstable();
    if prefixes.is_empty() {
        return nodes.into_iter().map(Temp::Node).collect();
    }
    prefixes.sort();
    let mut out = Vec::new();
    let mut taken: FxHashSet<Vec<NodeId>> = FxHashSet::default();
    let mut pending = prefixes.into_iter().peekable();
    for node in nodes {
        while let Some((user, prefix)) = pending.next_if(|(user, _)| *user <= node) {
            let _ = user;
            if taken.insert(prefix.clone()) {
                out.push(Temp::Prefix(prefix));
            }
        }
        out.push(Temp::Node(node));
    }
    for (_, prefix) in pending {
        if taken.insert(prefix.clone()) {
            out.push(Temp::Prefix(prefix));
        }
    }
    out
}
