//! The evaluator: a list of assignments compiled once into a flat instruction sequence, then run
//! without allocation per call.
//!
//! A program is a list of `(name, expression)` assignments in order: a model's definitions, and
//! after them the adjoints of a derivation. Values live in a slice indexed by symbol; the inputs
//! and params are written there before a run, the assignments write the rest.

use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::numerics;
use crate::op::Func;
use std::collections::HashMap;

/// One instruction: compute a slot from earlier slots, or move a value between a slot and a
/// symbol.
#[derive(Clone, Debug)]
enum Instr {
    Const(f64),
    Load(Symbol),
    Add(u32, u32),
    Mul(u32, u32),
    Powi(u32, i32),
    Pow(u32, u32),
    Call(Func, u32),
    Store(Symbol, u32),
}

/// A compiled list of assignments.
///
/// ```
/// use symdiff_core::{Dag, Program};
/// let mut dag = Dag::new();
/// let x = dag.symbol("x");
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
    slots: usize,
    symbols: usize,
}

impl Program {
    /// Compiles assignments in order. A node shared by several right-hand sides is computed once.
    pub fn compile(dag: &Dag, assignments: &[(Symbol, NodeId)]) -> Program {
        let mut program = Program {
            code: Vec::new(),
            slots: 0,
            symbols: 0,
        };
        let mut slot_of: HashMap<NodeId, u32> = HashMap::new();
        for &(symbol, rhs) in assignments {
            for id in dag.reachable(&[rhs]) {
                if slot_of.contains_key(&id) {
                    continue;
                }
                let slot = program.emit_node(dag, id, &slot_of);
                slot_of.insert(id, slot);
            }
            program.code.push(Instr::Store(symbol, slot_of[&rhs]));
            program.symbols = program.symbols.max(symbol.index() + 1);
        }
        program
    }

    /// Emits the instructions of one node (children already emitted); returns its slot.
    fn emit_node(&mut self, dag: &Dag, id: NodeId, slot_of: &HashMap<NodeId, u32>) -> u32 {
        let slot = |c: &NodeId| slot_of[c];
        match dag.node(id) {
            Node::Number(r) => self.push(Instr::Const(r.to_f64())),
            Node::Float(bits) => self.push(Instr::Const(f64::from_bits(*bits))),
            Node::Constant(c) => self.push(Instr::Const(c.value())),
            Node::Symbol(s) => {
                self.symbols = self.symbols.max(s.index() + 1);
                self.push(Instr::Load(*s))
            }
            Node::Add(terms) => self.fold(terms.iter().map(slot).collect(), Instr::Add),
            Node::Mul(factors) => self.fold(factors.iter().map(slot).collect(), Instr::Mul),
            Node::Pow([base, exponent]) => match dag.as_number(*exponent) {
                Some(e) if e.is_integer() && i32::try_from(e.numer()).is_ok() => {
                    self.push(Instr::Powi(slot(base), e.numer() as i32))
                }
                _ => self.push(Instr::Pow(slot(base), slot(exponent))),
            },
            Node::Call(func, args) => self.push(Instr::Call(*func, slot(&args[0]))),
        }
    }

    /// An n-ary sum or product as a chain of binary instructions.
    fn fold(&mut self, operands: Vec<u32>, op: fn(u32, u32) -> Instr) -> u32 {
        let mut acc = operands[0];
        for &next in &operands[1..] {
            acc = self.push(op(acc, next));
        }
        acc
    }

    fn push(&mut self, instr: Instr) -> u32 {
        self.code.push(instr);
        self.slots += 1;
        (self.slots - 1) as u32
    }

    /// How many symbol values a run reads or writes (the length `values` needs).
    pub fn symbols_needed(&self) -> usize {
        self.symbols
    }

    /// Runs the program: reads inputs from `values` (indexed by symbol) and writes every
    /// assigned symbol there. `scratch` is reused between runs to avoid allocation.
    pub fn run(&self, values: &mut [f64], scratch: &mut Vec<f64>) {
        scratch.clear();
        scratch.resize(self.slots, 0.0);
        let mut next = 0usize;
        for instr in &self.code {
            let v = match *instr {
                Instr::Store(symbol, slot) => {
                    values[symbol.index()] = scratch[slot as usize];
                    continue;
                }
                Instr::Const(c) => c,
                Instr::Load(symbol) => values[symbol.index()],
                Instr::Add(a, b) => scratch[a as usize] + scratch[b as usize],
                Instr::Mul(a, b) => scratch[a as usize] * scratch[b as usize],
                Instr::Powi(a, n) => scratch[a as usize].powi(n),
                Instr::Pow(a, b) => numerics::power(scratch[a as usize], scratch[b as usize]),
                Instr::Call(func, a) => numerics::apply(func, scratch[a as usize]),
            };
            scratch[next] = v;
            next += 1;
        }
    }
}

/// Evaluates one expression given the values of its symbols (`NaN` where unknown).
pub fn evaluate(dag: &Dag, expr: NodeId, values: &[f64]) -> f64 {
    let order = dag.reachable(&[expr]);
    let mut value: HashMap<NodeId, f64> = HashMap::with_capacity(order.len());
    for id in order {
        let arg = |k: usize| value[&dag.node(id).children()[k]];
        let v = match dag.node(id) {
            Node::Number(r) => r.to_f64(),
            Node::Float(bits) => f64::from_bits(*bits),
            Node::Constant(c) => c.value(),
            Node::Symbol(s) => values.get(s.index()).copied().unwrap_or(f64::NAN),
            Node::Add(terms) => terms.iter().map(|t| value[t]).sum(),
            Node::Mul(factors) => factors.iter().map(|f| value[f]).product(),
            Node::Pow(_) => numerics::power(arg(0), arg(1)),
            Node::Call(func, _) => numerics::apply(*func, arg(0)),
        };
        value.insert(id, v);
    }
    value[&expr]
}
