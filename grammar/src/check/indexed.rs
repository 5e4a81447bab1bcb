//! The checks of indexed layers, and what they find out for lowering.
//!
//! A network is indexed when it uses a size, a subscript, a `dim` or a reduction anywhere
//! ([`first_indexed`]); every other network is scalar and keeps its meaning. For an indexed
//! network, [`resolve`] works out, in this order:
//!
//! 1. the named sizes (`dim J = 4`) and the shape of every declaration ([`sizes`]), and each
//!    param's initializer against its shape ([`init`]);
//! 2. each definition, every definition after those it reads: which binder each index name
//!    refers to (the left-hand side `s[j]` or an enclosing `sum(i, ...)`), and the range of each
//!    binder, inferred from the arrays it subscripts and the same wherever it is used
//!    ([`bind`], with [`subscripts`]); the definition's shape is then the ranges of its
//!    left-hand side;
//! 3. the name each binder gets in the model: index names are scoped per binder, but in core an
//!    index is one variable with one range for the whole model, so a name bound again with
//!    another range gets a prime (`k`, then `k′`), which no user name can have.
//!
//! The checker calls [`resolve`] for the diagnostics, lowering for the [`Resolution`]; it is
//! deterministic, and lowering only runs on a file without errors.

mod bind;
mod init;
mod sizes;
mod subscripts;

use super::tokens::is_plain_name;
use crate::ast::{is_reduction, Ast, DeclKind, DefKind, ExprId, ExprKind, InitKind, Network};
use crate::ast::{Span, Statement, StatementKind, Target};
use crate::diagnostic::{Diagnostic, Lines};
use symdiff_core::hash::FxHashMap;

/// What lowering needs to know of an indexed network.
#[derive(Debug, Default)]
pub(crate) struct Resolution<'a> {
    /// The shape of every declared array and definition whose shape is known (`[]` for a
    /// scalar).
    pub shapes: FxHashMap<&'a str, Vec<usize>>,
    /// Every binder of an index, in source order.
    pub binders: Vec<Binder<'a>>,
    /// The binder each [`ExprKind::Index`] of a left-hand side, a subscript or a reduction
    /// refers to.
    pub binder_of: FxHashMap<ExprId, usize>,
}

/// One place that binds an index: a left-hand side's `j` in `s[j]`, or a reduction's `i`.
#[derive(Clone, Debug)]
pub(crate) struct Binder<'a> {
    /// The index name as written.
    pub name: &'a str,
    /// Where it is bound.
    pub span: Span,
    /// What binds it: `None` for a left-hand side, else the reduction (`sum`, `logsumexp`).
    pub by: Option<&'a str>,
    /// Its range and the first subscript that gave it.
    pub extent: Option<Extent<'a>>,
    /// Whether any subscript uses it (even one whose array's shape is unknown).
    pub used: bool,
    /// Its name in the model (`k`, or `k′` when `k` is bound elsewhere with another range).
    pub core_name: String,
}

/// An index's range, and the subscript it was inferred from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Extent<'a> {
    /// How many values the index takes (`1..=size`).
    pub size: usize,
    /// The array subscripted.
    pub array: &'a str,
    /// Its number of dimensions.
    pub rank: usize,
    /// Which dimension (0-based).
    pub dim: usize,
    /// The subscript.
    pub span: Span,
}

/// What a name of an indexed network is, for the messages about names that clash.
#[derive(Clone, Copy, Debug)]
pub(super) struct Named {
    /// "the input", "the param", "the definition", "the size" ...
    pub what: &'static str,
    /// Where it is declared or defined.
    pub span: Span,
    /// Whether it is a size (`dim`).
    pub dim: bool,
}

/// Checks every indexed construct of the file.
pub(super) fn check(ast: &Ast, src: &Lines<'_>, out: &mut Vec<Diagnostic>) {
    if !ast.has_index {
        for network in &ast.networks {
            scalar_inits(network, out);
        }
        return;
    }
    for statement in &ast.free {
        if let Some(span) = statement_indexed(ast, statement) {
            out.push(
                Diagnostic::error(
                    span.range(),
                    "indexed definitions are written inside a `network`, where sizes are declared",
                )
                .with_help("help: put the definitions in `network NAME { ... }` with `input x[3]`, `param w[2, 3]`, ..."),
            );
        }
    }
    for network in &ast.networks {
        match first_indexed(ast, &network.statements) {
            Some(_) => {
                resolve(ast, network, src, out);
            }
            None => scalar_inits(network, out),
        }
    }
}

/// Where the statements first use anything indexed: a size or subscript, a `dim`, a reduction.
pub(crate) fn first_indexed(ast: &Ast, statements: &[Statement]) -> Option<Span> {
    statements
        .iter()
        .filter_map(|s| statement_indexed(ast, s))
        .min_by_key(|s| s.start)
}

fn statement_indexed(ast: &Ast, statement: &Statement) -> Option<Span> {
    let subscript = |target: &Target| target.index.as_ref().map(|i| i.span);
    match &statement.kind {
        StatementKind::Dims(_) => statement.keyword.or(Some(statement.span)),
        StatementKind::Declare { items, .. } => {
            items.iter().find_map(|item| subscript(&item.target))
        }
        StatementKind::MarkOutput { target } => subscript(target),
        StatementKind::Define { target, rhs, .. } => {
            let mut first = subscript(target);
            if first.is_none() {
                ast.for_each_in_subtree(*rhs, |id| {
                    let expr = ast.expr(id);
                    let found = match &expr.kind {
                        ExprKind::Name { index: Some(i), .. } => Some(i.span),
                        ExprKind::Call { func, .. } if is_reduction(func.name) => Some(func.span),
                        _ => None,
                    };
                    if let Some(found) = found {
                        first = Some(first.map_or(found, |f| {
                            if found.start < f.start {
                                found
                            } else {
                                f
                            }
                        }));
                    }
                });
            }
            first
        }
    }
}

/// A scalar network's params take numbers only: lists and named initializers give the elements
/// of arrays.
fn scalar_inits(network: &Network, out: &mut Vec<Diagnostic>) {
    for statement in &network.statements {
        if let StatementKind::Declare { items, .. } = &statement.kind {
            for item in items {
                if let Some(value) = &item.init {
                    init::check_scalar_network(item.target.name.name, value, out);
                }
            }
        }
    }
}

/// Checks one indexed network and works out its shapes and binders.
pub(crate) fn resolve<'a>(
    ast: &'a Ast<'a>,
    network: &'a Network<'a>,
    src: &Lines<'_>,
    out: &mut Vec<Diagnostic>,
) -> Resolution<'a> {
    let statements = &network.statements;
    let names = names(statements);
    let dims = sizes::dims(statements, out);
    let mut resolution = Resolution::default();
    for statement in statements {
        match &statement.kind {
            StatementKind::Declare { kind, items } => {
                for item in items {
                    let name = item.target.name.name;
                    let shape = match &item.target.index {
                        Some(index) => sizes::shape(ast, src.text(), name, index, &dims, out),
                        None => Some(Vec::new()),
                    };
                    if let (Some(shape), Some(value)) = (&shape, &item.init) {
                        if *kind == DeclKind::Param {
                            init::check(name, value, shape, out);
                        }
                    }
                    if let Some(shape) = shape {
                        resolution.shapes.entry(name).or_insert(shape);
                    }
                }
            }
            StatementKind::MarkOutput { target } => {
                if let Some(index) = &target.index {
                    let n = target.name.name;
                    out.push(
                        Diagnostic::error(
                            index.span.range(),
                            format!("`output {n}` marks a definition: it takes no subscripts"),
                        )
                        .with_help(format!(
                            "help: write `output {n}`; the indices belong to its definition"
                        )),
                    );
                }
            }
            StatementKind::Define { .. } | StatementKind::Dims(_) => {}
        }
    }
    let mut binding = bind::Binding::new(ast, src, &names, resolution, out);
    for (kind, target, rhs) in definitions_in_order(ast, statements) {
        binding.definition(kind, target, rhs);
    }
    let mut resolution = binding.finish();
    name_binders(&mut resolution.binders);
    resolution
}

/// Every declared or defined name with what it is (the first of each; redefinitions are the
/// scope checks' to report).
fn names<'a>(statements: &'a [Statement<'a>]) -> FxHashMap<&'a str, Named> {
    let mut names = FxHashMap::default();
    for statement in statements {
        let mut add = |name: &'a str, what: &'static str, span: Span, dim: bool| {
            names.entry(name).or_insert(Named { what, span, dim });
        };
        match &statement.kind {
            StatementKind::Declare { kind, items } => {
                let what = match kind {
                    DeclKind::Input => "the input",
                    DeclKind::Target => "the target",
                    DeclKind::Param => "the param",
                };
                for item in items {
                    add(item.target.name.name, what, item.target.name.span, false);
                }
            }
            StatementKind::Define { kind, target, .. } => {
                let what = match kind {
                    DefKind::Plain => "the definition",
                    DefKind::Output => "the output",
                    DefKind::Loss => "the loss",
                };
                add(target.name.name, what, target.name.span, false);
            }
            StatementKind::Dims(dims) => {
                for dim in dims {
                    add(dim.name.name, "the size", dim.name.span, true);
                }
            }
            StatementKind::MarkOutput { .. } => {}
        }
    }
    names
}

/// The definitions, each after the definitions it reads (Kahn's order, source order among the
/// ready ones); those in a cycle are left out (the scope checks report the cycle), as is a
/// second definition of a name.
fn definitions_in_order<'a>(
    ast: &Ast<'a>,
    statements: &'a [Statement<'a>],
) -> Vec<(DefKind, &'a Target<'a>, ExprId)> {
    let mut defs: Vec<(DefKind, &'a Target<'a>, ExprId)> = Vec::new();
    let mut position: FxHashMap<&str, usize> = FxHashMap::default();
    for statement in statements {
        if let StatementKind::Define { kind, target, rhs } = &statement.kind {
            if is_plain_name(target.name.name) && !position.contains_key(target.name.name) {
                position.insert(target.name.name, defs.len());
                defs.push((*kind, target, *rhs));
            }
        }
    }
    // readers[d]: the definitions that read d; waiting[r]: how many definitions r still waits for.
    let mut readers: Vec<Vec<usize>> = vec![Vec::new(); defs.len()];
    let mut waiting = vec![0usize; defs.len()];
    for (r, &(_, _, rhs)) in defs.iter().enumerate() {
        let mut read: Vec<usize> = Vec::new();
        ast.for_each_in_subtree(rhs, |id| {
            if let ExprKind::Name { name, .. } = &ast.expr(id).kind {
                if let Some(&d) = position.get(name) {
                    if !read.contains(&d) {
                        read.push(d);
                    }
                }
            }
        });
        waiting[r] = read.len();
        for d in read {
            readers[d].push(r);
        }
    }
    let mut ready: std::collections::BTreeSet<usize> =
        (0..defs.len()).filter(|&r| waiting[r] == 0).collect();
    let mut order = Vec::with_capacity(defs.len());
    while let Some(d) = ready.pop_first() {
        order.push(defs[d]);
        for &r in &readers[d] {
            waiting[r] -= 1;
            if waiting[r] == 0 {
                ready.insert(r);
            }
        }
    }
    order
}

/// Gives each binder its name in the model: its own name, unless another binder of that name
/// has another range; then a prime is added, as many as it takes.
fn name_binders(binders: &mut [Binder<'_>]) {
    let mut taken: FxHashMap<String, usize> = FxHashMap::default();
    for binder in binders {
        let Some(extent) = binder.extent else {
            continue;
        };
        let mut name = binder.name.to_string();
        loop {
            match taken.get(&name) {
                Some(&size) if size != extent.size => name.push('′'),
                Some(_) => break,
                None => {
                    taken.insert(name.clone(), extent.size);
                    break;
                }
            }
        }
        binder.core_name = name;
    }
}

/// What an index or size is called in a message about a reserved word, if it is one.
pub(super) fn reserved(name: &str) -> Option<&'static str> {
    if is_plain_name(name) {
        return None;
    }
    Some(if super::tokens::KEYWORDS.contains(&name) {
        "a keyword"
    } else if symdiff_core::Function::from_name(name).is_some() {
        "a function"
    } else if symdiff_core::Constant::from_name(name).is_some() {
        "a constant"
    } else {
        "not a number in symdiff"
    })
}

/// `3×2` for a shape (`a scalar` for `[]`).
pub(super) fn shape_text(shape: &[usize]) -> String {
    if shape.is_empty() {
        return "a scalar".to_string();
    }
    shape
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join("×")
}

/// A shape in words: `a single number`, `a vector of 3`, `a 3×2 matrix`, `a 2×3×4 array`.
pub(super) fn shape_words(shape: &[usize]) -> String {
    match shape.len() {
        0 => "a single number".to_string(),
        1 => format!("a vector of {}", shape[0]),
        2 => format!("a {} matrix", shape_text(shape)),
        _ => format!("a {} array", shape_text(shape)),
    }
}

/// The words for a dimension of an array: `x's 3 elements`, `w1's 4 columns`, `t's 2nd
/// dimension (5 long)`.
pub(super) fn dimension_words(array: &str, rank: usize, dim: usize, size: usize) -> String {
    match (rank, dim) {
        (1, _) => format!("{array}'s {size} element{}", plural(size)),
        (2, 0) => format!("{array}'s {size} row{}", plural(size)),
        (2, _) => format!("{array}'s {size} column{}", plural(size)),
        _ => format!("dimension {} of {array} ({size} long)", dim + 1),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The value of an initializer or size written as a whole number of at least 1.
pub(super) fn whole(kind: &InitKind) -> Option<usize> {
    match kind {
        InitKind::Number {
            negative: false,
            number,
        } => number.parse::<usize>().ok().filter(|&n| n >= 1),
        _ => None,
    }
}
