//! The evaluator: a list of assignments compiled once into a flat instruction sequence, then run
//! without allocation per call.
//!
//! A program is a list of `(name, expression)` assignments in order: a model's definitions, and
//! after them the adjoints of a derivation. Values live in a slice indexed by symbol; the inputs
//! and params are written there before a run, the assignments write the rest.
//!
//! Compiling spends no instruction where none is needed: subexpressions that read no symbol
//! (`2^-1`) are folded into constant registers, factors `1` are dropped, and a negation read
//! only by two-term sums becomes a subtraction (`a + (-1)·b` is `a - b`, exactly).
//!
//! A run reads and writes its registers without bounds checks, which would otherwise cost as
//! many machine instructions as the arithmetic: compiling ends by asserting that every index a
//! run can use is in range (`Program::check_indices`), and a run asserts the one length it is
//! given. This is the crate's only `unsafe` code.

use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::hash::{FxHashMap, FxHashSet};
use crate::numerics;
use crate::op::Func;
use crate::rational::Rational;

/// One instruction: compute the next slot from earlier registers. Operands are register
/// numbers: the first registers hold the values of the symbols the program reads (gathered from
/// `values` at the start of a run), the next ones the program's constants (copied in too, so
/// no instruction is spent on them), the rest hold one computed node each, in order.
#[derive(Clone, Debug)]
enum Instr {
    Add(u32, u32),
    /// `a - b`: a sum `a + (-1)·b` whose negation has no other use.
    Sub(u32, u32),
    Mul(u32, u32),
    /// An n-ary sum of `operands[start..start + len]`: one dispatch for the whole sum.
    Sum(u32, u32),
    /// An n-ary product of `operands[start..start + len]`.
    Product(u32, u32),
    /// `x^2` as `x·x`, which is what `powi(2)` computes, without the call.
    Square(u32),
    /// `x^-1` as `1/x`, which is what `powi(-1)` computes, without the call.
    Recip(u32),
    Powi(u32, i32),
    Pow(u32, u32),
    /// `exp(-|x|)`, shared by `sigmoid(x)` and `sigmoid(-x)` (the accurate `1 - sigmoid(x)`).
    ExpNegAbs(u32),
    /// `sigmoid(x)` from `x` and `e = exp(-|x|)`: `1/(1 + e)` for `x >= 0`, else `e/(1 + e)`.
    SigmoidFromExp(u32, u32),
    /// The activations get instructions of their own: one dispatch, not two.
    Tanh(u32),
    Exp(u32),
    /// The power rule's `log(base)` beside `base^e` (`numerics::power_rule_log`).
    PowerRuleLog(u32, u32),
    Call(Func, u32),
    /// `0` where the gate (a `step` or `sign` factor of the product) is exactly 0, else the
    /// product: the lecture's kink rules make such a product 0 even where another factor is
    /// not finite (`o·log(y)·step(z)` at `y < 0`, `z <= 0`).
    Gate(u32, u32),
}

/// A compiled list of assignments.
///
/// A symbol that is read names its register directly: an input's is its value copied in, an
/// assigned symbol's is the register of its right-hand side, so there are no load or store
/// instructions; the assigned symbols are written back to `values` once, at the end of a run.
///
/// ```
/// use symdiff_core::{Dag, Program};
/// let mut dag = Dag::new();
/// let x = dag.node_named("x");
/// let two = dag.integer(2);
/// let y_rhs = dag.mul(vec![two, x]);
/// let (xs, ys) = (dag.find_symbol("x").unwrap(), dag.symbol_of("y"));
/// let program = Program::compile(&dag, &[(ys, y_rhs)]);
/// let mut values = vec![f64::NAN; 2];
/// values[xs.index()] = 3.0;
/// program.run(&mut values, &mut Vec::new());
/// assert_eq!(values[ys.index()], 6.0);
/// ```
#[derive(Clone, Debug)]
pub struct Program {
    code: Vec<Instr>,
    /// The operand lists of the n-ary instructions.
    operands: Vec<u32>,
    /// `(symbol, register)`: what a run writes back to `values`, in assignment order.
    outputs: Vec<(Symbol, u32)>,
    /// The length of `values`: one more than the largest symbol index read or written.
    symbols: usize,
    /// The symbols whose given values the program reads, in register order: a run copies
    /// just these into the first registers.
    inputs: Vec<Symbol>,
    /// The values of the constant nodes, in the registers after the inputs'.
    constants: Vec<f64>,
    /// While compiling: the register of `exp(-|x|)` by `x` with any negation stripped, so that
    /// `sigmoid(x)` and `sigmoid(-x)` share it (empty once compiled).
    exp_registers: FxHashMap<NodeId, u32>,
}

impl Program {
    /// Compiles assignments in order. A node shared by several right-hand sides is computed once.
    pub fn compile(dag: &Dag, assignments: &[(Symbol, NodeId)]) -> Program {
        // The symbol registers come first, so their number is needed before any slot.
        let roots: Vec<NodeId> = assignments.iter().map(|&(_, rhs)| rhs).collect();
        let all = dag.reachable(&roots);
        let symbols = all
            .iter()
            .filter_map(|&id| dag.as_symbol(id))
            .chain(assignments.iter().map(|&(s, _)| s))
            .map(|s| s.index() + 1)
            .max()
            .unwrap_or(0);
        let inputs = read_inputs(dag, assignments);
        let input_register: FxHashMap<Symbol, u32> = inputs
            .iter()
            .enumerate()
            .map(|(k, &s)| (s, k as u32))
            .collect();
        let mut program = Program {
            code: Vec::new(),
            operands: Vec::new(),
            outputs: Vec::new(),
            symbols,
            inputs,
            constants: Vec::new(),
            exp_registers: FxHashMap::default(),
        };
        let mut register_of: FxHashMap<NodeId, u32> = FxHashMap::default();
        // Constants, and nodes that read no symbol (`2^-1`), get registers holding their
        // value before any instruction is emitted: no run spends an instruction on them.
        let mut constant: FxHashMap<NodeId, f64> = FxHashMap::default();
        for &id in &all {
            let node = dag.node(id);
            let value = match node {
                Node::Number(r) => r.to_f64(),
                Node::Float(bits) => f64::from_bits(*bits),
                Node::Constant(c) => c.value(),
                Node::Symbol(_) => continue,
                _ if node.children().iter().all(|c| constant.contains_key(c)) => {
                    node_value(node, |c| constant[&c], &[])
                }
                _ => continue,
            };
            constant.insert(id, value);
            register_of.insert(id, (program.inputs.len() + program.constants.len()) as u32);
            program.constants.push(value);
        }
        let negations = absorbed_negations(dag, &all, assignments);
        let mut assigned: FxHashMap<Symbol, u32> = FxHashMap::default();
        for &(symbol, rhs) in assignments {
            for id in unregistered(dag, rhs, &register_of) {
                if negations.contains(&id) {
                    continue;
                }
                let register = program.emit_node(
                    dag,
                    id,
                    &register_of,
                    &assigned,
                    &input_register,
                    &negations,
                );
                register_of.insert(id, register);
            }
            let register = register_of[&rhs];
            assigned.insert(symbol, register);
            program.outputs.push((symbol, register));
        }
        program.exp_registers = FxHashMap::default();
        program.check_indices();
        program
    }

    /// `sigmoid(x)` as `exp(-|x|)` (emitted once for `x` and `-x`) and the quotient.
    fn sigmoid(&mut self, dag: &Dag, x: NodeId, x_register: u32) -> u32 {
        let base = match dag.node(x) {
            Node::Mul(f) if f.len() == 2 && dag.as_number(f[0]) == Some(Rational::MINUS_ONE) => {
                f[1]
            }
            _ => x,
        };
        let e = match self.exp_registers.get(&base) {
            Some(&e) => e,
            None => {
                let e = self.push(Instr::ExpNegAbs(x_register));
                self.exp_registers.insert(base, e);
                e
            }
        };
        self.push(Instr::SigmoidFromExp(x_register, e))
    }

    /// Emits the instruction of one node (children already emitted); returns its register.
    fn emit_node(
        &mut self,
        dag: &Dag,
        id: NodeId,
        register_of: &FxHashMap<NodeId, u32>,
        assigned: &FxHashMap<Symbol, u32>,
        input_register: &FxHashMap<Symbol, u32>,
        negations: &FxHashSet<NodeId>,
    ) -> u32 {
        let reg = |c: &NodeId| register_of[c];
        match dag.node(id) {
            Node::Number(_) | Node::Float(_) | Node::Constant(_) => {
                unreachable!("constants have registers before any instruction")
            }
            // A symbol assigned earlier reads its right-hand side's register; any other reads
            // the value given in `values`.
            Node::Symbol(s) => assigned
                .get(s)
                .or_else(|| input_register.get(s))
                .copied()
                .expect("every symbol read before its assignment has an input register"),
            // `a + (-x)` is `a - x`, exactly, in one instruction.
            Node::Add(terms) => match terms[..] {
                [a, b] if negations.contains(&b) => {
                    self.push(Instr::Sub(reg(&a), reg(&negated(dag, b))))
                }
                [a, b] if negations.contains(&a) => {
                    self.push(Instr::Sub(reg(&b), reg(&negated(dag, a))))
                }
                _ => self.nary(terms.iter().map(reg).collect(), Instr::Add, Instr::Sum),
            },
            // `x·1` is `x`, exactly: a factor 1 costs nothing.
            Node::Mul(factors) => {
                let operands: Vec<u32> = factors
                    .iter()
                    .filter(|&&f| dag.as_number(f) != Some(Rational::ONE))
                    .map(reg)
                    .collect();
                if operands.is_empty() {
                    return reg(&factors[0]);
                }
                let product = self.nary(operands, Instr::Mul, Instr::Product);
                gates(dag, factors).fold(product, |p, g| self.push(Instr::Gate(reg(&g), p)))
            }
            Node::Pow([base, exponent]) => match dag.as_number(*exponent) {
                Some(e) if e.is_integer() && e.numer().abs() <= i64::from(numerics::POWI_MAX) => {
                    self.push(match e.numer() {
                        2 => Instr::Square(reg(base)),
                        -1 => Instr::Recip(reg(base)),
                        n => Instr::Powi(reg(base), n as i32),
                    })
                }
                _ => self.push(Instr::Pow(reg(base), reg(exponent))),
            },
            Node::Call(Func::Log, args) if args.len() == 2 => {
                self.push(Instr::PowerRuleLog(reg(&args[0]), reg(&args[1])))
            }
            Node::Call(Func::Sigmoid, args) => self.sigmoid(dag, args[0], reg(&args[0])),
            Node::Call(func, args) => self.push(match func {
                Func::Tanh => Instr::Tanh(reg(&args[0])),
                Func::Exp => Instr::Exp(reg(&args[0])),
                _ => Instr::Call(*func, reg(&args[0])),
            }),
        }
    }

    /// An n-ary sum or product: one binary instruction for two operands, else one n-ary
    /// instruction over a run of the operand list. Operands are taken left to right, as a
    /// chain of binary instructions would.
    fn nary(
        &mut self,
        operands: Vec<u32>,
        binary: fn(u32, u32) -> Instr,
        nary: fn(u32, u32) -> Instr,
    ) -> u32 {
        match operands[..] {
            [only] => only,
            [a, b] => self.push(binary(a, b)),
            _ => {
                let start = self.operands.len() as u32;
                self.operands.extend_from_slice(&operands);
                self.push(nary(start, operands.len() as u32))
            }
        }
    }

    fn push(&mut self, instr: Instr) -> u32 {
        self.code.push(instr);
        (self.inputs.len() + self.constants.len() + self.code.len() - 1) as u32
    }

    /// How many symbol values a run reads or writes (the length `values` needs).
    pub fn symbols_needed(&self) -> usize {
        self.symbols
    }

    /// How many registers a run uses: the inputs', the constants', one per instruction.
    fn registers(&self) -> usize {
        self.inputs.len() + self.constants.len() + self.code.len()
    }

    /// Asserts the invariant that lets [`Program::run`] index without bounds checks: every
    /// operand names a register written before the instruction that reads it, every operand
    /// run lies within `operands`, every output names a register, and every symbol read or
    /// written is below `symbols`. `compile` calls it last, so a bug in compiling is a panic
    /// there, never an out-of-bounds access in a run.
    fn check_indices(&self) {
        let first = self.inputs.len() + self.constants.len();
        for (k, instr) in self.code.iter().enumerate() {
            let below = (first + k) as u32;
            let run = |start: u32, len: u32| {
                let (start, len) = (start as usize, len as usize);
                assert!(
                    start + len <= self.operands.len(),
                    "operand run out of range"
                );
                self.operands[start..start + len].iter().all(|&r| r < below)
            };
            let in_order = match *instr {
                Instr::Add(a, b)
                | Instr::Sub(a, b)
                | Instr::Mul(a, b)
                | Instr::Pow(a, b)
                | Instr::PowerRuleLog(a, b)
                | Instr::Gate(a, b)
                | Instr::SigmoidFromExp(a, b) => a < below && b < below,
                Instr::Sum(start, len) | Instr::Product(start, len) => run(start, len),
                Instr::Square(a)
                | Instr::Recip(a)
                | Instr::Powi(a, _)
                | Instr::ExpNegAbs(a)
                | Instr::Tanh(a)
                | Instr::Exp(a)
                | Instr::Call(_, a) => a < below,
            };
            assert!(in_order, "instruction {k} reads a register not yet written");
        }
        let registers = self.registers() as u32;
        assert!(self
            .outputs
            .iter()
            .all(|&(s, r)| r < registers && s.index() < self.symbols));
        assert!(self.inputs.iter().all(|s| s.index() < self.symbols));
    }

    /// Runs the program: reads inputs from `values` (indexed by symbol) and writes every
    /// assigned symbol there. `scratch` is reused between runs to avoid allocation: once it
    /// has grown to the program's size, a run allocates nothing.
    ///
    /// # Panics
    /// If `values` is shorter than [`Program::symbols_needed`].
    pub fn run(&self, values: &mut [f64], scratch: &mut Vec<f64>) {
        assert!(
            values.len() >= self.symbols,
            "the program reads and writes {} symbol values; `values` holds {}",
            self.symbols,
            values.len()
        );
        let base = self.inputs.len();
        let first = base + self.constants.len();
        scratch.resize(self.registers(), 0.0);
        scratch[base..first].copy_from_slice(&self.constants);
        // Registers are read and written without bounds checks (each check is as many machine
        // instructions as the arithmetic it guards). The invariant every `unsafe` below relies on:
        // `check_indices` (asserted when the program was compiled; its fields are private and
        // never changed after) guarantees that every register index read is below the
        // instruction's own, every operand run lies within `operands`, every output register
        // is below `registers()` and every symbol is below `symbols`; `scratch` has just been
        // sized to `registers()`, and `values` is asserted above to hold `symbols` values.
        let registers = scratch.as_mut_ptr();
        // SAFETY: every register a run reads is below `registers()` (the invariant above), and
        // `registers` points to `scratch`, which holds that many.
        let read = |register: u32| unsafe { *registers.add(register as usize) };
        for (k, input) in self.inputs.iter().enumerate() {
            // SAFETY: the inputs' registers come first, so `k < inputs.len() <= registers()`;
            // each input's symbol is below `symbols`, the length of `values`.
            unsafe { *registers.add(k) = *values.get_unchecked(input.index()) };
        }
        let operands = &self.operands[..];
        // SAFETY: `first` (the inputs and constants) is at most `registers()`.
        let mut next = unsafe { registers.add(first) };
        for instr in &self.code {
            let run = |start: u32, len: u32| {
                let (start, len) = (start as usize, len as usize);
                // SAFETY: every operand run lies within `operands` (the invariant above).
                let run = unsafe { operands.get_unchecked(start..start + len) };
                run.iter().map(|&r| read(r))
            };
            let v = match *instr {
                Instr::Add(a, b) => read(a) + read(b),
                Instr::Sub(a, b) => read(a) - read(b),
                Instr::Mul(a, b) => read(a) * read(b),
                Instr::Sum(start, len) => {
                    let mut terms = run(start, len);
                    let first = terms.next().unwrap_or(0.0);
                    terms.fold(first, |acc, t| acc + t)
                }
                Instr::Product(start, len) => {
                    let mut factors = run(start, len);
                    let first = factors.next().unwrap_or(1.0);
                    factors.fold(first, |acc, f| acc * f)
                }
                Instr::Square(a) => read(a) * read(a),
                Instr::Recip(a) => 1.0 / read(a),
                Instr::Powi(a, n) => read(a).powi(n),
                Instr::Pow(a, b) => numerics::power(read(a), read(b)),
                Instr::ExpNegAbs(a) => (-read(a).abs()).exp(),
                Instr::SigmoidFromExp(a, e) => numerics::sigmoid_from_exp(read(a), read(e)),
                Instr::Tanh(a) => read(a).tanh(),
                Instr::Exp(a) => read(a).exp(),
                Instr::PowerRuleLog(a, b) => numerics::power_rule_log(read(a), read(b)),
                Instr::Call(func, a) => numerics::apply(func, read(a)),
                Instr::Gate(gate, product) => match read(gate) {
                    0.0 => 0.0,
                    _ => read(product),
                },
            };
            // SAFETY: each instruction writes its own register, in order from `first`, and the
            // last one is below `registers()`.
            unsafe {
                *next = v;
                next = next.add(1);
            }
        }
        for &(symbol, register) in &self.outputs {
            // SAFETY: every output symbol is below `symbols`, the length of `values`.
            unsafe { *values.get_unchecked_mut(symbol.index()) = read(register) };
        }
    }
}

/// The nodes reachable from `root` that have no register yet, children first. The walk stops
/// at registered nodes, so compiling a program costs its size, not the sum of its formulas'.
fn unregistered(dag: &Dag, root: NodeId, register_of: &FxHashMap<NodeId, u32>) -> Vec<NodeId> {
    let mut seen = FxHashSet::default();
    let mut stack = vec![root];
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if register_of.contains_key(&id) || !seen.insert(id) {
            continue;
        }
        out.push(id);
        stack.extend_from_slice(dag.node(id).children());
    }
    out.sort_unstable();
    out
}

/// The symbols a program reads from `values`: those read before (or without) an assignment of
/// their own. Visits each node once, at the first assignment that reaches it, as compiling
/// does (a node is emitted once, there).
fn read_inputs(dag: &Dag, assignments: &[(Symbol, NodeId)]) -> Vec<Symbol> {
    let mut assigned = FxHashSet::default();
    let mut seen = FxHashSet::default();
    let mut inputs = Vec::new();
    let mut taken = FxHashSet::default();
    for &(symbol, rhs) in assignments {
        let mut stack = vec![rhs];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            match dag.node(id) {
                Node::Symbol(s) if !assigned.contains(s) && taken.insert(*s) => inputs.push(*s),
                node => stack.extend_from_slice(node.children()),
            }
        }
        assigned.insert(symbol);
    }
    inputs.sort_unstable();
    inputs
}

/// The factors of a product that gate it: `step(x)` and `sign(x)`, whose 0 makes the product 0
/// (see [`Instr::Gate`]).
pub(crate) fn gates<'a>(dag: &'a Dag, factors: &'a [NodeId]) -> impl Iterator<Item = NodeId> + 'a {
    factors
        .iter()
        .copied()
        .filter(|&f| matches!(dag.node(f), Node::Call(Func::Step | Func::Sign, _)))
}

/// `x` of a negation `(-1)·x`.
fn negated(dag: &Dag, id: NodeId) -> NodeId {
    dag.node(id).children()[1]
}

/// The negations `(-1)·x` that need no instruction of their own: every use is as one of the
/// two terms of a sum (which becomes a subtraction), and no assignment takes one as a whole.
fn absorbed_negations(
    dag: &Dag,
    all: &[NodeId],
    assignments: &[(Symbol, NodeId)],
) -> FxHashSet<NodeId> {
    let is_negation = |id: NodeId| match dag.node(id) {
        Node::Mul(factors) => {
            factors.len() == 2 && dag.as_number(factors[0]) == Some(Rational::MINUS_ONE)
        }
        _ => false,
    };
    let mut candidates: FxHashSet<NodeId> =
        all.iter().copied().filter(|&id| is_negation(id)).collect();
    if candidates.is_empty() {
        return candidates;
    }
    for &(_, rhs) in assignments {
        candidates.remove(&rhs);
    }
    for &id in all {
        let node = dag.node(id);
        let absorbs = matches!(node, Node::Add(terms) if terms.len() == 2 && !(is_negation(terms[0]) && is_negation(terms[1])));
        if !absorbs {
            for c in node.children() {
                candidates.remove(c);
            }
        }
    }
    candidates
}

/// Evaluates one expression given the values of its symbols (`NaN` where unknown).
pub fn evaluate(dag: &Dag, expr: NodeId, values: &[f64]) -> f64 {
    let order = dag.reachable(&[expr]);
    let mut value: FxHashMap<NodeId, f64> =
        FxHashMap::with_capacity_and_hasher(order.len(), Default::default());
    for id in order {
        let v = node_value(dag.node(id), |c| value[&c], values);
        value.insert(id, v);
    }
    value[&expr]
}

/// The value of one node from its children's values (`child`) and the symbols' (`values`,
/// `NaN` where unknown).
fn node_value(node: &Node, child: impl Fn(NodeId) -> f64, values: &[f64]) -> f64 {
    let arg = |k: usize| child(node.children()[k]);
    match node {
        Node::Number(r) => r.to_f64(),
        Node::Float(bits) => f64::from_bits(*bits),
        Node::Constant(c) => c.value(),
        Node::Symbol(s) => values.get(s.index()).copied().unwrap_or(f64::NAN),
        Node::Add(terms) => terms.iter().map(|&t| child(t)).sum(),
        Node::Mul(factors) => factors.iter().map(|&f| child(f)).product(),
        Node::Pow(_) => numerics::power(arg(0), arg(1)),
        Node::Call(Func::Log, args) if args.len() == 2 => numerics::power_rule_log(arg(0), arg(1)),
        Node::Call(func, _) => numerics::apply(*func, arg(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_agrees_with_the_tree_evaluator_on_every_instruction() {
        let mut dag = Dag::new();
        let (x, y, z) = (
            dag.node_named("x"),
            dag.node_named("y"),
            dag.node_named("z"),
        );
        let sum3 = dag.add(vec![x, y, z]);
        let product3 = dag.mul(vec![x, y, z]);
        let square = dag.powi(sum3, 2);
        let recip = dag.powi(product3, -1);
        let cube = dag.powi(x, 3);
        let half = dag.number(crate::rational::Rational::new(1, 2).unwrap());
        let root = dag.pow(y, half);
        let sig = dag.call(Func::Sigmoid, vec![z]);
        let a_rhs = dag.add(vec![square, recip, cube, root, sig]);
        let a_sym = dag.symbol_of("a");
        let a = dag.node_named("a");
        // `b` reads `a` (assigned earlier) and `x` (an input), and `c` is an alias of `a`.
        let b_rhs = dag.mul(vec![a, x]);
        let b_sym = dag.symbol_of("b");
        let c_sym = dag.symbol_of("c");
        let assignments = [(a_sym, a_rhs), (b_sym, b_rhs), (c_sym, a)];
        let program = Program::compile(&dag, &assignments);
        let mut values = vec![f64::NAN; program.symbols_needed()];
        for (name, v) in [("x", 0.7), ("y", 1.3), ("z", -0.4)] {
            values[dag.find_symbol(name).unwrap().index()] = v;
        }
        let inputs = values.clone();
        let mut scratch = Vec::new();
        for _ in 0..2 {
            program.run(&mut values, &mut scratch);
            let expected_a = evaluate(&dag, a_rhs, &inputs);
            assert_eq!(values[a_sym.index()], expected_a);
            assert_eq!(values[b_sym.index()], expected_a * 0.7);
            assert_eq!(values[c_sym.index()], expected_a);
        }
    }

    #[test]
    #[should_panic(expected = "instruction 2 reads a register not yet written")]
    fn a_program_reading_ahead_is_refused_before_any_run() {
        let mut dag = Dag::new();
        let x = dag.node_named("x");
        let square = dag.powi(x, 2);
        let sig = dag.call(Func::Sigmoid, vec![square]);
        let y = dag.symbol_of("y");
        let mut program = Program::compile(&dag, &[(y, sig)]);
        // The square, `exp(-|x^2|)`, and the sigmoid last: make it read its own register.
        assert_eq!(program.code.len(), 3, "{program:?}");
        let last = program.registers() as u32 - 1;
        program.code[2] = Instr::SigmoidFromExp(last, last - 1);
        program.check_indices();
    }

    #[test]
    #[should_panic(expected = "the program reads and writes 2 symbol values; `values` holds 1")]
    fn a_run_with_too_few_values_panics_with_the_lengths() {
        let mut dag = Dag::new();
        let x = dag.node_named("x");
        let y = dag.symbol_of("y");
        let program = Program::compile(&dag, &[(y, x)]);
        program.run(&mut [1.0], &mut Vec::new());
    }

    #[test]
    fn negations_become_subtractions_and_constant_subtrees_fold() {
        let mut dag = Dag::new();
        let (x, y) = (dag.node_named("x"), dag.node_named("y"));
        let minus_one = dag.number(Rational::MINUS_ONE);
        let neg_y = dag.mul(vec![minus_one, y]);
        let one = dag.integer(1);
        let two = dag.integer(2);
        let half = dag.powi(two, -1);
        // a = x + (-1)·y; b = 1·x·2^-1 (built raw, as a user's definition is); c = (-1)·y + a,
        // whose negation `a` reads only through sums; d = (-1)·y as a whole, in a second program.
        let a_rhs = dag.add(vec![x, neg_y]);
        let b_rhs = dag.intern(Node::Mul(vec![one, x, half].into()));
        let a = dag.node_named("a");
        let c_rhs = dag.add(vec![neg_y, a]);
        let (a_sym, b_sym, c_sym, d_sym) = (
            dag.symbol_of("a"),
            dag.symbol_of("b"),
            dag.symbol_of("c"),
            dag.symbol_of("d"),
        );
        let sums = [(a_sym, a_rhs), (b_sym, b_rhs), (c_sym, c_rhs)];
        let program = Program::compile(&dag, &sums);
        // x - y, x·0.5 and a - y: three instructions, no negation, no 2^-1, no ·1.
        assert_eq!(program.code.len(), 3, "{program:?}");
        assert!(matches!(program.code[0], Instr::Sub(..)), "{program:?}");
        let with_whole = Program::compile(&dag, &[(a_sym, a_rhs), (d_sym, neg_y)]);
        assert_eq!(with_whole.code.len(), 2, "{with_whole:?}");
        for program in [&program, &with_whole] {
            let mut values = vec![f64::NAN; program.symbols_needed()];
            values[dag.find_symbol("x").unwrap().index()] = 0.3;
            values[dag.find_symbol("y").unwrap().index()] = 1.7;
            program.run(&mut values, &mut Vec::new());
            assert_eq!(values[a_sym.index()], 0.3 - 1.7);
            if program.outputs.len() == 3 {
                assert_eq!(values[b_sym.index()], 0.15);
                assert_eq!(values[c_sym.index()], (0.3 - 1.7) - 1.7);
            } else {
                assert_eq!(values[d_sym.index()], -1.7);
            }
        }
    }

    #[test]
    fn aliases_shared_nodes_and_reassigned_inputs_end_in_their_slots() {
        let mut dag = Dag::new();
        let (x, y) = (dag.node_named("x"), dag.node_named("y"));
        let product = dag.mul(vec![x, y]);
        let a = dag.node_named("a");
        let one = dag.integer(1);
        let a_plus_one = dag.add(vec![a, one]);
        let [a_sym, b_sym, c_sym, d_sym, x_sym] =
            ["a", "b", "c", "d", "x"].map(|n| dag.symbol_of(n));
        // b is an alias, c shares a's node, x is read as given and then assigned, and d reads
        // x after that assignment through the node that read the given value.
        let program = Program::compile(
            &dag,
            &[
                (a_sym, product),
                (b_sym, a),
                (c_sym, product),
                (x_sym, a_plus_one),
                (d_sym, x),
            ],
        );
        assert_eq!(program.code.len(), 2, "{program:?}");
        let mut values = vec![f64::NAN; program.symbols_needed()];
        values[x_sym.index()] = 3.0;
        values[dag.find_symbol("y").unwrap().index()] = 0.5;
        let mut scratch = Vec::new();
        program.run(&mut values, &mut scratch);
        let read = |s: Symbol| values[s.index()];
        assert_eq!(
            [a_sym, b_sym, c_sym, x_sym, d_sym].map(read),
            [1.5, 1.5, 1.5, 2.5, 3.0]
        );
    }
}
