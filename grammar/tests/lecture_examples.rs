//! Every `.sd` file of `examples/lecture/` parses without errors or warnings, into the
//! vertices the lecture's example has, and every data table there names the model's inputs
//! and targets.

use std::path::{Path, PathBuf};
use symdiff_core::Role::{self, Input, Intermediate, Loss, Output, Param, Target};
use symdiff_grammar::parse;

fn lecture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/lecture")
}

/// Each example: its network name (`None` for free-standing definitions) and its vertices in
/// the model's order (declarations and definitions in source order, then inputs found in use).
type Example = (
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, Role)],
);

#[rustfmt::skip]
const EXAMPLES: &[Example] = &[
    ("composite1.sd", None, &[
        ("y", Intermediate), ("x", Intermediate), ("v", Intermediate), ("w", Input),
    ]),
    ("composite2.sd", None, &[
        ("y", Intermediate), ("x", Intermediate), ("t", Intermediate), ("v", Input),
    ]),
    ("composite3.sd", None, &[
        ("y", Intermediate), ("x", Intermediate), ("t", Intermediate), ("v", Intermediate),
        ("w", Input),
    ]),
    ("two_weights.sd", Some("two_weights"), &[
        ("x_t", Input), ("y_t", Target), ("w1", Param), ("w2", Param),
        ("s1", Intermediate), ("h", Intermediate), ("s2", Intermediate), ("y", Output), ("E", Loss),
    ]),
    ("five_weights.sd", Some("five_weights"), &[
        ("x_t", Input), ("y_t", Target),
        ("w1", Param), ("w2", Param), ("w3", Param), ("w4", Param), ("w5", Param),
        ("s1", Intermediate), ("h1", Intermediate), ("s2", Intermediate), ("h2", Intermediate),
        ("s3", Intermediate), ("h3", Intermediate), ("s4", Intermediate), ("y", Output), ("E", Loss),
    ]),
    ("relu_regression.sd", Some("relu_regression"), &[
        ("x_t", Input), ("y_t", Target), ("w1", Param), ("w2", Param),
        ("s1", Intermediate), ("h", Intermediate), ("s2", Intermediate), ("y", Output), ("E", Loss),
    ]),
    ("sigmoid_classification.sd", Some("sigmoid_classification"), &[
        ("x_t", Input), ("y_t", Target), ("w1", Param), ("w2", Param),
        ("s1", Intermediate), ("h", Intermediate), ("s2", Intermediate), ("y", Output), ("E", Loss),
    ]),
    ("linear_regression.sd", Some("linear_regression"), &[
        ("x1", Input), ("x2", Input), ("t", Target), ("w0", Param), ("w1", Param), ("w2", Param),
        ("L", Output), ("E", Loss),
    ]),
    ("logistic_regression.sd", Some("logistic_regression"), &[
        ("x1", Input), ("x2", Input), ("t", Target), ("w0", Param), ("w1", Param), ("w2", Param),
        ("f", Intermediate), ("L", Output), ("E", Loss),
    ]),
];

fn files_with(extension: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(lecture_dir())
        .expect("examples/lecture exists")
        .map(|entry| {
            entry
                .expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(extension))
        .collect();
    names.sort();
    names
}

#[test]
fn every_lecture_file_is_listed_here() {
    let mut listed: Vec<String> = EXAMPLES.iter().map(|(f, _, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(files_with(".sd"), listed);
}

#[test]
fn every_lecture_example_parses_into_its_vertices() {
    for &(file, name, vertices) in EXAMPLES {
        let text = std::fs::read_to_string(lecture_dir().join(file)).expect("readable example");
        let parsed = match parse(file, &text) {
            Ok(parsed) => parsed,
            Err(errors) => panic!("{}", errors.render(file, &text)),
        };
        assert!(parsed.warnings.is_empty(), "{file}: {:?}", parsed.warnings);
        assert_eq!(parsed.models.len(), 1, "{file}");
        let model = &parsed.models[0];
        assert_eq!(model.name(), name, "{file}");
        let found: Vec<(&str, Role)> = model
            .vertices()
            .map(|v| (model.name_of(v.symbol), v.role))
            .collect();
        assert_eq!(found, vertices, "{file}");
    }
}

#[test]
fn the_two_weight_network_starts_where_the_lecture_does() {
    let text = std::fs::read_to_string(lecture_dir().join("two_weights.sd")).unwrap();
    let model = &parse("two_weights.sd", &text).unwrap().models[0];
    assert_eq!(model.vertex_named("w1").unwrap().init, Some(1.0));
    assert_eq!(model.vertex_named("w2").unwrap().init, Some(1.0));
    assert_eq!(model.default_of(), model.dag.find_symbol("E"));
}

#[test]
fn every_data_table_names_its_models_inputs_and_targets() {
    let tables = files_with(".csv");
    assert_eq!(tables, ["linear_regression.csv", "logistic_regression.csv"]);
    for table in tables {
        let data = std::fs::read_to_string(lecture_dir().join(&table)).unwrap();
        let sd = table.replace(".csv", ".sd");
        let text = std::fs::read_to_string(lecture_dir().join(&sd)).unwrap();
        let model = &parse(&sd, &text).unwrap().models[0];
        let mut lines = data.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let leaves: Vec<&str> = model
            .vertices()
            .filter(|v| matches!(v.role, Input | Target))
            .map(|v| model.name_of(v.symbol))
            .collect();
        assert_eq!(header, leaves, "{table}");
        let rows: Vec<Vec<f64>> = lines
            .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
            .collect();
        let lecture: &[[f64; 3]] = if table.starts_with("linear") {
            &LINEAR_ROWS
        } else {
            &LOGISTIC_ROWS
        };
        let lecture: Vec<Vec<f64>> = lecture.iter().map(|r| r.to_vec()).collect();
        assert_eq!(rows, lecture, "{table}");
    }
}

/// The training table of the slide "Recap: Linear Regression" (x1, x2, t).
#[rustfmt::skip]
const LINEAR_ROWS: [[f64; 3]; 10] = [
    [3., 1., -1.], [4., 3., 1.], [6., 1., 0.5], [2., 3., 3.], [5., 9., -2.],
    [4., 8., 5.], [1., 2., 2.], [4., 4., -2.], [4., 1., -4.], [5., 5., 1.],
];

/// The training table of the slide "Recap: Logistic Regression" (x1, x2, t).
#[rustfmt::skip]
const LOGISTIC_ROWS: [[f64; 3]; 10] = [
    [3., 1., 0.], [4., 3., 1.], [6., 1., 0.], [2., 3., 0.], [5., 9., 1.],
    [4., 8., 1.], [1., 2., 1.], [4., 4., 0.], [4., 1., 0.], [5., 5., 1.],
];
