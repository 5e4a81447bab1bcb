//! The children of a sum, product or call node: up to three kept in the node itself, more in a
//! box of their own.
//!
//! Most nodes of a network's DAG have two children (`w·x`, `∂E/∂s·h`) or one (`sigmoid(s)`).
//! Kept inline, a walk over the DAG reads a node and its children from one place, and building
//! the DAG allocates nothing for them; a 16-term weighted sum still has its terms in one box.

use crate::dag::NodeId;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// How many children are kept inline: as many as fit beside the length in 16 bytes, the size
/// of the box's handle, so that a `Node` stays 24 bytes.
const INLINE: usize = 3;

/// A node's children, in order: a slice (`Deref<Target = [NodeId]>`) that is equal, hashed
/// and printed as one.
///
/// ```
/// use symdiff_core::{Children, NodeId};
/// let pair = Children::from(vec![NodeId(1), NodeId(2)]);
/// let many: Children = (0..10).map(NodeId).collect();
/// assert_eq!(&*pair, &[NodeId(1), NodeId(2)]);
/// assert_eq!((pair.len(), many.len()), (2, 10));
/// assert_eq!(pair, Children::from(&[NodeId(1), NodeId(2)][..]));
/// ```
#[derive(Clone)]
pub struct Children(Repr);

#[derive(Clone)]
enum Repr {
    /// The first `len` ids (the rest are unused filler).
    Inline { len: u8, ids: [NodeId; INLINE] },
    /// More than `INLINE`, behind one pointer (a `Box<[NodeId]>` would be two words).
    Boxed(Box<Box<[NodeId]>>),
}

impl Deref for Children {
    type Target = [NodeId];

    fn deref(&self) -> &[NodeId] {
        match &self.0 {
            Repr::Inline { len, ids } => &ids[..*len as usize],
            Repr::Boxed(ids) => ids,
        }
    }
}

impl AsRef<[NodeId]> for Children {
    fn as_ref(&self) -> &[NodeId] {
        self
    }
}

impl From<&[NodeId]> for Children {
    fn from(ids: &[NodeId]) -> Children {
        if ids.len() <= INLINE {
            let mut inline = [NodeId(0); INLINE];
            inline[..ids.len()].copy_from_slice(ids);
            Children(Repr::Inline {
                len: ids.len() as u8,
                ids: inline,
            })
        } else {
            Children(Repr::Boxed(Box::new(ids.into())))
        }
    }
}

impl From<Vec<NodeId>> for Children {
    fn from(ids: Vec<NodeId>) -> Children {
        if ids.len() <= INLINE {
            Children::from(ids.as_slice())
        } else {
            Children(Repr::Boxed(Box::new(ids.into_boxed_slice())))
        }
    }
}

impl From<Box<[NodeId]>> for Children {
    fn from(ids: Box<[NodeId]>) -> Children {
        if ids.len() <= INLINE {
            Children::from(&*ids)
        } else {
            Children(Repr::Boxed(Box::new(ids)))
        }
    }
}

impl<const N: usize> From<[NodeId; N]> for Children {
    fn from(ids: [NodeId; N]) -> Children {
        Children::from(&ids[..])
    }
}

impl FromIterator<NodeId> for Children {
    fn from_iter<I: IntoIterator<Item = NodeId>>(ids: I) -> Children {
        Children::from(ids.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a Children {
    type Item = &'a NodeId;
    type IntoIter = std::slice::Iter<'a, NodeId>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for Children {
    fn eq(&self, other: &Children) -> bool {
        **self == **other
    }
}

impl Eq for Children {}

impl Hash for Children {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}

impl fmt::Debug for Children {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_boxed_children_read_compare_and_hash_as_their_slice() {
        use std::hash::BuildHasher;
        let hash = |c: &Children| crate::hash::FxBuildHasher::default().hash_one(c);
        for n in 0..=2 * INLINE {
            let ids: Vec<NodeId> = (0..n as u32).map(|i| NodeId(10 + i)).collect();
            let from_vec = Children::from(ids.clone());
            let from_slice = Children::from(ids.as_slice());
            let from_box = Children::from(ids.clone().into_boxed_slice());
            assert_eq!(&*from_vec, ids.as_slice());
            assert_eq!(from_vec, from_slice);
            assert_eq!(from_vec, from_box);
            assert_eq!(hash(&from_vec), hash(&from_box));
            assert_eq!(
                hash(&from_slice),
                crate::hash::FxBuildHasher::default().hash_one(ids.as_slice())
            );
            assert_eq!(format!("{from_vec:?}"), format!("{ids:?}"));
        }
        // Filler past the length never counts: [1, 2] inline equals [1, 2] whatever follows.
        let short = Children::from(&[NodeId(1), NodeId(2), NodeId(3)][..2]);
        assert_eq!(short, Children::from(vec![NodeId(1), NodeId(2)]));
    }
}
