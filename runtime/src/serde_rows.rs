//! Serialization of generated params whose rows are fixed-size arrays (`Vec<[f32; 784]>` for a
//! declared `w1[128, 784]`), as nested JSON arrays, the shape of `symdiff train --save`. serde
//! itself implements arrays only up to 32 elements; generated structs name this module in
//! `#[serde(with = "::symdiff::runtime::serde_rows")]` on every field of rank 2 or more.
//!
//! ```
//! #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct Params {
//!     #[serde(with = "symdiff_runtime::serde_rows")]
//!     w: Vec<[f64; 40]>,
//! }
//! let p = Params { w: vec![[0.5; 40]; 2] };
//! let json = serde_json::to_string(&p).unwrap();
//! assert!(json.starts_with(r#"{"w":[[0.5,0.5,"#));
//! assert_eq!(serde_json::from_str::<Params>(&json).unwrap(), p);
//! // A row of the wrong length is an error naming the expected length.
//! let short = json.replacen("0.5,", "", 1);
//! let error = serde_json::from_str::<Params>(&short).unwrap_err().to_string();
//! assert!(error.contains("an array of 40 numbers"), "{error}");
//! ```

use serde::de::{Deserialize, Deserializer, Error, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// What a row holds: a number, or a fixed-size array of rows of a lower rank.
pub trait Element: Sized {
    /// Writes the value (an array as a sequence).
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value (an array from a sequence of exactly its length).
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

macro_rules! number_element {
    ($ty:ty) => {
        impl Element for $ty {
            fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.serialize(serializer)
            }
            fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$ty>::deserialize(deserializer)
            }
        }
    };
}

number_element!(f32);
number_element!(f64);

impl<X: Element, const N: usize> Element for [X; N] {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(N))?;
        for x in self {
            seq.serialize_element(&Written(x))?;
        }
        seq.end()
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ArrayVisitor::<X, N>(PhantomData))
    }
}

/// An element by reference, as serde's `Serialize`.
struct Written<'a, X>(&'a X);

impl<X: Element> Serialize for Written<'_, X> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.write(serializer)
    }
}

/// An element read, as serde's `Deserialize`.
struct Read<X>(X);

impl<'de, X: Element> Deserialize<'de> for Read<X> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        X::read(deserializer).map(Read)
    }
}

/// Reads `[X; N]` from a sequence of exactly `N` elements.
struct ArrayVisitor<X, const N: usize>(PhantomData<X>);

impl<'de, X: Element, const N: usize> Visitor<'de> for ArrayVisitor<X, N> {
    type Value = [X; N];

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an array of {N} numbers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<[X; N], A::Error> {
        let mut values = Vec::with_capacity(N);
        while let Some(Read(x)) = seq.next_element::<Read<X>>()? {
            if values.len() == N {
                return Err(A::Error::invalid_length(N + 1, &self));
            }
            values.push(x);
        }
        let len = values.len();
        values
            .try_into()
            .map_err(|_| A::Error::invalid_length(len, &self))
    }
}

/// `#[serde(with = ...)]`'s writer: the rows as a sequence of sequences.
pub fn serialize<X: Element, S: Serializer>(rows: &[X], serializer: S) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(rows.len()))?;
    for row in rows {
        seq.serialize_element(&Written(row))?;
    }
    seq.end()
}

/// `#[serde(with = ...)]`'s reader: any number of rows, each of its array's exact length.
pub fn deserialize<'de, X: Element, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<X>, D::Error> {
    let rows: Vec<Read<X>> = Vec::deserialize(deserializer)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
