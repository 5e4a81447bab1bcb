//! Visited marks for the DAG walks: one stamp per node, reused from walk to walk.
//!
//! Most walks are small (a local partial, one adjoint's new product) over a DAG of hundreds of
//! thousands of nodes, and run tens of thousands of times. A hash set per walk costs an
//! allocation and a hash per node; a flag per DAG node costs the DAG's size per walk. A stamp
//! per node costs neither: a walk takes a fresh generation number, and a node is marked when
//! its stamp equals it. The stamps live in a thread-local buffer that a walk borrows and gives
//! back; a walk nested inside another (a closure that walks again) gets a buffer of its own.

use crate::dag::NodeId;
use std::cell::Cell;

/// The marks of one walk, each with a value (a node's image in a rebuild).
pub(crate) struct Marks {
    stamps: Vec<u32>,
    values: Vec<u32>,
    generation: u32,
    /// A work stack for the walk, kept (empty) from walk to walk with its capacity.
    stack: Vec<NodeId>,
}

impl Marks {
    /// Marks `id`; whether it was unmarked before.
    #[inline]
    pub(crate) fn insert(&mut self, id: NodeId) -> bool {
        let i = id.0 as usize;
        if i >= self.stamps.len() {
            self.stamps.resize((i + 1).next_power_of_two(), 0);
        }
        let stamp = &mut self.stamps[i];
        if *stamp == self.generation {
            return false;
        }
        *stamp = self.generation;
        true
    }

    /// Marks `id` with a value.
    #[inline]
    pub(crate) fn set(&mut self, id: NodeId, value: u32) {
        self.insert(id);
        let i = id.0 as usize;
        if i >= self.values.len() {
            self.values.resize(self.stamps.len(), 0);
        }
        self.values[i] = value;
    }

    /// The walk's work stack, empty, holding `roots`; give it back with [`Marks::done_with`].
    #[inline]
    pub(crate) fn stack(&mut self, roots: &[NodeId]) -> Vec<NodeId> {
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.extend_from_slice(roots);
        stack
    }

    /// Keeps a work stack (and its capacity) for the next walk.
    #[inline]
    pub(crate) fn done_with(&mut self, stack: Vec<NodeId>) {
        self.stack = stack;
    }

    /// The value `id` was marked with by [`Marks::set`] in this walk (`None` for an unmarked
    /// node; only meaningful for nodes marked by `set`).
    #[inline]
    pub(crate) fn get(&self, id: NodeId) -> Option<u32> {
        let i = id.0 as usize;
        match self.stamps.get(i) {
            Some(&stamp) if stamp == self.generation => self.values.get(i).copied(),
            _ => None,
        }
    }
}

thread_local! {
    static SPARE: Cell<Option<Marks>> = const { Cell::new(None) };
}

/// Runs `walk` with a set of marks that starts empty.
pub(crate) fn with_marks<R>(walk: impl FnOnce(&mut Marks) -> R) -> R {
    let mut marks = SPARE.with(Cell::take).unwrap_or(Marks {
        stamps: Vec::new(),
        values: Vec::new(),
        generation: 0,
        stack: Vec::new(),
    });
    marks.generation = marks.generation.wrapping_add(1);
    if marks.generation == 0 {
        // Once every 4 billion walks: old stamps could equal the new generation.
        marks.stamps.fill(0);
        marks.generation = 1;
    }
    let result = walk(&mut marks);
    SPARE.with(|spare| spare.set(Some(marks)));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_walk_starts_empty_and_nested_walks_do_not_share_marks() {
        let (a, b) = (NodeId(3), NodeId(1000));
        with_marks(|outer| {
            assert!(outer.insert(a));
            assert!(!outer.insert(a));
            with_marks(|inner| {
                assert!(inner.insert(a));
                assert!(inner.insert(b));
            });
            assert!(!outer.insert(a));
            assert!(outer.insert(b));
        });
        with_marks(|next| {
            assert!(next.insert(a) && next.insert(b));
            next.set(NodeId(7), 42);
            assert_eq!(next.get(NodeId(7)), Some(42));
        });
        with_marks(|last| assert_eq!(last.get(NodeId(7)), None));
    }
}
