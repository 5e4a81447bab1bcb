//! `--plot loss.svg`: the training and validation loss per epoch as a line chart, written by
//! hand as a small SVG (a plotting crate would bring more code than this file): axes with
//! ticks and labels, a log scale when the losses span two decades or more, and a legend.

use super::history::Epoch;
use crate::cli::metrics::short;
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 400.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 52.0;
const TRAIN_COLOR: &str = "#1f77b4";
const VALID_COLOR: &str = "#ff7f0e";

/// The chart of `history`, titled after the network and its loss.
pub fn svg(history: &[Epoch], network: &str, loss: &str) -> String {
    let chart = Chart::of(history);
    let (px, py) = (|e: f64| chart.px(e), |v: f64| chart.py(v));
    let mut out = String::new();
    chart.frame(&mut out, network, loss);
    // The series.
    let train: Vec<(f64, f64)> = history.iter().map(|e| (e.epoch as f64, e.train)).collect();
    let valid: Vec<(f64, f64)> = history
        .iter()
        .filter_map(|e| Some((e.epoch as f64, e.valid?)))
        .collect();
    let mut legend = vec![("train", TRAIN_COLOR)];
    series(&mut out, &train, TRAIN_COLOR, &px, &py);
    if !valid.is_empty() {
        series(&mut out, &valid, VALID_COLOR, &px, &py);
        legend.push(("validation", VALID_COLOR));
    }
    for (k, (name, color)) in legend.iter().enumerate() {
        let y = TOP + 14.0 + 18.0 * k as f64;
        let x = WIDTH - RIGHT - 110.0;
        let _ = writeln!(
            out,
            r#"<line x1="{x}" y1="{y}" x2="{}" y2="{y}" stroke="{color}" stroke-width="2.5"/><text x="{}" y="{}">{name}</text>"#,
            x + 24.0,
            x + 30.0,
            y + 4.0
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The axes of a chart: epochs across, the loss up (log when it spans two decades or more).
struct Chart {
    x_axis: Axis,
    axis: Axis,
    log: bool,
}

const PLOT_W: f64 = WIDTH - LEFT - RIGHT;
const PLOT_H: f64 = HEIGHT - TOP - BOTTOM;

impl Chart {
    /// Axes that hold every finite loss of `history` and every epoch.
    fn of(history: &[Epoch]) -> Chart {
        let values: Vec<f64> = history
            .iter()
            .flat_map(|e| std::iter::once(e.train).chain(e.valid))
            .filter(|v| v.is_finite())
            .collect();
        let (low, high) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
                (l.min(v), h.max(v))
            });
        let log = low > 0.0 && high / low >= 100.0;
        let axis = if log {
            Axis::log(low, high)
        } else {
            Axis::linear(low.min(high), high.max(low))
        };
        let epochs = history.last().map_or(1, |e| e.epoch).max(1);
        let x_axis = Axis::linear(if epochs == 1 { 0.0 } else { 1.0 }, epochs as f64);
        Chart { x_axis, axis, log }
    }

    /// The x of an epoch.
    fn px(&self, e: f64) -> f64 {
        LEFT + PLOT_W * self.x_axis.fraction(e)
    }

    /// The y of a loss.
    fn py(&self, v: f64) -> f64 {
        TOP + PLOT_H * (1.0 - self.axis.fraction(v))
    }

    /// The SVG's opening, the title, the grid and ticks, the frame and the axis labels.
    fn frame(&self, out: &mut String, network: &str, loss: &str) {
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
        );
        let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
        let scale = if self.log { ", log scale" } else { "" };
        let _ = writeln!(
            out,
            r#"<text x="{}" y="22" text-anchor="middle" font-size="15">{} — mean loss {} per row{scale}</text>"#,
            WIDTH / 2.0,
            escape(network),
            escape(loss)
        );
        for t in self.axis.ticks() {
            let y = self.py(t);
            let _ = writeln!(
                out,
                r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e0e0e0"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
                WIDTH - RIGHT,
                LEFT - 6.0,
                y + 4.0,
                tick_label(t, self.log)
            );
        }
        for t in self.x_axis.ticks() {
            if t.fract() != 0.0 || t < 1.0 {
                continue;
            }
            let x = self.px(t);
            let _ = writeln!(
                out,
                r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#333"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{t}</text>"##,
                TOP + PLOT_H,
                TOP + PLOT_H + 5.0,
                TOP + PLOT_H + 18.0
            );
        }
        let _ = writeln!(
            out,
            r##"<rect x="{LEFT}" y="{TOP}" width="{PLOT_W}" height="{PLOT_H}" fill="none" stroke="#333"/>"##
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">epoch</text>"#,
            LEFT + PLOT_W / 2.0,
            HEIGHT - 12.0
        );
        let _ = writeln!(
            out,
            r#"<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">loss {} (mean per row)</text>"#,
            TOP + PLOT_H / 2.0,
            escape(loss)
        );
    }
}

/// A polyline (with a dot per epoch when there are few).
fn series(
    out: &mut String,
    points: &[(f64, f64)],
    color: &str,
    px: &impl Fn(f64) -> f64,
    py: &impl Fn(f64) -> f64,
) {
    let finite: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.1.is_finite())
        .map(|&(e, v)| (px(e), py(v)))
        .collect();
    let path: Vec<String> = finite
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = writeln!(
        out,
        r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"/>"#,
        path.join(" ")
    );
    if finite.len() <= 30 {
        for (x, y) in finite {
            let _ = writeln!(
                out,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="2.5" fill="{color}"/>"#
            );
        }
    }
}

/// A value axis: linear, or log10.
struct Axis {
    low: f64,
    high: f64,
    log: bool,
}

impl Axis {
    fn linear(low: f64, high: f64) -> Axis {
        let (low, high) = if !low.is_finite() || !high.is_finite() {
            (0.0, 1.0)
        } else if high - low < 1e-12 * high.abs().max(1e-300) {
            (
                low - 0.5 * low.abs().max(1e-3),
                high + 0.5 * high.abs().max(1e-3),
            )
        } else {
            (low, high)
        };
        let step = nice_step((high - low) / 5.0);
        Axis {
            low: (low / step).floor() * step,
            high: (high / step).ceil() * step,
            log: false,
        }
    }

    fn log(low: f64, high: f64) -> Axis {
        Axis {
            low: low.log10().floor(),
            high: high.log10().ceil(),
            log: true,
        }
    }

    fn fraction(&self, v: f64) -> f64 {
        let v = if self.log { v.log10() } else { v };
        (v - self.low) / (self.high - self.low)
    }

    fn ticks(&self) -> Vec<f64> {
        if self.log {
            return (self.low as i32..=self.high as i32)
                .map(|k| 10f64.powi(k))
                .collect();
        }
        let step = nice_step((self.high - self.low) / 5.0);
        let n = ((self.high - self.low) / step).round() as usize;
        (0..=n).map(|k| self.low + step * k as f64).collect()
    }
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * power)
}

fn tick_label(t: f64, log: bool) -> String {
    if log {
        let k = t.log10().round() as i32;
        return match k {
            -3..=3 => short(t),
            _ => format!("1e{k}"),
        };
    }
    // Round away the float noise of low + step·k.
    short((t * 1e9).round() / 1e9)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epoch(epoch: usize, train: f64, valid: Option<f64>) -> Epoch {
        Epoch {
            epoch,
            train,
            valid,
            seconds: 0.0,
        }
    }

    #[test]
    fn a_loss_spanning_decades_is_drawn_on_a_log_scale() {
        let history: Vec<Epoch> = (1..=5)
            .map(|e| {
                epoch(
                    e,
                    10f64.powi(-(e as i32)),
                    Some(2.0 * 10f64.powi(-(e as i32))),
                )
            })
            .collect();
        let svg = svg(&history, "net", "E");
        assert!(svg.contains("log scale"));
        assert!(svg.contains(">validation<"));
        let flat = svg_of(&[epoch(1, 0.5, None), epoch(2, 0.4, None)]);
        assert!(!flat.contains("log scale") && !flat.contains(">validation<"));
    }

    fn svg_of(history: &[Epoch]) -> String {
        svg(history, "net", "E")
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(0.13), 0.2);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(7.0), 10.0);
    }
}
