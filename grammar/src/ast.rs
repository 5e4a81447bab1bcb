//! The spanned syntax tree: what the user wrote, before any meaning is checked.
//!
//! Expressions live in one arena, [`Ast::exprs`], addressed by [`ExprId`]. Nothing here is a
//! `Box` tree, so a 100,000-term sum is a flat `Vec` and dropping it cannot overflow the stack;
//! every walk ([`Ast::for_each_in_subtree`]) uses an explicit stack. Chains of `+`/`-` and of
//! `*`/`/` are flattened into one [`ExprKind::Sum`] or [`ExprKind::Product`] while parsing (a
//! parenthesized left operand is kept as it was written). Names and literals are slices of the
//! source text (the tree borrows it), so building the tree copies no text.

use smallvec::SmallVec;
use symdiff_core::Constant;

/// A byte range of the source text, in 32 bits: the parser takes texts of at most
/// [`MAX_TEXT_LEN`] bytes, and half-size spans keep the tree small (every node has one).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Span {
    /// The first byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// The longest text the parser takes, in bytes (4 GiB less one): its offsets fit 32 bits.
pub const MAX_TEXT_LEN: usize = u32::MAX as usize;

impl Span {
    /// The span from `start` to `end`, offsets into a text of at most [`MAX_TEXT_LEN`] bytes.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(end <= MAX_TEXT_LEN, "offsets beyond MAX_TEXT_LEN");
        // Saturating, never wrapping, should an offset ever pass the checked length.
        let offset = |o: usize| u32::try_from(o).unwrap_or(u32::MAX);
        Span {
            start: offset(start),
            end: offset(end),
        }
    }

    /// The span as a `Range`, the form diagnostics carry.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// The index of an expression in [`Ast::exprs`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct ExprId(pub u32);

impl ExprId {
    /// The index as a `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A name as written, with its place.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Ident<'a> {
    /// The name's text.
    pub name: &'a str,
    /// Where it is.
    pub span: Span,
}

/// An index suffix `[i, j]`: sizes in a declaration, bound index names on the left-hand side
/// of a definition, subscripts of an element reference. A bare name in it is an
/// [`ExprKind::Index`], inside sums, products and powers too (`i` in `x[i + 1]`); names under
/// a nested subscript or a call keep their kind.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Index {
    /// The brackets and everything between them.
    pub span: Span,
    /// The index expressions.
    pub items: Vec<ExprId>,
}

/// The reductions: calls that bind an index over their body (`sum(i, x[i])`).
pub const REDUCTIONS: [&str; 2] = ["sum", "logsumexp"];

/// Whether a called name is a reduction.
pub fn is_reduction(name: &str) -> bool {
    REDUCTIONS.contains(&name)
}

/// Whether a term is added or subtracted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sign {
    /// `+ term` (and the first term).
    Plus,
    /// `- term`.
    Minus,
}

/// Whether a factor multiplies or divides.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MulOp {
    /// `* factor` (and the first factor).
    Mul,
    /// `/ factor`.
    Div,
}

/// What an expression is.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ExprKind<'a> {
    /// A decimal literal, as written (`0.5`, `1e-3`).
    Number(&'a str),
    /// `pi`, `π` or `e`.
    Constant(Constant),
    /// A bare name in brackets (`i` in `x[i]`, `J` in `input x[J]`), or the index a reduction
    /// binds (`i` in `sum(i, ...)`): an index or a size, never a vertex.
    Index(&'a str),
    /// A vertex name, possibly with subscripts (`w1[j, i]`).
    Name {
        /// The name.
        name: &'a str,
        /// The subscripts, if any (boxed: a scalar name is the commonest node).
        index: Option<Box<Index>>,
    },
    /// `func(args...)`.
    Call {
        /// The function's name as written (it may not be a known function).
        func: Ident<'a>,
        /// The arguments.
        args: Vec<ExprId>,
    },
    /// `-operand`.
    Neg(ExprId),
    /// `base ^ exponent`.
    Pow(ExprId, ExprId),
    /// `a + b - c ...`: the first term is always [`Sign::Plus`].
    Sum(Vec<(Sign, ExprId)>),
    /// `a * b / c ...`: the first factor is always [`MulOp::Mul`].
    Product(Vec<(MulOp, ExprId)>),
}

/// One expression node.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Expr<'a> {
    /// What it is.
    pub kind: ExprKind<'a>,
    /// Its text, without surrounding parentheses.
    pub span: Span,
    /// Whether it was written in parentheses (then a chain is not flattened into it).
    pub grouped: bool,
}

/// What a declaration declares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DeclKind {
    /// `input a, b`.
    Input,
    /// `target y_t`.
    Target,
    /// `param w1 = 1, w2`.
    Param,
}

/// What a definition defines.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DefKind {
    /// `NAME = expr`.
    Plain,
    /// `output NAME = expr`.
    Output,
    /// `loss NAME = expr`.
    Loss,
}

/// The name a statement declares or defines (`s1`, `W[3, 2]`, `s[j]`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Target<'a> {
    /// The name.
    pub name: Ident<'a>,
    /// The index suffix, if any (boxed: it is rare).
    pub index: Option<Box<Index>>,
}

/// A param's initial value as written.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum InitKind<'a> {
    /// `-0.5`.
    Number {
        /// Whether a `-` sign precedes the number.
        negative: bool,
        /// The number as written, without the sign.
        number: &'a str,
    },
    /// `[0.1, [0.2, 0.3]]`: numbers or lists (nested no deeper than the depth scan allows).
    List(Vec<Init<'a>>),
    /// `uniform(-0.5, 0.5)`, `glorot`: a name and its arguments (none when written without
    /// parentheses).
    Call {
        /// The initializer's name as written (it may not be a known one).
        func: Ident<'a>,
        /// The arguments, each a number.
        args: Vec<Init<'a>>,
    },
}

/// A param's initial value with its place.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Init<'a> {
    /// What it is.
    pub kind: InitKind<'a>,
    /// All of it.
    pub span: Span,
}

impl<'a> Init<'a> {
    /// Calls `f` on each number of the initializer, lists and arguments included (lists nest
    /// no deeper than [`crate::MAX_DEPTH`]).
    pub fn for_each_number(&self, f: &mut impl FnMut(&'a str, Span)) {
        match &self.kind {
            InitKind::Number { number, .. } => f(number, self.span),
            InitKind::List(items) | InitKind::Call { args: items, .. } => {
                items.iter().for_each(|i| i.for_each_number(f))
            }
        }
    }
}

/// A named size: `J = 4` in `dim J = 4`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Dim<'a> {
    /// The size's name.
    pub name: Ident<'a>,
    /// Its value as written (a [`InitKind::Number`] by the grammar).
    pub value: Init<'a>,
}

/// One declared name with its optional initial value.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Declared<'a> {
    /// The declared name.
    pub target: Target<'a>,
    /// `= value`, for params.
    pub init: Option<Init<'a>>,
}

/// What a statement says.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum StatementKind<'a> {
    /// `input ...`, `target ...` or `param ...`.
    Declare {
        /// Which keyword.
        kind: DeclKind,
        /// The declared names, in order.
        items: Vec<Declared<'a>>,
    },
    /// `NAME = expr`, `output NAME = expr` or `loss NAME = expr`.
    Define {
        /// Which form.
        kind: DefKind,
        /// The defined name.
        target: Target<'a>,
        /// The right-hand side.
        rhs: ExprId,
    },
    /// `output NAME`: marks an existing definition as the output.
    MarkOutput {
        /// The marked name.
        target: Target<'a>,
    },
    /// `dim I = 3, J = 4`: named sizes.
    Dims(Vec<Dim<'a>>),
}

/// One statement with its place.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Statement<'a> {
    /// What it says.
    pub kind: StatementKind<'a>,
    /// The whole statement.
    pub span: Span,
    /// The keyword that starts it (`input`, `output`, `loss` ...), if any.
    pub keyword: Option<Span>,
}

/// `network NAME { ... }`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Network<'a> {
    /// The network's name.
    pub name: Ident<'a>,
    /// From `network` to the closing `}`.
    pub span: Span,
    /// The statements inside, in order.
    pub statements: Vec<Statement<'a>>,
    /// How many expressions of [`Ast::exprs`] its statements hold (what lowering sizes the
    /// network's DAG by).
    pub expr_count: usize,
}

/// A parsed file: top-level statements and networks, and the expression arena they share.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Ast<'a> {
    /// Every expression of the file.
    pub exprs: Vec<Expr<'a>>,
    /// The free-standing statements, in source order.
    pub free: Vec<Statement<'a>>,
    /// The networks, in source order.
    pub networks: Vec<Network<'a>>,
    /// Whether anything indexed appears in the file: a subscript, a `dim` or a reduction
    /// (`sum`, `logsumexp`). Without one, no network needs the indexed checks.
    pub has_index: bool,
}

impl<'a> Ast<'a> {
    /// The expression behind an id.
    pub fn expr(&self, id: ExprId) -> &Expr<'a> {
        &self.exprs[id.index()]
    }

    /// Calls `f` on each direct child of an expression, in source order (index items included).
    pub(crate) fn for_each_child(&self, id: ExprId, mut f: impl FnMut(ExprId)) {
        match &self.expr(id).kind {
            ExprKind::Number(_) | ExprKind::Constant(_) | ExprKind::Index(_) => {}
            ExprKind::Name { index, .. } => index.iter().flat_map(|i| &i.items).for_each(|&c| f(c)),
            ExprKind::Call { args, .. } => args.iter().for_each(|&c| f(c)),
            ExprKind::Neg(x) => f(*x),
            ExprKind::Pow(base, exponent) => {
                f(*base);
                f(*exponent);
            }
            ExprKind::Sum(terms) => terms.iter().for_each(|&(_, t)| f(t)),
            ExprKind::Product(factors) => factors.iter().for_each(|&(_, c)| f(c)),
        }
    }

    /// The order [`Ast::for_each_in_subtree`] visits, collected (the tests read it).
    #[cfg(test)]
    pub fn subtree(&self, root: ExprId) -> Vec<ExprId> {
        let mut out = Vec::new();
        self.for_each_in_subtree(root, |id| out.push(id));
        out
    }

    /// Calls `f` on every expression under `root` (itself included) in post-order: each after
    /// its children, left operands before right ones. Iterative, so any depth is safe, and
    /// nothing is collected (the stack stays inline for expressions of ordinary size).
    pub fn for_each_in_subtree(&self, root: ExprId, mut f: impl FnMut(ExprId)) {
        let _ = self.try_for_each_in_subtree(root, |id| {
            f(id);
            Ok::<(), std::convert::Infallible>(())
        });
    }

    /// [`Ast::for_each_in_subtree`] that stops at the first error `f` returns.
    pub fn try_for_each_in_subtree<E>(
        &self,
        root: ExprId,
        mut f: impl FnMut(ExprId) -> Result<(), E>,
    ) -> Result<(), E> {
        // (expression, whether its children are done)
        let mut stack: SmallVec<[(ExprId, bool); 64]> = SmallVec::new();
        stack.push((root, false));
        while let Some((id, children_done)) = stack.pop() {
            if children_done {
                f(id)?;
                continue;
            }
            stack.push((id, true));
            let first = stack.len();
            self.for_each_child(id, |c| stack.push((c, false)));
            stack[first..].reverse();
        }
        Ok(())
    }

    /// Every statement of the file with the network it belongs to (`None` at the top level),
    /// in source order within each group: free-standing first, then each network.
    pub fn statements(&self) -> impl Iterator<Item = (Option<&Network<'a>>, &Statement<'a>)> {
        let free = self.free.iter().map(|s| (None, s));
        let nets = self
            .networks
            .iter()
            .flat_map(|n| n.statements.iter().map(move |s| (Some(n), s)));
        free.chain(nets)
    }
}
