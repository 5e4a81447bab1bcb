//! The pest parser generated from `symdiff.pest`.
use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "symdiff.pest"]
pub struct SymdiffParser;
