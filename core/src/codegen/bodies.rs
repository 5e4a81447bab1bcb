//! The statements of `forward`, `loss` and `gradient`, as the plan asks for them: each body
//! loads the leaves it reads, evaluates the definitions its results need, and (the gradient)
//! accumulates the adjoints.
//!
//! The three bodies begin with the same definitions, so a later body takes over the `let`s of
//! an earlier one that it begins with, where they would print the same (see
//! [`super::body::bindings`]).

use super::body::{bindings, Bindings, Lets};
use super::names::Var;
use super::plan::Plan;
use super::split::Body;
use super::{Helpers, RustOptions};
use crate::dag::{NodeId, Symbol};
use crate::hash::FxHashSet;
use crate::model::Model;

/// The bodies of the three functions, each up to its final expression.
pub(super) struct Bodies {
    /// `forward`: the definitions the output needs.
    pub forward: Body,
    /// `loss`: the definitions the loss needs.
    pub loss: Body,
    /// `gradient`: the loss, then the adjoints.
    pub gradient: Body,
    /// How many bodies took over an earlier one's statements.
    pub taken_over: usize,
}

/// Writes the three bodies of `plan`, marking the helpers they call. With `take_over`, a body
/// takes over an earlier one's statements where they would print the same (the emitter always
/// does; tests compare the code without it).
pub(super) fn write_bodies(
    plan: &mut Plan,
    options: &RustOptions,
    helpers: &mut Helpers,
    take_over: bool,
) -> Bodies {
    let evaluated = Evaluated::new(plan);
    let (output, loss) = (plan.output, plan.loss);
    let adjoints = std::mem::take(&mut plan.adjoints);
    let mut writer = BodyWriter {
        evaluated: &evaluated,
        plan,
        options,
        helpers,
        take_over,
        taken_over: 0,
    };
    let (mut forward, forward_lets) = writer.body(&[output], &[], &[]);
    let (mut loss_body, loss_lets) = writer.body(&[loss], &[], &[&forward_lets]);
    let (mut gradient, gradient_lets) =
        writer.body(&[loss], &adjoints, &[&loss_lets, &forward_lets]);
    let taken_over = writer.taken_over;
    plan.adjoints = adjoints;
    // The bodies take their statements once no later body needs to take them over.
    forward.statements = forward_lets.statements;
    loss_body.statements = loss_lets.statements;
    gradient.statements = gradient_lets.statements;
    Bodies {
        forward,
        loss: loss_body,
        gradient,
        taken_over,
    }
}

/// The model's evaluated definitions, each with the symbols its right-hand side reads (found
/// once for the three bodies).
struct Evaluated<'a> {
    definitions: &'a [(Symbol, NodeId)],
    /// `reads[k]`: the symbols in `definitions[k]`'s right-hand side.
    reads: Vec<Vec<Symbol>>,
    /// The inputs, targets and params ([`Model::leaves`]).
    leaves: Vec<Symbol>,
}

impl<'a> Evaluated<'a> {
    fn new(plan: &Plan<'a>) -> Evaluated<'a> {
        let model = plan.model;
        let definitions = plan.analysis.evaluated_definitions();
        Evaluated {
            definitions,
            reads: definitions
                .iter()
                .map(|&(_, rhs)| model.dag.symbols_in(rhs))
                .collect(),
            leaves: model.leaves(),
        }
    }

    /// The symbols a body must bind: its roots, what `extra` reads, and everything the
    /// definitions among them read, transitively.
    fn needed(
        &self,
        model: &Model,
        roots: &[Symbol],
        extra: &[(Var, NodeId)],
    ) -> FxHashSet<Symbol> {
        let mut needed: FxHashSet<Symbol> =
            FxHashSet::with_capacity_and_hasher(2 * self.definitions.len(), Default::default());
        needed.extend(roots);
        for &(_, formula) in extra {
            model.dag.for_each_symbol_in(formula, |s| {
                needed.insert(s);
            });
        }
        for (&(s, _), reads) in self.definitions.iter().zip(&self.reads).rev() {
            if needed.contains(&s) {
                needed.extend(reads);
            }
        }
        needed
    }
}

/// Writes bodies: what every body shares.
struct BodyWriter<'p, 'a> {
    evaluated: &'p Evaluated<'a>,
    plan: &'p mut Plan<'a>,
    options: &'p RustOptions,
    helpers: &'p mut Helpers,
    take_over: bool,
    taken_over: usize,
}

impl BodyWriter<'_, '_> {
    /// `let` bindings for the leaves, then the definitions the `roots` need, then `extra`: the
    /// leaves' loads, and the bindings of the rest (the caller takes their statements).
    fn body(
        &mut self,
        roots: &[Symbol],
        extra: &[(Var, NodeId)],
        earlier: &[&Bindings],
    ) -> (Body, Bindings) {
        let model = self.plan.model;
        let needed = self.evaluated.needed(model, roots, extra);
        let body = Body {
            leaves: self.loads(&needed),
            statements: Vec::new(),
        };
        let definitions = self.evaluated.definitions;
        let mut statements: Vec<(Var, NodeId)> =
            Vec::with_capacity(definitions.len() + extra.len());
        statements.extend(
            definitions
                .iter()
                .filter(|(s, _)| needed.contains(s))
                .map(|&(s, rhs)| (Var::Symbol(s), rhs)),
        );
        statements.extend_from_slice(extra);
        let mut lets = Lets {
            dag: &model.dag,
            names: &mut self.plan.names,
            float: self.options.float,
            helpers: self.helpers,
            max_statements: self.options.max_statements,
        };
        let earlier = if self.take_over { earlier } else { &[] };
        let bindings = bindings(&mut lets, &statements, earlier);
        self.taken_over += usize::from(bindings.took_over());
        (body, bindings)
    }

    /// `let w = params.w;` for each leaf the body needs, in the leaves' order.
    fn loads(&self, needed: &FxHashSet<Symbol>) -> Vec<(Var, String)> {
        let (model, names, args) = (self.plan.model, &self.plan.names, &self.plan.args);
        let mut loads = Vec::with_capacity(self.evaluated.leaves.len());
        for &leaf in &self.evaluated.leaves {
            if needed.contains(&leaf) {
                let ident = names.ident(leaf);
                let source = args.source_of(model, leaf);
                // Without the formatting machinery (one per leaf per body).
                let mut load = String::with_capacity(2 * ident.len() + source.len() + 10);
                for part in ["let ", ident, " = ", source, ".", ident, ";\n"] {
                    load.push_str(part);
                }
                loads.push((Var::Symbol(leaf), load));
            }
        }
        loads
    }
}
