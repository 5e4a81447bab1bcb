//! The local-partial rule table: one arm per (operation, argument), written in terms of the
//! node itself so that `d sigmoid(s)/ds` reads `h·(1 - h)` once the node is named `h`.
//!
//! This is the only place that knows how an operation differentiates; the path form and the
//! factored form never mention a specific operation.

use crate::dag::{Dag, Node, NodeId};
use crate::op::{Constant, Func};
use smallvec::SmallVec;

/// `∂node/∂(argument i)`, unsimplified, in terms of `node` and its arguments.
pub fn partial(dag: &mut Dag, node: NodeId, i: usize) -> NodeId {
    // Each arm copies out what it needs of the node before building on the DAG.
    match *dag.node(node) {
        Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => {
            unreachable!("leaves have no arguments")
        }
        // ∂(a + b + …)/∂a = 1
        Node::Add(_) => dag.integer(1),
        // ∂(a·b·c)/∂b = a·c
        Node::Mul(ref factors) => {
            let others: SmallVec<[NodeId; 8]> = factors
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &f)| f)
                .collect();
            match others.len() {
                0 => dag.integer(1),
                1 => others[0],
                _ => dag.mul_slice(&others),
            }
        }
        // ∂(b^e)/∂b = e·b^(e - 1)
        Node::Pow([base, exponent]) if i == 0 => {
            let one = dag.integer(1);
            let e_minus_one = dag.sub(exponent, one);
            let power = dag.pow(base, e_minus_one);
            dag.mul_slice(&[exponent, power])
        }
        // ∂(b^e)/∂e = b^e·log(b), and e^u gives e^u itself. Where b may be 0 the log is the
        // power rule's own (`Dag::power_rule_log`): 0 where b^e is 0, so that the product is
        // 0 at b = 0, e > 0 (b^e is 0 for every e near such a point), while a `0·log(x)` the
        // user wrote stays undefined at x = 0.
        Node::Pow([base, _]) => match dag.node(base) {
            Node::Constant(Constant::E) => node,
            Node::Number(_) | Node::Float(_) | Node::Constant(_) => {
                let log = dag.call(Func::Log, vec![base]);
                dag.mul_slice(&[node, log])
            }
            _ => {
                let log = dag.power_rule_log(base, node);
                dag.mul_slice(&[node, log])
            }
        },
        // ∂(Σ_k u)/∂u = 1 for each k: the index stays free in the derivative, and the indexed
        // derivation decides which free indices are summed (`crate::indexed`).
        Node::Call(Func::Sum, _) if i == 2 => dag.integer(1),
        // ∂(logsumexp_k u)/∂u = exp(u - logsumexp_k u), the softmax, for each k.
        Node::Call(Func::LogSumExp, ref args) if i == 2 => {
            let u = args[2];
            let shifted = dag.sub(u, node);
            dag.call(Func::Exp, vec![shifted])
        }
        // The index and the extent are not variables.
        Node::Call(Func::Sum | Func::LogSumExp, _) => dag.integer(0),
        // The power rule's own log (`Dag::power_rule_log`) is log of its first child; the second
        // only says where it is 0, and is not an argument.
        Node::Call(Func::Log, _) if i > 0 => dag.integer(0),
        Node::Call(func, ref args) => {
            let x = args[i];
            call_partial(dag, func, node, x)
        }
    }
}

/// `d f(x)/dx` for a one-argument function, with `y = f(x)` the node itself.
fn call_partial(dag: &mut Dag, func: Func, y: NodeId, x: NodeId) -> NodeId {
    let one = dag.integer(1);
    match func {
        Func::Exp => y,               // y
        Func::Log => dag.powi(x, -1), // 1/x
        Func::Sqrt => {
            let two = dag.integer(2); // 1/(2·y)
            let two_y = dag.mul_slice(&[two, y]);
            dag.powi(two_y, -1)
        }
        Func::Sin => dag.call(Func::Cos, vec![x]), // cos(x)
        Func::Cos => {
            let sin = dag.call(Func::Sin, vec![x]); // -sin(x)
            dag.neg(sin)
        }
        Func::Tan => {
            let y2 = dag.powi(y, 2); // 1 + y^2
            dag.add_slice(&[one, y2])
        }
        Func::Tanh => {
            let y2 = dag.powi(y, 2); // 1 - y^2
            dag.sub(one, y2)
        }
        Func::Sigmoid => {
            let rest = dag.sub(one, y); // y·(1 - y)
            dag.mul_slice(&[y, rest])
        }
        Func::Relu => dag.call(Func::Step, vec![x]), // step(x): 1 for x > 0, else 0
        Func::Softplus => dag.call(Func::Sigmoid, vec![x]), // sigmoid(x)
        Func::Abs => dag.call(Func::Sign, vec![x]),  // sign(x), so abs'(0) = 0
        Func::Step | Func::Sign => dag.integer(0),   // flat away from the jump
        Func::Sum | Func::LogSumExp => unreachable!("reductions are handled by `partial`"),
    }
}
