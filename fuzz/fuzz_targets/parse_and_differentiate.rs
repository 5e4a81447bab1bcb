//! Fuzz target: any text through the whole pipeline a CLI run takes — parse, render the
//! diagnostics, analyse every model (path and factored form), print every formula, and evaluate
//! the gradient at a point. Nothing may panic, overflow the stack or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use symdiff_core::{Analysis, Notation, Text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = match symdiff_grammar::parse("fuzz.sd", text) {
        Ok(parsed) => parsed,
        Err(diagnostics) => {
            let _ = diagnostics.render("fuzz.sd", text);
            return;
        }
    };
    for warning in &parsed.warnings {
        let _ = warning.render("fuzz.sd", text);
    }
    for model in parsed.models {
        let Ok(analysis) = Analysis::new(model, None, None, 16) else {
            continue;
        };
        let dag = &analysis.model.dag;
        for g in &analysis.derivation.gradients {
            let _ = Text::new(dag, g.formula()).to_string();
            let _ = Text::new(dag, g.formula())
                .notation(Notation::Ascii)
                .to_string();
        }
        let mut point = analysis.default_point();
        for s in analysis.unassigned(&point) {
            point.set(s, 0.5);
        }
        let _ = analysis.evaluate(&point);
    }
});
