//! The legend under the picture: what each shape is (only the roles drawn), what an edge and
//! its label mean, what the highlight means, and what a collapsed layer or a missing label
//! means when the picture has them. Items flow left to right and wrap at the picture's width.

use super::scene::{Scene, LABEL_LIMIT};
use super::HIGHLIGHT;
use crate::emit::dot::role_style;
use crate::model::Role;
use std::fmt::Write;

/// One legend line's height, and the width of one character of its text, roughly.
const LINE: f64 = 30.0;
const CHAR: f64 = 6.6;
/// The width of an item's sample drawing.
const SAMPLE: f64 = 46.0;

/// What an item's sample shows.
#[derive(Clone, Copy, Debug)]
enum Sample {
    Shape(Role),
    Stack,
    Edge(&'static str, f64),
    Nothing,
}

/// The legend's items, in order.
fn items(scene: &Scene) -> Vec<(Sample, String)> {
    let mut items: Vec<(Sample, String)> = (scene.roles().into_iter())
        .map(|r| (Sample::Shape(r), role_name(r).to_string()))
        .collect();
    let edge = "edge u → v: v uses u, labelled by the local partial ∂v/∂u";
    let colour = if scene.highlight.is_some() {
        "#c4c7c5"
    } else {
        "#5f6368"
    };
    items.push((Sample::Edge(colour, 1.3), edge.to_string()));
    if let Some(of) = &scene.highlight {
        let on = format!("on a path of {of}: the product of its labels is one term of {of}");
        items.push((Sample::Edge(HIGHLIGHT, 2.6), on));
    }
    if scene.collapsed {
        let stack = "a layer drawn as one: first…last (count); \"n partials\": n edges";
        items.push((Sample::Stack, stack.to_string()));
    }
    if !scene.labels_shown() {
        let n = scene.links.len();
        let hidden = format!("edge labels left out: {n} edges, more than {LABEL_LIMIT}");
        items.push((Sample::Nothing, hidden));
    }
    items
}

/// A role's word in the legend.
fn role_name(role: Role) -> &'static str {
    match role {
        Role::Param => "parameter",
        Role::Input => "input",
        Role::Target => "target",
        Role::Intermediate => "intermediate",
        Role::Output => "output",
        Role::Loss => "loss",
    }
}

/// An item's width.
fn width(text: &str) -> f64 {
    SAMPLE + 8.0 + text.chars().count() as f64 * CHAR + 26.0
}

/// The legend drawn from `(x, y)` (its top left), wrapping at `max_width`; returns its SVG and
/// its size.
pub(super) fn legend(scene: &Scene, (x, y): (f64, f64), max_width: f64) -> (String, f64, f64) {
    let mut out = String::new();
    let (mut cx, mut cy, mut widest) = (x, y + LINE / 2.0, 0.0f64);
    let _ = writeln!(
        out,
        "<line class=\"legend\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#dadce0\"/>",
        y - 6.0,
        x + max_width,
        y - 6.0
    );
    for (sample, text) in items(scene) {
        let w = width(&text);
        if cx > x && cx + w > x + max_width {
            (cx, cy) = (x, cy + LINE);
        }
        draw_sample(&mut out, sample, (cx + SAMPLE / 2.0, cy));
        let _ = writeln!(
            out,
            "<text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#3c4043\">{}</text>",
            cx + SAMPLE + 8.0,
            cy + 4.0,
            super::escape(&text)
        );
        cx += w;
        widest = widest.max(cx - x);
    }
    (out, widest, cy + LINE / 2.0 - y)
}

/// One item's sample, centred on `(x, y)`.
fn draw_sample(out: &mut String, sample: Sample, (x, y): (f64, f64)) {
    let _ = match sample {
        Sample::Shape(Role::Param) => writeln!(out, "<rect class=\"legend\" x=\"{:.1}\" y=\"{:.1}\" width=\"40\" height=\"20\" rx=\"3\" fill=\"{}\" stroke=\"#202124\"/>", x - 20.0, y - 10.0, role_style(Role::Param).1),
        Sample::Shape(role) => {
            let (shape, fill) = role_style(role);
            let ring = if shape == "doublecircle" {
                format!("<ellipse class=\"legend\" cx=\"{x:.1}\" cy=\"{y:.1}\" rx=\"16\" ry=\"7\" fill=\"none\" stroke=\"#202124\"/>")
            } else {
                String::new()
            };
            writeln!(out, "<ellipse class=\"legend\" cx=\"{x:.1}\" cy=\"{y:.1}\" rx=\"20\" ry=\"10\" fill=\"{fill}\" stroke=\"#202124\"/>{ring}")
        }
        Sample::Stack => writeln!(out, "<ellipse class=\"legend\" cx=\"{:.1}\" cy=\"{:.1}\" rx=\"20\" ry=\"10\" fill=\"#ffffff\" stroke=\"#202124\"/><ellipse class=\"legend\" cx=\"{x:.1}\" cy=\"{y:.1}\" rx=\"20\" ry=\"10\" fill=\"#ffffff\" stroke=\"#202124\"/>", x + 4.0, y - 4.0),
        Sample::Edge(colour, stroke) => writeln!(out, "<line class=\"legend\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"{stroke}\"/>", x - 22.0, x + 22.0),
        Sample::Nothing => Ok(()),
    };
}
