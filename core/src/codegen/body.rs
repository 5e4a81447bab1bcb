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
use super::{Float, Helpers};
use crate::dag::{Dag, Node, NodeId};
use crate::fraction::fraction;
use crate::hash::{FxHashMap, FxHashSet};
use crate::marks::{with_marks, Marks};

/// Inline expressions deeper than this are split with a `let`.
const MAX_INLINE_HEIGHT: usize = 32;

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
}

/// `let NAME = EXPR;` for each statement in order, with shared subexpressions bound once.
///
/// The forward, loss and gradient bodies begin with the same definitions. When an `earlier`
/// body's statements begin these ones, it bound no temporary, and this body shares exactly
/// the same of their nodes and product prefixes, printing them again would give the same
/// `let`s: they are taken over, and printing starts after them.
pub(super) fn bindings(
    dag: &Dag,
    statements: &[(Var, NodeId)],
    names: &mut Names,
    float: Float,
    helpers: &mut Helpers,
    earlier: &[&Bindings],
) -> Bindings {
    let sharing = sharing(dag, statements);
    let mut bound = Bound::default();
    // A statement each, and a temporary per shared node at most.
    let mut out = Vec::with_capacity(statements.len() + sharing.nodes.len());
    let mut temps = 0usize;
    let mut start = 0;
    if let Some(e) = earlier
        .iter()
        .filter(|_| take_over::allowed())
        .find(|e| e.prints_the_same(dag, statements, &sharing))
    {
        out.extend_from_slice(&e.statements);
        bound = e.bound.clone();
        start = e.input.len();
        take_over::count();
    }
    for &(name, root) in &statements[start..] {
        for temp in temps_needed(dag, root, &sharing, &bound) {
            // A node bound just before may have been that very product (`let t0 = a * b;`).
            if matches!(&temp, Temp::Prefix(factors) if bound.prefixes.contains_key(factors)) {
                continue;
            }
            let var = names.temp(&format!("t{temps}"));
            temps += 1;
            let statement = match &temp {
                Temp::Node(t) => {
                    let_statement(dag, names, float, helpers, &bound, var, &[*t], |w| {
                        w.top(*t)
                    })
                }
                Temp::Prefix(factors) => {
                    let_statement(dag, names, float, helpers, &bound, var, factors, |w| {
                        w.factors(factors)
                    })
                }
            };
            out.push(statement);
            match temp {
                Temp::Node(t) => bound.node(dag, &sharing, t, var),
                Temp::Prefix(factors) => {
                    bound.prefixes.insert(factors, var);
                }
            }
        }
        let existing = bound
            .nodes
            .get(&root)
            .copied()
            .filter(|_| !is_trivial(dag, root));
        out.push(let_statement(
            dag,
            names,
            float,
            helpers,
            &bound,
            name,
            &[root],
            |w| match existing {
                Some(existing) => w.var(existing),
                None => w.top(root),
            },
        ));
        if !bound.nodes.contains_key(&root) {
            if sharing.nodes.contains(&root) {
                bound.node(dag, &sharing, root, name);
            } else {
                bound.product(dag, &sharing, root, name);
            }
        }
    }
    Bindings {
        statements: out,
        input: statements.to_vec(),
        sharing,
        bound,
        temps,
    }
}

impl Bindings {
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

/// In tests, taking over an earlier body's statements can be turned off (to compare the code
/// with and without it), and is counted (to know the comparison covered it).
#[cfg(test)]
pub(super) mod take_over {
    use std::cell::Cell;

    thread_local! {
        static ALLOWED: Cell<bool> = const { Cell::new(true) };
        static COUNT: Cell<usize> = const { Cell::new(0) };
    }

    pub(crate) fn allowed() -> bool {
        ALLOWED.with(Cell::get)
    }

    pub(crate) fn count() {
        COUNT.with(|c| c.set(c.get() + 1));
    }

    /// Runs `f` with taking over allowed or not; returns its result and how many bodies took
    /// over an earlier one's statements.
    pub(crate) fn with<R>(allowed: bool, f: impl FnOnce() -> R) -> (R, usize) {
        ALLOWED.with(|a| a.set(allowed));
        COUNT.with(|c| c.set(0));
        let r = f();
        ALLOWED.with(|a| a.set(true));
        (r, COUNT.with(Cell::get))
    }
}

#[cfg(not(test))]
mod take_over {
    pub(crate) fn allowed() -> bool {
        true
    }

    pub(crate) fn count() {}
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

/// `let name = expr;`, the expression written by `write`, with the type written out when
/// nothing else would fix it (a product of constants only).
#[allow(clippy::too_many_arguments)]
fn let_statement(
    dag: &Dag,
    names: &Names,
    float: Float,
    helpers: &mut Helpers,
    bound: &Bound,
    name: Var,
    factors: &[NodeId],
    write: impl FnOnce(&mut ExprWriter),
) -> Statement {
    // A right-hand side reads about two names per operand of its top node, each some ten
    // bytes with its operator: room for that, so the buffers rarely grow while printing.
    let operands: usize = factors
        .iter()
        .map(|&f| dag.node(f).children().len().max(1))
        .sum();
    let mut text = String::with_capacity(32 + 24 * operands);
    text.push_str("let ");
    text.push_str(names.var(name));
    if factors.iter().all(|&f| is_constant(dag, f)) {
        text.push_str(": ");
        text.push_str(float.ty());
    }
    text.push_str(" = ");
    let mut reads = Vec::with_capacity(2 * operands);
    write(&mut ExprWriter {
        dag,
        float,
        symbols: names,
        bound: &bound.nodes,
        prefixes: &bound.prefixes,
        helpers,
        out: &mut text,
        reads: &mut reads,
    });
    text.push_str(";\n");
    Statement { name, text, reads }
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

/// Leaves, and the negation of a leaf: cheaper to repeat than to name.
fn is_trivial(dag: &Dag, id: NodeId) -> bool {
    match dag.node(id) {
        Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => true,
        Node::Mul(factors) => {
            factors.len() == 2
                && dag
                    .as_number(factors[0])
                    .is_some_and(|c| c == crate::rational::Rational::MINUS_ONE)
                && factors[1..]
                    .iter()
                    .all(|&f| matches!(dag.node(f), Node::Symbol(_) | Node::Constant(_)))
        }
        Node::Add(_) | Node::Pow(_) | Node::Call(..) => false,
    }
}

/// All but the last factor above the bar, of a product with at least three there: the part
/// `d_g * t1` that `d_g * t1 * h1`, `d_g * t1 * h2`... have in common.
fn proper_prefix(dag: &Dag, id: NodeId) -> Option<Vec<NodeId>> {
    match dag.node(id) {
        // The numerator is some of the factors: fewer than three factors, fewer there.
        Node::Mul(factors) if factors.len() >= 3 => {
            let mut numerator = fraction(dag, id).numerator;
            (numerator.len() >= 3).then(|| {
                numerator.pop();
                numerator
            })
        }
        _ => None,
    }
}

/// The factors of a product that is nothing but a product of two or more of them (no
/// coefficient, nothing below the bar): a node that can stand for a shared prefix.
fn whole_product(dag: &Dag, id: NodeId) -> Option<&[NodeId]> {
    match dag.node(id) {
        Node::Mul(factors)
            if factors.len() >= 2
                && dag.as_number(factors[0]).is_none()
                && factors.iter().all(|&f| !is_reciprocal(dag, f)) =>
        {
            Some(factors)
        }
        _ => None,
    }
}

fn is_reciprocal(dag: &Dag, id: NodeId) -> bool {
    matches!(dag.node(id), Node::Pow([_, e]) if dag.as_number(*e).is_some_and(|e| e.is_negative()))
}

/// What a body binds to a name of its own before use.
struct Sharing {
    /// Non-trivial nodes printed more than once (or nested too deep to print inline).
    nodes: FxHashSet<NodeId>,
    /// Products of factors that begin two or more products (`d_g * t1` in `d_g * t1 * h1`
    /// and `d_g * t1 * h2`), or begin one and are a node of their own (`d_b = d_g * t1`):
    /// bound once, so each use costs one multiplication, as in hand-written backprop.
    prefixes: FxHashSet<Vec<NodeId>>,
    /// The shared prefix each product begins with, for the products that begin with one.
    prefix_of: FxHashMap<NodeId, Vec<NodeId>>,
    /// Every node the body prints (the non-trivial nodes under its statements), ascending.
    expanded: Vec<NodeId>,
}

/// The nodes and product prefixes a body binds (see [`Sharing`]).
fn sharing(dag: &Dag, statements: &[(Var, NodeId)]) -> Sharing {
    // Parent edges per node (a stamp's value), over the expanded nodes; then the height of what
    // prints inline. Stamped marks, not hash maps: a body has a node per operation.
    let (order, mut shared) = with_marks(|refs| {
        let mut order = Vec::new();
        let count = |refs: &mut Marks, id: NodeId| {
            let n = refs.get(id).unwrap_or(0);
            refs.set(id, n + 1);
            n == 0
        };
        for &(_, root) in statements {
            if is_trivial(dag, root) || !count(refs, root) {
                continue;
            }
            order.push(root);
            let mut stack = refs.stack(&[root]);
            while let Some(id) = stack.pop() {
                for &c in dag.node(id).children() {
                    if !is_trivial(dag, c) && count(refs, c) {
                        order.push(c);
                        stack.push(c);
                    }
                }
            }
            refs.done_with(stack);
        }
        order.sort_unstable();
        let shared: FxHashSet<NodeId> = order
            .iter()
            .copied()
            .filter(|&id| refs.get(id).is_some_and(|n| n >= 2))
            .collect();
        (order, shared)
    });
    // Bound the height of what is printed inline; children have smaller ids.
    with_marks(|height| {
        for &id in &order {
            let h = 1 + dag
                .node(id)
                .children()
                .iter()
                .filter(|c| !shared.contains(c))
                .filter_map(|&c| height.get(c))
                .max()
                .unwrap_or(0);
            if h as usize > MAX_INLINE_HEIGHT {
                shared.insert(id);
                height.set(id, 1);
            } else {
                height.set(id, h);
            }
        }
    });
    // A prefix's uses: the products that begin with it, and the node that is the product itself.
    let users: Vec<(NodeId, Vec<NodeId>)> = order
        .iter()
        .filter_map(|&id| Some((id, proper_prefix(dag, id)?)))
        .collect();
    let mut uses: FxHashMap<&[NodeId], usize> = FxHashMap::default();
    for (_, prefix) in &users {
        *uses.entry(prefix).or_default() += 1;
    }
    if !uses.is_empty() {
        for &id in &order {
            if let Some(count) = whole_product(dag, id).and_then(|whole| uses.get_mut(whole)) {
                *count += 1;
            }
        }
    }
    let prefixes: FxHashSet<Vec<NodeId>> = uses
        .into_iter()
        .filter(|&(_, n)| n >= 2)
        .map(|(key, _)| key.to_vec())
        .collect();
    let prefix_of = users
        .into_iter()
        .filter(|(_, prefix)| prefixes.contains(prefix))
        .collect();
    Sharing {
        nodes: shared,
        prefixes,
        prefix_of,
        expanded: order,
    }
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
