//! `symdiff explain --format html` without a browser: the page parses as HTML without a single
//! parse error (html5ever, exact errors), stays within its size budget, can make no request
//! (its Content-Security-Policy, and no URL in it), reads without its script (every formula and
//! the graph are in the markup), and the options around it (`-o`, `--open`) behave.

mod common;

use common::{root, symdiff, symdiff_ok, write_temp};
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{parse_document, ParseOpts};
use markup5ever_rcdom::RcDom;

const FIVE: &[&str] = &[
    "explain",
    "examples/lecture/five_weights.sd",
    "--at",
    "x_t=1,y_t=1",
    "--steps",
    "2",
    "--format",
    "html",
];

/// The parse errors html5ever reports for a page, every one of them.
fn parse_errors(html: &str) -> Vec<String> {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            exact_errors: true,
            ..Default::default()
        },
        tokenizer: html5ever::tokenizer::TokenizerOpts {
            exact_errors: true,
            ..Default::default()
        },
    };
    let dom = parse_document(RcDom::default(), opts)
        .from_utf8()
        .read_from(&mut html.as_bytes())
        .expect("reading from memory");
    let errors = dom.errors.borrow();
    errors.iter().map(|e| e.to_string()).collect()
}

/// The pages of the lecture's examples.
fn pages() -> Vec<(&'static str, String)> {
    vec![
        ("two_weights", symdiff_ok(&["explain", "--format", "html"])),
        ("five_weights", symdiff_ok(FIVE)),
        (
            "composite3",
            symdiff_ok(&[
                "explain",
                "examples/lecture/composite3.sd",
                "--at",
                "w=0",
                "--format",
                "html",
            ]),
        ),
        (
            "composite3 without a point",
            symdiff_ok(&[
                "explain",
                "examples/lecture/composite3.sd",
                "--format",
                "html",
            ]),
        ),
        (
            "five_weights in factored form",
            symdiff_ok(&[
                "explain",
                "examples/lecture/five_weights.sd",
                "--at",
                "x_t=1,y_t=1",
                "--max-paths",
                "1",
                "--format",
                "html",
            ]),
        ),
    ]
}

#[test]
fn every_page_parses_without_an_error() {
    for (name, html) in pages() {
        assert_eq!(parse_errors(&html), Vec::<String>::new(), "{name}");
    }
    // The check itself sees errors.
    assert!(!parse_errors("<!DOCTYPE html><p></div>").is_empty());
}

#[test]
fn the_two_weight_page_is_under_100_kb() {
    let html = symdiff_ok(&["explain", "--format", "html"]);
    assert!(html.len() < 100_000, "{} bytes", html.len());
}

#[test]
fn no_request_can_leave_the_page() {
    for (name, html) in pages() {
        assert!(
            html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">"),
            "{name}: the policy"
        );
        for (at, _) in html.match_indices("http") {
            let rest = &html[at..];
            assert!(
                rest.starts_with("http://www.w3.org/") || rest.starts_with("http-equiv"),
                "{name}: a URL at {at}: {}",
                &rest[..rest.len().min(60)]
            );
        }
        for tag in [
            "<link", "<img", "<iframe", "<object", "<embed", "@import", " src=", "<base",
        ] {
            assert!(!html.contains(tag), "{name}: {tag}");
        }
        for (at, _) in html.match_indices("url(") {
            assert!(html[at..].starts_with("url(#"), "{name}: a url() at {at}");
        }
    }
}

#[test]
fn everything_is_in_the_markup_without_the_script() {
    let html = symdiff_ok(FIVE);
    // One block per param, each with its typeset lines and its LaTeX.
    for w in ["w1", "w2", "w3", "w4", "w5"] {
        assert!(
            html.contains(&format!("<section class=\"derivative\" id=\"d-{w}\"")),
            "{w}"
        );
    }
    assert_eq!(html.matches("<section class=\"derivative\"").count(), 5);
    assert!(html.contains("<svg role=\"img\""));
    assert_eq!(html.matches("<g class=\"vertex\"").count(), 16);
    // ∂E/∂w1's value, typeset.
    assert!(html.contains("<mn>0.030196886210678345</mn>"));
    // Its LaTeX, as the LaTeX printer writes it.
    let latex = symdiff_ok(&[
        "explain",
        "examples/lecture/five_weights.sd",
        "--at",
        "x_t=1,y_t=1",
        "--format",
        "latex",
    ]);
    let product = "-(y_{t} - y) \\cdot w_{4} \\cdot h_{2} \\cdot (1 - h_{2}) \\cdot w_{2} \\cdot h_{1} \\cdot (1 - h_{1}) \\cdot x_{t}";
    assert!(latex.contains(product));
    assert!(html.contains(product.replace('<', "&lt;").as_str()));
    // The controls that need the script are hidden until it runs.
    assert!(html.contains("<nav id=\"controls\" aria-label=\"Explanation controls\" hidden>"));
}

#[test]
fn stdout_by_default_and_a_file_with_o() {
    let out = symdiff_ok(&["explain", "--format", "html"]);
    assert!(out.starts_with("<!DOCTYPE html>"));
    let path = write_temp("html-page", "placeholder", "");
    let target = path.with_file_name("two.html");
    let said = symdiff_ok(&[
        "explain",
        "--format",
        "html",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert!(
        said.starts_with("wrote ") && said.trim_end().ends_with("two.html"),
        "{said}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), out);
}

#[test]
fn bad_input_is_a_clear_error() {
    let out = symdiff(&["explain", "no/such/file.sd", "--format", "html"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.sd"));
    let out = symdiff(&["explain", "--open"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--open opens a page: add --format html"));
    let out = symdiff(&[
        "explain",
        "--format",
        "html",
        "-o",
        "/no/such/dir/page.html",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write `/no/such/dir/page.html`"));
    let _ = root();
}

/// The block of `∂E/∂wrt` in a page.
fn block<'a>(html: &'a str, wrt: &str) -> &'a str {
    let start = html
        .find(&format!("<section class=\"derivative\" id=\"d-{wrt}\""))
        .expect("the block");
    let end = start + html[start..].find("</section>").expect("its end") + "</section>".len();
    &html[start..end]
}

#[test]
fn the_two_weight_derivative_of_w1_as_markup() {
    // The MathML and LaTeX of each line, pinned: a change to a printer shows up as a diff here.
    let html = symdiff_ok(&["explain", "--format", "html"]);
    insta::assert_snapshot!(block(&html, "w1"));
}

#[test]
fn an_indexed_element_asked_for_opens_the_picker() {
    let html = symdiff_ok(&[
        "explain",
        "examples/lecture/indexed/three_three_four.sd",
        "--at",
        "x=[1,1,1],t=[0,1,0,1]",
        "--wrt",
        "w[2,1]",
        "--format",
        "html",
    ]);
    assert_eq!(parse_errors(&html), Vec::<String>::new());
    // Only the param asked for, its picker opening with the element asked for.
    assert_eq!(html.matches("<section class=\"derivative\"").count(), 1);
    assert!(html.contains(
        "<select class=\"element-pick\" data-param=\"w\"><option value=\"3\">∂E/∂w[2,1]</option><option value=\"0\">∂E/∂w[1,1]</option>"
    ));
    assert!(html.contains("<pre class=\"element\" data-element=\"3\">∂E/∂w[2,1]\n"));
}
