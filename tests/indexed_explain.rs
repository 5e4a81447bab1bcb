//! Snapshots of the indexed lecture examples (examples/lecture/indexed/): the slides' Σ
//! formulas from `explain` and `grad`, the factored form past `--max-paths`, one element
//! written out term by term, the XOR table and the graph with one node per array.

mod common;

use common::symdiff_ok;

const DIR: &str = "examples/lecture/indexed";

fn run(args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|a| a.replace("$DIR", DIR)).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    symdiff_ok(&args)
}

#[test]
fn vanishing_two_layer_explains_the_slides_formulas() {
    // ∂E_n/∂w_kj = -(t_nk - o_nk)·o_nk·(1 - o_nk)·h_nj and
    // ∂E_n/∂w_ji = -h_nj·(1 - h_nj)·x_ni·Σ_k w_kj·(t_nk - o_nk)·o_nk·(1 - o_nk).
    insta::assert_snapshot!(run(&["explain", "$DIR/vanishing_two_layer.sd"]));
}

#[test]
fn vanishing_three_layer_has_the_nested_sums() {
    insta::assert_snapshot!(run(&[
        "explain",
        "$DIR/vanishing_three_layer.sd",
        "--wrt",
        "w_ip"
    ]));
}

/// `--max-paths` caps the path templates a formula is printed over (one template is a whole Σ,
/// printed in one line however wide the layers); past it, the factored form.
#[test]
fn past_max_paths_the_factored_form_in_index_notation() {
    insta::assert_snapshot!(run(&[
        "explain",
        "$DIR/vanishing_three_layer.sd",
        "--wrt",
        "w_ip",
        "--max-paths",
        "0"
    ]));
}

#[test]
fn one_element_with_its_sum_term_by_term() {
    insta::assert_snapshot!(run(&[
        "explain",
        "$DIR/three_three_four.sd",
        "--wrt",
        "v[2,1],w[1,2]",
        "--at",
        "x=[1,1,1],t=[1,0,0,1]"
    ]));
}

#[test]
fn softmax_classifier_over_its_table() {
    insta::assert_snapshot!(run(&[
        "grad",
        "$DIR/softmax_classifier.sd",
        "--data",
        "$DIR/softmax_classifier.csv"
    ]));
}

#[test]
fn xor_weights_are_a_minimum_on_the_slides_table() {
    let out = run(&["grad", "$DIR/xor_indexed.sd", "--data", "$DIR/xor.csv"]);
    assert!(out.contains("E = 0\n"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn graph_has_one_node_per_array() {
    insta::assert_snapshot!(run(&[
        "graph",
        "$DIR/vanishing_two_layer.sd",
        "--wrt",
        "w1"
    ]));
}
